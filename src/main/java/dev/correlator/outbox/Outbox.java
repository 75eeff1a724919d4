package dev.correlator.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.correlator.db.BatchWrites;

/**
 * Puts work on the durable queue, in the caller's transaction: the work exists if and only if
 * the fact that caused it was stored.
 */
@ApplicationScoped
public class Outbox {

    // Asking again for work that is still waiting only refreshes it; if a worker holds it, the
    // version bump makes that worker leave the row pending so the newer request runs too.
    private static final String ENQUEUE = """
            insert into outbox (kind, dedup_key, installation_id, payload, available_at, created_at)
            values (?, ?, ?, ?::jsonb, now(), now())
            on conflict (kind, dedup_key) where status = 'pending' do update
               set payload = excluded.payload, version = outbox.version + 1,
                   available_at = least(outbox.available_at, excluded.available_at)""";

    @Inject
    ObjectMapper json;

    /** Written with the other rows of the transaction's batch when it flushes. */
    public void enqueue(BatchWrites writes, String kind, String dedupKey, Long installationId, Object payload) {
        writes.put(ENQUEUE, kind + ":" + dedupKey, kind, dedupKey, installationId, serialise(kind, payload));
    }

    private String serialise(String kind, Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot serialise outbox payload of " + kind, e);
        }
    }
}
