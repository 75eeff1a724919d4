package dev.correlator.change;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.correlator.db.Sql;
import dev.correlator.github.GitHubApi;
import dev.correlator.outbox.OutboxHandler;
import dev.correlator.outbox.OutboxTask;
import dev.correlator.webhook.GitHubPayloads;
import dev.correlator.webhook.ProjectionContext;

/**
 * Replaces a pull request's commits with the list GitHub gives (GET
 * /repos/{owner}/{repo}/pulls/{number}/commits). Commits no longer listed are kept, marked as
 * having left the pull request.
 */
@ApplicationScoped
public class FetchPullRequestCommits implements OutboxHandler {

    public static final String KIND = "pull-request-commits";

    /** GitHub lists at most 250 commits of a pull request, 100 a page. */
    private static final int MAX_PAGES = 3;

    @Inject
    GitHubApi github;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    @Inject
    RepositoryNames names;

    @Inject
    dev.correlator.outbox.Outbox outbox;

    @Inject
    dev.correlator.CorrelatorConfig config;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Completion perform(OutboxTask task) {
        long installationId = task.requireInstallation();
        PullRequestWork request = json.convertValue(task.payload(), PullRequestWork.class);
        List<GitHubPayloads.ApiCommit> commits = github.list(
                installationId,
                "/repos/" + names.current(request.repositoryId()) + "/pulls/" + request.number()
                        + "/commits?per_page=100",
                GitHubPayloads.ApiCommit.class,
                MAX_PAGES);
        long pullRequestId = request.pullRequestId();
        long repositoryId = request.repositoryId();
        Instant now = clock.instant();

        return connection -> {
            ProjectionContext context = new ProjectionContext(connection);
            List<CommitFact> facts = new ArrayList<>(commits.size());
            for (GitHubPayloads.ApiCommit commit : commits) {
                facts.add(ApiCommits.fact(context.developers(), commit));
            }
            CommitWriter.write(context, repositoryId, facts, now);
            context.flush();
            List<Object[]> rows = new ArrayList<>(facts.size());
            for (CommitFact fact : facts) {
                rows.add(new Object[] {pullRequestId, fact.sha(), now});
            }
            Sql.batch(connection, PullRequestProjector.IN_PULL_REQUEST, rows);
            // The comment shows the commits as GitHub lists them: bring it up to date after them.
            if (config.comments().enabled() && !request.backfilled()) {
                CommentUpdate.after(config.comments().debounce(), installationId, request)
                        .enqueue(outbox, connection);
            }
            if (facts.isEmpty()) {
                return; // a pull request always has a commit: an empty answer says nothing
            }
            Sql.update(
                    connection,
                    """
                    update pull_request_commit set left_at = ?
                     where pull_request_id = ? and left_at is null and not (sha = any (?))""",
                    now,
                    pullRequestId,
                    connection.createArrayOf(
                            "text", facts.stream().map(CommitFact::sha).toArray()));
        };
    }
}
