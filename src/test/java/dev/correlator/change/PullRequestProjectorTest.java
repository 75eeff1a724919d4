package dev.correlator.change;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.correlator.identity.DeveloperDirectory;
import dev.correlator.model.DeveloperKey;
import dev.correlator.model.ModelRows;
import dev.correlator.model.Rows;
import dev.correlator.outbox.QueueRequest;
import dev.correlator.payload.GitHubPayloads.PullRequestEvent;
import dev.correlator.payload.ReceivedDelivery;
import dev.correlator.payload.WebhookPayloadReader;
import dev.correlator.support.Fixtures;

import static dev.correlator.support.Fixtures.A2;
import static dev.correlator.support.Fixtures.F1;
import static dev.correlator.support.Fixtures.REPO;
import static dev.correlator.support.Fixtures.REPO_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pull_request payload in, the rows it adds out: no database. */
class PullRequestProjectorTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-20T14:40:00Z");
    private static final long PR = 2100000042L;
    private static final long MONA = 583231;
    private static final Duration DEBOUNCE = Duration.ofSeconds(5);

    private static ModelRows project(String fixture, PullRequestProjector projector) {
        PullRequestEvent event = new WebhookPayloadReader().read(Fixtures.bytes(fixture), PullRequestEvent.class);
        projector.validate("pull_request", event);
        return projector.project(
                new ReceivedDelivery("delivery-2", "pull_request", Fixtures.bytes(fixture), RECEIVED),
                event,
                new PullRequestProjector.Known(DeveloperDirectory.empty(), new RepositoryDirectory()));
    }

    private static ModelRows project(String fixture) {
        return project(fixture, new PullRequestProjector(true, true, DEBOUNCE));
    }

    @Test
    void anOpenedPullRequestIsItsRowItsHeadAndARequestForItsCommits() {
        ModelRows rows = project("pull_request-opened-same_repo.json");

        Rows.PullRequest pr = rows.pullRequests().get(0);
        assertEquals(PR, pr.id());
        assertEquals(REPO_ID, pr.repositoryId());
        assertEquals(42, pr.number());
        assertEquals("open", pr.state());
        assertEquals(DeveloperKey.account(MONA), pr.author());
        assertEquals("feature/retry-logic", pr.headRef());
        assertEquals(A2, pr.headSha());
        assertEquals(REPO_ID, pr.headRepositoryId());
        assertEquals(Instant.parse("2026-11-20T13:20:44Z"), pr.updatedAt());
        assertEquals(List.of(new Rows.DeveloperAccount(MONA, "mona-lisa", null, false)), rows.accounts());

        assertEquals(List.of(new Rows.PullRequestCommit(PR, A2, RECEIVED)), rows.pullRequestCommits());
        assertEquals(
                List.of(new Rows.PullRequestCommitsOfPush(PR, REPO_ID, "feature/retry-logic", A2, RECEIVED)),
                rows.pullRequestCommitsOfPushes(),
                "the push that moved the head, if it came first");
        assertTrue(rows.pullRequestCommitsOffBranch().isEmpty(), "only a synchronize replaces commits");
        assertEquals(
                List.of(new QueueRequest(
                        FetchPullRequestCommits.KIND,
                        String.valueOf(PR),
                        48151623L,
                        new PullRequestWork(PR, REPO_ID, REPO, 42))),
                rows.queueRequests());
        assertEquals(2, rows.spans().size(), "the pull request's own span and the action's");
    }

    @Test
    void aSynchronizeOfTheHeadBranchReplacesTheCommitsThatLeftIt() {
        ModelRows rows = project("pull_request-synchronize-forced.json");
        assertEquals(List.of(new Rows.PullRequestCommit(PR, F1, RECEIVED)), rows.pullRequestCommits());
        assertEquals(
                List.of(new Rows.PullRequestCommitsOffBranch(PR, REPO_ID, "feature/retry-logic", RECEIVED)),
                rows.pullRequestCommitsOffBranch());
    }

    @Test
    void aForkHeadHasNoPushOfOursToReadCommitsFrom() {
        ModelRows rows = project("pull_request-opened-fork.json");
        assertEquals(1, rows.pullRequestCommits().size());
        assertTrue(rows.pullRequestCommitsOfPushes().isEmpty());
        assertEquals(FetchPullRequestCommits.KIND, rows.queueRequests().get(0).kind());
    }

    @Test
    void readyForReviewAsksForTheCommentWhenCommentsAreOn() {
        ModelRows rows = project("pull_request-ready_for_review-basic.json");
        assertEquals(
                List.of(new QueueRequest(
                        CommentUpdate.KIND,
                        String.valueOf(PR),
                        48151623L,
                        new PullRequestWork(PR, REPO_ID, REPO, 42),
                        DEBOUNCE)),
                rows.queueRequests());

        ModelRows off =
                project("pull_request-ready_for_review-basic.json", new PullRequestProjector(false, false, DEBOUNCE));
        assertTrue(off.queueRequests().isEmpty());
        assertTrue(off.spans().isEmpty());
    }

    @Test
    void aMergedPullRequestIsMergedAndAsksForNothing() {
        ModelRows rows = project("pull_request-closed-merged.json");
        assertEquals("merged", rows.pullRequests().get(0).state());
        assertTrue(rows.pullRequestCommits().isEmpty());
        assertTrue(rows.queueRequests().isEmpty());
        // The sender (devon-ops) and the author are both accounts GitHub named.
        assertEquals(
                List.of(1204455L, MONA),
                rows.accounts().stream().map(Rows.DeveloperAccount::githubId).toList());
    }
}
