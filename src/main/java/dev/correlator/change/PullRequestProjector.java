package dev.correlator.change;

import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.correlator.db.Pipeline;
import dev.correlator.identity.DeveloperDirectory;
import dev.correlator.outbox.Outbox;
import dev.correlator.telemetry.ChangeSpans;
import dev.correlator.telemetry.SpanQueue;
import dev.correlator.webhook.DeliveryProjector;
import dev.correlator.webhook.GitHubPayloads;
import dev.correlator.webhook.GitHubPayloads.PullRequestEvent;
import dev.correlator.webhook.ProjectionContext;
import dev.correlator.webhook.ReceivedDelivery;

import static dev.correlator.webhook.DeliveryProjector.require;

/**
 * A pull request's state and its commits. The payload never lists commits, so what the model
 * knows at once (the head, a push to the head branch we recorded) is written now, and the
 * full list is fetched from GitHub through the queue: that also covers commits pushed before
 * the pull request was opened and commits from forks, whose pushes we never see.
 */
@ApplicationScoped
public class PullRequestProjector implements DeliveryProjector<PullRequestEvent> {

    static final Set<String> ACTIONS =
            Set.of("opened", "synchronize", "reopened", "edited", "ready_for_review", "converted_to_draft", "closed");

    /**
     * The actions after which the pull request's comment is brought up to date here. After the
     * others that concern it (opened, reopened, synchronize) that happens once GitHub has listed
     * the pull request's commits (FetchPullRequestCommits).
     */
    private static final Set<String> COMMENTED = Set.of("ready_for_review");

    /** The actions after which the pull request's commits are asked for again. */
    private static final Set<String> COMMITS_MOVED = Set.of("opened", "reopened", "synchronize");

    // An older delivery arriving late must not roll the pull request back.
    static final String UPSERT = """
            insert into pull_request (id, repository_id, number, title, state, draft, author_id, head_ref, head_sha,
                                      head_repository_id, head_repository_full_name, base_ref, base_sha,
                                      merge_commit_sha, html_url, created_at, updated_at, closed_at, merged_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (id) do update
               set title = excluded.title, state = excluded.state, draft = excluded.draft,
                   author_id = coalesce(excluded.author_id, pull_request.author_id), head_ref = excluded.head_ref,
                   head_sha = excluded.head_sha, head_repository_id = excluded.head_repository_id,
                   head_repository_full_name = excluded.head_repository_full_name, base_ref = excluded.base_ref,
                   base_sha = excluded.base_sha, merge_commit_sha = excluded.merge_commit_sha,
                   html_url = excluded.html_url, updated_at = excluded.updated_at, closed_at = excluded.closed_at,
                   merged_at = excluded.merged_at
             where pull_request.updated_at <= excluded.updated_at""";

    static final String IN_PULL_REQUEST = """
            insert into pull_request_commit (pull_request_id, sha, added_at) values (?, ?, ?)
            on conflict (pull_request_id, sha) do update set left_at = null
             where pull_request_commit.left_at is not null""";

    @Inject
    SpanQueue spans;

    @Inject
    Outbox outbox;

    @Inject
    dev.correlator.CorrelatorConfig config;

    @Override
    public Set<String> events() {
        return Set.of("pull_request");
    }

    @Override
    public Class<PullRequestEvent> payloadType() {
        return PullRequestEvent.class;
    }

    @Override
    public void validate(String event, PullRequestEvent payload) {
        require(payload.action(), "action");
        GitHubPayloads.PullRequest pr = require(payload.pullRequest(), "pull_request");
        require(pr.id(), "pull_request.id");
        require(pr.number(), "pull_request.number");
        require(pr.title(), "pull_request.title");
        require(pr.state(), "pull_request.state");
        require(pr.htmlUrl(), "pull_request.html_url");
        require(pr.createdAt(), "pull_request.created_at");
        require(pr.updatedAt(), "pull_request.updated_at");
        require(pr.head(), "pull_request.head");
        require(pr.head().ref(), "pull_request.head.ref");
        require(pr.head().sha(), "pull_request.head.sha");
        require(pr.base(), "pull_request.base");
        require(pr.base().ref(), "pull_request.base.ref");
        require(payload.repository(), "repository");
        require(payload.repository().id(), "repository.id");
        require(payload.repository().fullName(), "repository.full_name");
    }

    @Override
    public String ignoredBecause(String event, PullRequestEvent payload) {
        return ACTIONS.contains(payload.action())
                ? null
                : "pull_request action '" + payload.action() + "' changes nothing the App records";
    }

    /** Deliveries of one pull request never share a batch: their rows wait in it until it ends. */
    @Override
    public String serialKey(PullRequestEvent event) {
        return "pull_request:" + event.pullRequest().id();
    }

    /** Adds rows to the batch, and writes what waits before it reads the model (see project). */
    @Override
    public boolean batches() {
        return true;
    }

    @Override
    public void prefetch(List<PullRequestEvent> events, ProjectionContext context) throws SQLException {
        Set<Long> repositories = new java.util.HashSet<>();
        Set<Long> accounts = new java.util.HashSet<>();
        Set<String> logins = new java.util.HashSet<>();
        for (PullRequestEvent event : events) {
            repositories.add(event.repository().id());
            if (event.sender() != null && event.sender().id() != null) {
                accounts.add(event.sender().id());
                logins.add(event.sender().login());
            }
            if (event.pullRequest().user() != null && event.pullRequest().user().id() != null) {
                accounts.add(event.pullRequest().user().id());
                logins.add(event.pullRequest().user().login());
            }
        }
        logins.remove(null);
        context.developers().tombstones().wantLogins(logins);
        context.prefetchRepositories(repositories);
        context.developers().prefetchAccounts(accounts, context.reads());
    }

