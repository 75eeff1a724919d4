package dev.correlator.webhook;

import java.sql.Connection;
import java.sql.SQLException;

import dev.correlator.db.BatchWrites;
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

    /** Writes what is waiting; anything that reads the model must come after. */
    public void flush() throws SQLException {
        writes.flush(connection);
    }
}
