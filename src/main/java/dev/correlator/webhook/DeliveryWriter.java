package dev.correlator.webhook;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.MDC;

import dev.correlator.change.BatchReads;
import dev.correlator.change.DeliveryProjector;
import dev.correlator.db.Pipeline;
import dev.correlator.db.Sql;
import dev.correlator.model.ModelRows;
import dev.correlator.model.ModelWriter;
import dev.correlator.payload.GitHubPayloads;
import dev.correlator.payload.ReceivedDelivery;

/**
 * Writes one prepared delivery on the caller's transaction: the inbox row, then the model rows
 * its projector derives. A delivery id already stored (and not rejected) writes nothing.
 */
@ApplicationScoped
public class DeliveryWriter {

    // A delivery id stored before is kept as it was, unless it was rejected: then it is validated
    // and stored again.
    private static final String AGAIN_IF_REJECTED = """
            on conflict (id) do update
               set event = excluded.event, action = excluded.action, installation_id = excluded.installation_id,
                   repository_id = excluded.repository_id, repository_full_name = excluded.repository_full_name,
                   outcome = excluded.outcome, detail = excluded.detail, received_at = excluded.received_at,
                   body = excluded.body
             where delivery.outcome = 'rejected'
            """;

    private static final String STORE = """
            insert into delivery (id, event, action, installation_id, repository_id, repository_full_name,
                                  outcome, detail, received_at, body)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """ + AGAIN_IF_REJECTED;

    @Inject
    ModelWriter model;

    /**
     * Writes a batch of deliveries on the caller's transaction and commits it, in two round
     * trips when it holds no installation event: the reads (installation states, what the
     * projectors prefetch) with the inbox rows, then every model row and the commit.
     */
    List<IntakeResult> write(Connection connection, List<PreparedDelivery> batch) throws SQLException {
        BatchReads reads = new BatchReads(connection);
        Map<Long, String> states = new HashMap<>();
        readInstallationStates(reads, batch, states);
        Map<DeliveryProjector<GitHubPayloads.Event, Object>, Object> known = prefetch(batch, reads);
        List<IntakeResult> results = new ArrayList<>(batch.size());
        ModelRows rows = new ModelRows();
        Pipeline last = new Pipeline();
        if (batch.stream().anyMatch(p -> p.delivery().event().startsWith("installation"))) {
            // What an installation event changes decides how the deliveries after it are stored.
            reads.run();
            for (PreparedDelivery prepared : batch) {
                MDC.put("delivery", prepared.delivery().id());
                results.add(write(connection, prepared, known, states, rows));
            }
        } else {
            Set<String> stored = new HashSet<>();
            storeAll(reads, batch, stored);
            reads.run();
            for (PreparedDelivery prepared : batch) {
                ReceivedDelivery delivery = prepared.delivery();
                MDC.put("delivery", delivery.id());
                String inactive = prepared.ignoredBecause() != null
                        ? null
                        : inactiveInstallation(
                                delivery.event(), prepared.payload().installationId(), states);
                if (!stored.contains(delivery.id())) {
                    results.add(result(delivery, DeliveryOutcome.DUPLICATE, "this delivery was stored before"));
                } else if (prepared.ignoredBecause() != null) {
                    results.add(result(delivery, DeliveryOutcome.IGNORED, prepared.ignoredBecause()));
                } else if (inactive != null) {
                    // Stored as processed before the installation's state was known.
                    last.update(MARK_IGNORED, DeliveryOutcome.IGNORED.column(), inactive, delivery.id());
                    results.add(result(delivery, DeliveryOutcome.IGNORED, inactive));
                } else {
                    rows.addAll(project(prepared, known));
                    results.add(result(delivery, DeliveryOutcome.PROCESSED, null));
                }
            }
        }
        MDC.remove("delivery");
        Pipeline trip = new Pipeline();
        model.write(connection, rows, trip);
        trip.append(last).update("commit").run(connection);
        return results;
    }

    private static final String MARK_IGNORED = "update delivery set outcome = ?, detail = ? where id = ?";

