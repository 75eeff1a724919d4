package dev.correlator.telemetry;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SpanLimits;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

import dev.correlator.CorrelatorConfig;
import dev.correlator.db.DatabaseOutage;
import dev.correlator.db.Sql;
import dev.correlator.outbox.Backoff;

/**
 * Exports queued spans. A worker claims a batch with a lease in a short transaction
 * ({@code FOR UPDATE SKIP LOCKED}: replicas never take the same rows while the lease holds),
 * sends it with no transaction open, then marks the rows it still holds as exported, or puts
 * them back with a delay: the backend's Retry-After when it gave one, else exponential backoff
 * with jitter. A batch the backend refuses for what it carries is halved until the rows it
 * refuses are alone; only those are dead. A worker that dies mid-export leaves its rows to the next one when the lease
 * runs out, so a span may reach the backend twice, always with the same ids.
 */
@ApplicationScoped
public class SpanExportWorker {

    private static final Logger LOG = Logger.getLogger(SpanExportWorker.class);

    private static final String CLAIM = """
            update span_outbox set claimed_by = ?, claimed_until = now() + make_interval(secs => ?),
                                   attempts = attempts + 1
             where span_id in (select span_id from span_outbox
                                where status = 'pending' and available_at <= now()
                                  and (claimed_until is null or claimed_until < now())
                                order by available_at
                                limit ?
                                for update skip locked)
            returning span_id, span, attempts""";

    private static final String EXPORTED = """
            update span_outbox set status = 'done', exported_at = now(), claimed_by = null, claimed_until = null,
                                   last_error = null
             where span_id = any (?) and claimed_by = ?""";

    // Rows older than the give-up age become dead instead of waiting again.
    private static final String RETRY = """
            update span_outbox set claimed_by = null, claimed_until = null, last_error = ?, available_at = ?,
                                   status = case when created_at < ? then 'dead' else 'pending' end
             where span_id = any (?) and claimed_by = ?
            returning status""";

    private static final String REFUSED = """
            update span_outbox set claimed_by = null, claimed_until = null, last_error = ?, status = 'dead'
             where span_id = any (?) and claimed_by = ?""";

    private static final InstrumentationScopeInfo SCOPE =
            InstrumentationScopeInfo.builder("dev.correlator.changes").build();

    @Inject
    CorrelatorConfig config;

    @Inject
    TelemetrySettings settings;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry metrics;

    @Inject
    Clock clock;

    private final Map<String, Resource> resources = new ConcurrentHashMap<>();
    private SpanLimits limits;

    @PostConstruct
    void limits() {
        limits = SpanLimits.builder()
                .setMaxAttributeValueLength(config.telemetry().maxAttributeLength())
                .build();
    }

    private volatile SpanSender sender;

