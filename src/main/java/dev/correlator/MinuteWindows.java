package dev.correlator;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts per key and clock minute (a fixed window, in this instance's memory), for the App's
 * own limits on what makes it call GitHub. Keys of past minutes are dropped once there are many.
 */
public final class MinuteWindows {

    private record Window(long minute, int count) {}

    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public MinuteWindows(Clock clock) {
        this.clock = clock;
    }

    /** Counts one more for the key in this minute; whether it is within the limit. */
    public boolean allow(String key, int limit) {
        long minute = clock.millis() / 60_000;
        if (windows.size() > 10_000) {
            windows.values().removeIf(w -> w.minute() < minute);
        }
        Window window = windows.merge(
                key,
                new Window(minute, 1),
                (old, fresh) -> old.minute() == minute ? new Window(minute, old.count() + 1) : fresh);
        return window.count() <= limit;
    }

    /** Seconds until the current window ends (for Retry-After). */
    public long retryAfterSeconds() {
        return 60 - (clock.millis() / 1000) % 60;
    }

    /** Forgets every count (tests). */
    public void reset() {
        windows.clear();
    }
}
