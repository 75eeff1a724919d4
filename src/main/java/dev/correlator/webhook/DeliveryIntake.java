package dev.correlator.webhook;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.correlator.db.Sql;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Stores a verified delivery in the inbox and projects it, in one transaction that commits
 * before GitHub gets its answer. Parsing happens before the transaction opens, so a malformed
 * body never holds a connection.
 */
@ApplicationScoped
public class DeliveryIntake {

    private static final Logger LOG = Logger.getLogger(DeliveryIntake.class);

    private static final String STORE = """
            insert into delivery (id, event, action, installation_id, repository_id, repository_full_name,
                                  outcome, detail, received_at, body)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (id) do update
               set event = excluded.event, action = excluded.action, installation_id = excluded.installation_id,
                   repository_id = excluded.repository_id, repository_full_name = excluded.repository_full_name,
                   outcome = excluded.outcome, detail = excluded.detail, received_at = excluded.received_at,
                   body = excluded.body
             where delivery.outcome = 'rejected'
            """;

    private final Map<String, DeliveryProjector<?>> projectors = new HashMap<>();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    WebhookPayloadReader reader;

    @Inject
    MeterRegistry metrics;

    @Inject
    DeliveryIntake(Instance<DeliveryProjector<?>> all) {
        for (DeliveryProjector<?> projector : all) {
            for (String event : projector.events()) {
                projectors.put(event, projector);
            }
        }
    }

    public IntakeResult receive(ReceivedDelivery delivery) {
        IntakeResult result = receiveUncounted(delivery);
        metrics.counter("correlator.deliveries", "event", GitHubEventNames.metricTag(delivery.event()),
                "outcome", result.outcome().column()).increment();
        return result;
    }

    private IntakeResult receiveUncounted(ReceivedDelivery delivery) {
        DeliveryProjector<?> projector = projectors.get(delivery.event());
        try {
            return projector == null ? receiveUnused(delivery) : receiveWith(projector, delivery);
        } catch (MalformedPayloadException e) {
            LOG.warnf("Rejected: %s", e.getMessage());
            return reject(delivery, e.getMessage());
        }
    }

    private IntakeResult receiveUnused(ReceivedDelivery delivery) {
        GitHubPayloads.Envelope envelope = reader.read(delivery.body(), GitHubPayloads.Envelope.class);
        String why = GitHubEventNames.KNOWN.contains(delivery.event())
                ? "the App does not use '" + delivery.event() + "' events"
                : "'" + delivery.event() + "' is not an event GitHub documents";
        Long installation = envelope.installationId();
        return inTransaction(() -> {
            try (Connection connection = dataSource.getConnection()) {
                boolean stored = store(connection, delivery, envelope.action(), installation, envelope.repository(),
                        DeliveryOutcome.IGNORED, why);
                return result(delivery, stored ? DeliveryOutcome.IGNORED : DeliveryOutcome.DUPLICATE, why);
            }
        });
    }

    private <T extends GitHubPayloads.Event> IntakeResult receiveWith(DeliveryProjector<T> projector, ReceivedDelivery delivery) {
        T payload = reader.read(delivery.body(), projector.payloadType());
        projector.validate(delivery.event(), payload);
        Long installation = payload.installationId();
        String action = payload.action();
        GitHubPayloads.Repository repository = payload.repository();
        String unused = projector.ignoredBecause(delivery.event(), payload);

        return inTransaction(() -> {
            try (Connection connection = dataSource.getConnection()) {
                String why = unused != null ? unused : inactiveInstallation(connection, delivery.event(), installation);
                if (why != null) {
                    boolean stored = store(connection, delivery, action, installation, repository,
                            DeliveryOutcome.IGNORED, why);
                    return result(delivery, stored ? DeliveryOutcome.IGNORED : DeliveryOutcome.DUPLICATE, why);
                }
                if (!store(connection, delivery, action, installation, repository, DeliveryOutcome.PROCESSED, null)) {
                    return result(delivery, DeliveryOutcome.DUPLICATE, "this delivery was stored before");
                }
                projector.project(delivery, payload, connection);
                return result(delivery, DeliveryOutcome.PROCESSED, null);
            }
        });
    }

    /**
     * Records a body that is not what GitHub sends, for diagnosis. A delivery id that was
     * accepted before keeps its accepted row: the answer is then "duplicate".
     */
    private IntakeResult reject(ReceivedDelivery delivery, String why) {
        return inTransaction(() -> {
            try (Connection connection = dataSource.getConnection()) {
                boolean stored = store(connection, delivery, null, null, null, DeliveryOutcome.REJECTED, why);
                return result(delivery, stored ? DeliveryOutcome.REJECTED : DeliveryOutcome.DUPLICATE,
                        stored ? why : "this delivery was stored before");
            }
        });
    }

    /**
     * Runs one delivery's transaction, again if it lost a race with a concurrent delivery
     * (a deadlock, a serialization failure, or a unique key another transaction took first):
     * the second try sees the other's rows and takes the update path.
     */
    private IntakeResult inTransaction(java.util.concurrent.Callable<IntakeResult> work) {
        for (int attempt = 1;; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(work);
            } catch (RuntimeException e) {
                if (attempt >= 3 || !lostARace(e)) {
                    throw e;
                }
                LOG.debugf("Retrying after a conflict with a concurrent delivery: %s", e.getMessage());
            }
        }
    }

    private static boolean lostARace(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && java.util.Set.of("40001", "40P01", "23505").contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Deliveries for an uninstalled or suspended App are kept, but not projected. */
    private String inactiveInstallation(Connection connection, String event, Long installation) throws SQLException {
        if (installation == null || event.startsWith("installation")) {
            return null;
        }
        Optional<String> state = Sql.one(connection, "select state from installation where id = ?",
                row -> row.getString(1), installation);
        return state.filter(s -> !s.equals("active"))
                .map(s -> "installation " + installation + " is " + s)
                .orElse(null);
    }

    private boolean store(Connection connection, ReceivedDelivery delivery, String action, Long installation,
            GitHubPayloads.Repository repository, DeliveryOutcome outcome, String detail) throws SQLException {
        return Sql.update(connection, STORE, delivery.id(), delivery.event(), action, installation,
                repository == null ? null : repository.id(), repository == null ? null : repository.fullName(),
                outcome.column(), detail, delivery.receivedAt(), delivery.body()) == 1;
    }

    private static IntakeResult result(ReceivedDelivery delivery, DeliveryOutcome outcome, String detail) {
        return new IntakeResult(delivery.id(), delivery.event(), outcome, detail);
    }
}
