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
import dev.correlator.outbox.GiveUp;
import dev.correlator.outbox.OutboxHandler;
import dev.correlator.outbox.OutboxTask;
import dev.correlator.webhook.GitHubPayloads;
import dev.correlator.webhook.ProjectionContext;

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
            if (replaced) {
                // Only what was on the branch when that push happened; a later push may have
                // brought a commit back.
                List<Object[]> rows = new ArrayList<>();
                for (GitHubPayloads.ApiCommit commit : commits) {
                    rows.add(new Object[] {deliveryId, repositoryId, branch, commit.sha(), deliveryId});
                }
                Sql.batch(connection, """
                        update branch_commit b set left_at = p.received_at, left_reason = 'forced',
                                                   left_delivery_id = ?
                          from push p
                         where b.repository_id = ? and b.branch = ? and b.sha = ? and b.left_at is null
                           and p.delivery_id = ? and b.added_at <= p.received_at""", rows);
                return;
            }
            ProjectionContext context = new ProjectionContext(connection);
            List<CommitFact> facts = new ArrayList<>();
            for (GitHubPayloads.ApiCommit commit : commits) {
                facts.add(ApiCommits.fact(context.developers(), commit));
            }
            CommitWriter.write(context, repositoryId, facts, now);
            for (CommitFact fact : facts) {
                context.writes()
                        .add(
                                PushProjector.ON_BRANCH,
                                repositoryId + ":" + branch + ":" + fact.sha(),
                                repositoryId,
                                branch,
                                fact.sha(),
                                deliveryId,
                                now,
                                fact.authoredAt() != null ? fact.authoredAt() : now);
            }
            context.flush();
            // The payload listed the first 2048; the push's list gets the rest, in compare order.
            Sql.update(connection, """
                    update push set commit_shas = commit_shas
                           || array(select s from unnest(?::text[]) with ordinality u(s, n)
                                     where s <> all (commit_shas) order by n)
                     where delivery_id = ?""", facts.stream().map(CommitFact::sha).toArray(String[]::new), deliveryId);
        };
    }
}
