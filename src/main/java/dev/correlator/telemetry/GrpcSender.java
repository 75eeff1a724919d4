package dev.correlator.telemetry;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
        Throwable failure = result.getFailureThrowable();
        return new ExportOutcome.Retry(null, "gRPC export failed" + (failure != null ? ": " + failure.getMessage() : ""));
    }

    @Override
    public void close() {
        exporter.shutdown().join(5, TimeUnit.SECONDS);
    }
}
