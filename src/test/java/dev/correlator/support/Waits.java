package dev.correlator.support;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Waits for what another thread or process does, on the condition itself: checked at once, then
 * every 50 ms until it holds or the deadline passes. The deadline only catches a hang; a test
 * waits no longer than its condition takes.
 */
public final class Waits {

    private Waits() {}

    public static ConditionFactory upTo(Duration deadline) {
        return Awaitility.await()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50))
                .atMost(deadline);
    }
}
