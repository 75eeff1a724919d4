package dev.correlator.api;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.correlator.telemetry.QueuedSpan;
import dev.correlator.telemetry.SpanIds;
import dev.correlator.telemetry.TelemetrySettings;

/**
 * The trace of a stored fact, for the API and the pull request comment. The ids are derived
 * the way the spans' are, so a link is right before its span has been exported; without export
 * configured there is no trace to show.
 */
@ApplicationScoped
public class TraceLinks {

    @Inject
    TelemetrySettings settings;

    /** A push's span (for a commit: the first push that brought it). */
    public ApiViews.Trace push(String deliveryId, Instant pushedAt) {
        return trace(SpanIds.deliveryTrace(deliveryId), SpanIds.deliverySpan(deliveryId), pushedAt);
    }

    /** A pull request's own span, the root of its trace. */
    public ApiViews.Trace pullRequest(long repositoryId, int number, Instant createdAt) {
        return trace(
                SpanIds.pullRequestTrace(repositoryId, number),
                SpanIds.pullRequestSpan(repositoryId, number),
                createdAt);
    }

    /** A push's span, linked in the given Lightstep project (null: the configured one). */
    public ApiViews.Trace push(String deliveryId, Instant pushedAt, String project) {
        return trace(SpanIds.deliveryTrace(deliveryId), SpanIds.deliverySpan(deliveryId), pushedAt, project);
    }

    /** A pull request's own span, linked in the given Lightstep project (null: the configured one). */
    public ApiViews.Trace pullRequest(long repositoryId, int number, Instant createdAt, String project) {
        return trace(
                SpanIds.pullRequestTrace(repositoryId, number),
                SpanIds.pullRequestSpan(repositoryId, number),
                createdAt,
                project);
    }

    private ApiViews.Trace trace(String traceId, String spanId, Instant start) {
        return trace(traceId, spanId, start, null);
    }

    private ApiViews.Trace trace(String traceId, String spanId, Instant start, String project) {
        if (!settings.exporting()) {
            return null;
        }
        long nanos = start == null ? 0 : QueuedSpan.nanos(start);
        return new ApiViews.Trace(
                traceId,
                spanId,
                project == null
                        ? settings.traceLink(traceId, spanId, nanos)
                        : settings.traceLink(project, traceId, spanId, nanos));
    }
}
