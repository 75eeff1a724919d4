package dev.correlator.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

import dev.correlator.db.Sql;

/**
 * Depth, dead rows and the age of the oldest waiting row of both queues (work for GitHub in
 * {@code outbox}, spans in {@code span_outbox}: the latter's age is the export lag), read from
 * PostgreSQL every few seconds rather than on each scrape, so a slow database never stalls
 * /q/metrics.
 */
@ApplicationScoped
public class OutboxMetrics {

    private record Depth(String table, AtomicLong pending, AtomicLong dead, AtomicLong oldestPendingSeconds) {
        Depth(String table) {
            this(table, new AtomicLong(), new AtomicLong(), new AtomicLong());
        }
    }

    private final Depth outbox = new Depth("outbox");
    private final Depth spans = new Depth("span_outbox");

    @Inject
    AgroalDataSource dataSource;

    void register(@Observes StartupEvent start, MeterRegistry registry) {
        register(registry, outbox, "correlator.outbox", "Rows");
        register(registry, spans, "correlator.telemetry", "Spans");
    }

    private static void register(MeterRegistry registry, Depth depth, String prefix, String what) {
        Gauge.builder(prefix + ".pending", depth.pending(), AtomicLong::get)
                .description(what + " waiting in the queue")
                .register(registry);
        Gauge.builder(prefix + ".dead", depth.dead(), AtomicLong::get)
                .description(what + " that will not be retried (see last_error)")
                .register(registry);
        Gauge.builder(prefix + ".oldest.pending.seconds", depth.oldestPendingSeconds(), AtomicLong::get)
                .description("Age of the oldest waiting row")
                .register(registry);
    }

    @Scheduled(
            every = "${correlator.outbox.metrics-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refresh() {
        try (Connection connection = dataSource.getConnection()) {
            for (Depth depth : new Depth[] {outbox, spans}) {
                Sql.one(connection, """
                        select count(*) filter (where status = 'pending'),
                               count(*) filter (where status = 'dead'),
                               coalesce(extract(epoch from now() - min(created_at) filter (where status = 'pending')), 0)
                          from %s where status <> 'done'""".formatted(depth.table()), row -> {
                    depth.pending().set(row.getLong(1));
                    depth.dead().set(row.getLong(2));
                    depth.oldestPendingSeconds().set(row.getLong(3));
                    return null;
                });
            }
        } catch (SQLException e) {
            // Keep the last values; the health check reports the database.
        }
    }
}
