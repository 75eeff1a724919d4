package dev.correlator.telemetry;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A span as it waits in the queue (span_outbox.span): everything the export needs, written in
 * the transaction of the fact it describes. Attribute values are strings, longs or booleans.
 * Children carry only their own attributes and take {@link #INHERITED} ones from their parent
 * when exported, which keeps a push of many commits a small row.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record QueuedSpan(
        String traceId,
        String spanId,
        String parentSpanId,
        String name,
        long startNanos,
        long endNanos,
        Map<String, Object> attributes,
        List<Link> links,
        List<QueuedSpan> children,
        String organization) {

    /** What a child span has of its parent's attributes: where the change happened. */
    public static final Set<String> INHERITED = Set.of(
            "vcs.provider.name",
            "vcs.repository.url.full",
            "vcs.repository.name",
            "vcs.owner.name",
            "vcs.ref.head.name",
            "github.repository.id",
            "github.delivery.id");

    public QueuedSpan {
        attributes = attributes == null ? Map.of() : attributes;
        links = links == null ? List.of() : links;
        children = children == null ? List.of() : children;
    }

    /** A span this one refers to without being its child: a push links to its pull requests. */
    public record Link(String traceId, String spanId) {}

    public static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /** Attributes in the order they were put, leaving out absent values. */
    public static final class Attributes {
        private final Map<String, Object> values = new LinkedHashMap<>();

        public Attributes put(String key, Object value) {
            if (value != null && !(value instanceof String text && text.isEmpty())) {
                values.put(key, value instanceof Integer number ? number.longValue() : value);
            }
            return this;
        }

        public Map<String, Object> build() {
            return values;
        }
    }
}
