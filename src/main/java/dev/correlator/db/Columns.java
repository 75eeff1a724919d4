package dev.correlator.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The parameters of a statement that takes its rows as one array per column
 * ({@code select ... from unnest(?::bigint[], ?::text[], ...)}): each column is named by the
 * record component it reads, next to the statement's column list. The statement's text is the
 * same for 1 row or 500, so PostgreSQL does not parse and plan it anew for every batch (a
 * multi-row VALUES statement was a quarter of the database's CPU at intake).
 *
 * <p>Timestamps travel as text ({@link TimestampText}) and are cast by the statement
 * ({@code ?::timestamptz[]}).
 */
public final class Columns<R> {

    private final Connection connection;
    private final List<R> rows;
    private final List<Object> parameters = new ArrayList<>();

    private Columns(Connection connection, Collection<R> rows) {
        this.connection = connection;
        this.rows = new ArrayList<>(rows);
    }

    public static <R> Columns<R> of(Connection connection, Collection<R> rows) {
        return new Columns<>(connection, rows);
    }

    public Columns<R> bigint(Function<R, Long> column) throws SQLException {
        return add("bigint", column, Long[]::new);
    }

    public Columns<R> integer(Function<R, Integer> column) throws SQLException {
        return add("integer", column, Integer[]::new);
    }

    public Columns<R> bool(Function<R, Boolean> column) throws SQLException {
        return add("boolean", column, Boolean[]::new);
    }

    public Columns<R> float8(Function<R, Double> column) throws SQLException {
        return add("float8", column, Double[]::new);
    }

    public Columns<R> text(Function<R, String> column) throws SQLException {
        return add("text", column, String[]::new);
    }

    public Columns<R> timestamptz(Function<R, Instant> column) throws SQLException {
        return add(
                "text",
                row -> {
                    Instant instant = column.apply(row);
                    return instant == null ? null : TimestampText.of(instant);
                },
                String[]::new);
    }

    /** What the statement binds, in the order the columns were named. */
    public Object[] parameters() {
        return parameters.toArray();
    }

    private <V> Columns<R> add(String type, Function<R, V> column, IntFunction<V[]> array) throws SQLException {
        V[] values = array.apply(rows.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(rows.get(i));
        }
        parameters.add(connection.createArrayOf(type, values));
        return this;
    }
}
