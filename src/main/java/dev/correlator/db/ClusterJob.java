package dev.correlator.db;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

/**
 * A scheduled round that one replica at a time runs: every replica schedules it, and a
 * PostgreSQL advisory lock held for the round lets the first through and the others skip. (Two
 * replicas reading GitHub's delivery log at once could both ask for the same redelivery before
 * either recorded it.)
 */
public final class ClusterJob {

    private ClusterJob() {}

    public static void run(DataSource dataSource, Logger log, String job, Runnable round) {
        DatabaseOutage.guard(log, job, () -> {
            try (Connection lock = dataSource.getConnection()) {
                String key = "change-correlator:" + job;
                boolean mine = Sql.one(lock, "select pg_try_advisory_lock(hashtext(?))", row -> row.getBoolean(1), key)
                        .orElse(false);
                if (!mine) {
                    log.debugf("%s: another replica is running it", job);
                    return;
                }
                try {
                    round.run();
                } finally {
                    // Also released if this connection breaks: the lock belongs to its session.
                    Sql.one(lock, "select pg_advisory_unlock(hashtext(?))", row -> row.getBoolean(1), key);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
