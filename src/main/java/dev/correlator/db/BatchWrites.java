package dev.correlator.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rows gathered from many deliveries and written together: an INSERT with one row of
 * placeholders goes out as multi-row statements, anything else once per row, and all of it in
 * one round trip ({@link Pipeline}). Rows are keyed by what the table keys them by, so a row
 * that two deliveries of one batch both carry is written once (a multi-row upsert may not touch
 * the same row twice), and they go out in key order, so two transactions touching the same
 * rows lock them in the same order.
 *
 * <p>Statements are written in the order they were first used: callers add parent rows first.
 */
public final class BatchWrites {

    /** Rows per multi-row statement, as the driver's own batch rewriting does. */
    private static final int MAX_ROWS = 128;

    private static final Pattern VALUES = Pattern.compile("\\bvalues\\s*\\(", Pattern.CASE_INSENSITIVE);

    private final Map<String, TreeMap<String, Object[]>> statements = new LinkedHashMap<>();
    private final Map<String, ColumnArrays> arrayStatements = new java.util.HashMap<>();

    /**
     * A statement that takes its rows as one array per column ({@code unnest(?::bigint[], ...)}),
     * with the SQL type of each column. For the tables with many rows per delivery: a multi-row
     * VALUES statement is parsed and planned anew for every batch, which was a quarter of the
     * database's CPU at intake; this text never changes and costs the same for 1 row or 500.
     */
    public record ColumnArrays(String sql, String... types) {}

    /** Adds a row of a column-array statement; if a row with this key is waiting, the first one stays. */
    public void add(ColumnArrays statement, String key, Object... row) {
        arrayStatements.putIfAbsent(statement.sql(), statement);
        add(statement.sql(), key, row);
    }

    /** Adds a row; if a row with this key is already waiting, the first one stays. */
    public void add(String sql, String key, Object... row) {
        statements.computeIfAbsent(sql, s -> new TreeMap<>()).putIfAbsent(key, row);
    }

    /** Adds a row; if a row with this key is already waiting, this newer one replaces it. */
    public void put(String sql, String key, Object... row) {
        statements.computeIfAbsent(sql, s -> new TreeMap<>()).put(key, row);
    }

    public boolean isEmpty() {
        return statements.isEmpty();
    }

    /** Writes every waiting row, then runs the statements of {@code then}, in one round trip. */
    public void flush(Connection connection, Pipeline then) throws SQLException {
        Pipeline pipeline = new Pipeline();
        for (Map.Entry<String, TreeMap<String, Object[]>> statement : statements.entrySet()) {
            ColumnArrays arrays = arrayStatements.get(statement.getKey());
            if (arrays != null) {
                pipeline.update(
                        arrays.sql(),
                        columns(connection, arrays, statement.getValue().values()));
            } else {
                addTo(pipeline, statement.getKey(), statement.getValue().values());
            }
        }
        statements.clear();
        pipeline.append(then).run(connection);
    }

    private static Object[] columns(Connection connection, ColumnArrays statement, Collection<Object[]> rows)
            throws SQLException {
        String[] types = statement.types();
        Object[][] columns = new Object[types.length][rows.size()];
        int r = 0;
        for (Object[] row : rows) {
            for (int c = 0; c < types.length; c++) {
                Object value = row[c];
                columns[c][r] = value instanceof java.time.Instant instant ? TimestampText.of(instant) : value;
            }
            r++;
        }
        Object[] parameters = new Object[types.length];
        for (int c = 0; c < types.length; c++) {
            // Timestamps travel as text and are cast by the statement (?::timestamptz[]).
            String type = types[c].equals("timestamptz") ? "text" : types[c];
            Object[] values = switch (type) {
                case "bigint" -> java.util.Arrays.copyOf(columns[c], rows.size(), Long[].class);
                case "integer" -> java.util.Arrays.copyOf(columns[c], rows.size(), Integer[].class);
                case "boolean" -> java.util.Arrays.copyOf(columns[c], rows.size(), Boolean[].class);
                default -> java.util.Arrays.copyOf(columns[c], rows.size(), String[].class);
            };
            parameters[c] = connection.createArrayOf(type, values);
        }
        return parameters;
    }

    static void addTo(Pipeline pipeline, String sql, Collection<Object[]> rows) {
        int[] tuple = rows.size() > 1 ? valuesTuple(sql) : null;
        if (tuple == null) {
            rows.forEach(row -> pipeline.update(sql, row));
            return;
        }
        String head = sql.substring(0, tuple[0]);
        String one = sql.substring(tuple[0], tuple[1]);
        String tail = sql.substring(tuple[1]);
        int width = Math.max(1, rows.iterator().next().length);
        int perStatement = Math.max(1, Math.min(MAX_ROWS, Pipeline.MAX_PARAMETERS_PER_TRIP / 2 / width));
        List<Object[]> all = new ArrayList<>(rows);
        for (int from = 0; from < all.size(); from += perStatement) {
            List<Object[]> chunk = all.subList(from, Math.min(all.size(), from + perStatement));
            StringBuilder text = new StringBuilder(head.length() + tail.length() + chunk.size() * (one.length() + 2));
            text.append(head);
            List<Object> parameters = new ArrayList<>(chunk.size() * width);
            for (int i = 0; i < chunk.size(); i++) {
                text.append(i == 0 ? "" : ", ").append(one);
                parameters.addAll(java.util.Arrays.asList(chunk.get(i)));
            }
            pipeline.update(text.append(tail).toString(), parameters.toArray());
        }
    }

    /** Where the single row of an INSERT ... VALUES (...) is, or null for any other statement. */
    static int[] valuesTuple(String sql) {
        if (!sql.stripLeading().regionMatches(true, 0, "insert", 0, 6)) {
            return null;
        }
        Matcher values = VALUES.matcher(sql);
        if (!values.find()) {
            return null;
        }
        int start = values.end() - 1;
        int depth = 0;
        boolean quoted = false;
        for (int i = start; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && --depth == 0) {
                return new int[] {start, i + 1};
            }
        }
        return null;
    }
}
