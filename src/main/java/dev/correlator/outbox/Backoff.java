package dev.correlator.outbox;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The delay before the next attempt of failed queued work: exponential from {@code initial},
 * capped, with "equal jitter" (half fixed, half random) so that rows that failed together do not
 * come back in lockstep.
 */
public final class Backoff {

    private Backoff() {}

    public static Duration after(int attempts, Duration initial, Duration cap) {
        long exponential = initial.toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
        long ceiling = Math.min(cap.toMillis(), exponential);
        return Duration.ofMillis(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
    }
}
