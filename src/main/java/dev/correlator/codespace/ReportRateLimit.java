package dev.correlator.codespace;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.correlator.CorrelatorConfig;

/**
 * At most correlator.codespaces.events-per-minute reports per Codespace and minute (a fixed
 * window per instance), so that one noisy or hostile Codespace cannot make the App call GitHub
 * without end. The budget is per Codespace and token (by a hash, in memory only): anyone may name
 * a Codespace, and reports naming someone else's must not use up the budget of its own reporter.
 */
@ApplicationScoped
public class ReportRateLimit {

    private record Window(long minute, int count) {
    }

    @Inject
    CorrelatorConfig config;

    @Inject
    Clock clock;

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** Whether the Codespace may report now with this token; counts the report if so. */
    boolean allow(String codespace, String token) {
        String key = codespace + '\0' + dev.correlator.Sha256.hex(token);
        long minute = clock.millis() / 60_000;
        if (windows.size() > 10_000) {
            windows.values().removeIf(w -> w.minute() < minute);
        }
        Window window = windows.merge(key, new Window(minute, 1),
                (old, fresh) -> old.minute() == minute ? new Window(minute, old.count() + 1) : fresh);
        return window.count() <= config.codespaces().eventsPerMinute();
    }

    /** Forgets every count (tests). */
    void reset() {
        windows.clear();
    }

    /** Seconds until the current window ends. */
    long retryAfterSeconds() {
        return 60 - (clock.millis() / 1000) % 60;
    }
}
