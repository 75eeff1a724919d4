package dev.correlator.telemetry;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.correlator.db.BatchWrites;

/**
 * Queues change-event spans in the caller's transaction: a span exists if and only if the fact
 * it describes was stored. Its id is the key, so the same fact never becomes a second span.
 */
@ApplicationScoped
public class SpanQueue {

    // One array per column: the statement's text is the same whatever the batch holds, so
    // PostgreSQL does not parse and plan it anew for every batch.
    private static final BatchWrites.ColumnArrays INSERT = new BatchWrites.ColumnArrays("""
            insert into span_outbox (span_id, trace_id, span, available_at, created_at)
            select s, t, j, now(), now() from unnest(?::text[], ?::text[], ?::text[]) as u(s, t, j)
            on conflict (span_id) do nothing""", "text", "text", "text");

    @Inject
    TelemetrySettings settings;

    @Inject
    ObjectMapper json;

    /** Whether spans are queued at all (export is configured). */
    public boolean active() {
        return settings.exporting();
    }

    /** Written with the other rows of the transaction's batch when it flushes. */
    public void enqueue(BatchWrites writes, QueuedSpan span) {
        if (!active()) {
            return;
        }
        try {
            writes.add(INSERT, "span:" + span.spanId(), span.spanId(), span.traceId(), json.writeValueAsString(span));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot serialise span " + span.spanId(), e);
        }
    }
}
