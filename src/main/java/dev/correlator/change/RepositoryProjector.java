package dev.correlator.change;

import static dev.correlator.webhook.DeliveryProjector.require;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.correlator.webhook.DeliveryProjector;
import dev.correlator.webhook.GitHubPayloads;
import dev.correlator.webhook.GitHubPayloads.RepositoryEvent;
import dev.correlator.webhook.ProjectionContext;
import dev.correlator.webhook.ReceivedDelivery;

/** Renames, transfers and deletions: the repository keeps its id and its history follows it. */
@ApplicationScoped
public class RepositoryProjector implements DeliveryProjector<RepositoryEvent> {

    @Override
    public Set<String> events() {
        return Set.of("repository");
    }

    @Override
    public Class<RepositoryEvent> payloadType() {
        return RepositoryEvent.class;
    }

    @Override
    public void validate(String event, RepositoryEvent payload) {
        require(payload.action(), "action");
        require(payload.repository(), "repository");
        require(payload.repository().id(), "repository.id");
        require(payload.repository().fullName(), "repository.full_name");
    }

    @Override
    public void project(ReceivedDelivery delivery, RepositoryEvent event, ProjectionContext context) {
        if ("deleted".equals(event.action())) {
            RepositoryDirectory.remove(context, event.repository().id());
        } else {
            RepositoryDirectory.record(context, event.repository(), event.installationId());
        }
    }
}
