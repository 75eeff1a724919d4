package dev.correlator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
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

    Http http();

    Api api();

    Outbox outbox();

    Telemetry telemetry();

    Codespaces codespaces();

    Comments comments();

    Retention retention();

    Redelivery redelivery();

    Backfill backfill();

    GitHub github();

    interface Webhook {
        /**
         * Secret GitHub signs deliveries with (X-Hub-Signature-256). Defaults to the
         * extension's quarkus.github-app.webhook-secret. Without one, signatures are not
         * checked: only acceptable in tests and local runs.
         */
        Optional<String> secret();

        /**
         * The secret being rotated out, still accepted beside {@link #secret()} while GitHub may
         * sign with either: set it to the old secret, change the App's secret on GitHub, then
         * remove it.
         */
        Optional<String> previousSecret();
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

    /** What a request may bring before any endpoint sees it (RequestBodies). */
    interface Http {
        BodyLimits bodyLimits();

        /**
         * Request bytes held in memory at once, summed over all requests being read; a request
         * that would pass it is answered 503 with Retry-After before its body is read.
         */
        @WithDefault("64M")
        MemorySize bufferedBodies();

        /**
         * How long a body may take to arrive once its headers are in; a slower one is answered
         * 408, so a stalled upload cannot keep its share of {@link #bufferedBodies()}.
         */
        @WithDefault("PT30S")
        Duration bodyTimeout();
    }

    /**
     * The largest body each route takes; a larger Content-Length is answered 413 before the body
     * is read, and a chunked body is cut with 413 when it passes the limit. A new route with its
     * own limit adds a member here and a row in RequestBodies.
     */
    interface BodyLimits {
        /** Deliveries to /webhooks/github (GitHub sends at most 25 MB). */
        @WithDefault("25M")
        MemorySize webhook();

        /** Reports to /api/v1/codespaces/events. */
        @WithDefault("64K")
        MemorySize codespaceReports();

        /** Every other path. */
        @WithDefault("1M")
        MemorySize other();
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

        /**
         * How long what GitHub said about a person's own token (whose it is, which repositories it
         * can read) is remembered, under a hash of the token.
         */
        @WithDefault("PT5M")
        Duration userTokenCache();

        /**
         * A token GitHub confirmed, used within this long of the end of its remembered answer, is
         * looked up again on that request, outside the unknown-token limits, so that people whose
         * tokens are known keep working through a flood of guesses. Shorter than user-token-cache.
         */
        @WithDefault("PT1M")
        Duration userTokenRefreshBefore();

        /**
         * Unknown GitHub tokens (a person's on the API, a Codespace's on the reporter endpoint)
         * looked up per minute and instance at most, from all clients together; beyond that such
         * callers get 429 (see UnknownTokenLookups).
         */
        @WithDefault("60")
        int userTokenLookupsPerMinute();

        /**
         * Unknown GitHub tokens looked up per minute and instance at most for one client address
         * (an IPv6 client by its /64), so that one client's guesses cannot use up the total.
         */
        @WithDefault("20")
        int userTokenLookupsPerAddressPerMinute();

        /**
         * Proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For is believed:
         * the client is the right-most address in it that is not one of them. From any other peer
         * the header is ignored and the peer is the client.
         */
        Optional<List<String>> trustedProxies();
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

    /** Change-event spans, exported over OTLP (Lightstep by default, any OTLP backend by endpoint). */
    interface Telemetry {
        /**
         * Where spans go. Without one, Lightstep's public ingest for the protocol
         * ({@code https://ingest.lightstep.com/traces/otlp/v0.9} for http/protobuf,
         * {@code https://ingest.lightstep.com:443} for grpc).
         */
        Optional<String> endpoint();

        /** {@code http/protobuf} or {@code grpc}. */
        @WithDefault("http/protobuf")
        String protocol();

        /** Lightstep access token, sent as the lightstep-access-token header. Also read from LIGHTSTEP_ACCESS_TOKEN. */
        Optional<String> accessToken();

        /** Extra request headers, for other backends (e.g. correlator.telemetry.headers.x-honeycomb-team=...). */
        Map<String, String> headers();

        /** The resource's service.name. */
        @WithDefault("github-changes")
        String serviceName();

        /** Lightstep project name, used in trace links. */
        @WithDefault("change-correlator")
        String project();

        /**
         * A trace's web address; {project}, {traceId}, {spanId} and {startMicros} are filled in.
         */
        @WithDefault("https://app.lightstep.com/{project}/trace?span_guid={spanId}&at_micros={startMicros}")
        String traceLinkTemplate();

        /** How often a worker looks for spans to export. */
        @WithDefault("1s")
        String pollInterval();

        /** Spans one export request carries at most. */
        @WithDefault("512")
        int batchSize();

        /**
         * Characters a span's string attribute keeps at most (OpenTelemetry's attribute value length
         * limit); the rest is cut off before export.
         */
        @WithDefault("4096")
        int maxAttributeLength();

        /** How long a worker holds the spans it claimed; another takes them over after that. */
        @WithDefault("PT1M")
        Duration lease();

        /** How long one export request may take. */
        @WithDefault("PT10S")
        Duration timeout();

        /** First retry delay after a failed export; doubled per attempt, with jitter. */
        @WithDefault("PT5S")
        Duration initialBackoff();

        /** Longest delay between two export attempts. */
        @WithDefault("PT10M")
        Duration maxBackoff();

        /** A span still not exported this long after it was recorded is marked dead (and counted). */
        @WithDefault("P3D")
        Duration giveUpAfter();
    }

    /** What Codespaces report about themselves. */
    interface Codespaces {
        /** Events one Codespace may report per minute; more are answered 429. */
        @WithDefault("120")
        int eventsPerMinute();

        /** How long a successful check of a Codespace's token is remembered (by a hash, never the token). */
        @WithDefault("PT5M")
        Duration verificationCache();

        /**
         * Retry-After of a report refused with 503 because GitHub cannot confirm its token or its
         * Codespace now and named no time to wait (a rate limit's own reset is used when known).
         */
        @WithDefault("PT1M")
        Duration verificationRetryAfter();

        /** How often each organization's Codespaces are listed (GET /orgs/{org}/codespaces). */
        @WithDefault("5m")
        String pollInterval();

        /** How long after startup the first poll runs. */
        @WithDefault("30s")
        String pollDelay();

        /** Pages of 100 Codespaces read per organization and poll at most. */
        @WithDefault("50")
        int maxPages();

        /**
         * How recently before a push its pusher must have used a Codespace on that repository and
         * branch for the push to be inferred to come from it (when it is their only such Codespace),
         * and how far apart the polls around a push may be for its git status to corroborate it.
         */
        @WithDefault("PT15M")
        Duration inferenceWindow();
    }

    /** The comment the App keeps on each pull request. */
    interface Comments {
        /** Whether the App comments at all (a repository can also turn it off in .github/correlator.yml). */
        @WithDefault("true")
        boolean enabled();

        /** How long after a change the comment is written, so that a burst of pushes makes one edit. */
        @WithDefault("PT5S")
        Duration debounce();

        /** The newest commits the table shows; it says how many more there are. */
        @WithDefault("50")
        int maxCommits();

        /** How often open pull requests with recent activity are checked for what polls changed. */
        @WithDefault("5m")
        String refreshInterval();

        /** Pull requests updated or pushed to within this long are checked by the refresh. */
        @WithDefault("P2D")
        Duration refreshWindow();

        /** How long the repository's .github/correlator.yml is trusted before it is read again. */
        @WithDefault("PT12H")
        Duration settingsTtl();
    }

    /** How long data about people is kept. */
    interface Retention {
        /**
         * Developer data older than this is deleted: e-mail addresses (tie rows and those on
         * commits), Codespace reports, observations and Codespaces, and raw delivery bodies.
         */
        @WithDefault("P90D")
        Duration developerData();

        /** How long after an uninstall the installation's data is deleted (a reinstall cancels). */
        @WithDefault("P7D")
        Duration uninstallGrace();

        /**
         * Queue rows done this long ago are deleted. Dead rows (for an operator to requeue) and
         * exported spans (whose ids keep a span from being exported twice) stay for
         * {@link #developerData()}.
         */
        @WithDefault("P7D")
        Duration finishedWork();

        /** How often the deletions run. */
        @WithDefault("1h")
        String interval();
    }

    /** Finding deliveries GitHub failed to make, and asking for them again. */
    interface Redelivery {
        /** How often GitHub's log of the App's deliveries is read. */
        @WithDefault("10m")
        String interval();

        /** How far back a scan looks at most (GitHub keeps three days). */
        @WithDefault("P3D")
        Duration window();

        /** Re-read this much before the last scan's newest delivery, for attempts logged late. */
        @WithDefault("PT1H")
        Duration overlap();

        /** Redeliveries asked for per scan at most; the rest waits for the next scan. */
        @WithDefault("50")
        int maxPerScan();

        /** Pages of 100 log entries read per scan at most. */
        @WithDefault("100")
        int maxPages();
    }

    interface Backfill {
        /**
         * Whether installing the App, or adding repositories to it, fetches what happened before:
         * open pull requests with their commits and the recent history of each default branch.
         */
        @WithDefault("true")
        boolean enabled();

        /** How far back a default branch's history is fetched. */
        @WithDefault("P30D")
        Duration history();

        /** Pages of 100 commits fetched per default branch at most (a busy monorepo stops there). */
        @WithDefault("50")
        int maxHistoryPages();

        /**
         * Requests of the installation's hourly allowance the backfill leaves to live work: when
         * GitHub says fewer remain, the next step waits for the allowance to reset.
         */
        @WithDefault("1000")
        int rateLimitReserve();
    }

    /** What the App does on GitHub. */
    interface GitHub {
        /** Log every write to GitHub (comments, redelivery requests) instead of sending it (on in the dev profile). */
        @WithDefault("false")
        boolean dryRun();
    }
}
