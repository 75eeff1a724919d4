package dev.correlator.outbox;

import java.time.Instant;

/** The work could not be done now; try again, not before the given time if one is known. */
public class RetryLater extends RuntimeException {

    private final Instant notBefore;

    public RetryLater(String reason, Instant notBefore) {
        super(reason);
        this.notBefore = notBefore;
    }

    public Instant notBefore() {
        return notBefore;
    }
}
