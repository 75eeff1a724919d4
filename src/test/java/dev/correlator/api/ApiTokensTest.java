package dev.correlator.api;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.support.Database;
import dev.correlator.support.Waits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens edited one at a time, when two administrators (or replicas) edit the same one. */
@QuarkusTest
class ApiTokensTest {

    private static final long ACME = 48151623;

    @Inject
    ApiTokens tokens;

    @BeforeEach
    void noTokens() {
        Database.clean();
    }

    @Test
    void aTokenRevokedElsewhereMeanwhileIsNotRevokedAgain() throws Exception {
        long id = tokens.create(ACME, "grafana").id();
        try (Connection other = Database.connect()) {
            // Another replica revokes it and has not committed yet.
            other.setAutoCommit(false);
            try (PreparedStatement revoke = other.prepareStatement(
                    "update api_token set revoked_at = now() - interval '1 day' where id = ? and revoked_at is null")) {
                revoke.setLong(1, id);
                assertEquals(1, revoke.executeUpdate());
            }
            CompletableFuture<Boolean> again = CompletableFuture.supplyAsync(() -> tokens.revoke(id));
            awaitABackendWaitingOnALock();
            other.commit();

            assertFalse(again.get(30, TimeUnit.SECONDS), "no live token of that id: answered 404");
        }
        assertEquals(
                1,
                Database.count(
                        "select count(*) from api_token where id = ? and revoked_at < now() - interval '1 hour'", id),
                "the first revocation's time stays");
    }

    @Test
    void aRotationMakesTheNewTokenAndRevokesTheOldTogether() {
        ApiTokens.Made old = tokens.create(ACME, "grafana");

        ApiTokens.Made rotated = tokens.rotate(old.id()).orElseThrow();

        assertEquals("grafana", rotated.name());
        assertTrue(tokens.installationOf(old.token()).isEmpty(), "the old value reads nothing");
        assertEquals(ACME, tokens.installationOf(rotated.token()).orElseThrow().installationId());
        assertTrue(tokens.rotate(old.id()).isEmpty(), "a revoked token is not rotated again");
    }

    private static void awaitABackendWaitingOnALock() {
        Waits.upTo(Duration.ofSeconds(30))
                .alias("a backend waiting for the row lock")
                .until(() -> Database.count("""
                                select count(*) from pg_stat_activity
                                 where datname = current_database() and wait_event_type = 'Lock'""") > 0);
    }
}