    /**
     * Queues the inbox rows of the whole batch as one statement with the batch's reads; the ids
     * that were new (or rejected before) land in {@code stored}.
     */
    private static void storeAll(BatchReads reads, List<PreparedDelivery> batch, Set<String> stored)
            throws SQLException {
        Connection connection = reads.connection();
        int size = batch.size();
        String[] ids = new String[size];
        String[] events = new String[size];
        String[] actions = new String[size];
        Long[] installations = new Long[size];
        Long[] repositoryIds = new Long[size];
        String[] repositoryNames = new String[size];
        String[] outcomes = new String[size];
        String[] details = new String[size];
        String[] receivedAt = new String[size];
        byte[][] bodies = new byte[size][];
        for (int i = 0; i < size; i++) {
            PreparedDelivery prepared = batch.get(i);
            GitHubPayloads.Event payload = prepared.payload();
            ids[i] = prepared.delivery().id();
            events[i] = prepared.delivery().event();
            actions[i] = payload.action();
            installations[i] = payload.installationId();
            repositoryIds[i] =
                    payload.repository() == null ? null : payload.repository().id();
            repositoryNames[i] =
                    payload.repository() == null ? null : payload.repository().fullName();
            outcomes[i] =
                    (prepared.ignoredBecause() == null ? DeliveryOutcome.PROCESSED : DeliveryOutcome.IGNORED).column();
            details[i] = prepared.ignoredBecause();
            receivedAt[i] = prepared.delivery().receivedAt().toString();
            bodies[i] = prepared.delivery().body();
        }
        reads.pipeline()
                .query(
                        """
                insert into delivery (id, event, action, installation_id, repository_id, repository_full_name,
                                      outcome, detail, received_at, body)
                select * from unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[],
                                     ?::text[], ?::text[], ?::timestamptz[], ?::bytea[])
                """ + AGAIN_IF_REJECTED + " returning id",
                        rows -> {
                            while (rows.next()) {
                                stored.add(rows.getString(1));
                            }
                        },
                        connection.createArrayOf("text", ids),
                        connection.createArrayOf("text", events),
                        connection.createArrayOf("text", actions),
                        connection.createArrayOf("bigint", installations),
                        connection.createArrayOf("bigint", repositoryIds),
                        connection.createArrayOf("text", repositoryNames),
                        connection.createArrayOf("text", outcomes),
                        connection.createArrayOf("text", details),
                        connection.createArrayOf("text", receivedAt),
                        connection.createArrayOf("bytea", bodies));
    }

    @SuppressWarnings("unchecked")
    private static ModelRows project(
            PreparedDelivery prepared, Map<DeliveryProjector<GitHubPayloads.Event, Object>, Object> known) {
        DeliveryProjector<GitHubPayloads.Event, Object> projector = prepared.projector();
        return projector.project(prepared.delivery(), prepared.payload(), known.get(projector));
    }

    /**
     * One delivery of a batch that holds an installation event, stored on its own: the rows of
     * an installation event are written before the deliveries after it, which it may turn away.
     */
    private IntakeResult write(
            Connection connection,
            PreparedDelivery prepared,
            Map<DeliveryProjector<GitHubPayloads.Event, Object>, Object> known,
            Map<Long, String> states,
            ModelRows rows)
            throws SQLException {
        ReceivedDelivery delivery = prepared.delivery();
        GitHubPayloads.Event payload = prepared.payload();
        String why = prepared.ignoredBecause() != null
                ? prepared.ignoredBecause()
                : inactiveInstallation(delivery.event(), payload.installationId(), states);
        if (why != null) {
            boolean stored = store(connection, delivery, payload, DeliveryOutcome.IGNORED, why);
            return result(delivery, stored ? DeliveryOutcome.IGNORED : DeliveryOutcome.DUPLICATE, why);
        }
        if (!store(connection, delivery, payload, DeliveryOutcome.PROCESSED, null)) {
            return result(delivery, DeliveryOutcome.DUPLICATE, "this delivery was stored before");
        }
        rows.addAll(project(prepared, known));
        // An installation event changes what later deliveries of the batch are (ignored or not).
        if (delivery.event().startsWith("installation")) {
            Pipeline trip = new Pipeline();
            model.write(connection, rows, trip);
            trip.query(
                    "select state from installation where id = ?",
                    found -> states.put(payload.installationId(), found.next() ? found.getString(1) : "active"),
                    payload.installationId());
            trip.run(connection);
            rows.clear();
        }
        return result(delivery, DeliveryOutcome.PROCESSED, null);
    }

    private static final String REPLAYED = """
            update delivery set action = ?, installation_id = ?, repository_id = ?, repository_full_name = ?,
                                outcome = ?, detail = ?, replayed_at = now()
             where id = ?""";

