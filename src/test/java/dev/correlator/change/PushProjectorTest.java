package dev.correlator.change;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.correlator.identity.DeveloperDirectory;
import dev.correlator.identity.ErasedPeople;
import dev.correlator.model.DeveloperKey;
import dev.correlator.model.ModelRows;
import dev.correlator.model.Rows;
import dev.correlator.outbox.QueueRequest;
import dev.correlator.payload.GitHubPayloads.Push;
import dev.correlator.payload.ReceivedDelivery;
import dev.correlator.payload.WebhookPayloadReader;
import dev.correlator.support.Fixtures;
import dev.correlator.telemetry.QueuedSpan;

import static dev.correlator.support.Fixtures.A1;
import static dev.correlator.support.Fixtures.A2;
import static dev.correlator.support.Fixtures.B1;
import static dev.correlator.support.Fixtures.BASE;
import static dev.correlator.support.Fixtures.F1;
import static dev.correlator.support.Fixtures.REPO;
import static dev.correlator.support.Fixtures.REPO_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A push payload in, the rows it adds out: no database. */
class PushProjectorTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-20T13:05:00Z");
    private static final Instant STORED = Instant.parse("2026-11-20T13:05:01Z");
    private static final long DEVON = 1204455;
    private static final long MONA = 583231;

    private final PushProjector projector = new PushProjector(Clock.fixed(STORED, ZoneOffset.UTC), true);

    private static Push payload(String fixture) {
        return new WebhookPayloadReader().read(Fixtures.bytes(fixture), Push.class);
    }

    private ModelRows project(String fixture, DeveloperDirectory developers, RepositoryDirectory repositories) {
        Push push = payload(fixture);
        projector.validate("push", push);
        ReceivedDelivery delivery = new ReceivedDelivery(
                "delivery-1", "push", Fixtures.text(fixture).getBytes(StandardCharsets.UTF_8), RECEIVED);
        return projector.project(
                delivery,
                push,
                new PushProjector.Known(developers, repositories, new PushProjector.OpenPullRequests()));
    }

    private ModelRows project(String fixture) {
        return project(fixture, DeveloperDirectory.empty(), new RepositoryDirectory());
    }

    @Test
    void aPushBecomesThePushItsCommitsAndTheirPlaceOnTheBranch() {
        ModelRows rows = project("push-branch-two_commits.json");

        Rows.Push push = rows.pushes().get(0);
        assertEquals(1, rows.pushes().size());
        assertEquals("delivery-1", push.deliveryId());
        assertEquals(REPO_ID, push.repositoryId());
        assertEquals("branch", push.refType());
        assertEquals("feature/retry-logic", push.refName());
        assertEquals(BASE, push.beforeSha());
        assertEquals(A2, push.afterSha());
        assertEquals(List.of(A1, A2), push.commitShas());
        assertEquals(2, push.commitCount());
        assertFalse(push.truncated());
        assertEquals(Instant.ofEpochSecond(1795179910), push.pushedAt(), "GitHub's time, not ours");
        assertEquals(RECEIVED, push.receivedAt());
        // The pusher is the sender: the account GitHub named with its id.
        assertEquals(DeveloperKey.account(DEVON), push.sender());
        assertEquals(DeveloperKey.account(DEVON), push.pusher());
        assertEquals("devon-ops", push.pusherName());

        assertEquals(
                List.of(A1, A2), rows.commits().stream().map(Rows.Commit::sha).toList());
        Rows.Commit a1 = rows.commits().get(0);
        assertEquals(DeveloperKey.login("mona-lisa"), a1.author(), "GitHub matched the author's login");
        assertEquals("583231+mona-lisa@users.noreply.github.com", a1.authorEmail());
        assertEquals(Instant.parse("2026-11-20T08:14:03Z"), a1.authoredAt());
        assertEquals(RECEIVED, a1.firstSeenAt());
        assertEquals(DeveloperKey.account(DEVON), rows.commits().get(1).author(), "devon-ops is the sender");

        // Co-authors from the trailers are e-mails until someone is tied to them.
        assertEquals(
                List.of(
                        new Rows.CoAuthor(
                                REPO_ID,
                                A2,
                                "priya@acme-corp.example",
                                "Priya Raman",
                                DeveloperKey.email("priya@acme-corp.example")),
                        new Rows.CoAuthor(
                                REPO_ID,
                                A2,
                                "583231+mona-lisa@users.noreply.github.com",
                                "Mona Lisa Octo",
                                DeveloperKey.email("583231+mona-lisa@users.noreply.github.com"))),
                rows.coAuthors());

        assertEquals(
                List.of(
                        new Rows.BranchCommit(
                                REPO_ID, "feature/retry-logic", A1, "delivery-1", RECEIVED, a1.authoredAt()),
                        new Rows.BranchCommit(
                                REPO_ID,
                                "feature/retry-logic",
                                A2,
                                "delivery-1",
                                RECEIVED,
                                rows.commits().get(1).authoredAt())),
                rows.branchCommits());
        assertTrue(rows.branchCommitTimes().isEmpty(), "the head is listed: its time is known");
        assertTrue(rows.branchCommitsForced().isEmpty());
        assertTrue(rows.queueRequests().isEmpty(), "nothing to ask GitHub");
    }

    @Test
    void developersAreNamedByKeyAndOnlyWhatIsNewIsWritten() {
        ModelRows rows = project("push-branch-two_commits.json");
        assertEquals(List.of(new Rows.DeveloperAccount(DEVON, "devon-ops", null, false)), rows.accounts());
        assertEquals(List.of(new Rows.DeveloperLogin("mona-lisa", false)), rows.logins());
        assertEquals(
                List.of(
                        new Rows.DeveloperEmail("devon@acme-corp.example", DeveloperKey.account(DEVON)),
                        new Rows.DeveloperEmail(
                                "583231+mona-lisa@users.noreply.github.com", DeveloperKey.login("mona-lisa"))),
                rows.emails());

        // The same push once they are stored: no developer row at all.
        DeveloperDirectory known = DeveloperDirectory.empty()
                .storedAccount(DEVON, "devon-ops")
                .storedLogin("devon-ops", DEVON)
                .storedLogin("mona-lisa", null)
                .tiedEmail("devon@acme-corp.example")
                .tiedEmail("583231+mona-lisa@users.noreply.github.com");
        ModelRows again = project("push-branch-two_commits.json", known, new RepositoryDirectory());
        assertTrue(again.accounts().isEmpty());
        assertTrue(again.logins().isEmpty());
        assertTrue(again.emails().isEmpty());
        assertEquals(DeveloperKey.login("mona-lisa"), again.commits().get(0).author());
    }

    @Test
    void aNoreplyCoAuthorCountsOnlyForTheAccountStoredWithThatIdAndLogin() {
        DeveloperDirectory mona = DeveloperDirectory.empty().storedAccount(MONA, "mona-lisa");
        ModelRows rows = project("push-branch-two_commits.json", mona, new RepositoryDirectory());
        Rows.CoAuthor noreply = rows.coAuthors().get(1);
        assertEquals(DeveloperKey.account(MONA), noreply.developer());

        // mallory co-authors as "583231+mallory": the id is mona-lisa's, the login is not.
        ModelRows forged = project("push-branch-forged_noreply.json", mona, new RepositoryDirectory());
        Rows.CoAuthor coAuthor = forged.coAuthors().get(0);
        assertEquals("583231+mallory@users.noreply.github.com", coAuthor.email());
        assertEquals(DeveloperKey.email("583231+mallory@users.noreply.github.com"), coAuthor.developer());
        assertTrue(
                forged.emails().stream().noneMatch(e -> e.email().startsWith("583231+")),
                "the forged address is tied to nobody");
        assertTrue(
                forged.accounts().stream().noneMatch(a -> a.githubId() == 424242 || a.githubId() == MONA),
                "commit text creates and renames no account");
    }

    @Test
    void anUnchangedRepositoryIsNotWritten() {
        assertEquals(
                List.of(new Rows.Repository(
                        REPO_ID,
                        48151623L,
                        9919001L,
                        "acme-corp",
                        "payments-api",
                        REPO,
                        "https://github.com/" + REPO,
                        "main",
                        true)),
                project("push-branch-two_commits.json").repositories());
        RepositoryDirectory stored = new RepositoryDirectory().stored(REPO_ID, REPO, 48151623L, "main", true);
        assertTrue(project("push-branch-two_commits.json", DeveloperDirectory.empty(), stored)
                .repositories()
                .isEmpty());
    }

    @Test
    void aForcePushMarksTheOldHeadGoneAndAsksGitHubWhatElseWent() {
        ModelRows rows = project("push-branch-forced.json");
        assertEquals(
                List.of(new Rows.BranchCommitForced(REPO_ID, "feature/retry-logic", B1, RECEIVED, "delivery-1")),
                rows.branchCommitsForced());
        assertEquals(
                List.of(new QueueRequest(
                        ComparePushCommits.KIND,
                        "delivery-1:replaced",
                        48151623L,
                        new ComparePushCommits.Request(
                                REPO_ID, REPO, "delivery-1", "feature/retry-logic", F1, B1, "replaced"))),
                rows.queueRequests());
    }

    @Test
    void anErasedPusherLeavesThePushWithoutThem() {
        DeveloperDirectory erased = new DeveloperDirectory(ErasedPeople.logins("devon-ops"));
        ModelRows rows = project("push-branch-two_commits.json", erased, new RepositoryDirectory());

        Rows.Push push = rows.pushes().get(0);
        assertNull(push.pusher());
        assertNull(push.pusherName());
        assertNull(push.sender());
        Rows.Commit a2 = rows.commits().get(1);
        assertNull(a2.author());
        assertNull(a2.authorName());
        assertNull(a2.authorEmail(), "their e-mail went with their login");
        assertTrue(rows.accounts().isEmpty());
        assertTrue(rows.emails().stream().noneMatch(e -> e.email().startsWith("devon")));
        QueuedSpan span = rows.spans().get(0);
        assertFalse(span.attributes().containsKey("github.pusher"));
        assertFalse(span.attributes().containsKey("enduser.id"));
    }

    @Test
    void thePushSpanHasAChildPerCommitAndADeterministicId() {
        ModelRows rows = project("push-branch-two_commits.json");
        assertEquals(1, rows.spans().size());
        QueuedSpan span = rows.spans().get(0);
        assertEquals(2, span.children().size());
        assertEquals(project("push-branch-two_commits.json").spans().get(0).spanId(), span.spanId());
        assertEquals(QueuedSpan.nanos(STORED), span.endNanos());

        PushProjector quiet = new PushProjector(Clock.fixed(STORED, ZoneOffset.UTC), false);
        Push push = payload("push-branch-two_commits.json");
        ModelRows without = quiet.project(
                new ReceivedDelivery("delivery-1", "push", new byte[0], RECEIVED),
                push,
                new PushProjector.Known(
                        DeveloperDirectory.empty(), new RepositoryDirectory(), new PushProjector.OpenPullRequests()));
        assertTrue(without.spans().isEmpty(), "no export configured, no span rows");
    }
}
