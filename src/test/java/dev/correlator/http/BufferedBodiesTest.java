package dev.correlator.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.RawHttp;
import dev.correlator.support.RawHttp.Answer;
import dev.correlator.support.Waits;
import dev.correlator.support.Webhooks;
import dev.correlator.webhook.WebhookSignature;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cap on body bytes held at once, set to 1 MB here: slow uploads that fill it make the next
 * one wait (503), and everything already taken is still stored. (A stalled upload's timeout:
 * {@link StalledUploadTest}.)
 */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
@TestProfile(BufferedBodiesTest.SmallCap.class)
class BufferedBodiesTest extends AppTest {

    public static class SmallCap implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("correlator.http.buffered-bodies", "1M", "correlator.http.body-timeout", "PT20S");
        }
    }

    private static final int PADDING = 400 * 1024;

    @Inject
    BufferedBodies buffered;

    /** A real push, padded to about 400 KB and signed as GitHub signs it. */
    static byte[] largePush() {
        return Fixtures.text("push-branch-two_commits.json")
                .replaceFirst("\\{", "{\"padding\": \"" + "x".repeat(PADDING) + "\",")
                .getBytes(StandardCharsets.UTF_8);
    }

    static RawHttp startDelivery(String id, byte[] body, int sent) throws IOException {
        RawHttp http = new RawHttp();
        http.head(
                "POST",
                "/webhooks/github",
                "Content-Type: application/json",
                "X-GitHub-Event: push",
                "X-GitHub-Delivery: " + id,
                "X-Hub-Signature-256: " + WebhookSignature.sign(Webhooks.SECRET, body),
                "Content-Length: " + body.length);
        return http.send(Arrays.copyOf(body, sent));
    }

    private void awaitHeld(long bytes) {
        awaitHeld(buffered, bytes);
    }

    static void awaitHeld(BufferedBodies buffered, long bytes) {
        Waits.upTo(Duration.ofSeconds(20)).untilAsserted(() -> assertEquals(bytes, buffered.held()));
    }

    @Test
    void slowUploadsThatFillTheCapMakeTheNextOneWaitAndLoseNothing() throws Exception {
        byte[] body = largePush();
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        try (RawHttp a = startDelivery(first, body, 1000);
                RawHttp b = startDelivery(second, body, 1000)) {
            awaitHeld(2L * body.length);

            try (RawHttp third = startDelivery(UUID.randomUUID().toString(), body, 1000)) {
                Answer answer = third.answer();
                assertEquals(503, answer.status());
                assertEquals("application/problem+json", answer.header("Content-Type"));
                assertTrue(Integer.parseInt(answer.header("Retry-After")) > 0);
                assertTrue(third.closedByServer());
            }

            a.send(Arrays.copyOfRange(body, 1000, body.length));
            b.send(Arrays.copyOfRange(body, 1000, body.length));
            assertEquals(200, a.answer().status());
            assertEquals(200, b.answer().status());
        }
        awaitHeld(0);
        Webhooks.deliver("push", UUID.randomUUID().toString(), Fixtures.text("push-branch-follow_up.json"))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("PROCESSED"));
        assertEquals(
                2,
                Database.count(
                        "select count(*) from delivery where id in (?, ?) and outcome = 'processed'", first, second));
        assertEquals(3, Database.count("select count(*) from delivery"));
    }
}
