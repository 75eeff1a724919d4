package dev.correlator.change;

import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.correlator.model.ModelRows;
import dev.correlator.model.Rows;
import dev.correlator.payload.GitHubPayloads;
import dev.correlator.payload.GitHubPayloads.InstallationEvent;
import dev.correlator.payload.ReceivedDelivery;

import static dev.correlator.change.DeliveryProjector.require;

/** Which organizations installed the App, whether it is active there, and on which repositories. */
@ApplicationScoped
public class InstallationProjector implements DeliveryProjector<InstallationEvent, RepositoryDirectory> {

    /** What GitHub could not send while the App was not there (installed, unsuspended). */
    private static final Set<String> BACKFILLED = Set.of("created", "unsuspend");

    @Inject
    Backfill backfill;

    @Override
    public Set<String> events() {
        return Set.of("installation", "installation_repositories");
    }

    @Override
    public Class<InstallationEvent> payloadType() {
        return InstallationEvent.class;
    }

    @Override
    public void validate(String event, InstallationEvent payload) {
        require(payload.action(), "action");
        GitHubPayloads.Installation installation = require(payload.installation(), "installation");
        require(installation.id(), "installation.id");
        require(installation.account(), "installation.account");
        require(installation.account().id(), "installation.account.id");
        require(installation.account().login(), "installation.account.login");
        for (List<GitHubPayloads.Repository> list : List.of(
                repositories(payload.repositories()),
                repositories(payload.repositoriesAdded()),
                repositories(payload.repositoriesRemoved()))) {
            for (GitHubPayloads.Repository repository : list) {
                require(repository, "repositories[]");
                require(repository.id(), "repositories[].id");
                require(repository.fullName(), "repositories[].full_name");
            }
        }
    }

    @Override
    public RepositoryDirectory prefetch(List<InstallationEvent> payloads, BatchReads reads) {
        return reads.repositories();
    }

    @Override
    public ModelRows project(ReceivedDelivery delivery, InstallationEvent event, RepositoryDirectory repositories) {
        ModelRows rows = new ModelRows();
        GitHubPayloads.Installation installation = event.installation();
        // installation_repositories says nothing about suspension: it keeps the state it finds.
        boolean changesState = "installation".equals(delivery.event());
        String state = switch (event.action()) {
            case "deleted" -> "deleted";
            case "suspend" -> "suspended";
            default -> "active";
        };
        GitHubPayloads.Account account = installation.account();
        rows.add(new Rows.Installation(
                installation.id(),
                account.id(),
                account.login(),
                account.type() == null ? "Organization" : account.type(),
                event.repositorySelection() != null ? event.repositorySelection() : installation.repositorySelection(),
                state,
                installation.createdAt(),
                changesState));
        for (GitHubPayloads.Repository repository : repositories(event.repositories())) {
            if ("deleted".equals(state)) {
                repositories.remove(rows, repository.id());
            } else {
                repositories.record(rows, owned(repository, account), installation.id());
            }
        }
        for (GitHubPayloads.Repository repository : repositories(event.repositoriesAdded())) {
            repositories.record(rows, owned(repository, account), installation.id());
            backfill.repository(rows, installation.id(), repository);
        }
        if (changesState && BACKFILLED.contains(event.action())) {
            backfill.installation(rows, installation.id());
        }
        for (GitHubPayloads.Repository repository : repositories(event.repositoriesRemoved())) {
            repositories.remove(rows, repository.id());
        }
        return rows;
    }

    /** Installation events list repositories in a short form, without owner or URL. */
    private static GitHubPayloads.Repository owned(
            GitHubPayloads.Repository repository, GitHubPayloads.Account account) {
        return new GitHubPayloads.Repository(
                repository.id(),
                repository.name(),
                repository.fullName(),
                repository.owner() != null ? repository.owner() : account,
                repository.htmlUrl(),
                repository.defaultBranch(),
                repository.isPrivate(),
                null);
    }

    private static List<GitHubPayloads.Repository> repositories(List<GitHubPayloads.Repository> list) {
        return list == null ? List.of() : list;
    }
}
