package dev.correlator.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.correlator.db.Sql;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Queue depth, dead rows and the age of the oldest waiting row, read from PostgreSQL every few
 * seconds rather than on each scrape, so a slow database never stalls /q/metrics.
 */
@ApplicationScoped
public class OutboxMetrics {

    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong dead = new AtomicLong();
    private final AtomicLong oldestPendingSeconds = new AtomicLong();

    @Inject
    AgroalDataSource dataSource;

    void register(@Observes StartupEvent start, MeterRegistry registry) {
        Gauge.builder("correlator.outbox.pending", pending, AtomicLong::get)
                .description("Rows waiting in the queue").register(registry);
        Gauge.builder("correlator.outbox.dead", dead, AtomicLong::get)
                .description("Rows that will not be retried (see last_error)").register(registry);
        Gauge.builder("correlator.outbox.oldest.pending.seconds", oldestPendingSeconds, AtomicLong::get)
                .description("Age of the oldest waiting row").register(registry);
    }

    @Scheduled(every = "${correlator.outbox.metrics-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refresh() {
        try (Connection connection = dataSource.getConnection()) {
            Sql.one(connection, """
                    select count(*) filter (where status = 'pending'),
                           count(*) filter (where status = 'dead'),
                           coalesce(extract(epoch from now() - min(created_at) filter (where status = 'pending')), 0)
                      from outbox where status <> 'done'""", row -> {
                pending.set(row.getLong(1));
                dead.set(row.getLong(2));
                oldestPendingSeconds.set(row.getLong(3));
                return null;
            });
        } catch (SQLException e) {
            // Keep the last values; the health check reports the database.
        }
    }
}
