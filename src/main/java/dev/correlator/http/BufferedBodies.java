package dev.correlator.http;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import dev.correlator.CorrelatorConfig;

/**
 * The request bytes held in memory across all requests being read, against the configured cap:
 * a few large bodies at once must not take the heap, however slowly they are sent.
 */
@ApplicationScoped
public class BufferedBodies {

    private final AtomicLong held = new AtomicLong();

    @Inject
    CorrelatorConfig config;

    @Inject
    MeterRegistry metrics;

    private long cap;

    @PostConstruct
    void init() {
        cap = config.http().bufferedBodies().asLongValue();
        Gauge.builder("correlator.http.buffered.bytes", held, AtomicLong::get)
                .description("Request body bytes held in memory while they are read")
                .register(metrics);
    }

    /** Takes {@code bytes} of the cap, or nothing when that would pass it. */
    boolean take(long bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > cap) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void give(long bytes) {
        held.addAndGet(-bytes);
    }

    /** What is held now, for tests and the gauge. */
    public long held() {
        return held.get();
    }
}
