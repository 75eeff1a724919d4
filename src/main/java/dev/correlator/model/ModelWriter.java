package dev.correlator.model;

import java.sql.Connection;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.correlator.db.Pipeline;
import dev.correlator.outbox.Outbox;
import dev.correlator.telemetry.SpanQueue;

/**
 * Writes the rows of a batch of projections, each table group by its writer, with set-based
 * statements added to the caller's round trip. The order is fixed: developers before the rows
 * that name them, parents before children, the queue last.
 */
@ApplicationScoped
public class ModelWriter {

    @Inject
    Outbox outbox;

    @Inject
    SpanQueue spans;

    /** Adds the statements that write the rows to {@code trip}; the caller runs it (and commits). */
    public void write(Connection connection, ModelRows rows, Pipeline trip) throws SQLException {
        DeveloperWriter.write(connection, rows, trip);
        RepositoryWriter.write(connection, rows, trip);
        CommitWriter.write(connection, rows, trip);
        DeveloperWriter.resolveWaiting(connection, rows, trip);
        BranchWriter.write(connection, rows, trip);
        PullRequestWriter.write(connection, rows, trip);
        outbox.write(connection, rows.queueRequests(), rows.queueRequestsPerRow(), trip);
        spans.write(connection, rows.spans(), trip);
    }

    /** Writes the rows now, in one round trip, on the caller's transaction. */
    public void writeNow(Connection connection, ModelRows rows) throws SQLException {
        Pipeline trip = new Pipeline();
        write(connection, rows, trip);
        trip.run(connection);
    }
}
