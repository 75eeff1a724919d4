package dev.correlator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tests never wait for the wall clock. A test that needs time to pass moves the App's clock
 * (support.AdjustableClock) or the times stored in rows; one that waits for another thread or
 * process waits on the condition itself (support.Waits). A sleep is a guess: too short on a busy
 * machine, too long everywhere else.
 */
class TestsDoNotSleepTest {

    private static final Path TESTS = Path.of("src/test/java");

    /** Thread.sleep, TimeUnit.X.sleep: written so that this file does not match itself. */
    private static final Pattern SLEEP = Pattern.compile("\\." + "sleep\\(");

    /**
     * Files that may sleep, and why. Only a delay that is itself the behaviour under test belongs
     * here, never a wait for something to happen.
     */
    private static final Map<String, String> ALLOWED = Map.of(
            "dev/correlator/support/OtlpReceiver.java",
            "a slow backend, on request: answering late is what it simulates, so that two export workers"
                    + " are mid-request at once (SpanExportTest.twoWorkersNeverExportTheSameSpan)");

    @Test
    void noTestSleeps() throws IOException {
        assertTrue(Files.isDirectory(TESTS), "run from the project's directory");
        List<String> sleeping;
        try (Stream<Path> files = Files.walk(TESTS)) {
            sleeping = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !ALLOWED.containsKey(name(file)))
                    .filter(TestsDoNotSleepTest::sleeps)
                    .map(TestsDoNotSleepTest::name)
                    .sorted()
                    .toList();
        }
        assertEquals(List.of(), sleeping, "these tests sleep; wait on a condition or move the clock instead");
    }

    @Test
    void everyAllowedFileStillExistsAndSleeps() {
        for (String allowed : ALLOWED.keySet()) {
            assertTrue(sleeps(TESTS.resolve(allowed)), allowed + " no longer sleeps: take it off the list");
        }
    }

    private static boolean sleeps(Path file) {
        try {
            return SLEEP.matcher(Files.readString(file)).find();
        } catch (IOException e) {
            return false;
        }
    }

    private static String name(Path file) {
        return TESTS.relativize(file).toString().replace('\\', '/');
    }
}
