package dev.correlator.codespace;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

import dev.correlator.db.Pipeline;
import dev.correlator.db.Sql;
import dev.correlator.db.Transactions;
import dev.correlator.identity.Tombstones;
import dev.correlator.telemetry.ChangeSpans;
import dev.correlator.telemetry.SpanQueue;

/** Stores verified reports, and the Codespaces they name. */
@ApplicationScoped
public class CodespaceEvents {

    // Reads find a report's commits by its repository's id: the one GitHub gave with the Codespace,
    // since the App's row under that name may be stale (renamed, or taken by another repository);
    // the stored name only where GitHub gave none.
    private static final String REPOSITORY_NAMED =
            "select id from repository where lower(full_name) = lower(?) and removed_at is null";

    private static final String INSERT = """
            insert into codespace_event (event_id, codespace_name, type, repository_full_name, branch, sha, commits,
                                         occurred_at, received_at, verification, login, github_id, repository_id)
            values (?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?::bigint, (%s)))
            on conflict (event_id) do nothing""".formatted(REPOSITORY_NAMED);

    private static final String CODESPACE = """
            insert into codespace (name, owner_login, owner_github_id, repository_full_name, first_seen_at, last_seen_at,
                                   repository_id)
            values (?, ?, ?, ?, ?, ?, coalesce(?::bigint, (%s)))
            on conflict (name) do update
               set owner_login = excluded.owner_login, owner_github_id = excluded.owner_github_id,
                   repository_full_name = excluded.repository_full_name,
                   repository_id = coalesce(excluded.repository_id, codespace.repository_id),
                   last_seen_at = greatest(codespace.last_seen_at, excluded.last_seen_at)""".formatted(REPOSITORY_NAMED);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    SpanQueue spans;

    boolean exists(String eventId) {
        try (Connection connection = dataSource.getConnection()) {
            return Sql.one(connection, "select 1 from codespace_event where event_id = ?::uuid", row -> true, eventId)
                    .isPresent();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What became of a verified report. */
    enum Stored {
        STORED,
        /** An event of that id was stored meanwhile. */
        DUPLICATE,
        /** Its owner was erased: the App records nothing of them again. */
        ERASED
    }

    /** Stores the verified event and its Codespace in one transaction. */
    Stored store(CodespaceReport report, CodespaceVerifier.Verified verified, Instant now) {
        return Transactions.inTransaction(dataSource, connection -> {
            if (new Tombstones(connection).account(verified.githubId(), verified.login())) {
                return Stored.ERASED;
            }
            List<String> commits = report.commits() == null ? List.of() : report.commits();
            int added = Sql.update(
                    connection,
                    INSERT,
                    UUID.fromString(report.eventId()).toString(),
                    report.codespace(),
                    report.type(),
                    report.repository(),
                    report.branch(),
                    report.sha(),
                    connection.createArrayOf("text", commits.toArray()),
                    report.occurredAt(),
                    now,
                    "verified",
                    verified.login(),
                    verified.githubId(),
                    verified.repositoryId(),
                    report.repository());
            if (added == 1) {
                Sql.update(
                        connection,
                        CODESPACE,
                        report.codespace(),
                        verified.login(),
                        verified.githubId(),
                        report.repository(),
                        now,
                        now,
                        verified.repositoryId(),
                        report.repository());
            }
            if (added == 1 && spans.active()) {
                // The event's span, in the same transaction as the event.
                Pipeline trip = new Pipeline();
                spans.write(
                        connection,
                        List.of(ChangeSpans.codespaceEvent(
                                report.eventId(),
                                report.type(),
                                report.codespace(),
                                report.repository(),
                                report.branch(),
                                report.sha(),
                                commits.size(),
                                report.occurredAt(),
                                "verified",
                                verified.login())),
                        trip);
                trip.run(connection);
            }
            return added == 1 ? Stored.STORED : Stored.DUPLICATE;
        });
    }
}
