package dev.correlator.change;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import dev.correlator.model.ModelRows;
import dev.correlator.payload.GitHubPayloads;
import dev.correlator.payload.MalformedPayloadException;
import dev.correlator.payload.ReceivedDelivery;

/**
 * Turns one stored delivery of the events it names into model rows and queue rows. A projector
 * is a function of the stored delivery and what its prefetch read: it touches no connection, so
 * it can be run again from the inbox, and its test is a payload in and rows out.
 *
 * @param <T> the payload record the events are read into
 * @param <K> what the prefetch reads for a batch of such deliveries
 */
public interface DeliveryProjector<T extends GitHubPayloads.Event, K> {

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
     * Queues on the batch's reads what its deliveries will need, all at once (developers,
     * mostly); the record it returns is complete once the reads have run.
     */
    K prefetch(List<T> payloads, BatchReads reads) throws SQLException;

    /** The rows the delivery adds, from its payload and what was read. */
    ModelRows project(ReceivedDelivery delivery, T payload, K known);

    static <V> V require(V value, String field) {
        if (value == null || (value instanceof String text && text.isBlank())) {
            throw new MalformedPayloadException("required field '" + field + "' is missing");
        }
        return value;
    }
}
