package dev.correlator.telemetry;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.runtime.StartupEvent;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.correlator.CorrelatorConfig;

/**
 * Where change-event spans go and how their links look. Export is off until there is somewhere
 * to send them: an access token (for Lightstep) or an endpoint of the operator's own.
 */
@ApplicationScoped
public class TelemetrySettings {

    private static final Logger LOG = Logger.getLogger(TelemetrySettings.class);

    static final String HTTP_PROTOBUF = "http/protobuf";
    static final String GRPC = "grpc";
    static final String LIGHTSTEP_HTTP = "https://ingest.lightstep.com/traces/otlp/v0.9";
    static final String LIGHTSTEP_GRPC = "https://ingest.lightstep.com:443";

    @Inject
    CorrelatorConfig config;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
    String version;

    void announce(@Observes StartupEvent start) {
        String protocol = protocol(); // refuses a protocol it does not know, at startup
        if (exporting()) {
            LOG.infof("Change-event spans are exported over OTLP (%s) to %s", protocol, endpoint());
        } else {
            LOG.info(
                    "Change-event spans are not exported: set correlator.telemetry.access-token (or "
                            + "LIGHTSTEP_ACCESS_TOKEN) for Lightstep, or correlator.telemetry.endpoint for another OTLP backend");
        }
    }

    /** Whether spans are queued and exported at all. */
    public boolean exporting() {
        return accessToken().isPresent() || config.telemetry().endpoint().isPresent();
    }

    public String protocol() {
        String protocol = config.telemetry().protocol().trim().toLowerCase(Locale.ROOT);
        if (!protocol.equals(HTTP_PROTOBUF) && !protocol.equals(GRPC)) {
            throw new IllegalArgumentException("correlator.telemetry.protocol must be http/protobuf or grpc, not '"
                    + config.telemetry().protocol() + "'");
        }
        return protocol;
    }

    public URI endpoint() {
        return URI.create(
                config.telemetry().endpoint().orElse(protocol().equals(GRPC) ? LIGHTSTEP_GRPC : LIGHTSTEP_HTTP));
    }

    /** Request headers: the configured ones, and Lightstep's token header when there is a token. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>(config.telemetry().headers());
        accessToken().ifPresent(token -> headers.put("lightstep-access-token", token));
        return headers;
    }

    public String serviceName() {
        return config.telemetry().serviceName();
    }

    public String serviceVersion() {
        return version;
    }

    /** The web address of a span's trace, from the configured template. */
    public String traceLink(String traceId, String spanId, long startNanos) {
        return traceLink(config.telemetry().project(), traceId, spanId, startNanos);
    }

    /**
     * The same, in another Lightstep project (a repository's .github/correlator.yml may name one).
     * The project is percent-encoded: a name cannot add a path, a query or the end of a link.
     */
    public String traceLink(String project, String traceId, String spanId, long startNanos) {
        return config.telemetry()
                .traceLinkTemplate()
                .replace(
                        "{project}",
                        URLEncoder.encode(project, StandardCharsets.UTF_8).replace("+", "%20"))
                .replace("{traceId}", traceId)
                .replace("{spanId}", spanId)
                .replace("{startMicros}", Long.toString(startNanos / 1000));
    }

    private Optional<String> accessToken() {
        return config.telemetry().accessToken().map(String::trim).filter(token -> !token.isEmpty());
    }
}
