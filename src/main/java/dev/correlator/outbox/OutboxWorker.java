package dev.correlator.outbox;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

import dev.correlator.CorrelatorConfig;
import dev.correlator.db.DatabaseOutage;
import dev.correlator.db.Sql;
import dev.correlator.db.Transactions;

/**
 * Drains the queue. Rows are claimed with a lease in a short transaction ({@code FOR UPDATE
 * SKIP LOCKED}, so replicas never take the same row), worked on with no transaction open, then
 * completed in another short transaction that checks the lease is still ours.
 */
@ApplicationScoped
public class OutboxWorker {

    private static final Logger LOG = Logger.getLogger(OutboxWorker.class);

    private static final String CLAIM = """
            update outbox set claimed_by = ?, claimed_until = now() + make_interval(secs => ?),
                              attempts = attempts + 1
             where id in (select id from outbox
                           where status = 'pending' and available_at <= now()
                             and (claimed_until is null or claimed_until < now())
                           order by available_at, id
                           limit ?
                           for update skip locked)
            returning id, kind, dedup_key, installation_id, payload::text, attempts, version, created_at""";

    private static final String DONE = """
            update outbox set status = 'done', finished_at = now(), claimed_by = null, claimed_until = null,
                              last_error = null
             where id = ? and claimed_by = ? and version = ?""";

    private static final String RELEASE = """
            update outbox set claimed_by = null, claimed_until = null, attempts = 0
             where id = ? and claimed_by = ?""";

    private static final String FAILED = """
            update outbox set claimed_by = null, claimed_until = null, last_error = ?, available_at = ?,
                              status = ?, finished_at = case when ? = 'dead' then now() end,
                              attempts = attempts - ?
             where id = ? and claimed_by = ?""";

    private static final String PAUSE_INSTALLATION = """
            update outbox set available_at = ?
             where installation_id = ? and status = 'pending' and available_at < ? and claimed_by is null""";

    private final Map<String, OutboxHandler> handlers = new HashMap<>();

    @Inject
    CorrelatorConfig config;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    @Inject
    Clock clock;

    @Inject
    OutboxWorker(Instance<OutboxHandler> all) {
        for (OutboxHandler handler : all) {
            handlers.put(handler.kind(), handler);
        }
    }

    void announce(@Observes StartupEvent start) {
        if (!config.outbox().enabled()) {
            LOG.warn("The outbox worker is off (correlator.outbox.enabled=false): work for GitHub waits in the queue");
        }
    }

    @Scheduled(
            every = "${correlator.outbox.poll-interval}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.outbox().enabled()) {
            return;
        }
        try {
            drain(50);
        } catch (RuntimeException e) {
            if (DatabaseOutage.causedBy(e)) {
                LOG.warnf("Outbox paused, database unavailable: %s", e.getMessage());
            } else {
                LOG.error("Outbox worker failed", e);
            }
        }
    }

    /** Works through ready rows, a batch at a time, for at most the given number of batches. */
    public int drain(int maxBatches) {
        int done = 0;
        for (int batch = 0; batch < maxBatches; batch++) {
            String claim = UUID.randomUUID().toString();
            List<OutboxTask> tasks = claim(claim);
            for (OutboxTask task : tasks) {
                work(task, claim);
                done++;
            }
            if (tasks.size() < config.outbox().batchSize()) {
                break;
            }
        }
        return done;
    }

    private List<OutboxTask> claim(String claim) {
        return Transactions.inTransaction(
                dataSource,
                connection -> Sql.list(
                        connection,
                        CLAIM,
                        row -> new OutboxTask(
                                row.getLong(1),
                                row.getString(2),
                                row.getString(3),
                                Sql.nullableLong(row, "installation_id"),
                                readJson(row.getString(5)),
                                row.getInt(6),
                                row.getInt(7),
                                Sql.instant(row, "created_at")),
                        claim,
                        config.outbox().lease().toSeconds(),
                        config.outbox().batchSize()));
    }

    private void work(OutboxTask task, String claim) {
        OutboxHandler handler = handlers.get(task.kind());
        try {
            if (handler == null) {
                throw new GiveUp("no handler for kind '" + task.kind() + "'");
            }
            OutboxHandler.Completion completion = handler.perform(task);
            boolean closed = Transactions.inTransaction(dataSource, connection -> {
                if (Sql.update(connection, DONE, task.id(), claim, task.version()) == 1) {
                    completion.apply(connection);
                    return true;
                }
                // Asked for again meanwhile, or the lease ran out and another worker has it.
                Sql.update(connection, RELEASE, task.id(), claim);
                return false;
            });
            count(task, closed ? "done" : "superseded");
        } catch (GiveUp e) {
            LOG.warnf("Outbox %s #%d given up: %s", task.kind(), task.id(), e.getMessage());
            fail(task, claim, "gave up: " + e.getMessage(), clock.instant(), true, false);
            count(task, "given-up");
        } catch (RetryLater e) {
            Instant next =
                    e.notBefore() != null ? e.notBefore() : clock.instant().plus(backoff(task.attempts()));
            // Waiting out a rate limit is not a failure of the work: it does not use up an attempt.
            boolean dead =
                    !e.rateLimited() && task.attempts() >= config.outbox().maxAttempts();
            LOG.infof("Outbox %s #%d retried after %s: %s", task.kind(), task.id(), next, e.getMessage());
            fail(task, claim, e.getMessage(), next, dead, e.rateLimited());
            count(task, dead ? "dead" : "retry");
        } catch (Exception e) {
            boolean dead = task.attempts() >= config.outbox().maxAttempts();
            LOG.warnf(e, "Outbox %s #%d failed (attempt %d)", task.kind(), task.id(), task.attempts());
            fail(
                    task,
                    claim,
                    String.valueOf(e.getMessage()),
                    clock.instant().plus(backoff(task.attempts())),
                    dead,
                    false);
            count(task, dead ? "dead" : "retry");
        }
    }

    private void fail(OutboxTask task, String claim, String error, Instant next, boolean dead, boolean refund) {
        String status = dead ? "dead" : "pending";
        Transactions.inTransaction(dataSource, connection -> {
            Sql.update(connection, FAILED, truncate(error), next, status, status, refund ? 1 : 0, task.id(), claim);
            if (refund && task.installationId() != null) {
                // GitHub's limits are per installation: its other work would only be refused too.
                Sql.update(connection, PAUSE_INSTALLATION, next, task.installationId(), next);
            }
            return null;
        });
    }

    Duration backoff(int attempts) {
        return Backoff.after(
                attempts, config.outbox().initialBackoff(), config.outbox().maxBackoff());
    }

    private void count(OutboxTask task, String result) {
        metrics.counter("correlator.outbox.tasks", "kind", task.kind(), "result", result)
                .increment();
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("Unreadable outbox payload", e);
        }
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 2000 ? text : text.substring(0, 2000);
    }
}
