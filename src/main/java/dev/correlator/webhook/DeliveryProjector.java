package dev.correlator.webhook;

import java.sql.SQLException;
import java.util.Set;

/**
 * Turns one stored delivery of the events it names into model rows and outbox rows, on the
 * connection of the intake's transaction. A projector is a function of the stored delivery and
 * the current model, so it can be run again from the inbox.
 *
 * @param <T> the payload record the events are read into
 */
public interface DeliveryProjector<T extends GitHubPayloads.Event> {

    Set<String> events();

    Class<T> payloadType();

    /** Checks what the reader cannot (required fields); throws {@link MalformedPayloadException}. */
    void validate(String event, T payload);

    /** Whether the delivery carries anything the App records (e.g. not a "labeled" action). */
    default String ignoredBecause(String event, T payload) {
        return null;
    }

    /**
     * Deliveries with the same key are written in arrival order, never in one batch (pushes to
     * one branch: a later force push must see what an earlier push added).
     */
    default String serialKey(T payload) {
        return null;
    }

    /**
     * Whether this projector only adds rows to the context's batch, and reads nothing of the model
     * that a delivery before it in the same batch may have written unless it flushes the context
     * first ({@link ProjectionContext#flush(dev.correlator.db.Pipeline)} sends its own statements
     * in the same round trip). Others get a flushed context before and after.
     */
    default boolean batches() {
        return false;
    }

    /** Looks up at once what the deliveries of a batch will need (developers, mostly). */
    default void prefetch(java.util.List<T> payloads, ProjectionContext context) throws SQLException {}

    void project(ReceivedDelivery delivery, T payload, ProjectionContext context) throws SQLException;

    static <V> V require(V value, String field) {
        if (value == null || (value instanceof String text && text.isBlank())) {
            throw new MalformedPayloadException("required field '" + field + "' is missing");
        }
        return value;
    }
}
