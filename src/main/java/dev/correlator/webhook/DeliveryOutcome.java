package dev.correlator.webhook;

import java.util.Locale;

/** What became of a delivery; stored with it and counted in metrics. */
public enum DeliveryOutcome {
    /** Projected into the model. */
    PROCESSED,
    /** Stored, but the App has no use for it (an event it does not follow, a deleted installation). */
    IGNORED,
    /** Stored for diagnosis; its body was not what GitHub sends. Validated again if it comes back. */
    REJECTED,
    /** The same delivery id was already stored: nothing changed. Never stored as such. */
    DUPLICATE;

    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }
}
