package dev.correlator.change;

import dev.correlator.webhook.GitHubPayloads;
import dev.correlator.webhook.ProjectionContext;

/** Keeps the repository row current: keyed by id, so a rename or transfer just updates names. */
public final class RepositoryDirectory {

    private static final String UPSERT = """
            insert into repository (id, installation_id, owner_id, owner_login, name, full_name, html_url,
                                    default_branch, private, removed_at, updated_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, true), null, now())
            on conflict (id) do update
               set installation_id = coalesce(excluded.installation_id, repository.installation_id),
                   owner_id = coalesce(excluded.owner_id, repository.owner_id),
                   owner_login = excluded.owner_login, name = excluded.name, full_name = excluded.full_name,
                   html_url = excluded.html_url,
                   default_branch = coalesce(excluded.default_branch, repository.default_branch),
                   private = excluded.private, removed_at = null, updated_at = now()
             where (repository.full_name, repository.installation_id, repository.default_branch,
                    repository.private, repository.removed_at is null)
                   is distinct from
                   (excluded.full_name, coalesce(excluded.installation_id, repository.installation_id),
                    coalesce(excluded.default_branch, repository.default_branch), excluded.private, true)""";

    private RepositoryDirectory() {
    }

    /** Records the repository when the context flushes; the newest names of a batch win. */
    public static void record(ProjectionContext context, GitHubPayloads.Repository repository,
            Long installationId) {
        String fullName = repository.fullName();
        String ownerLogin = repository.owner() != null && repository.owner().login() != null
                ? repository.owner().login()
                : fullName.substring(0, Math.max(fullName.indexOf('/'), 0));
        String name = repository.name() != null ? repository.name() : fullName.substring(fullName.indexOf('/') + 1);
        String htmlUrl = repository.htmlUrl() != null ? repository.htmlUrl() : "https://github.com/" + fullName;
        String state = ProjectionContext.repositoryState(fullName, installationId, repository.defaultBranch(),
                repository.isPrivate());
        if (installationId != null && repository.defaultBranch() != null && repository.isPrivate() != null
                && context.repositoryStoredAs(repository.id(), state)) {
            return; // unchanged: no write, no row lock shared with other writers
        }
        context.repositoryWritten(repository.id(), state);
        context.writes().put(UPSERT, String.valueOf(repository.id()), repository.id(), installationId,
                repository.owner() == null ? null : repository.owner().id(), ownerLogin, name, fullName, htmlUrl,
                repository.defaultBranch(), repository.isPrivate());
    }

    public static void remove(ProjectionContext context, long repositoryId) {
        context.writes().put("update repository set removed_at = now(), updated_at = now() where id = ?",
                String.valueOf(repositoryId), repositoryId);
    }
}
