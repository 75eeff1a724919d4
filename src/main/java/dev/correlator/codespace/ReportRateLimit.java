package dev.correlator.codespace;

import java.time.Clock;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.correlator.CorrelatorConfig;
import dev.correlator.MinuteWindows;
import dev.correlator.Sha256;

/**
 * At most correlator.codespaces.events-per-minute reports per Codespace and minute (a fixed
 * window per instance), so that one noisy or hostile Codespace cannot make the App call GitHub
 * without end. The budget is per Codespace and token (by a hash, in memory only): anyone may name
 * a Codespace, and reports naming someone else's must not use up the budget of its own reporter.
 */
@ApplicationScoped
public class ReportRateLimit {

    @Inject
    CorrelatorConfig config;

    @Inject
    Clock clock;

    private MinuteWindows windows;

    @PostConstruct
    void start() {
        windows = new MinuteWindows(clock);
    }

    /** Whether the Codespace may report now with this token; counts the report if so. */
    boolean allow(String codespace, String token) {
        return windows.allow(
                codespace + '\0' + Sha256.hex(token), config.codespaces().eventsPerMinute());
    }

    /** Forgets every count (tests). */
    void reset() {
        windows.reset();
    }

    /** Seconds until the current window ends. */
    long retryAfterSeconds() {
        return windows.retryAfterSeconds();
    }
}
