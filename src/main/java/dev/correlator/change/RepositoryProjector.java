package dev.correlator.change;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.correlator.CorrelatorConfig;
import dev.correlator.outbox.Outbox;
import dev.correlator.webhook.DeliveryProjector;
import dev.correlator.webhook.GitHubPayloads.RepositoryEvent;
import dev.correlator.webhook.ProjectionContext;
import dev.correlator.webhook.ReceivedDelivery;

import static dev.correlator.webhook.DeliveryProjector.require;

/**
 * Renames, transfers and deletions: the repository keeps its id and its history follows it. A
 * repository made public has its pull request comments written again.
 */
@ApplicationScoped
public class RepositoryProjector implements DeliveryProjector<RepositoryEvent> {

    @Inject
    Outbox outbox;

    @Inject
    CorrelatorConfig config;

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
        if ("publicized".equals(event.action()) && config.comments().enabled()) {
            // Its comments were written for readers of a private repository, naming Codespaces:
            // each is written again as a public repository's comment is.
            CommentUpdate.enqueueForEachComment(
                    outbox,
                    context.writes(),
                    "publicized:" + event.repository().id(),
                    event.repository().id());
        }
    }
}
