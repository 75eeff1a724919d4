package dev.correlator.webhook;

import java.sql.Connection;
import java.sql.SQLException;

import dev.correlator.db.BatchWrites;
import dev.correlator.db.Pipeline;
import dev.correlator.identity.DeveloperDirectory;

/**
 * What projectors write with: the transaction's connection, the developers resolved so far in
 * it, and the rows waiting to be written together. One context serves a whole intake batch (or
 * one queued task), so lookups and writes are shared by every delivery in it.
 */
public final class ProjectionContext {

    private final Connection connection;
    private final DeveloperDirectory developers;
    private final BatchWrites writes = new BatchWrites();
    private final Pipeline reads = new Pipeline();
    private final java.util.Map<Long, String> repositories = new java.util.HashMap<>();
    private final java.util.Map<Class<?>, Object> shared = new java.util.HashMap<>();

    public ProjectionContext(Connection connection) {
        this.connection = connection;
        this.developers = new DeveloperDirectory(connection);
    }

    public Connection connection() {
        return connection;
    }

    public DeveloperDirectory developers() {
        return developers;
    }

    public BatchWrites writes() {
        return writes;
    }

    /** Queries queued by the prefetch steps; {@link #runReads()} sends them in one round trip. */
    public Pipeline reads() {
        return reads;
    }

    public void runReads() throws SQLException {
        developers.tombstones().prefetch(reads);
        reads.run(connection);
        developers.recordNewLogins();
    }

    /**
     * Queues a read of how the batch's repositories are stored now, so that a repository whose row would
     * not change is not written (and not locked) at all.
     */
    public void prefetchRepositories(java.util.Set<Long> ids) throws SQLException {
        ids.removeAll(repositories.keySet());
        if (ids.isEmpty()) {
            return;
        }
        reads.query(
                """
                select id, full_name, installation_id, default_branch, private from repository
                 where id = any (?) and removed_at is null""",
                rows -> {
                    while (rows.next()) {
                        repositories.put(
                                rows.getLong(1),
                                repositoryState(
                                        rows.getString(2), rows.getLong(3), rows.getString(4), rows.getBoolean(5)));
                    }
                },
                connection.createArrayOf("bigint", ids.toArray()));
    }

    /** Whether the repository is stored with exactly these values. */
    public boolean repositoryStoredAs(long id, String state) {
        return state.equals(repositories.get(id));
    }

    public void repositoryWritten(long id, String state) {
        repositories.put(id, state);
    }

    public static String repositoryState(
            String fullName, Long installationId, String defaultBranch, Boolean isPrivate) {
        return fullName + "|" + installationId + "|" + defaultBranch + "|" + isPrivate;
    }

    /**
     * What a projector's prefetch found for the whole batch, kept until its deliveries are
     * projected: one instance of the type per context, made on first use.
     */
    public <T> T shared(Class<T> type, java.util.function.Supplier<T> create) {
        return type.cast(shared.computeIfAbsent(type, key -> create.get()));
    }

    /** Writes what is waiting; anything that reads the model must come after. */
    public void flush() throws SQLException {
        writes.flush(connection, new Pipeline());
    }

    /** Writes what is waiting, then runs these statements, in one round trip. */
    public void flush(Pipeline then) throws SQLException {
        writes.flush(connection, then);
    }
}
