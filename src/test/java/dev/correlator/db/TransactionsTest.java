package dev.correlator.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import dev.correlator.support.Database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** All or nothing, against the test database: what another session sees decides. */
class TransactionsTest {

    private final PGSimpleDataSource dataSource = new PGSimpleDataSource();

    @BeforeEach
    void scratchTable() throws SQLException {
        dataSource.setUrl(Database.URL);
        dataSource.setUser("postgres");
        dataSource.setPassword(System.getProperty("correlator.test.jdbc-password", ""));
        execute("drop table if exists transactions_test; create table transactions_test (n integer primary key)");
    }

    @AfterEach
    void dropIt() throws SQLException {
        execute("drop table transactions_test");
    }

    @Test
    void commitsWhatTheWorkWroteOnceItReturns() {
        int seenMeanwhile = Transactions.inTransaction(dataSource, connection -> {
            Sql.update(connection, "insert into transactions_test values (1), (2)");
            return count();
        });

        assertEquals(0, seenMeanwhile, "nothing visible before the commit");
        assertEquals(2, count());
    }

    @Test
    void rollsBackAndRethrowsWhatTheWorkThrew() {
        IllegalArgumentException thrown = new IllegalArgumentException("not this one");

        IllegalArgumentException caught = assertThrows(
                IllegalArgumentException.class,
                () -> Transactions.inTransaction(dataSource, connection -> {
                    Sql.update(connection, "insert into transactions_test values (1)");
                    throw thrown;
                }));

        assertSame(thrown, caught);
        assertEquals(0, count());
    }

    @Test
    void aFailingStatementRollsBackTheEarlierOnesAndKeepsItsSqlState() {
        IllegalStateException caught = assertThrows(
                IllegalStateException.class,
                () -> Transactions.inTransaction(dataSource, connection -> {
                    Sql.update(connection, "insert into transactions_test values (1)");
                    return Sql.update(connection, "insert into transactions_test values (1)");
                }));

        SQLException cause = assertInstanceOf(SQLException.class, caught.getCause());
        assertEquals("23505", cause.getSQLState(), "a lost race is still told apart by its state");
        assertEquals(0, count());
    }

    @Test
    void aWorkMaySendItsCommitInItsLastRoundTrip() {
        Transactions.inTransaction(dataSource, connection -> {
            new Pipeline()
                    .update("insert into transactions_test values (1)")
                    .update("commit")
                    .run(connection);
            return null;
        });

        assertEquals(1, count());
    }

    private int count() {
        return Sql.withConnection(
                dataSource,
                connection -> Sql.one(connection, "select count(*) from transactions_test", row -> row.getInt(1))
                        .orElseThrow());
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
