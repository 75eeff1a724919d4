package dev.correlator.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Statements sent to PostgreSQL together, in one round trip: the driver takes a statement
 * text with several statements separated by semicolons, sends each (parse, bind, execute) and
 * one sync after the last, and hands back their results in order. Under load every round trip
 * waits for a core on both sides; at 16 connections an intake batch spent most of its time in
 * a dozen of them, so the statements that need nothing from each other go out together.
 *
 * <p>They run in order in the caller's transaction: a statement sees what the earlier ones
 * wrote, and a failing one fails the transaction (the statements after it do not run).
 */
public final class Pipeline {

    /** Far below the protocol's 65,535 parameters per statement, and a sane message size. */
    static final int MAX_PARAMETERS_PER_TRIP = 30_000;

    @FunctionalInterface
    public interface Rows {
        void accept(ResultSet rows) throws SQLException;
    }

    private record Statement(String sql, Object[] parameters, Rows rows) {}

    private final List<Statement> statements = new ArrayList<>();

    /** A query; its rows go to the handler when the pipeline runs. */
    public Pipeline query(String sql, Rows rows, Object... parameters) {
        statements.add(new Statement(sql, parameters, rows));
        return this;
    }

    /** A statement whose result does not matter to the caller. */
    public Pipeline update(String sql, Object... parameters) {
        statements.add(new Statement(sql, parameters, null));
        return this;
    }

    /** Moves the other pipeline's statements to the end of this one. */
    public Pipeline append(Pipeline other) {
        statements.addAll(other.statements);
        other.statements.clear();
        return this;
    }

    public boolean isEmpty() {
        return statements.isEmpty();
    }

    /** Sends everything waiting, in as few round trips as the parameter limit allows. */
    public void run(Connection connection) throws SQLException {
        List<Statement> trip = new ArrayList<>();
        int parameters = 0;
        for (Statement statement : statements) {
            if (!trip.isEmpty() && parameters + statement.parameters().length > MAX_PARAMETERS_PER_TRIP) {
                send(connection, trip);
                trip.clear();
                parameters = 0;
            }
            trip.add(statement);
            parameters += statement.parameters().length;
        }
        statements.clear();
        if (!trip.isEmpty()) {
            send(connection, trip);
        }
    }

    private static void send(Connection connection, List<Statement> trip) throws SQLException {
        StringBuilder sql = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        for (Statement statement : trip) {
            if (sql.length() > 0) {
                sql.append(";\n");
            }
            sql.append(statement.sql());
            parameters.addAll(Arrays.asList(statement.parameters()));
        }
        try (PreparedStatement prepared = connection.prepareStatement(sql.toString())) {
            Sql.bind(prepared, parameters.toArray());
            boolean rows = prepared.execute();
            for (Statement statement : trip) {
                if (rows && statement.rows() != null) {
                    try (ResultSet result = prepared.getResultSet()) {
                        statement.rows().accept(result);
                    }
                }
                rows = prepared.getMoreResults();
            }
        }
    }
}