    @Override
    public void project(ReceivedDelivery delivery, PullRequestEvent event, ProjectionContext context)
            throws SQLException {
        GitHubPayloads.PullRequest pr = event.pullRequest();
        long repositoryId = event.repository().id();
        RepositoryDirectory.record(context, event.repository(), event.installationId());
        DeveloperDirectory developers = context.developers();
        if (event.sender() != null && event.sender().id() != null) {
            developers.account(
                    event.sender().id(),
                    event.sender().login(),
                    null,
                    event.sender().bot());
        }
        Long authorId = pr.user() == null || pr.user().id() == null
                ? null
                : developers.account(
                        pr.user().id(), pr.user().login(), null, pr.user().bot());
        String state = state(pr);
        GitHubPayloads.Repository headRepo = pr.head().repo();
        boolean commitsMoved = COMMITS_MOVED.contains(event.action());
        boolean sameRepository = headRepo != null && repositoryId == headRepo.id();

        // The rows waiting from earlier deliveries of the batch, the pull request itself and the
        // read of the push that moved its head: one round trip.
        Pipeline trip = new Pipeline().update(UPSERT, row(repositoryId, pr, state, authorId));
        Set<String> known = new LinkedHashSet<>();
        known.add(pr.head().sha());
        if (commitsMoved && sameRepository) {
            // The push that moved the head branch, if it reached us first.
            trip.query(
                    """
                    select u.sha from push p, unnest(p.commit_shas) with ordinality u(sha, position)
                     where p.repository_id = ? and p.ref_type = 'branch' and p.ref_name = ? and p.after_sha = ?
                     order by p.received_at, u.position""",
                    rows -> {
                        while (rows.next()) {
                            known.add(rows.getString(1));
                        }
                    },
                    repositoryId,
                    pr.head().ref(),
                    pr.head().sha());
        }
        context.flush(trip);
        if (commitsMoved) {
            recordCommits(context, delivery, event, known, sameRepository);
        }
        if (COMMENTED.contains(event.action()) && config.comments().enabled()) {
            CommentUpdate.after(
                            config.comments().debounce(),
                            event.installationId(),
                            new PullRequestWork(
                                    pr.id(), repositoryId, event.repository().fullName(), pr.number()))
                    .enqueue(outbox, context.writes());
        }
        // The pull request's own span is queued once (its id is the key); each action joins its trace.
        spans.enqueue(context.writes(), developers.tombstones().withoutErased(ChangeSpans.pullRequest(event, state)));
        spans.enqueue(
                context.writes(),
                developers.tombstones().withoutErased(ChangeSpans.pullRequestAction(delivery.id(), event, state)));
    }

    static String state(GitHubPayloads.PullRequest pr) {
        return Boolean.TRUE.equals(pr.merged()) ? "merged" : pr.state();
    }

    /** The arguments of {@link #UPSERT} for a pull request as a payload or GitHub's API gives it. */
    static Object[] row(long repositoryId, GitHubPayloads.PullRequest pr, String state, Long authorId) {
        GitHubPayloads.Repository headRepo = pr.head().repo();
        return new Object[] {
            pr.id(),
            repositoryId,
            pr.number(),
            pr.title(),
            state,
            Boolean.TRUE.equals(pr.draft()),
            authorId,
            pr.head().ref(),
            pr.head().sha(),
            headRepo == null ? null : headRepo.id(),
            headRepo == null ? null : headRepo.fullName(),
            pr.base().ref(),
            pr.base().sha(),
            pr.mergeCommitSha(),
            pr.htmlUrl(),
            pr.createdAt(),
            pr.updatedAt(),
            pr.closedAt(),
            pr.mergedAt()
        };
    }

    private void recordCommits(
            ProjectionContext context,
            ReceivedDelivery delivery,
            PullRequestEvent event,
            Set<String> known,
            boolean sameRepository) {
        GitHubPayloads.PullRequest pr = event.pullRequest();
        long repositoryId = event.repository().id();
        for (String sha : known) {
            context.writes().add(IN_PULL_REQUEST, pr.id() + ":" + sha, pr.id(), sha, delivery.receivedAt());
        }
        if (sameRepository && "synchronize".equals(event.action())) {
            // A force push to the head branch replaces the pull request's commits too.
            context.writes()
                    .add(
                            """
                    update pull_request_commit prc set left_at = ?
                     where prc.pull_request_id = ? and prc.left_at is null
                       and exists (select 1 from branch_commit b
                                    where b.repository_id = ? and b.branch = ? and b.sha = prc.sha
                                      and b.left_at is not null)""",
                            String.valueOf(pr.id()),
                            delivery.receivedAt(),
                            pr.id(),
                            repositoryId,
                            pr.head().ref());
        }
        outbox.enqueue(
                context.writes(),
                FetchPullRequestCommits.KIND,
                String.valueOf(pr.id()),
                event.installationId(),
                new PullRequestWork(pr.id(), repositoryId, event.repository().fullName(), pr.number()));
    }
}
