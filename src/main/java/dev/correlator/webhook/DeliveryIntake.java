package dev.correlator.webhook;

import java.sql.SQLTransientConnectionException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import dev.correlator.CorrelatorConfig;
import dev.correlator.change.DeliveryProjector;
import dev.correlator.db.Transactions;
import dev.correlator.payload.GitHubPayloads;
import dev.correlator.payload.MalformedPayloadException;
import dev.correlator.payload.ReceivedDelivery;
import dev.correlator.payload.WebhookPayloadReader;

/**
 * Takes a verified delivery to the inbox: parses and validates it on the request's thread, with
 * no connection held, then hands it to the {@link IntakeBatcher} and waits until the
 * transaction holding it has committed. Only then does GitHub get its answer.
 */
@ApplicationScoped
public class DeliveryIntake {

    private static final Logger LOG = Logger.getLogger(DeliveryIntake.class);

    private final Map<String, DeliveryProjector<GitHubPayloads.Event, Object>> projectors = new HashMap<>();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    WebhookPayloadReader reader;

    @Inject
    DeliveryWriter writer;

    @Inject
    IntakeBatcher batcher;

    @Inject
    CorrelatorConfig config;

    @Inject
    MeterRegistry metrics;

    @Inject
    @SuppressWarnings("unchecked")
    DeliveryIntake(Instance<DeliveryProjector<?, ?>> all) {
        for (DeliveryProjector<?, ?> projector : all) {
            for (String event : projector.events()) {
                projectors.put(event, (DeliveryProjector<GitHubPayloads.Event, Object>) projector);
            }
        }
    }

    public IntakeResult receive(ReceivedDelivery delivery) {
        IntakeResult result;
        try {
            result = awaitCommit(batcher.submit(prepare(delivery)));
        } catch (MalformedPayloadException e) {
            LOG.warnf("Rejected: %s", e.getMessage());
            result = reject(delivery, e.getMessage());
        }
        metrics.counter(
                        "correlator.deliveries",
                        "event",
                        GitHubEventNames.metricTag(delivery.event()),
                        "outcome",
                        result.outcome().column())
                .increment();
        return result;
    }

    PreparedDelivery prepare(ReceivedDelivery delivery) {
        DeliveryProjector<GitHubPayloads.Event, Object> projector = projectors.get(delivery.event());
        if (projector == null) {
            GitHubPayloads.Envelope envelope = reader.read(delivery.body(), GitHubPayloads.Envelope.class);
            String why = GitHubEventNames.KNOWN.contains(delivery.event())
                    ? "the App does not use '" + delivery.event() + "' events"
                    : "'" + delivery.event() + "' is not an event GitHub documents";
            return new PreparedDelivery(delivery, null, envelope, why, null);
        }
        GitHubPayloads.Event payload = reader.read(delivery.body(), projector.payloadType());
        projector.validate(delivery.event(), payload);
        return new PreparedDelivery(
                delivery,
                projector,
                payload,
                projector.ignoredBecause(delivery.event(), payload),
                projector.serialKey(payload));
    }

    private IntakeResult awaitCommit(CompletableFuture<IntakeResult> committed) {
        try {
            return committed.get(config.intake().commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            // The delivery may still commit; GitHub's redelivery of it is then a duplicate.
            throw new IllegalStateException(
                    "no commit within " + config.intake().commitTimeout(),
                    new SQLTransientConnectionException("intake commit timed out", "08000"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the commit", e);
        }
    }

    private IntakeResult reject(ReceivedDelivery delivery, String why) {
        return Transactions.inTransaction(dataSource, connection -> writer.reject(connection, delivery, why));
    }
}
