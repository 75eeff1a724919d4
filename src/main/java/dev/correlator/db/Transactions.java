package dev.correlator.db;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * The one way the App runs JDBC statements that must commit together: a local transaction on
 * a connection of its own from the pool, committed when the work returns and rolled back when
 * it throws. Statements that are correct one by one run in auto-commit instead ({@link
 * Sql#withConnection}).
 *
 * <p>Local, not JTA: intake sends its {@code COMMIT} in the last round trip of a batch, which a
 * JTA commit would send again on its own, and the transaction manager's bookkeeping showed in
 * intake profiles. No caller mixes these statements with Hibernate's, so nothing needs JTA to
 * join them (see docs/design.md, "Transactions"). The pool restores auto-commit when the
 * connection goes back to it.
 */
public final class Transactions {

    private Transactions() {}

    /**
     * Runs the work in one transaction and returns what it returned. An unchecked exception
     * reaches the caller as it was; an {@link SQLException} as the cause of an {@link
     * IllegalStateException}, so its SQL state still tells an outage or a lost race apart.
     */
    public static <T> T inTransaction(DataSource dataSource, Sql.Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                // Sends nothing when the work's last round trip carried the COMMIT.
                connection.commit();
                return result;
            } catch (Throwable e) {
                // Any throwable: given back open, the connection's pending work would be
                // committed when the pool restores auto-commit.
                try {
                    connection.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the transaction was rolled back: " + e.getMessage(), e);
        }
    }
}
