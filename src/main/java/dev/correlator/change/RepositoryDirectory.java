package dev.correlator.change;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.correlator.db.Pipeline;
import dev.correlator.model.ModelRows;
import dev.correlator.model.Rows;
import dev.correlator.payload.GitHubPayloads;

/**
 * Keeps the repository row current: keyed by id, so a rename or transfer just updates names. One
 * instance serves a batch: it knows how the batch's repositories are stored (read with the
 * batch's reads) and what the batch wrote of them, so a repository whose row would not change is
 * not written (and not locked) at all.
 */
public final class RepositoryDirectory {

    /** How each repository is stored, or was last written by this batch. */
    private final Map<Long, String> states = new HashMap<>();

    private final Set<Long> wanted = new HashSet<>();
    /** The repositories this batch writes, by name, and their names. */
    private final Map<String, Long> holders = new HashMap<>();

    private final Map<Long, String> names = new HashMap<>();

    /** Which repositories the batch names; how they are stored is read with its reads. */
    public void want(Collection<Long> ids) {
        for (Long id : ids) {
            if (!states.containsKey(id)) {
                wanted.add(id);
            }
        }
    }

    void queue(Pipeline reads, Connection connection) throws SQLException {
        if (wanted.isEmpty()) {
            return;
        }
        reads.query(
                """
                select id, full_name, installation_id, default_branch, private from repository
                 where id = any (?) and removed_at is null""",
                rows -> {
                    while (rows.next()) {
                        stored(
                                rows.getLong(1),
                                rows.getString(2),
                                rows.getLong(3),
                                rows.getString(4),
                                rows.getBoolean(5));
                    }
                },
                connection.createArrayOf("bigint", wanted.toArray()));
        wanted.clear();
    }

    /** A repository stored with these values (read, or a test's). */
    public RepositoryDirectory stored(
            long id, String fullName, Long installationId, String defaultBranch, Boolean isPrivate) {
        states.put(id, state(fullName, installationId, defaultBranch, isPrivate));
        return this;
    }

    private static String state(String fullName, Long installationId, String defaultBranch, Boolean isPrivate) {
        return fullName + "|" + installationId + "|" + defaultBranch + "|" + isPrivate;
    }

    /** The repository as a payload names it now; written unless stored exactly so. */
    public void record(ModelRows rows, GitHubPayloads.Repository repository, Long installationId) {
        String fullName = repository.fullName();
        String ownerLogin = repository.owner() != null && repository.owner().login() != null
                ? repository.owner().login()
                : fullName.substring(0, Math.max(fullName.indexOf('/'), 0));
        String name = repository.name() != null ? repository.name() : fullName.substring(fullName.indexOf('/') + 1);
        String htmlUrl = repository.htmlUrl() != null ? repository.htmlUrl() : "https://github.com/" + fullName;
        String state = state(fullName, installationId, repository.defaultBranch(), repository.isPrivate());
        if (installationId != null
                && repository.defaultBranch() != null
                && repository.isPrivate() != null
                && state.equals(states.get(repository.id()))) {
            return; // unchanged: no write, no row lock shared with other writers
        }
        states.put(repository.id(), state);
        // Two repositories of one batch with one name: the later keeps it, the earlier is
        // written retired (by the writer), and written again if a later delivery names it.
        Long earlier = holders.put(fullName.toLowerCase(Locale.ROOT), repository.id());
        if (earlier != null && !earlier.equals(repository.id()) && fullName.equalsIgnoreCase(names.get(earlier))) {
            states.put(earlier, "retired");
        }
        names.put(repository.id(), fullName);
        rows.add(new Rows.Repository(
                repository.id(),
                installationId,
                repository.owner() == null ? null : repository.owner().id(),
                ownerLogin,
                name,
                fullName,
                htmlUrl,
                repository.defaultBranch(),
                repository.isPrivate()));
    }

    public void remove(ModelRows rows, long repositoryId) {
        states.put(repositoryId, "removed");
        rows.add(new Rows.RepositoryRemoved(repositoryId));
    }
}
