package dev.correlator.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The timeouts that tests wait out, made short: how long a request waits for its delivery's
 * commit, and how long a body may take to arrive. The tests that need them share this profile,
 * so the App starts once for all of them.
 */
public class ShortTimeouts implements QuarkusTestProfile {

    /** correlator.intake.commit-timeout */
    public static final Duration COMMIT = Duration.ofSeconds(2);

    /** correlator.http.body-timeout */
    public static final Duration BODY = Duration.ofSeconds(2);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "correlator.intake.commit-timeout", COMMIT.toString(), "correlator.http.body-timeout", BODY.toString());
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeGitHub.class));
    }
}
