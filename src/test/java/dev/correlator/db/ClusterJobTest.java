package dev.correlator.db;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import dev.correlator.support.Database;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** One replica at a time runs a cluster job's round; the others skip it. Against PostgreSQL. */
class ClusterJobTest {

    private static final Logger LOG = Logger.getLogger(ClusterJobTest.class);

    @Test
    void aRoundRunsOnlyWhereTheLockIsFree() throws Exception {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(Database.URL);
        dataSource.setUser("postgres");
        AtomicInteger rounds = new AtomicInteger();

        try (Connection otherReplica = Database.connect();
                Statement statement = otherReplica.createStatement()) {
            statement.execute("select pg_advisory_lock(hashtext('change-correlator:Test job'))");
            ClusterJob.run(dataSource, LOG, "Test job", rounds::incrementAndGet);
            assertEquals(0, rounds.get(), "skipped while another replica holds it");
            statement.execute("select pg_advisory_unlock(hashtext('change-correlator:Test job'))");
        }
        ClusterJob.run(dataSource, LOG, "Test job", rounds::incrementAndGet);
        ClusterJob.run(dataSource, LOG, "Test job", rounds::incrementAndGet);
        assertEquals(2, rounds.get(), "and run, the lock released after each round");

        ClusterJob.run(dataSource, LOG, "Test job", () -> {
            throw new IllegalStateException("a failing round");
        });
        ClusterJob.run(dataSource, LOG, "Test job", rounds::incrementAndGet);
        assertEquals(3, rounds.get(), "a failure releases the lock too");
    }
}
