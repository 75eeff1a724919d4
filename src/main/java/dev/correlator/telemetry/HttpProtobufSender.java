package dev.correlator.telemetry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * OTLP over HTTP with protobuf bodies. The SDK's marshaler writes the request; the request is
 * sent here rather than by the SDK's exporter because that exporter does not let its caller see
 * the response, and a backend's Retry-After has to decide when the spans are sent again.
 */
final class HttpProtobufSender implements SpanSender {

    private final HttpClient client;
    private final URI endpoint;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final Clock clock;

    HttpProtobufSender(URI endpoint, Map<String, String> headers, Duration timeout, Clock clock) {
        this.endpoint = endpoint;
        this.headers = Map.copyOf(headers);
        this.timeout = timeout;
        this.clock = clock;
        // HTTP/2 where TLS negotiates it; on plain http no h2c upgrade attempt, which some
        // collectors and proxies mishandle on a POST.
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(
                        "http".equalsIgnoreCase(endpoint.getScheme())
                                ? HttpClient.Version.HTTP_1_1
                                : HttpClient.Version.HTTP_2)
                .build();
    }

    @Override
    public ExportOutcome send(Collection<SpanData> spans) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            TraceRequestMarshaler.create(spans).writeBinaryTo(body);
        } catch (IOException e) {
            return new ExportOutcome.Refused("could not encode the spans: " + e.getMessage());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new ExportOutcome.Retry(null, "no answer from " + endpoint + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ExportOutcome.Retry(null, "interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new ExportOutcome.Sent();
        }
        String reason = "HTTP " + status + " from " + endpoint + summary(response.body());
        // OTLP/HTTP: 400 and 413 are about the request itself; everything else may pass later
        // (429, 502, 503, 504 by the specification; 401/403 once the token is fixed; other 5xx).
        if (status == 400 || status == 413) {
            return new ExportOutcome.Refused(reason);
        }
        return new ExportOutcome.Retry(
                retryAfter(response.headers().firstValue("Retry-After"), clock.instant())
                        .orElse(null),
                reason);
    }

    /** Retry-After as seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(Optional<String> header, Instant now) {
        if (header.isEmpty() || header.get().isBlank()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static String summary(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body.strip().replaceAll("[\\r\\n]+", " ");
        return ": " + (text.length() <= 200 ? text : text.substring(0, 200));
    }

    @Override
    public void close() {
        // The JDK client keeps no resources that need closing on Java 17.
    }
}
