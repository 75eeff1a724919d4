package dev.correlator.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * The App's clock in every {@code @QuarkusTest}: it runs with the system clock until a test
 * holds it, then stands still and moves only when the test moves it. Behaviour that depends on
 * how much time passed (caches, per-minute limits, polls some time apart) is tested by moving
 * it, not by waiting. {@link AppTest} lets it run again before each test.
 */
@Alternative
@Priority(1)
@Singleton
public class AdjustableClock extends Clock {

    /** The time it stands at; null while it runs with the system clock. */
    private final AtomicReference<Instant> held = new AtomicReference<>();

    /** Stops the clock at the time it shows now. */
    public Instant hold() {
        return held.updateAndGet(instant -> instant != null ? instant : Instant.now());
    }

    /** Sets the time, and holds it there. */
    public void set(Instant instant) {
        held.set(instant);
    }

    /** Moves the time on, holding it from where it was. */
    public Instant advance(Duration duration) {
        return held.updateAndGet(instant -> (instant != null ? instant : Instant.now()).plus(duration));
    }

    /** Lets it run with the system clock again. */
    public void resume() {
        held.set(null);
    }

    @Override
    public Instant instant() {
        Instant instant = held.get();
        return instant != null ? instant : Instant.now();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same clock seen from another zone: held or moved with this one. */
    @Override
    public Clock withZone(ZoneId zone) {
        AdjustableClock time = this;
        return new Clock() {
            @Override
            public Instant instant() {
                return time.instant();
            }

            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return time.withZone(other);
            }
        };
    }
}
