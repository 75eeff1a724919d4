package dev.correlator.webhook;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

import dev.correlator.CorrelatorConfig;
import dev.correlator.db.ClusterJob;
import dev.correlator.db.Sql;
import dev.correlator.github.GitHubApi;
import dev.correlator.github.GitHubWrites;
import dev.correlator.outbox.GiveUp;
import dev.correlator.outbox.RetryLater;

/**
 * GitHub never retries a failed delivery. This job reads the App's delivery log
 * ({@code GET /app/hook/deliveries}, as the App), groups the attempts by guid, and for every
 * guid with no successful attempt that is not in the inbox asks GitHub to deliver it again
 * ({@code POST /app/hook/deliveries/{id}/attempts}), once. Where the last scan got to is stored,
 * so a restart resumes; a scan asks for at most {@code max-per-scan} redeliveries and stops at a
 * rate limit.
 */
@ApplicationScoped
public class MissedDeliveries {

    private static final Logger LOG = Logger.getLogger(MissedDeliveries.class);

    private static final String CHECKPOINT = "missed-deliveries";

    /** One attempt in GitHub's log. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Attempt(
            long id,
            String guid,
            Instant deliveredAt,
            Boolean redelivery,
            String status,
            Integer statusCode,
            String event,
            String action) {

        boolean succeeded() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    /** What one scan did. */
    public record Scan(int attemptsRead, int missed, int requested, int alreadyRequested) {}

    @Inject
    GitHubApi github;

    @Inject
    GitHubWrites writes;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CorrelatorConfig config;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry metrics;

    @Scheduled(
            every = "${correlator.redelivery.interval}",
            delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.outbox().enabled()) {
            return; // replicas that only take deliveries do not call GitHub
        }
        ClusterJob.run(dataSource, LOG, "Missed deliveries scan", () -> {
            try {
                Scan scan = scan();
                if (scan.requested() > 0) {
                    LOG.infof("Missed deliveries: %s", scan);
                }
            } catch (RetryLater | GiveUp e) {
                LOG.warnf("Missed deliveries not checked, GitHub's delivery log unavailable: %s", e.getMessage());
            }
        });
    }

    public Scan scan() {
        Instant now = clock.instant();
        Instant oldest = now.minus(config.redelivery().window());
        Instant checkpoint = checkpoint();
        if (checkpoint != null
                && checkpoint.minus(config.redelivery().overlap()).isAfter(oldest)) {
            oldest = checkpoint.minus(config.redelivery().overlap());
        }
        // The log is newest first: read until the page reaches what the last scan covered.
        List<Attempt> attempts = new ArrayList<>();
        String next = "/app/hook/deliveries?per_page=100";
        try {
            for (int page = 0; page < config.redelivery().maxPages() && next != null; page++) {
                GitHubApi.Page<Attempt[]> answer = github.appPage(next, Attempt[].class);
                boolean older = false;
                for (Attempt attempt : answer.value()) {
                    if (attempt.deliveredAt() == null || attempt.deliveredAt().isBefore(oldest)) {
                        older = true;
                    } else {
                        attempts.add(attempt);
                    }
                }
                next = older ? null : answer.next();
            }
        } catch (RetryLater | GiveUp e) {
            count("scan_failed", 1);
            throw e;
        }

        Map<String, List<Attempt>> byGuid = new LinkedHashMap<>();
        attempts.forEach(
                a -> byGuid.computeIfAbsent(a.guid(), g -> new ArrayList<>()).add(a));
        Map<String, Attempt> missed = new LinkedHashMap<>();
        byGuid.forEach((guid, tries) -> {
            if (guid != null && tries.stream().noneMatch(Attempt::succeeded)) {
                missed.put(
                        guid,
                        tries.stream()
                                .max(Comparator.comparing(Attempt::deliveredAt))
                                .orElseThrow());
            }
        });
        Set<String> known = known(missed.keySet());
        int requested = 0;
        int alreadyRequested = 0;
        int toRequest = 0;
        for (Map.Entry<String, Attempt> entry : missed.entrySet()) {
            if (known.contains(entry.getKey())) {
                alreadyRequested++;
                continue;
            }
            toRequest++;
            if (requested >= config.redelivery().maxPerScan()) {
                continue; // the next scan takes it: the checkpoint below stays before it
            }
            Attempt attempt = entry.getValue();
            try {
                int status = writes.redeliver(attempt.id());
                record(attempt, status, now);
                requested++;
            } catch (RetryLater e) {
                LOG.infof("Redeliveries paused: %s", e.getMessage());
                break;
            } catch (GiveUp e) {
                record(attempt, -1, now); // GitHub refuses this one (gone from its log): do not ask again
                LOG.warnf("Delivery %s cannot be redelivered: %s", entry.getKey(), e.getMessage());
            }
        }
        count("requested", requested);
        // Resume from the newest attempt read, unless some missed ones still wait for their turn.
        if (requested == toRequest) {
            attempts.stream()
                    .map(Attempt::deliveredAt)
                    .max(Comparator.naturalOrder())
                    .ifPresent(this::saveCheckpoint);
        }
        return new Scan(attempts.size(), missed.size(), requested, alreadyRequested);
    }

    private void count(String result, int n) {
        if (n > 0) {
            metrics.counter("correlator_redeliveries_total", "result", result).increment(n);
        }
    }

    /** The guids the inbox holds or a redelivery was already asked for. */
    private Set<String> known(Set<String> guids) {
        Set<String> known = new HashSet<>();
        if (guids.isEmpty()) {
            return known;
        }
        try (Connection connection = dataSource.getConnection()) {
            known.addAll(Sql.list(
                    connection,
                    """
                    select id from delivery where id = any (?)
                    union select guid from redelivery where guid = any (?)""",
                    row -> row.getString(1),
                    connection.createArrayOf("text", guids.toArray()),
                    connection.createArrayOf("text", guids.toArray())));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return known;
    }

    private void record(Attempt attempt, int answer, Instant now) {
        try (Connection connection = dataSource.getConnection()) {
            Sql.update(connection, """
                    insert into redelivery (guid, attempt_id, event, requested_at, answer) values (?, ?, ?, ?, ?)
                    on conflict (guid) do nothing""", attempt.guid(), attempt.id(), attempt.event(), now, answer);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Instant checkpoint() {
        try (Connection connection = dataSource.getConnection()) {
            return Sql.one(
                            connection,
                            "select position from job_checkpoint where name = ?",
                            row -> Sql.instant(row, "position"),
                            CHECKPOINT)
                    .orElse(null);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void saveCheckpoint(Instant position) {
        try (Connection connection = dataSource.getConnection()) {
            Sql.update(connection, """
                    insert into job_checkpoint (name, position, updated_at) values (?, ?, now())
                    on conflict (name) do update set position = greatest(job_checkpoint.position, excluded.position),
                                                     updated_at = now()""", CHECKPOINT, position);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