    /**
     * Runs a stored delivery through its projector again, on the caller's transaction, as if it
     * had just arrived: what the App does with it is decided anew (the installation may have been
     * active since, a projector fixed). Projectors are idempotent, so what the first run wrote
     * is written once.
     */
    IntakeResult replay(Connection connection, PreparedDelivery prepared) throws SQLException {
        ReceivedDelivery delivery = prepared.delivery();
        GitHubPayloads.Event payload = prepared.payload();
        BatchReads reads = new BatchReads(connection);
        Map<Long, String> states = new HashMap<>();
        readInstallationStates(reads, List.of(prepared), states);
        Map<DeliveryProjector<GitHubPayloads.Event, Object>, Object> known = prefetch(List.of(prepared), reads);
        reads.run();
        String why = prepared.ignoredBecause() != null
                ? prepared.ignoredBecause()
                : inactiveInstallation(delivery.event(), payload.installationId(), states);
        DeliveryOutcome outcome = why == null ? DeliveryOutcome.PROCESSED : DeliveryOutcome.IGNORED;
        GitHubPayloads.Repository repository = payload.repository();
        Pipeline trip = new Pipeline()
                .update(
                        REPLAYED,
                        payload.action(),
                        payload.installationId(),
                        repository == null ? null : repository.id(),
                        repository == null ? null : repository.fullName(),
                        outcome.column(),
                        why,
                        delivery.id());
        if (why == null) {
            model.write(connection, project(prepared, known), trip);
        }
        trip.run(connection);
        return result(delivery, outcome, why);
    }

    /** A stored body that no longer passes validation (a stricter reader since it was accepted). */
    void replayRejected(Connection connection, String id, String why) throws SQLException {
        Sql.update(
                connection,
                "update delivery set outcome = 'rejected', detail = ?, replayed_at = now() where id = ?",
                why,
                id);
    }

    /** Each projector's prefetch, once for all of the batch's deliveries it will project. */
    private static Map<DeliveryProjector<GitHubPayloads.Event, Object>, Object> prefetch(
            List<PreparedDelivery> batch, BatchReads reads) throws SQLException {
        Map<DeliveryProjector<GitHubPayloads.Event, Object>, List<GitHubPayloads.Event>> byProjector =
                new LinkedHashMap<>();
        for (PreparedDelivery prepared : batch) {
            if (prepared.projector() != null && prepared.ignoredBecause() == null) {
                byProjector
                        .computeIfAbsent(prepared.projector(), p -> new ArrayList<>())
                        .add(prepared.payload());
            }
        }
        Map<DeliveryProjector<GitHubPayloads.Event, Object>, Object> known = new HashMap<>();
        for (var entry : byProjector.entrySet()) {
            known.put(entry.getKey(), entry.getKey().prefetch(entry.getValue(), reads));
        }
        return known;
    }

    /** Queues a read of the state of every installation the batch names. */
    private static void readInstallationStates(BatchReads reads, List<PreparedDelivery> batch, Map<Long, String> states)
            throws SQLException {
        Set<Long> ids = new HashSet<>();
        for (PreparedDelivery prepared : batch) {
            if (prepared.payload().installationId() != null) {
                ids.add(prepared.payload().installationId());
            }
        }
        if (!ids.isEmpty()) {
            reads.pipeline()
                    .query(
                            "select id, state from installation where id = any (?)",
                            rows -> {
                                while (rows.next()) {
                                    states.put(rows.getLong(1), rows.getString(2));
                                }
                            },
                            reads.connection().createArrayOf("bigint", ids.toArray()));
        }
    }

    /**
     * Records a body that is not what GitHub sends, for diagnosis. A delivery id that was
     * accepted before keeps its accepted row: the answer is then "duplicate".
     */
    IntakeResult reject(Connection connection, ReceivedDelivery delivery, String why) throws SQLException {
        boolean stored = store(connection, delivery, null, DeliveryOutcome.REJECTED, why);
        return result(
                delivery,
                stored ? DeliveryOutcome.REJECTED : DeliveryOutcome.DUPLICATE,
                stored ? why : "this delivery was stored before");
    }

    /** Deliveries for an uninstalled or suspended App are kept, but not projected. */
    private static String inactiveInstallation(String event, Long installation, Map<Long, String> states) {
        if (installation == null || event.startsWith("installation")) {
            return null;
        }
        String state = states.get(installation);
        return state == null || state.equals("active") ? null : "installation " + installation + " is " + state;
    }

    private static boolean store(
            Connection connection,
            ReceivedDelivery delivery,
            GitHubPayloads.Event payload,
            DeliveryOutcome outcome,
            String detail)
            throws SQLException {
        GitHubPayloads.Repository repository = payload == null ? null : payload.repository();
        return Sql.update(
                        connection,
                        STORE,
                        delivery.id(),
                        delivery.event(),
                        payload == null ? null : payload.action(),
                        payload == null ? null : payload.installationId(),
                        repository == null ? null : repository.id(),
                        repository == null ? null : repository.fullName(),
                        outcome.column(),
                        detail,
                        delivery.receivedAt(),
                        delivery.body())
                == 1;
    }

    private static IntakeResult result(ReceivedDelivery delivery, DeliveryOutcome outcome, String detail) {
        return new IntakeResult(delivery.id(), delivery.event(), outcome, detail);
    }
}
