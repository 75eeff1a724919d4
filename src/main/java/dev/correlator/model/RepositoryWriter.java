package dev.correlator.model;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.correlator.db.Pipeline;

/** Writes installations, repositories and what follows from their names changing. */
final class RepositoryWriter {

    private RepositoryWriter() {}

    private static final String INSTALLATION = """
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

    private static final String INSTALLATION_RENAMED = """
            update installation set account_login = ?, updated_at = now()
             where account_id = ? and account_login is distinct from ?""";

    /**
     * A name belongs to one repository at a time (a unique index over the rows not removed): a
     * repository arriving under a name another row still holds (renamed or deleted since, without
     * the App hearing of it) retires that row in the same statement, so a delivery never fails on
     * the index. The insert waits on the retirement through the count; without it PostgreSQL runs
     * an unreferenced data-modifying WITH after the insert, which would then meet the old row.
     * One statement per repository: a multi-row one could retire a row it then also upserts,
     * which PostgreSQL refuses; repositories are written only when they change.
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

    private static final String REMOVED = """
            update repository set removed_at = now(), removed_by_github = true, updated_at = now()
             where id = any (?)""";

    /**
     * The account that owns repositories was renamed: their names follow, keyed by the owner's id
     * (rows stored without one, by the installation and the old login). A name the new ones take
     * from a row that still holds it is retired in the same statement, as in the upsert.
     */
    private static final String OWNER_RENAMED = """
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

    // The repository changed what it asks of the App: read the file again when next needed.
    private static final String SETTINGS_CHANGED = "delete from repository_settings where repository_id = any (?)";

    static void write(Connection connection, ModelRows rows, Pipeline trip) throws SQLException {
        for (Rows.Installation i : rows.installations()) {
            trip.update(
                    INSTALLATION,
                    i.id(),
                    i.accountId(),
                    i.accountLogin(),
                    i.accountType(),
                    i.repositorySelection(),
                    i.state(),
                    i.createdAt(),
                    "deleted".equals(i.state()),
                    i.changesState(),
                    i.changesState());
        }
        Map<Long, Rows.InstallationAccountRenamed> accounts = new TreeMap<>();
        rows.installationRenames().forEach(r -> accounts.put(r.accountId(), r));
        for (Rows.InstallationAccountRenamed renamed : accounts.values()) {
            trip.update(INSTALLATION_RENAMED, renamed.login(), renamed.accountId(), renamed.login());
        }
        writeRepositories(connection, rows, trip);
        Map<Long, Rows.RepositoryOwnerRenamed> owners = new TreeMap<>();
        rows.ownerRenames().forEach(r -> owners.put(r.ownerId(), r));
        for (Rows.RepositoryOwnerRenamed renamed : owners.values()) {
            trip.update(
                    OWNER_RENAMED,
                    renamed.ownerId(),
                    renamed.installationId(),
                    renamed.previousLogin(),
                    renamed.login());
        }
        if (!rows.settingsChanged().isEmpty()) {
            trip.update(
                    SETTINGS_CHANGED,
                    connection.createArrayOf(
                            "bigint",
                            rows.settingsChanged().stream()
                                    .map(Rows.RepositorySettingsChanged::repositoryId)
                                    .distinct()
                                    .toArray()));
        }
    }

    private record Upsert(Rows.Repository row, boolean retired) {}

    /**
     * The last change of each repository wins. When two deliveries of a batch name different
     * repositories with one name, the later one keeps it and the earlier is written retired.
     */
    private static void writeRepositories(Connection connection, ModelRows rows, Pipeline trip) throws SQLException {
        Map<Long, Object> changes = new LinkedHashMap<>();
        Map<String, Long> holders = new HashMap<>();
        for (Record change : rows.repositories()) {
            if (change instanceof Rows.RepositoryRemoved removed) {
                changes.put(removed.id(), removed);
                continue;
            }
            Rows.Repository row = (Rows.Repository) change;
            Long earlier = holders.put(row.fullName().toLowerCase(Locale.ROOT), row.id());
            if (earlier != null
                    && earlier != row.id()
                    && changes.get(earlier) instanceof Upsert held
                    && row.fullName().equalsIgnoreCase(held.row().fullName())) {
                changes.put(earlier, new Upsert(held.row(), true));
            }
            changes.put(row.id(), new Upsert(row, false));
        }
        // In key order, as text: two transactions lock the same rows in the same order.
        Map<String, Object> ordered = new TreeMap<>();
        changes.forEach((id, change) -> ordered.put(String.valueOf(id), change));
        List<Long> removed = new ArrayList<>();
        for (Object change : ordered.values()) {
            if (change instanceof Upsert upsert) {
                Rows.Repository r = upsert.row();
                trip.update(
                        UPSERT,
                        r.fullName(),
                        r.id(),
                        !upsert.retired(),
                        r.id(),
                        r.installationId(),
                        r.ownerId(),
                        r.ownerLogin(),
                        r.name(),
                        r.fullName(),
                        r.htmlUrl(),
                        r.defaultBranch(),
                        r.isPrivate(),
                        upsert.retired());
            } else {
                removed.add(((Rows.RepositoryRemoved) change).id());
            }
        }
        if (!removed.isEmpty()) {
            trip.update(REMOVED, connection.createArrayOf("bigint", removed.toArray()));
        }
    }
}
