package dev.correlator.change;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import dev.correlator.webhook.GitHubPayloads;
import dev.correlator.webhook.ProjectionContext;

/** Keeps the repository row current: keyed by id, so a rename or transfer just updates names. */
public final class RepositoryDirectory {

    /**
     * A name belongs to one repository at a time (a unique index over the rows not removed): a
     * repository arriving under a name another row still holds (renamed or deleted since, without
     * the App hearing of it) retires that row in the same statement, so a delivery never fails on
     * the index. The insert waits on the retirement through the count; without it PostgreSQL runs
     * an unreferenced data-modifying WITH after the insert, which would then meet the old row.
     */
    private static final String UPSERT = """
            with retired as (
                 update repository set removed_at = now(), updated_at = now()
                  where lower(full_name) = lower(?::text) and id <> ?::bigint and removed_at is null and ?::boolean
                 returning id)
            insert into repository (id, installation_id, owner_id, owner_login, name, full_name, html_url,
                                    default_branch, private, removed_at, updated_at)
            select ?::bigint, ?::bigint, ?::bigint, ?::text, ?::text, ?::text, ?::text, ?::text,
                   coalesce(?::boolean, true), case when ?::boolean then now() end, now()
             where (select count(*) from retired) >= 0
            on conflict (id) do update
               set installation_id = coalesce(excluded.installation_id, repository.installation_id),
                   owner_id = coalesce(excluded.owner_id, repository.owner_id),
                   owner_login = excluded.owner_login, name = excluded.name, full_name = excluded.full_name,
                   html_url = excluded.html_url,
                   default_branch = coalesce(excluded.default_branch, repository.default_branch),
                   private = excluded.private, removed_at = excluded.removed_at,
                   removed_by_github = repository.removed_by_github and excluded.removed_at is not null,
                   updated_at = now()
             where (repository.full_name, repository.installation_id, repository.default_branch,
                    repository.private, repository.removed_at is null)
                   is distinct from
                   (excluded.full_name, coalesce(excluded.installation_id, repository.installation_id),
                    coalesce(excluded.default_branch, repository.default_branch), excluded.private,
                    excluded.removed_at is null)""";

    /**
     * The repositories a batch writes, by name: when two of its deliveries name different
     * repositories with one name, the later one keeps it and the earlier is written retired.
     */
    private static final class NamesInBatch {
        final Map<String, Long> holders = new HashMap<>();
        final Map<Long, Object[]> rows = new HashMap<>();
    }

    private RepositoryDirectory() {}

    /** Records the repository when the context flushes; the newest names of a batch win. */
    public static void record(ProjectionContext context, GitHubPayloads.Repository repository, Long installationId) {
        String fullName = repository.fullName();
        String ownerLogin = repository.owner() != null && repository.owner().login() != null
                ? repository.owner().login()
                : fullName.substring(0, Math.max(fullName.indexOf('/'), 0));
        String name = repository.name() != null ? repository.name() : fullName.substring(fullName.indexOf('/') + 1);
        String htmlUrl = repository.htmlUrl() != null ? repository.htmlUrl() : "https://github.com/" + fullName;
        String state = ProjectionContext.repositoryState(
                fullName, installationId, repository.defaultBranch(), repository.isPrivate());
        if (installationId != null
                && repository.defaultBranch() != null
                && repository.isPrivate() != null
                && context.repositoryStoredAs(repository.id(), state)) {
            return; // unchanged: no write, no row lock shared with other writers
        }
        context.repositoryWritten(repository.id(), state);
        Object[] row = {
            repository.id(),
            installationId,
            repository.owner() == null ? null : repository.owner().id(),
            ownerLogin,
            name,
            fullName,
            htmlUrl,
            repository.defaultBranch(),
            repository.isPrivate()
        };
        NamesInBatch names = context.shared(NamesInBatch.class, NamesInBatch::new);
        Long earlier = names.holders.put(fullName.toLowerCase(Locale.ROOT), repository.id());
        if (earlier != null
                && !earlier.equals(repository.id())
                && names.rows.containsKey(earlier)
                && fullName.equalsIgnoreCase((String) names.rows.get(earlier)[5])) {
            context.repositoryWritten(earlier, "retired");
            write(context, names.rows.get(earlier), true);
        }
        names.rows.put(repository.id(), row);
        write(context, row, false);
    }

    private static void write(ProjectionContext context, Object[] row, boolean retired) {
        Object[] parameters = new Object[row.length + 4];
        parameters[0] = row[5];
        parameters[1] = row[0];
        parameters[2] = !retired;
        System.arraycopy(row, 0, parameters, 3, row.length);
        parameters[parameters.length - 1] = retired;
        context.writes().put(UPSERT, String.valueOf(row[0]), parameters);
    }

    /**
     * The account that owns repositories was renamed: their names follow, keyed by the owner's id
     * (rows stored without one, by the installation and the old login). A name the new ones take
     * from a row that still holds it is retired in the same statement, as in the upsert.
     */
    private static final String RENAME_OWNER = """
            with target as (select ?::bigint as owner_id, ?::bigint as installation_id, ?::text as previous,
                                   ?::text as login),
                 renamed as (select r.id, t.login || '/' || r.name as full_name
                               from repository r, target t
                              where r.removed_at is null
                                and (r.owner_id = t.owner_id
                                     or (r.owner_id is null and r.installation_id = t.installation_id
                                         and lower(r.owner_login) = lower(t.previous)))),
                 retired as (update repository set removed_at = now(), updated_at = now()
                              where removed_at is null and id not in (select id from renamed)
                                and lower(full_name) in (select lower(full_name) from renamed)
                             returning id)
            update repository r
               set owner_login = t.login, full_name = n.full_name,
                   html_url = regexp_replace(r.html_url, '/[^/]+/([^/]+)$', '/' || t.login || '/\\1'),
                   updated_at = now()
              from renamed n, target t
             where r.id = n.id and r.full_name <> n.full_name and (select count(*) from retired) >= 0""";

    public static void renameOwner(
            ProjectionContext context, long ownerId, Long installationId, String previous, String login) {
        context.writes().put(RENAME_OWNER, String.valueOf(ownerId), ownerId, installationId, previous, login);
    }

    public static void remove(ProjectionContext context, long repositoryId) {
        context.writes()
                .put(
                        "update repository set removed_at = now(), removed_by_github = true, updated_at = now() where id = ?",
                        String.valueOf(repositoryId),
                        repositoryId);
    }
}