    @Scheduled(
            every = "${correlator.telemetry.poll-interval}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!settings.exporting() || !config.outbox().enabled()) {
            return;
        }
        try {
            drain(100);
        } catch (RuntimeException e) {
            if (DatabaseOutage.causedBy(e)) {
                LOG.warnf("Span export paused, database unavailable: %s", e.getMessage());
            } else {
                LOG.error("Span export failed", e);
            }
        }
    }

    /**
     * Exports ready spans, a batch at a time, until none are ready, a batch fails, or
     * {@code maxBatches} were sent. Returns how many rows were exported.
     */
    public int drain(int maxBatches) {
        int exported = 0;
        for (int i = 0; i < maxBatches; i++) {
            Batch batch = claim(UUID.randomUUID().toString());
            if (batch.rows().isEmpty()) {
                break;
            }
            Exported result = export(batch);
            exported += result.rows();
            if (!result.goOn()) {
                break; // the backend is not taking spans now; the rows wait for their retry time
            }
            if (batch.rows().size() < config.telemetry().batchSize()) {
                break;
            }
        }
        return exported;
    }

    private record Batch(String claim, List<QueuedSpan> rows, int attempts) {}

    private Batch claim(String claim) {
        try (Connection connection = dataSource.getConnection()) {
            List<QueuedSpan> rows = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            int[] attempts = {0};
            Sql.list(
                    connection,
                    CLAIM,
                    row -> {
                        try {
                            rows.add(json.readValue(row.getString(2), QueuedSpan.class));
                        } catch (JsonProcessingException e) {
                            unreadable.add(row.getString(1));
                        }
                        attempts[0] = Math.max(attempts[0], row.getInt(3));
                        return null;
                    },
                    claim,
                    config.telemetry().lease().toSeconds(),
                    config.telemetry().batchSize());
            if (!unreadable.isEmpty()) {
                // Only a hand-edited row can be unreadable; it must not hold up the others.
                Sql.update(
                        connection,
                        REFUSED,
                        "unreadable span",
                        connection.createArrayOf("text", unreadable.toArray()),
                        claim);
                count("dead", unreadable.size());
            }
            return new Batch(claim, rows, attempts[0]);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What came of a batch: how many of its rows were exported, and whether to go on with the next one. */
    private record Exported(int rows, boolean goOn) {}

    private Exported export(Batch batch) {
        Set<String> sent = new LinkedHashSet<>();
        Map<String, String> refused = new LinkedHashMap<>();
        ExportOutcome.Retry retry = send(batch.rows(), sent, refused);
        try (Connection connection = dataSource.getConnection()) {
            if (!sent.isEmpty()) {
                // A lease that ran out meanwhile leaves the rows to the worker that took them over.
                Sql.update(connection, EXPORTED, connection.createArrayOf("text", sent.toArray()), batch.claim());
                count("exported", sent.size());
            }
            for (Map.Entry<String, String> row : refused.entrySet()) {
                Sql.update(
                        connection,
                        REFUSED,
                        row.getValue(),
                        connection.createArrayOf("text", new String[] {row.getKey()}),
                        batch.claim());
                LOG.warnf(
                        "The backend refused span %s on its own; it is kept as dead: %s", row.getKey(), row.getValue());
            }
            count("dead", refused.size());
            if (retry == null) {
                return new Exported(sent.size(), true);
            }
            String[] waiting = batch.rows().stream()
                    .map(QueuedSpan::spanId)
                    .filter(id -> !sent.contains(id) && !refused.containsKey(id))
                    .toArray(String[]::new);
            Instant now = clock.instant();
            Duration wait = retry.after() != null ? retry.after() : backoff(batch.attempts());
            List<String> statuses = Sql.list(
                    connection,
                    RETRY,
                    row -> row.getString(1),
                    retry.reason(),
                    now.plus(wait),
                    now.minus(config.telemetry().giveUpAfter()),
                    connection.createArrayOf("text", waiting),
                    batch.claim());
            long dead = statuses.stream().filter("dead"::equals).count();
            count("retry", statuses.size() - dead);
            count("dead", dead);
            LOG.infof("Span export of %d spans retried after %s: %s", waiting.length, wait, retry.reason());
            return new Exported(sent.size(), false);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends the rows in one request. When the backend refuses the request for what it carries
     * (too large, or a span it cannot take), each half is sent on its own, down to single rows,
     * so that only a row the backend refuses by itself is dead. Stops at the first answer that is
     * not about the request (the backend is not taking spans now) and returns it: the rows not
     * sent yet wait for their retry.
     */
    private ExportOutcome.Retry send(List<QueuedSpan> rows, Set<String> sent, Map<String, String> refused) {
        List<SpanData> spans = new ArrayList<>();
        for (QueuedSpan span : rows) {
            QueuedSpanData.flatten(span, resource(span.organization()), SCOPE, limits, spans);
        }
        ExportOutcome outcome;
        try {
            outcome = sender().send(spans);
        } catch (RuntimeException e) {
            outcome = new ExportOutcome.Retry(null, "export failed: " + e);
        }
        if (outcome instanceof ExportOutcome.Retry retry) {
            return retry;
        }
        if (outcome instanceof ExportOutcome.Refused refusal) {
            if (rows.size() == 1) {
                refused.put(rows.get(0).spanId(), refusal.reason());
                return null;
            }
            int half = rows.size() / 2;
            ExportOutcome.Retry retry = send(rows.subList(0, half), sent, refused);
            return retry != null ? retry : send(rows.subList(half, rows.size()), sent, refused);
        }
        rows.forEach(row -> sent.add(row.spanId()));
        return null;
    }

    Duration backoff(int attempts) {
        return Backoff.after(
                attempts,
                config.telemetry().initialBackoff(),
                config.telemetry().maxBackoff());
    }

    private Resource resource(String organization) {
        return resources.computeIfAbsent(
                organization == null ? "" : organization,
                org -> Resource.create(Attributes.builder()
                        .put(AttributeKey.stringKey("service.name"), settings.serviceName())
                        .put(AttributeKey.stringKey("service.version"), settings.serviceVersion())
                        .put(AttributeKey.stringKey("github.organization"), org)
                        .build()));
    }

    private SpanSender sender() {
        SpanSender current = sender;
        if (current == null) {
            synchronized (this) {
                if (sender == null) {
                    sender = TelemetrySettings.GRPC.equals(settings.protocol())
                            ? new GrpcSender(
                                    settings.endpoint(),
                                    settings.headers(),
                                    config.telemetry().timeout())
                            : new HttpProtobufSender(
                                    settings.endpoint(),
                                    settings.headers(),
                                    config.telemetry().timeout(),
                                    clock);
                }
                current = sender;
            }
        }
        return current;
    }

    private void count(String result, long spans) {
        if (spans > 0) {
            metrics.counter("correlator.telemetry.spans", "result", result).increment(spans);
        }
    }

    @PreDestroy
    void close() {
        if (sender != null) {
            sender.close();
        }
    }
}
