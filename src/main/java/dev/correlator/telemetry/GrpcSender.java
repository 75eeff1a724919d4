package dev.correlator.telemetry;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.opentelemetry.exporter.internal.FailedExportException;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * OTLP over gRPC with the SDK's exporter, its own retry turned off: a failed batch goes back to
 * the queue, which decides when to try again. (gRPC carries no Retry-After; the queue's backoff
 * applies.)
 */
final class GrpcSender implements SpanSender {

    private static final int INVALID_ARGUMENT = 3;
    private static final int RESOURCE_EXHAUSTED = 8;
    private static final Pattern MESSAGE_TOO_LARGE =
            Pattern.compile("larger than max|exceeds maximum size", Pattern.CASE_INSENSITIVE);

    private final OtlpGrpcSpanExporter exporter;
    private final Duration timeout;

    GrpcSender(URI endpoint, Map<String, String> headers, Duration timeout) {
        OtlpGrpcSpanExporterBuilder builder = OtlpGrpcSpanExporter.builder()
                .setEndpoint(endpoint.toString())
                .setTimeout(timeout)
                .setRetryPolicy(null);
        headers.forEach(builder::addHeader);
        this.exporter = builder.build();
        this.timeout = timeout;
    }

    @Override
    public ExportOutcome send(Collection<SpanData> spans) {
        CompletableResultCode result = exporter.export(spans).join(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        if (result.isSuccess()) {
            return new ExportOutcome.Sent();
        }
        return outcome(result.getFailureThrowable());
    }

    /**
     * OTLP/gRPC's answers about the request itself, like HTTP's 400 and 413: INVALID_ARGUMENT, and
     * RESOURCE_EXHAUSTED when it is the server's message size limit (grpc-go: "received message
     * larger than max", grpc-java: "message exceeds maximum size"). Any other RESOURCE_EXHAUSTED
     * is a quota, which halving the batch would only hit harder: it waits, as other failures do.
     */
    static ExportOutcome outcome(Throwable failure) {
        if (failure instanceof FailedExportException.GrpcExportException grpc && grpc.failedWithResponse()) {
            int status = grpc.getResponse().grpcStatusValue();
            String description = grpc.getResponse().grpcStatusDescription();
            String reason = "gRPC status " + status + (description != null ? ": " + description : "");
            if (status == INVALID_ARGUMENT
                    || status == RESOURCE_EXHAUSTED
                            && description != null
                            && MESSAGE_TOO_LARGE.matcher(description).find()) {
                return new ExportOutcome.Refused(reason);
            }
            return new ExportOutcome.Retry(null, "gRPC export failed: " + reason);
        }
        return new ExportOutcome.Retry(
                null, "gRPC export failed" + (failure != null ? ": " + failure.getMessage() : ""));
    }

    @Override
    public void close() {
        exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
}
