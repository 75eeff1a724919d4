package dev.correlator.change;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.correlator.support.Fixtures.A1;
import static dev.correlator.support.Fixtures.A2;
import static dev.correlator.support.Fixtures.B1;
import static dev.correlator.support.Fixtures.F1;
import static dev.correlator.support.Fixtures.K1;
import static dev.correlator.support.Fixtures.M1;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A pull request's life, and how its commits are learned: at once where we can, from GitHub for the rest. */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class PullRequestProjectionTest extends AppTest {

    private static final String PR_42 = "/api/v1/repos/acme-corp/payments-api/pulls/42";

    private static void githubListsCommits(int number, String fixture) {
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repos/acme-corp/payments-api/pulls/" + number + "/commits"))
                        .willReturn(FakeGitHub.json(Fixtures.text(fixture))));
    }

    @Test
    void openedRecordsTheHeadAtOnceAndFetchesTheRestThroughTheQueue() {
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);

        api().get(PR_42)
                .then()
                .statusCode(200)
                .body("number", equalTo(42))
                .body("repository", equalTo(Fixtures.REPO))
                .body("title", equalTo("Retry payment captures with backoff"))
                .body("state", equalTo("open"))
                .body("draft", equalTo(false))
                .body("author.login", equalTo("mona-lisa"))
                .body("head.ref", equalTo("feature/retry-logic"))
                .body("head.sha", equalTo(A2))
                .body("base.ref", equalTo("main"))
                .body("url", equalTo("https://github.com/acme-corp/payments-api/pull/42"))
                // the push to the head branch reached us first: both its commits are known now
                .body("commits.sha", contains(A1, A2));
        api().get("/api/v1/commits/" + A1)
                .then()
                .statusCode(200)
                .body("pullRequests[0].number", equalTo(42))
                .body("pullRequests[0].state", equalTo("open"))
                .body("pullRequests[0].url", equalTo("https://github.com/acme-corp/payments-api/pull/42"));
        assertEquals(1, Database.count("select count(*) from outbox where kind = 'pull-request-commits'"));
    }

    @Test
    void queuedWorkAsksGitHubUnderTheNameTheRepositoryHasWhenItRuns() {
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
        // Renamed before the queued fetch runs; anyone in the organization may now create another
        // repository under the old name, which must not be asked about.
        Webhooks.deliver("repository", "repository-renamed-basic.json").then().statusCode(200);
        githubListsCommits(42, "api-pulls-commits-42.json");
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repos/acme-corp/payments-service/pulls/42/commits"))
                        .willReturn(FakeGitHub.json(Fixtures.text("api-pulls-commits-42.json"))));

        worker.drain(5);

        FakeGitHub.server()
                .verify(1, getRequestedFor(urlPathEqualTo("/repos/acme-corp/payments-service/pulls/42/commits")));
        FakeGitHub.server()
                .verify(0, getRequestedFor(urlPathEqualTo("/repos/acme-corp/payments-api/pulls/42/commits")));
    }

    @Test
    void queuedWorkForARepositoryRemovedMeanwhileAsksGitHubNothing() {
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
        githubListsCommits(42, "api-pulls-commits-42.json");
        // As when GitHub said it was deleted, or another repository took its name.
        Database.execute("update repository set removed_at = now() where id = 702938101");

        worker.drain(5);

        FakeGitHub.server()
                .verify(0, getRequestedFor(urlPathEqualTo("/repos/acme-corp/payments-api/pulls/42/commits")));
        assertEquals(
                0,
                Database.count(
                        "select count(*) from outbox where kind = 'pull-request-commits' and status = 'pending'"));
    }

    @Test
    void commitsPushedBeforeThePullRequestOpenedComeFromGitHub() {
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
        api().get(PR_42).then().statusCode(200).body("commits", empty()); // only the head sha, not yet a commit

        githubListsCommits(42, "api-pulls-commits-42.json");
        assertEquals(1, worker.drain(5));
        FakeGitHub.server()
                .verify(1, getRequestedFor(urlPathEqualTo("/repos/acme-corp/payments-api/pulls/42/commits")));

        api().get(PR_42)
                .then()
                .statusCode(200)
                .body("commits.sha", contains(A1, F1))
                .body("commits[0].author.login", equalTo("mona-lisa"));
        // GitHub's list is the truth: A2, the head when it opened, is no longer part of it.
        api().get("/api/v1/commits/" + F1).then().statusCode(200).body("pullRequests.number", contains(42));
        assertEquals(
                1,
                Database.count("select count(*) from pull_request_commit where sha = ? and left_at is not null", A2));
    }

    @Test
    void synchronizeAfterAForcePushReplacesTheCommits() {
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
        Webhooks.deliver("push", "push-branch-follow_up.json").then().statusCode(200);
        Webhooks.deliver("push", "push-branch-forced.json").then().statusCode(200);
        Webhooks.deliver("pull_request", "pull_request-synchronize-forced.json")
                .then()
                .statusCode(200);

        // At once: F1 is in, B1 (the head the force push replaced) is out.
        api().get(PR_42).then().statusCode(200).body("head.sha", equalTo(F1)).body("commits.sha", hasItem(F1));
        api().get("/api/v1/commits/" + B1).then().statusCode(200).body("pullRequests", empty());

        // Then GitHub's list settles it, compare included.
        githubListsCommits(42, "api-pulls-commits-42.json");
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repos/acme-corp/payments-api/compare/" + F1 + "..." + B1))
                        .willReturn(FakeGitHub.json(Fixtures.text("api-compare-forced.json"))));
        worker.drain(5);
        api().get(PR_42).then().statusCode(200).body("commits.sha", contains(A1, F1));
        api().get("/api/v1/commits/" + A2).then().statusCode(200).body("pullRequests", empty());
    }

    @Test
    void aForkPullRequestsCommitsAreRecordedUnderTheBaseRepository() {
        Webhooks.deliver("pull_request", "pull_request-opened-fork.json").then().statusCode(200);
        githubListsCommits(43, "api-pulls-commits-43.json");
        worker.drain(5);

        api().get("/api/v1/repos/acme-corp/payments-api/pulls/43")
                .then()
                .statusCode(200)
                .body("head.repository", equalTo("outside-dev/payments-api"))
                .body("head.ref", equalTo("patch-1"))
                .body("author.login", equalTo("outside-dev"))
                .body("commits.sha", contains(K1))
                .body("commits[0].author.login", equalTo("outside-dev"));
        api().get("/api/v1/commits/" + K1)
                .then()
                .statusCode(200)
                .body("repository", equalTo(Fixtures.REPO))
                .body("pullRequests.number", contains(43))
                .body("branches", empty());
    }

    @Test
    void aForkCommitsTrailerCannotRenameAMember() {
        // mona-lisa (583231) is known from her own pull request.
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
        // outside-dev, with no access to the repository, opens a fork pull request whose commit
        // claims mona-lisa's id under outside-dev's login.
        Webhooks.deliver("pull_request", "pull_request-opened-fork.json").then().statusCode(200);
        String trailer = "\\n\\nCo-authored-by: Mona <583231+outside-dev@users.noreply.github.com>";
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repos/acme-corp/payments-api/pulls/43/commits"))
                        .willReturn(FakeGitHub.json(Fixtures.text("api-pulls-commits-43.json")
                                .replace(
                                        "instead of failing the order.\"",
                                        "instead of failing the order." + trailer + "\""))));
        worker.drain(5);

        api().get("/api/v1/developers/mona-lisa").then().statusCode(200).body("githubId", equalTo(583231));
        api().get("/api/v1/developers/outside-dev").then().statusCode(200).body("githubId", equalTo(7700770));
        api().get("/api/v1/commits/" + K1)
                .then()
                .statusCode(200)
                .body("author.login", equalTo("outside-dev"))
                .body("coAuthors.email", contains("583231+outside-dev@users.noreply.github.com"))
                .body("coAuthors[0].login", nullValue());
    }

    @Test
    void editsDraftsAndMergesUpdateThePullRequest() {
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
        Webhooks.deliver("pull_request", "pull_request-converted_to_draft-basic.json")
                .then()
                .statusCode(200);
        api().get(PR_42).then().body("draft", equalTo(true));
        Webhooks.deliver("pull_request", "pull_request-edited-title.json")
                .then()
                .statusCode(200);
        Webhooks.deliver("pull_request", "pull_request-ready_for_review-basic.json")
                .then()
                .statusCode(200);
        api().get(PR_42).then().body("draft", equalTo(false)).body("state", equalTo("open"));
        Webhooks.deliver("pull_request", "pull_request-reopened-basic.json")
                .then()
                .statusCode(200);
        Webhooks.deliver("pull_request", "pull_request-closed-merged.json")
                .then()
                .statusCode(200);

        api().get(PR_42)
                .then()
                .statusCode(200)
                .body("state", equalTo("merged"))
                .body("mergeCommitSha", equalTo(M1))
                .body("mergedAt", equalTo("2026-11-20T16:28:19Z"));
    }

    @Test
    void aLateOlderDeliveryDoesNotRollThePullRequestBack() {
        Webhooks.deliver("pull_request", "pull_request-closed-merged.json")
                .then()
                .statusCode(200);
        Webhooks.deliver("pull_request", "pull_request-converted_to_draft-basic.json")
                .then()
                .statusCode(200);
        api().get(PR_42).then().statusCode(200).body("state", equalTo("merged")).body("draft", equalTo(false));
    }
}
