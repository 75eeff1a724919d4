package dev.correlator.change;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.correlator.CorrelatorConfig;
import dev.correlator.identity.DeveloperDirectory;
import dev.correlator.model.DeveloperKey;
import dev.correlator.model.ModelRows;
import dev.correlator.model.Rows;
import dev.correlator.outbox.QueueRequest;
import dev.correlator.payload.GitHubPayloads;
import dev.correlator.payload.GitHubPayloads.PullRequestEvent;
import dev.correlator.payload.ReceivedDelivery;
import dev.correlator.telemetry.ChangeSpans;
import dev.correlator.telemetry.SpanQueue;

import static dev.correlator.change.DeliveryProjector.require;

/**
 * A pull request's state and its commits. The payload never lists commits, so what the model
 * knows at once (the head, a push to the head branch we recorded) is written now, and the
 * full list is fetched from GitHub through the queue: that also covers commits pushed before
 * the pull request was opened and commits from forks, whose pushes we never see.
 */
@Singleton
public class PullRequestProjector implements DeliveryProjector<PullRequestEvent, PullRequestProjector.Known> {

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

    private final boolean spans;
    private final boolean comments;
    private final Duration commentDebounce;

    @Inject
    PullRequestProjector(SpanQueue spans, CorrelatorConfig config) {
        this(spans.active(), config.comments().enabled(), config.comments().debounce());
    }

    /**
     * {@code spans}: whether change-event spans are queued; {@code comments}: whether pull
     * request comments are written, each request waiting {@code commentDebounce} for more.
     */
    PullRequestProjector(boolean spans, boolean comments, Duration commentDebounce) {
        this.spans = spans;
        this.comments = comments;
        this.commentDebounce = commentDebounce;
    }

    /** What a batch of pull request events reads before it is projected. */
    public record Known(DeveloperDirectory developers, RepositoryDirectory repositories) {}

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

    /** Deliveries of one pull request never share a batch. */
    @Override
    public String serialKey(PullRequestEvent event) {
        return "pull_request:" + event.pullRequest().id();
    }

    @Override
    public Known prefetch(List<PullRequestEvent> events, BatchReads reads) throws SQLException {
        Set<Long> repositories = new HashSet<>();
        Set<Long> accounts = new HashSet<>();
        Set<String> logins = new HashSet<>();
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
        reads.repositories().want(repositories);
        reads.developers().wantErasedLogins(logins);
        reads.developers().wantAccounts(accounts);
        return new Known(reads.developers().directory(), reads.repositories());
    }

    @Override
    public ModelRows project(ReceivedDelivery delivery, PullRequestEvent event, Known known) {
        ModelRows rows = new ModelRows();
        GitHubPayloads.PullRequest pr = event.pullRequest();
        long repositoryId = event.repository().id();
        known.repositories().record(rows, event.repository(), event.installationId());
        DeveloperDirectory developers = known.developers();
        if (event.sender() != null && event.sender().id() != null) {
            developers.account(
                    rows,
                    event.sender().id(),
                    event.sender().login(),
                    null,
                    event.sender().bot());
        }
        DeveloperKey author = pr.user() == null || pr.user().id() == null
                ? null
                : developers.account(
                        rows, pr.user().id(), pr.user().login(), null, pr.user().bot());
        String state = state(pr);
        rows.add(row(repositoryId, pr, state, author));

        GitHubPayloads.Repository headRepo = pr.head().repo();
        boolean sameRepository = headRepo != null && repositoryId == headRepo.id();
        if (COMMITS_MOVED.contains(event.action())) {
            rows.add(new Rows.PullRequestCommit(pr.id(), pr.head().sha(), delivery.receivedAt()));
            if (sameRepository) {
                // The push that moved the head branch, if it reached us first (in this batch too).
                rows.add(new Rows.PullRequestCommitsOfPush(
                        pr.id(), repositoryId, pr.head().ref(), pr.head().sha(), delivery.receivedAt()));
                if ("synchronize".equals(event.action())) {
                    // A force push to the head branch replaces the pull request's commits too.
                    rows.add(new Rows.PullRequestCommitsOffBranch(
                            pr.id(), repositoryId, pr.head().ref(), delivery.receivedAt()));
                }
            }
            rows.add(new QueueRequest(
                    FetchPullRequestCommits.KIND,
                    String.valueOf(pr.id()),
                    event.installationId(),
                    new PullRequestWork(
                            pr.id(), repositoryId, event.repository().fullName(), pr.number())));
        }
        if (COMMENTED.contains(event.action()) && comments) {
            rows.add(CommentUpdate.after(
                            commentDebounce,
                            event.installationId(),
                            new PullRequestWork(
                                    pr.id(), repositoryId, event.repository().fullName(), pr.number()))
                    .request());
        }
        if (spans) {
            // The pull request's own span is queued once (its id is the key); each action joins its trace.
            rows.add(developers.erased().withoutErased(ChangeSpans.pullRequest(event, state)));
            rows.add(developers.erased().withoutErased(ChangeSpans.pullRequestAction(delivery.id(), event, state)));
        }
        return rows;
    }

    static String state(GitHubPayloads.PullRequest pr) {
        return Boolean.TRUE.equals(pr.merged()) ? "merged" : pr.state();
    }

    /** The row of a pull request as a payload or GitHub's API gives it. */
    static Rows.PullRequest row(long repositoryId, GitHubPayloads.PullRequest pr, String state, DeveloperKey author) {
        GitHubPayloads.Repository headRepo = pr.head().repo();
        return new Rows.PullRequest(
                pr.id(),
                repositoryId,
                pr.number(),
                pr.title(),
                state,
                Boolean.TRUE.equals(pr.draft()),
                author,
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
                pr.mergedAt());
    }
}
