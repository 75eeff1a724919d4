package dev.correlator.payload;

import java.time.Instant;

/** A delivery whose signature and headers checked out, as it reached us. */
public record ReceivedDelivery(String id, String event, byte[] body, Instant receivedAt) {}
