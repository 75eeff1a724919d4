package dev.correlator.outbox;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Does one kind of queued work. {@link #perform} runs with no transaction open (it talks to
 * GitHub); what it returns is applied in the transaction that marks the row done, so a
 * result is written exactly once even when the call itself happened twice.
 */
public interface OutboxHandler {

    String kind();

    Completion perform(OutboxTask task) throws Exception;

    @FunctionalInterface
    interface Completion {
        Completion NOTHING = connection -> {};

        void apply(Connection connection) throws SQLException;
    }
}
