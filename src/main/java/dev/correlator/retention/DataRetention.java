package dev.correlator.retention;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

import dev.correlator.CorrelatorConfig;
import dev.correlator.db.ClusterJob;
import dev.correlator.db.Sql;
import dev.correlator.db.Transactions;

/**
 * Data about people does not outlive its purpose. Every {@code correlator.retention.interval}:
 * developer data older than {@code developer-data} (90 days) is deleted, while commits keep what
 * the mapping needs (which developer, which branch, which pull request); and installations
 * uninstalled more than {@code uninstall-grace} (7 days) ago lose all their data, as do
 * repositories removed from an installation that long ago (added back sooner, they keep it).
 */
@ApplicationScoped
public class DataRetention {

    private static final Logger LOG = Logger.getLogger(DataRetention.class);

    /** Developer data past its age, statement by statement (each bound to the cutoff). */
    private static final Map<String, String> AGED = new LinkedHashMap<>();

    static {
        AGED.put("e-mail ties", "delete from developer_email where seen_at < ?");
        AGED.put("e-mails on commits", """
                update git_commit set author_email = null, committer_email = null
                 where first_seen_at < ? and (author_email is not null or committer_email is not null)""");
        AGED.put("Codespace reports", "delete from codespace_event where received_at < ?");
        AGED.put("Codespace observations", "delete from codespace_observation where observed_until < ?");
        AGED.put("Codespaces", """
                delete from codespace cs where cs.last_seen_at < ?
                   and not exists (select 1 from codespace_event e where e.codespace_name = cs.name)""");
        // The inbox row stays (it is what makes a redelivery a duplicate); its body goes.
        AGED.put("API audit entries", "delete from api_audit where at < ?");
        AGED.put(
                "raw delivery bodies",
                "update delivery set body = ''::bytea where received_at < ? and length(body) > 0");
        // Their payloads name repositories, pull requests and (spans) logins.
        AGED.put("dead queue rows", "delete from outbox where status = 'dead' and finished_at < ?");
        AGED.put("spans", "delete from span_outbox where status <> 'pending' and created_at < ?");
    }

    /** Everything of some repositories, in an order the foreign keys accept. */
    private static final List<String> UNINSTALLED = List.of(
            "delete from pull_request_comment where pull_request_id in (select id from pull_request where repository_id = any (?))",
            "delete from pull_request where repository_id = any (?)",
            "delete from branch_commit where repository_id = any (?)",
            "delete from commit_coauthor where repository_id = any (?)",
            "delete from git_commit where repository_id = any (?)",
            "delete from delivery where repository_id = any (?)",
            "delete from repository_settings where repository_id = any (?)",
            """
            delete from codespace_observation where codespace_name in (
                select cs.name from codespace cs where cs.repository_id = any (?))""",
            """
            with purged as (select unnest(?::bigint[]) as id)
            delete from codespace_event e
             where e.repository_id in (select id from purged)
                or e.codespace_name in (select cs.name from codespace cs join purged on cs.repository_id = purged.id)""",
            "delete from codespace where repository_id = any (?)",
            "delete from repository where id = any (?)");

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CorrelatorConfig config;

    @Inject
    Clock clock;

    /** What one run deleted, by kind. */
    public record Purged(Map<String, Integer> rows) {}

    @Scheduled(
            every = "${correlator.retention.interval}",
            delayed = "2m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        ClusterJob.run(dataSource, LOG, "Retention", () -> {
            Purged purged = purge();
            if (purged.rows().values().stream().anyMatch(n -> n > 0)) {
                LOG.infof("Retention deleted: %s", purged.rows());
            }
        });
    }

    public Purged purge() {
        Instant now = clock.instant();
        Instant cutoff = now.minus(config.retention().developerData());
        Map<String, Integer> rows = new LinkedHashMap<>();
        // Each statement on its own: a round cut short keeps what it deleted, the next deletes the rest.
        List<Long> gone = Sql.withConnection(dataSource, connection -> {
            for (Map.Entry<String, String> aged : AGED.entrySet()) {
                rows.put(aged.getKey(), Sql.update(connection, aged.getValue(), cutoff));
            }
            rows.put(
                    "finished queue rows",
                    Sql.update(
                            connection,
                            "delete from outbox where status = 'done' and finished_at < ?",
                            now.minus(config.retention().finishedWork())));
            return Sql.list(
                    connection,
                    """
                    select id from installation where state = 'deleted' and deleted_at < ?""",
                    row -> row.getLong(1),
                    now.minus(config.retention().uninstallGrace()));
        });
        for (long installation : gone) {
            rows.merge("uninstalled installations", 1, Integer::sum);
            rows.merge("their rows", uninstalled(installation), Integer::sum);
        }
        Instant removedBefore = now.minus(config.retention().uninstallGrace());
        rows.merge(
                "their rows",
                Transactions.inTransaction(dataSource, connection -> {
                    // Locked, so that a repository added back meanwhile waits and then starts afresh.
                    List<Long> removed = Sql.list(
                            connection,
                            "select id from repository where removed_at < ? and removed_by_github for update",
                            row -> row.getLong(1),
                            removedBefore);
                    rows.put("removed repositories", removed.size());
                    return removed.isEmpty()
                            ? 0
                            : deleteRepositories(connection, connection.createArrayOf("bigint", removed.toArray()));
                }),
                Integer::sum);
        return new Purged(rows);
    }

    /** Deletes one uninstalled installation's data in one transaction; returns the rows deleted. */
    private int uninstalled(long installation) {
        return Transactions.inTransaction(dataSource, connection -> {
            Array repositories = connection.createArrayOf(
                    "bigint",
                    Sql.list(
                                    connection,
                                    "select id from repository where installation_id = ?",
                                    row -> row.getLong(1),
                                    installation)
                            .toArray());
            int deleted = deleteRepositories(connection, repositories);
            deleted += Sql.update(connection, "delete from delivery where installation_id = ?", installation);
            deleted += Sql.update(connection, "delete from outbox where installation_id = ?", installation);
            deleted += Sql.update(connection, "delete from installation where id = ?", installation);
            return deleted;
        });
    }

    private static int deleteRepositories(Connection connection, Array repositories) throws SQLException {
        int deleted = 0;
        for (String statement : UNINSTALLED) {
            deleted += Sql.update(connection, statement, repositories);
        }
        return deleted;
    }
}
