package dev.correlator.change;

import java.sql.Connection;
import java.sql.SQLException;

import dev.correlator.db.Pipeline;
import dev.correlator.identity.DeveloperReads;

/**
 * The reads of one batch of deliveries (or of one queued task), sent in one round trip before
 * anything is projected: what each projector's prefetch queues, and the developers and
 * repositories they all name, each asked for once.
 */
public final class BatchReads {

    private final Connection connection;
    private final Pipeline pipeline = new Pipeline();
    private final DeveloperReads developers;
    private final RepositoryDirectory repositories = new RepositoryDirectory();

    public BatchReads(Connection connection) {
        this.connection = connection;
        this.developers = new DeveloperReads(connection);
    }

    /** For a prefetch's own queries (and the inbox rows that travel with the reads). */
    public Pipeline pipeline() {
        return pipeline;
    }

    /** For the arrays a prefetch's queries bind. */
    public Connection connection() {
        return connection;
    }

    public DeveloperReads developers() {
        return developers;
    }

    public RepositoryDirectory repositories() {
        return repositories;
    }

    /** Sends everything queued, in one round trip; the prefetched records are complete after it. */
    public void run() throws SQLException {
        repositories.queue(pipeline, connection);
        developers.queue(pipeline);
        pipeline.run(connection);
    }
}
