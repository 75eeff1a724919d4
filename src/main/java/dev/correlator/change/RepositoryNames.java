package dev.correlator.change;

import java.sql.Connection;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

import dev.correlator.db.Sql;
import dev.correlator.outbox.GiveUp;

/**
 * The name to ask GitHub about a repository by, read when queued work runs rather than when it
 * was queued: a repository renamed meanwhile is asked for under its new name, and one removed
 * meanwhile (or whose name another repository took) is not asked about at all, so a name that
 * changed hands never gets another repository's work.
 */
@ApplicationScoped
public class RepositoryNames {

    @Inject
    AgroalDataSource dataSource;

    /** The repository's current full name; {@link GiveUp} when it is removed or unknown. */
    public String current(long repositoryId) {
        try (Connection connection = dataSource.getConnection()) {
            return Sql.one(
                            connection,
                            "select full_name from repository where id = ? and removed_at is null",
                            row -> row.getString(1),
                            repositoryId)
                    .orElseThrow(() -> new GiveUp("repository " + repositoryId + " is removed or unknown"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
