package dev.correlator.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.correlator.support.Database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Against the test database itself: the driver, not a mock, decides how statements travel. */
class PipelineTest {

    @Test
    void runsStatementsInOrderAndHandsEachQueryItsOwnRows() throws SQLException {
        try (Connection connection = Database.connect()) {
            connection.setAutoCommit(false);
            Pipeline pipeline = new Pipeline().update("create temporary table p (n integer, label text)");
            for (int i = 0; i < 3; i++) {
                pipeline.update("insert into p values (?, ?)", i, "row " + i);
            }
            List<String> labels = new ArrayList<>();
            List<Integer> counts = new ArrayList<>();
            pipeline.query("select label from p order by n", rows -> {
                        while (rows.next()) {
                            labels.add(rows.getString(1));
                        }
                    })
                    .query(
                            "select count(*) from p where n >= ?",
                            rows -> {
                                rows.next();
                                counts.add(rows.getInt(1));
                            },
                            1);
            pipeline.run(connection);

            assertEquals(
                    List.of("row 0", "row 1", "row 2"), labels, "a query sees what the statements before it wrote");
            assertEquals(List.of(2), counts);
            connection.rollback();
        }
    }

    @Test
    void splitsIntoSeveralRoundTripsBeyondTheParameterLimit() throws SQLException {
        int rows = Pipeline.MAX_PARAMETERS_PER_TRIP * 2 / 3 + 1; // two parameters each: two trips
        try (Connection connection = Database.connect()) {
            connection.setAutoCommit(false);
            Pipeline pipeline = new Pipeline().update("create temporary table p (n integer, m integer)");
            for (int i = 0; i < rows; i++) {
                pipeline.update("insert into p values (?, ?)", i, i);
            }
            pipeline.run(connection);
            int[] stored = new int[2];
            new Pipeline()
                    .query("select count(*), count(distinct n) from p", result -> {
                        result.next();
                        stored[0] = result.getInt(1);
                        stored[1] = result.getInt(2);
                    })
                    .run(connection);
            assertEquals(rows, stored[0]);
            assertEquals(rows, stored[1]);
            connection.rollback();
        }
    }

    @Test
    void aFailingStatementFailsTheTripAndItsTransactionKeepsNothing() throws SQLException {
        try (Connection connection = Database.connect()) {
            connection.setAutoCommit(false);
            new Pipeline()
                    .update("create temporary table p (n integer primary key)")
                    .run(connection);
            connection.commit();
            Pipeline pipeline = new Pipeline()
                    .update("insert into p values (?)", 1)
                    .update("insert into p values (?)", 1)
                    .update("insert into p values (?)", 2);
            SQLException failure = assertThrows(SQLException.class, () -> pipeline.run(connection));
            assertEquals("23505", failure.getSQLState());
            connection.rollback();
            int[] count = new int[1];
            new Pipeline()
                    .query("select count(*) from p", rows -> {
                        rows.next();
                        count[0] = rows.getInt(1);
                    })
                    .run(connection);
            assertEquals(0, count[0]);
        }
    }
}
