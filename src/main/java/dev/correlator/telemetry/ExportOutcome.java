package dev.correlator.telemetry;

import java.time.Duration;

/** What a backend made of one export request. */
sealed interface ExportOutcome {

    /** Taken. */
    record Sent() implements ExportOutcome {}

    /** Not now: try again later, not before {@code after} when the backend said so (Retry-After). */
    record Retry(Duration after, String reason) implements ExportOutcome {}

    /** Refused for what the spans are (a malformed or too large request): sending them again cannot help. */
    record Refused(String reason) implements ExportOutcome {}
}
