package dev.correlator.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rows gathered from many deliveries and written together: one JDBC batch per statement, which
 * the driver sends as multi-row statements (reWriteBatchedInserts). Rows are keyed by what the
 * table keys them by, so a row that two deliveries of one batch both carry is written once (a
 * multi-row upsert may not touch the same row twice), and they go out in key order, so two
 * transactions touching the same rows lock them in the same order.
 *
 * <p>Statements are flushed in the order they were first used: callers add parent rows first.
 */
public final class BatchWrites {

    private final Map<String, TreeMap<String, Object[]>> statements = new LinkedHashMap<>();

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

    public void flush(Connection connection) throws SQLException {
        for (Map.Entry<String, TreeMap<String, Object[]>> statement : statements.entrySet()) {
            Sql.batch(connection, statement.getKey(), new ArrayList<>(statement.getValue().values()));
        }
        statements.clear();
    }
}
