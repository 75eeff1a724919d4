package dev.correlator.change;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.correlator.db.Sql;
import dev.correlator.webhook.DeliveryProjector;
import dev.correlator.webhook.GitHubPayloads;
import dev.correlator.webhook.GitHubPayloads.InstallationEvent;
import dev.correlator.webhook.ProjectionContext;
import dev.correlator.webhook.ReceivedDelivery;

import static dev.correlator.webhook.DeliveryProjector.require;

/** Which organizations installed the App, whether it is active there, and on which repositories. */
@ApplicationScoped
public class InstallationProjector implements DeliveryProjector<InstallationEvent> {

    private static final String UPSERT = """
            insert into installation (id, account_id, account_login, account_type, repository_selection, state,
                                      created_at, updated_at, deleted_at)
            values (?, ?, ?, ?, ?, ?, coalesce(?, now()), now(), case when ? then now() end)
            on conflict (id) do update
               set account_id = excluded.account_id, account_login = excluded.account_login,
                   account_type = excluded.account_type,
                   repository_selection = coalesce(excluded.repository_selection, installation.repository_selection),
                   state = case when ? then excluded.state else installation.state end, updated_at = now(),
                   -- Uninstalled: the grace period starts (once); installed again: it is cancelled.
                   deleted_at = case when not ? then installation.deleted_at
                                     when excluded.state = 'deleted' then coalesce(installation.deleted_at, now())
                                     when excluded.state = 'active' then null
                                     else installation.deleted_at end""";

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
    public void project(ReceivedDelivery delivery, InstallationEvent event, ProjectionContext context)
            throws SQLException {
        Connection connection = context.connection();
        GitHubPayloads.Installation installation = event.installation();
        // installation_repositories says nothing about suspension: it keeps the state it finds.
        boolean changesState = "installation".equals(delivery.event());
        String state = switch (event.action()) {
            case "deleted" -> "deleted";
            case "suspend" -> "suspended";
            default -> "active";
        };
        GitHubPayloads.Account account = installation.account();
        Sql.update(
                connection,
                UPSERT,
                installation.id(),
                account.id(),
                account.login(),
                account.type() == null ? "Organization" : account.type(),
                event.repositorySelection() != null ? event.repositorySelection() : installation.repositorySelection(),
                state,
                installation.createdAt(),
                "deleted".equals(state),
                changesState,
                changesState);
        for (GitHubPayloads.Repository repository : repositories(event.repositories())) {
            if ("deleted".equals(state)) {
                RepositoryDirectory.remove(context, repository.id());
            } else {
                RepositoryDirectory.record(context, owned(repository, account), installation.id());
            }
        }
        for (GitHubPayloads.Repository repository : repositories(event.repositoriesAdded())) {
            RepositoryDirectory.record(context, owned(repository, account), installation.id());
            backfill.repository(context.writes(), installation.id(), repository);
        }
        if (changesState && BACKFILLED.contains(event.action())) {
            backfill.installation(context.writes(), installation.id());
        }
        for (GitHubPayloads.Repository repository : repositories(event.repositoriesRemoved())) {
            RepositoryDirectory.remove(context, repository.id());
        }
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
