package dev.correlator.change;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import dev.correlator.outbox.Outbox;
import dev.correlator.outbox.QueueRequest;
import dev.correlator.outbox.QueueRequestPerRow;

/**
 * A request to bring one pull request's comment up to date: the one way anything asks for it. It
 * is a queue row, taken by the comment package's handler (comment.SyncPullRequestComment), which
 * reads the model; the model only says that what the comment shows may have changed. Keyed by the
 * pull request, so that requests made while one waits join it.
 */
public record CommentUpdate(Long installationId, PullRequestWork pullRequest, Duration delay) {

    /** The queue's name for the work. */
    public static final String KIND = "pull-request-comment";

    /** Asked for after a change, ready after {@code delay}: a burst of changes makes one update. */
    public static CommentUpdate after(Duration delay, Long installationId, PullRequestWork pullRequest) {
        return new CommentUpdate(installationId, pullRequest, delay);
    }

    /** Ready now. */
    public static CommentUpdate now(Long installationId, PullRequestWork pullRequest) {
        return new CommentUpdate(installationId, pullRequest, Duration.ZERO);
    }

    public String key() {
        return String.valueOf(pullRequest.pullRequestId());
    }

    /** As a row of the caller's batch. */
    public QueueRequest request() {
        return new QueueRequest(KIND, key(), installationId, pullRequest, delay);
    }

    /** In the caller's transaction. */
    public void enqueue(Outbox outbox, Connection connection) throws SQLException {
        outbox.enqueue(connection, KIND, key(), installationId, pullRequest, delay);
    }

    /**
     * One, ready now, for each pull request of the repository that has a comment, as a row of the
     * caller's batch: for pull requests the caller has not read.
     */
    public static QueueRequestPerRow forEachComment(String batchKey, long repositoryId) {
        // The payload is a PullRequestWork, built where the rows are.
        return new QueueRequestPerRow(KIND, batchKey, """
                select pr.id::text, r.installation_id,
                       json_build_object('pullRequestId', pr.id, 'repositoryId', r.id, 'repository', r.full_name,
                                         'number', pr.number, 'backfilled', false)::text
                  from pull_request_comment c
                  join pull_request pr on pr.id = c.pull_request_id
                  join repository r on r.id = pr.repository_id
                 where r.id = ? and r.installation_id is not null""", List.of(repositoryId));
    }
}
