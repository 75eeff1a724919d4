package dev.correlator.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Direct access to the test database, over a connection of its own, to set the stage and to
 * check what was stored without going through the code under test.
 */
public final class Database {

    private Database() {}

    /**
     * The test database's name: TEST_DB_NAME, so that two checkouts can run their tests side by
     * side (application.properties reads the same variable).
     */
    public static final String NAME = System.getenv().getOrDefault("TEST_DB_NAME", "correlator_test");

    /** The test database, straight, whatever route the App under test takes to it. */
    public static final String URL =
            System.getProperty("correlator.test.jdbc-url", "jdbc:postgresql://127.0.0.1:5432/" + NAME);

    public static Connection connect() throws SQLException {
        return DriverManager.getConnection(URL, "postgres", System.getProperty("correlator.test.jdbc-password", ""));
    }

    public static void clean() {
        execute("""
                truncate delivery, push, git_commit, commit_coauthor, branch_commit, pull_request,
                         pull_request_commit, developer_email, developer, repository, installation, outbox, span_outbox,
                         codespace, codespace_event, codespace_observation, pull_request_comment,
                         repository_settings, job_checkpoint, redelivery, api_audit, api_token, erasure_tombstone
                restart identity cascade""");
    }

    public static void execute(String sql) {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long count(String sql, Object... parameters) {
        return first(sql, parameters, rows -> {
            rows.next();
            return rows.getLong(1);
        });
    }

    public static String string(String sql, Object... parameters) {
        return first(sql, parameters, rows -> rows.next() ? rows.getString(1) : null);
    }

    private interface Read<T> {
        T from(ResultSet rows) throws SQLException;
    }

    private static <T> T first(String sql, Object[] parameters, Read<T> read) {
        try (Connection connection = connect();
                var statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return read.from(rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
