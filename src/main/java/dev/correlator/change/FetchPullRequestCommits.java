package dev.correlator.change;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.correlator.CorrelatorConfig;
import dev.correlator.github.GitHubApi;
import dev.correlator.identity.DeveloperDirectory;
import dev.correlator.model.ModelRows;
import dev.correlator.model.ModelWriter;
import dev.correlator.model.Rows;
import dev.correlator.outbox.OutboxHandler;
import dev.correlator.outbox.OutboxTask;
import dev.correlator.payload.GitHubPayloads;

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
    ModelWriter model;

    @Inject
    CorrelatorConfig config;

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
            BatchReads reads = new BatchReads(connection);
            ApiCommits.want(reads, commits);
            reads.run();
            ModelRows rows = new ModelRows();
            DeveloperDirectory developers = reads.developers().directory();
            List<CommitFact> facts = new ArrayList<>(commits.size());
            for (GitHubPayloads.ApiCommit commit : commits) {
                facts.add(ApiCommits.fact(rows, developers, commit));
            }
            CommitRows.add(rows, developers, repositoryId, facts, now);
            for (CommitFact fact : facts) {
                rows.add(new Rows.PullRequestCommit(pullRequestId, fact.sha(), now));
            }
            // An empty answer says nothing: a pull request always has a commit.
            rows.add(new Rows.PullRequestCommitsListed(
                    pullRequestId, facts.stream().map(CommitFact::sha).toList(), now));
            // The comment shows the commits as GitHub lists them: bring it up to date after them.
            if (config.comments().enabled() && !request.backfilled()) {
                rows.add(CommentUpdate.after(config.comments().debounce(), installationId, request)
                        .request());
            }
            model.writeNow(connection, rows);
        };
    }
}
