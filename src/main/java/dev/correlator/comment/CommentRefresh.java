package dev.correlator.comment;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

import dev.correlator.CorrelatorConfig;
import dev.correlator.change.CommentUpdate;
import dev.correlator.change.PullRequestWork;
import dev.correlator.db.ClusterJob;
import dev.correlator.db.Sql;
import dev.correlator.outbox.Outbox;

/**
 * What a comment shows can change without any webhook: a Codespace reports a commit, a poll
 * corroborates a link. Every {@code correlator.comments.refresh-interval} the open pull requests
 * with recent activity, in repositories the App has seen Codespaces of, get their comment
 * checked. A check renders from PostgreSQL and compares hashes, so an unchanged comment costs
 * no GitHub call.
 */
@ApplicationScoped
public class CommentRefresh {

    private static final Logger LOG = Logger.getLogger(CommentRefresh.class);

    private record Open(long pullRequestId, long repositoryId, String repository, int number, long installationId) {}

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Outbox outbox;

    @Inject
    CorrelatorConfig config;

    @Scheduled(
            every = "${correlator.comments.refresh-interval}",
            delayed = "60s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.outbox().enabled() || !config.comments().enabled()) {
            return;
        }
        ClusterJob.run(dataSource, LOG, "Comment refresh", this::refresh);
    }

    /** Queues a check of each such pull request's comment; returns how many were queued. */
    public int refresh() {
        try (Connection connection = dataSource.getConnection()) {
            List<Open> open = Sql.list(
                    connection,
                    """
                    select pr.id, r.id, r.full_name, pr.number, r.installation_id
                      from pull_request pr join repository r on r.id = pr.repository_id
                     where pr.state = 'open' and r.installation_id is not null and r.removed_at is null
                       and pr.updated_at >= now() - make_interval(secs => ?)
                       and exists (select 1 from codespace cs
                                    where cs.repository_id = r.id)
                       -- Only comments that exist: a backfilled pull request gets its first at its next change.
                       and exists (select 1 from pull_request_comment c where c.pull_request_id = pr.id)""",
                    row -> new Open(row.getLong(1), row.getLong(2), row.getString(3), row.getInt(4), row.getLong(5)),
                    (double) config.comments().refreshWindow().toSeconds());
            for (Open pr : open) {
                CommentUpdate.now(
                                pr.installationId(),
                                new PullRequestWork(
                                        pr.pullRequestId(), pr.repositoryId(), pr.repository(), pr.number()))
                        .enqueue(outbox, connection);
            }
            return open.size();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
