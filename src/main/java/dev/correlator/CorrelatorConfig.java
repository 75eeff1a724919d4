package dev.correlator;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Everything the App can be told, in one place. Environment variables follow the usual
 * mapping: {@code correlator.api.tokens} is {@code CORRELATOR_API_TOKENS}.
 */
@ConfigMapping(prefix = "correlator")
public interface CorrelatorConfig {

    Webhook webhook();

    Intake intake();

    Api api();

    Outbox outbox();

    interface Webhook {
        /**
         * Secret GitHub signs deliveries with (X-Hub-Signature-256). Defaults to the
         * extension's quarkus.github-app.webhook-secret. Without one, signatures are not
         * checked: only acceptable in tests and local runs.
         */
        Optional<String> secret();
    }

    interface Intake {
        /**
         * Threads that write deliveries; each commits the deliveries that arrived together in
         * one transaction. Two keep PostgreSQL busy while the other batch is being prepared;
         * more did not help on two cores (bench/RESULTS.md).
         */
        @WithDefault("2")
        int writers();

        /** Most deliveries one transaction holds. */
        @WithDefault("64")
        int maxBatch();

        /** How long a request waits for the commit of its delivery before answering 503. */
        @WithDefault("PT20S")
        Duration commitTimeout();
    }

    interface Api {
        /** Bearer tokens accepted by the mapping API (comma-separated). No token, no access. */
        Optional<List<String>> tokens();

        /** Page size of listings when the caller gives none. */
        @WithDefault("100")
        int defaultLimit();

        /** Largest page a caller may ask for. */
        @WithDefault("500")
        int maxLimit();
    }

    interface Outbox {
        /** Whether this instance drains the queue (every replica may). */
        @WithDefault("true")
        boolean enabled();

        /** How often a worker looks for ready rows. */
        @WithDefault("2s")
        String pollInterval();

        /** How often queue depth and dead rows are read for the metrics. */
        @WithDefault("15s")
        String metricsInterval();

        /** How many rows one worker claims at a time. */
        @WithDefault("20")
        int batchSize();

        /** How long a claim lasts; a worker that dies releases its rows when it runs out. */
        @WithDefault("PT2M")
        Duration lease();

        /** First retry delay; doubled per attempt, with jitter. */
        @WithDefault("PT10S")
        Duration initialBackoff();

        /** Longest delay between two attempts. */
        @WithDefault("PT30M")
        Duration maxBackoff();

        /** A row still failing after this many attempts is marked dead and kept for inspection. */
        @WithDefault("12")
        int maxAttempts();
    }
}
