package dev.correlator.webhook;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.support.Database;
import dev.correlator.support.Fixtures;
import dev.correlator.support.ShortTimeouts;
import dev.correlator.support.Waits;
import dev.correlator.support.Webhooks;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PostgreSQL answers but does not commit in time (here: another session holds the inbox
 * table). The request is answered 503 instead of hanging; the write it started may still
 * commit later, and GitHub's redelivery of it is then answered as a duplicate.
 */
@QuarkusTest
@TestProfile(ShortTimeouts.class)
class IntakeCommitTimeoutTest {

    @BeforeEach
    void clean() {
        Database.clean();
    }

    @Test
    void aCommitThatTakesTooLongIsAnswered503AndTheRedeliveryFindsItStored() throws Exception {
        String id = UUID.randomUUID().toString();
        String body = Fixtures.text("push-branch-two_commits.json");
        try (Connection other = Database.connect();
                Statement statement = other.createStatement()) {
            other.setAutoCommit(false);
            statement.execute("lock table delivery in access exclusive mode");

            long started = System.nanoTime();
            Webhooks.deliver("push", id, body)
                    .then()
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", equalTo("30"));
            long waitedMs = (System.nanoTime() - started) / 1_000_000;
            // The answer came while the lock is still held, so it did not wait for the commit; the
            // upper bound only catches a hang, and is loose because a loaded machine is slow.
            assertEquals(
                    true,
                    waitedMs >= ShortTimeouts.COMMIT.toMillis() && waitedMs < 60_000,
                    "answered after the timeout: " + waitedMs);

            other.commit();
        }

        // The batch was not abandoned: it commits once the lock is gone.
        Waits.upTo(Duration.ofSeconds(20))
                .until(() -> Database.count("select count(*) from delivery where id = ?", id) > 0);
        assertEquals("processed", Database.string("select outcome from delivery where id = ?", id));
        assertEquals(2, Database.count("select count(*) from git_commit"));
        Webhooks.deliver("push", id, body).then().statusCode(200).body("outcome", equalTo("DUPLICATE"));
    }
}
