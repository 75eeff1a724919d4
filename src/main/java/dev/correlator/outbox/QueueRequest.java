package dev.correlator.outbox;

import java.time.Duration;

/**
 * Work put on the durable queue in the transaction of the fact that caused it. Asking again for
 * work that waits only refreshes it (one pending row per kind and key); {@code delay} makes it
 * ready later, and asking again while it waits keeps the first time, so a burst of requests
 * becomes one piece of work.
 */
public record QueueRequest(String kind, String dedupKey, Long installationId, Object payload, Duration delay) {

    public QueueRequest(String kind, String dedupKey, Long installationId, Object payload) {
        this(kind, dedupKey, installationId, payload, Duration.ZERO);
    }
}
