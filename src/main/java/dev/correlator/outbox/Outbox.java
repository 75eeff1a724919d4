package dev.correlator.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.correlator.db.BatchWrites;
import dev.correlator.db.Sql;

/**
 * Puts work on the durable queue, in the caller's transaction: the work exists if and only if
 * the fact that caused it was stored.
 */
@ApplicationScoped
public class Outbox {

    // Asking again for work that is still waiting only refreshes it; if a worker holds it, the
    // version bump makes that worker leave the row pending so the newer request runs too. Work
    // waiting after a failed attempt keeps its time: a rate limit's reset or a backoff is not cut
    // short by a new request.
    private static final String ASKED_AGAIN = """
            on conflict (kind, dedup_key) where status = 'pending' do update
               set payload = excluded.payload, version = outbox.version + 1,
                   available_at = case when outbox.attempts > 0 then outbox.available_at
                                       else least(outbox.available_at, excluded.available_at) end""";

    private static final String ENQUEUE = """
            insert into outbox (kind, dedup_key, installation_id, payload, available_at, created_at)
            values (?, ?, ?, ?::jsonb, now() + make_interval(secs => ?), now())
            """ + ASKED_AGAIN;

    @Inject
    ObjectMapper json;

    /** Written with the other rows of the transaction's batch when it flushes. */
    public void enqueue(BatchWrites writes, String kind, String dedupKey, Long installationId, Object payload) {
        enqueue(writes, kind, dedupKey, installationId, payload, Duration.ZERO);
    }

    /**
     * The same, ready only after a delay: asking again while it waits keeps the first time, so a
     * burst of requests becomes one piece of work.
     */
    public void enqueue(
            BatchWrites writes, String kind, String dedupKey, Long installationId, Object payload, Duration delay) {
        writes.put(
                ENQUEUE,
                kind + ":" + dedupKey,
                kind,
                dedupKey,
                installationId,
                serialise(kind, payload),
                seconds(delay));
    }

    /**
     * The same work for each row a query selects (its dedup key, installation id and JSON payload,
     * in that order), ready now: one statement in the caller's batch, for work about rows that the
     * projector has not read.
     */
    public void enqueueEach(BatchWrites writes, String kind, String key, String select, Object... parameters) {
        Object[] row = new Object[parameters.length + 1];
        row[0] = kind;
        System.arraycopy(parameters, 0, row, 1, parameters.length);
        writes.put("""
                insert into outbox (kind, dedup_key, installation_id, payload, available_at, created_at)
                select ?, w.dedup_key, w.installation_id, w.payload::jsonb, now(), now()
                  from (%s) w(dedup_key, installation_id, payload)
                """.formatted(select) + ASKED_AGAIN, kind + ":" + key, row);
    }

    /** On a connection whose transaction the caller owns (a queue handler's completion, a scheduled job). */
    public void enqueue(
            Connection connection, String kind, String dedupKey, Long installationId, Object payload, Duration delay)
            throws SQLException {
        Sql.update(connection, ENQUEUE, kind, dedupKey, installationId, serialise(kind, payload), seconds(delay));
    }

    private static double seconds(Duration delay) {
        return delay.toMillis() / 1000.0;
    }

    private String serialise(String kind, Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot serialise outbox payload of " + kind, e);
        }
    }
}
