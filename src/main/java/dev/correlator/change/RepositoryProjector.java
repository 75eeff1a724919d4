package dev.correlator.change;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.correlator.CorrelatorConfig;
import dev.correlator.model.ModelRows;
import dev.correlator.payload.GitHubPayloads.RepositoryEvent;
import dev.correlator.payload.ReceivedDelivery;

import static dev.correlator.change.DeliveryProjector.require;

/**
 * Renames, transfers and deletions: the repository keeps its id and its history follows it. A
 * repository made public has its pull request comments written again.
 */
@ApplicationScoped
public class RepositoryProjector implements DeliveryProjector<RepositoryEvent, RepositoryDirectory> {

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
    public RepositoryDirectory prefetch(List<RepositoryEvent> payloads, BatchReads reads) {
        return reads.repositories();
    }

    @Override
    public ModelRows project(ReceivedDelivery delivery, RepositoryEvent event, RepositoryDirectory repositories) {
        ModelRows rows = new ModelRows();
        if ("deleted".equals(event.action())) {
            repositories.remove(rows, event.repository().id());
        } else {
            repositories.record(rows, event.repository(), event.installationId());
        }
        if ("publicized".equals(event.action()) && config.comments().enabled()) {
            // Its comments were written for readers of a private repository, naming Codespaces:
            // each is written again as a public repository's comment is.
            rows.add(CommentUpdate.forEachComment(
                    "publicized:" + event.repository().id(), event.repository().id()));
        }
        return rows;
    }
}
