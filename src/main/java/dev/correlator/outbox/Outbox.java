package dev.correlator.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.correlator.db.Columns;
import dev.correlator.db.Pipeline;
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

    // The requests of a batch travel as one array per column: the statement's text is the same
    // whatever the batch holds.
    private static final String ENQUEUE_ALL = """
            insert into outbox (kind, dedup_key, installation_id, payload, available_at, created_at)
            select k, d, i, p::jsonb, now() + make_interval(secs => s), now()
              from unnest(?::text[], ?::text[], ?::bigint[], ?::text[], ?::float8[]) as u(k, d, i, p, s)
            """ + ASKED_AGAIN;

    /**
     * Writes a batch's requests on the caller's transaction (in its round trip): one row per kind
     * and key, the last request of a batch for it winning, in key order so that two transactions
     * lock the same rows in the same order.
     */
    public void write(
            Connection connection, List<QueueRequest> requests, List<QueueRequestPerRow> perRow, Pipeline trip)
            throws SQLException {
        Map<String, QueueRequest> byKey = new TreeMap<>();
        requests.forEach(request -> byKey.put(request.kind() + ":" + request.dedupKey(), request));
        if (!byKey.isEmpty()) {
            trip.update(
                    ENQUEUE_ALL,
                    Columns.of(connection, byKey.values())
                            .text(QueueRequest::kind)
                            .text(QueueRequest::dedupKey)
                            .bigint(QueueRequest::installationId)
                            .text(request -> serialise(request.kind(), request.payload()))
                            .float8(request -> seconds(request.delay()))
                            .parameters());
        }
        Map<String, QueueRequestPerRow> each = new TreeMap<>();
        perRow.forEach(request -> each.put(request.kind() + ":" + request.key(), request));
        for (QueueRequestPerRow request : each.values()) {
            Object[] row = new Object[request.parameters().size() + 1];
            row[0] = request.kind();
            for (int i = 0; i < request.parameters().size(); i++) {
                row[i + 1] = request.parameters().get(i);
            }
            trip.update("""
                    insert into outbox (kind, dedup_key, installation_id, payload, available_at, created_at)
                    select ?, w.dedup_key, w.installation_id, w.payload::jsonb, now(), now()
                      from (%s) w(dedup_key, installation_id, payload)
                    """.formatted(request.select()) + ASKED_AGAIN, row);
        }
    }

    /** On a connection whose transaction the caller owns (a queue handler's completion, a scheduled job). */
    public void enqueue(
            Connection connection, String kind, String dedupKey, Long installationId, Object payload, Duration delay)
            throws SQLException {
        Sql.update(connection, ENQUEUE, kind, dedupKey, installationId, serialise(kind, payload), seconds(delay));
    }

    private static Double seconds(Duration delay) {
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
