package dev.correlator.outbox;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/** A claimed row of the queue, as its handler sees it. */
public record OutboxTask(
        long id,
        String kind,
        String dedupKey,
        Long installationId,
        JsonNode payload,
        int attempts,
        int version,
        Instant createdAt) {

    /** The installation to ask GitHub as; work without one can never be done. */
    public long requireInstallation() {
        if (installationId == null) {
            throw new GiveUp("no installation to ask GitHub with");
        }
        return installationId;
    }
}
