package dev.correlator.webhook;

import dev.correlator.change.DeliveryProjector;
import dev.correlator.payload.GitHubPayloads;
import dev.correlator.payload.ReceivedDelivery;

/**
 * A delivery that passed every check that needs no database: verified, parsed and validated,
 * with the projector that will write it (none for events the App does not use).
 */
record PreparedDelivery(
        ReceivedDelivery delivery,
        DeliveryProjector<GitHubPayloads.Event, Object> projector,
        GitHubPayloads.Event payload,
        String ignoredBecause,
        String serialKey) {}
