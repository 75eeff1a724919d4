package dev.correlator.db;

import java.io.EOFException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Locale;

import org.jboss.logging.Logger;

/**
 * Tells a database that cannot be reached (or is shutting down, or out of connections) from
 * a bug in a statement: the first is answered 503 and worth retrying, the second is not.
 */
public final class DatabaseOutage {

    private DatabaseOutage() {}

    /**
     * Runs one round of a scheduled job: a database outage skips the round with a warning (the
     * next round tries again), anything else is logged as the job's failure.
     */
    public static void guard(Logger log, String job, Runnable round) {
        try {
            round.run();
        } catch (RuntimeException e) {
            if (causedBy(e)) {
                log.warnf("%s skipped, database unavailable: %s", job, e.getMessage());
            } else {
                log.error(job + " failed", e);
            }
        }
    }

    public static boolean causedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state == null) {
                    // Agroal's acquisition timeout and a closed pool carry no SQL state.
                    String message = String.valueOf(sql.getMessage()).toLowerCase(Locale.ROOT);
                    if (message.contains("acquisition timeout")
                            || message.contains("closed")
                            || message.contains("connection")) {
                        return true;
                    }
                } else if (state.startsWith("08")
                        || state.startsWith("53")
                        || state.startsWith("57P")
                        || state.equals("40001")
                        || state.equals("40P01")) {
                    return true;
                }
            }
            if (cause instanceof ConnectException || cause instanceof EOFException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
