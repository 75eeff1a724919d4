package dev.correlator.telemetry;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.correlator.db.Columns;
import dev.correlator.db.Pipeline;

/**
 * Queues change-event spans in the caller's transaction: a span exists if and only if the fact
 * it describes was stored. Its id is the key, so the same fact never becomes a second span.
 */
@ApplicationScoped
public class SpanQueue {

    // One array per column: the statement's text is the same whatever the batch holds, so
    // PostgreSQL does not parse and plan it anew for every batch.
    private static final String INSERT = """
            insert into span_outbox (span_id, trace_id, span, available_at, created_at)
            select s, t, j, now(), now() from unnest(?::text[], ?::text[], ?::text[]) as u(s, t, j)
            on conflict (span_id) do nothing""";

    @Inject
    TelemetrySettings settings;

    @Inject
    ObjectMapper json;

    /** Whether spans are queued at all (export is configured). */
    public boolean active() {
        return settings.exporting();
    }

    /** Adds the spans to the caller's round trip; of two with one id, the first stays. */
    public void write(Connection connection, Collection<QueuedSpan> spans, Pipeline trip) throws SQLException {
        if (!active() || spans.isEmpty()) {
            return;
        }
        Map<String, QueuedSpan> byId = new TreeMap<>();
        spans.forEach(span -> byId.putIfAbsent(span.spanId(), span));
        trip.update(
                INSERT,
                Columns.of(connection, byId.values())
                        .text(QueuedSpan::spanId)
                        .text(QueuedSpan::traceId)
                        .text(this::serialise)
                        .parameters());
    }

    private String serialise(QueuedSpan span) {
        try {
            return json.writeValueAsString(span);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot serialise span " + span.spanId(), e);
        }
    }
}
