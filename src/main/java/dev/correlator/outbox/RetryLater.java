package dev.correlator.outbox;

import java.time.Instant;

/** The work could not be done now; try again, not before the given time if one is known. */
public class RetryLater extends RuntimeException {

    private final Instant notBefore;
    private final boolean rateLimited;

    public RetryLater(String reason, Instant notBefore) {
        this(reason, notBefore, false);
    }

    public RetryLater(String reason, Instant notBefore, boolean rateLimited) {
        super(reason);
        this.notBefore = notBefore;
        this.rateLimited = rateLimited;
    }

    /** GitHub asked us to wait; the work itself did not fail. */
    public boolean rateLimited() {
        return rateLimited;
    }

    public Instant notBefore() {
        return notBefore;
    }
}
