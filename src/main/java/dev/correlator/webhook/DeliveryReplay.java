package dev.correlator.webhook;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import org.jboss.logging.Logger;

import dev.correlator.db.Sql;
import dev.correlator.db.Transactions;
import dev.correlator.payload.MalformedPayloadException;
import dev.correlator.payload.ReceivedDelivery;

/**
 * Runs a delivery from the inbox through the projectors again, for an operator: after a
 * projector was fixed, or for a delivery ignored while its installation was suspended. The
 * delivery row is locked while it runs, so GitHub redelivering the same id waits and is then a
 * duplicate.
 */
@ApplicationScoped
public class DeliveryReplay {

    private static final Logger LOG = Logger.getLogger(DeliveryReplay.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    DeliveryIntake intake;

    @Inject
    DeliveryWriter writer;

    /** What the replay made of the delivery, beside what it was before. */
    public record Replayed(String id, String event, String before, String outcome, String detail) {}

    /** The delivery cannot be run again (its body was deleted by the retention job or an erasure). */
    public static class NotReplayable extends RuntimeException {
        NotReplayable(String reason) {
            super(reason);
        }
    }

    private record Stored(String event, String outcome, Instant receivedAt, byte[] body) {}

    /** Empty when no delivery has that id. */
    public Optional<Replayed> replay(String id) {
        return Transactions.inTransaction(dataSource, connection -> {
            Optional<Stored> found = Sql.one(
                    connection,
                    "select event, outcome, received_at, body from delivery where id = ? for update",
                    row -> new Stored(
                            row.getString(1), row.getString(2), Sql.instant(row, "received_at"), row.getBytes(4)),
                    id);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Stored stored = found.get();
            if (stored.body() == null || stored.body().length == 0) {
                throw new NotReplayable("the body of delivery " + id
                        + " was deleted (by the retention job, or by the erasure of someone it named);"
                        + " ask GitHub to redeliver it if it is recent");
            }
            ReceivedDelivery delivery = new ReceivedDelivery(id, stored.event(), stored.body(), stored.receivedAt());
            IntakeResult result;
            try {
                result = writer.replay(connection, intake.prepare(delivery));
            } catch (MalformedPayloadException e) {
                writer.replayRejected(connection, id, e.getMessage());
                result = new IntakeResult(id, stored.event(), DeliveryOutcome.REJECTED, e.getMessage());
            }
            LOG.infof(
                    "Replayed delivery %s (%s): %s, was %s",
                    id, stored.event(), result.outcome().column(), stored.outcome());
            return Optional.of(new Replayed(
                    id, stored.event(), stored.outcome(), result.outcome().column(), result.detail()));
        });
    }
}
