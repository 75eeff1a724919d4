package dev.correlator.change;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.correlator.github.GitHubApi;
import dev.correlator.identity.DeveloperDirectory;
import dev.correlator.model.ModelRows;
import dev.correlator.model.ModelWriter;
import dev.correlator.model.Rows;
import dev.correlator.outbox.GiveUp;
import dev.correlator.outbox.OutboxHandler;
import dev.correlator.outbox.OutboxTask;
import dev.correlator.payload.GitHubPayloads;

/**
 * Asks GitHub's compare API what a push payload could not say: the commits a force push took
 * off the branch (compare after...before), or the rest of a push GitHub cut at 2048 commits
 * (compare before...after).
 */
@ApplicationScoped
public class ComparePushCommits implements OutboxHandler {

    public static final String KIND = "push-commits";

    /** 250 commits a page; a push of more than 10,000 commits is rare enough to stop there. */
    private static final int MAX_PAGES = 40;

    @Inject
    GitHubApi github;

    @Inject
    RepositoryNames names;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    @Inject
    ModelWriter model;

    /** What a push left for the queue to ask GitHub. */
    public record Request(
            long repositoryId,
            String repository,
            String deliveryId,
            String branch,
            String base,
            String head,
            String purpose) {}

    static Request request(
            GitHubPayloads.Push push, String deliveryId, String branch, String base, String head, String purpose) {
        return new Request(
                push.repository().id(), push.repository().fullName(), deliveryId, branch, base, head, purpose);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Completion perform(OutboxTask task) {
        Request request = json.convertValue(task.payload(), Request.class);
        if (task.installationId() == null) {
            throw new GiveUp("no installation to ask GitHub with");
        }
        String path = "/repos/" + names.current(request.repositoryId()) + "/compare/" + request.base() + "..."
                + request.head() + "?per_page=250";
        List<GitHubPayloads.ApiCommit> commits = new ArrayList<>();
        String next = path;
        for (int page = 0; page < MAX_PAGES && next != null; page++) {
            GitHubApi.Page<GitHubPayloads.Compare> answer =
                    github.page(task.installationId(), next, GitHubPayloads.Compare.class);
            if (answer.value().commits() != null) {
                commits.addAll(answer.value().commits());
            }
            next = answer.next();
        }
        long repositoryId = request.repositoryId();
        String deliveryId = request.deliveryId();
        String branch = request.branch();
        boolean replaced = "replaced".equals(request.purpose());
        Instant now = clock.instant();

        return connection -> {
            ModelRows rows = new ModelRows();
            if (replaced) {
                rows.add(new Rows.BranchCommitsForced(
                        deliveryId,
                        repositoryId,
                        branch,
                        commits.stream().map(GitHubPayloads.ApiCommit::sha).toList()));
            } else {
                BatchReads reads = new BatchReads(connection);
                ApiCommits.want(reads, commits);
                reads.run();
                added(rows, reads.developers().directory(), commits, repositoryId, deliveryId, branch, now);
            }
            model.writeNow(connection, rows);
        };
    }

    /**
     * The commits beyond a truncated push: on the branch since the push, and appended to the
     * push's list in compare order (the payload listed the first 2048).
     */
    static void added(
            ModelRows rows,
            DeveloperDirectory developers,
            List<GitHubPayloads.ApiCommit> commits,
            long repositoryId,
            String deliveryId,
            String branch,
            Instant now) {
        List<CommitFact> facts = new ArrayList<>();
        for (GitHubPayloads.ApiCommit commit : commits) {
            facts.add(ApiCommits.fact(rows, developers, commit));
        }
        CommitRows.add(rows, developers, repositoryId, facts, now);
        for (CommitFact fact : facts) {
            rows.add(new Rows.BranchCommit(
                    repositoryId,
                    branch,
                    fact.sha(),
                    deliveryId,
                    now,
                    fact.authoredAt() != null ? fact.authoredAt() : now));
        }
        rows.add(new Rows.PushCommitsAdded(
                deliveryId, facts.stream().map(CommitFact::sha).toList()));
    }
}
