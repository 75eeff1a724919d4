package dev.correlator.change;

import java.util.UUID;

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
import static dev.correlator.support.Fixtures.BASE;
import static dev.correlator.support.Fixtures.F1;
import static dev.correlator.support.Fixtures.W1;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a push records: commits, developers, co-authors, branches, and what force pushes take away. */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class PushProjectionTest extends AppTest {

    @Test
    void aPushRecordsItsCommitsAuthorsAndBranch() {
        String delivery = UUID.randomUUID().toString();
        Webhooks.deliver("push", delivery, Fixtures.text("push-branch-two_commits.json"))
                .then()
                .statusCode(200);

        api().get("/api/v1/commits/" + A1)
                .then()
                .statusCode(200)
                .body("sha", equalTo(A1))
                .body("repository", equalTo(Fixtures.REPO))
                .body("message", equalTo(Database.string("select message from git_commit where sha = ?", A1)))
                .body("author.login", equalTo("mona-lisa"))
                .body("author.email", equalTo("583231+mona-lisa@users.noreply.github.com"))
                .body("author.bot", equalTo(false))
                .body("branches", contains("feature/retry-logic"))
                .body("formerBranches", empty())
                .body("pushes", hasSize(1))
                .body("pushes[0].deliveryId", equalTo(delivery))
                .body("pushes[0].ref", equalTo("refs/heads/feature/retry-logic"))
                .body("pushes[0].pusher", equalTo("devon-ops"))
                .body("pushes[0].forced", equalTo(false))
                .body("pullRequests", empty())
                .body("codespaces", empty());

        // Co-authors from the trailers: Mona resolves through her noreply address, Priya stays an e-mail.
        api().get("/api/v1/commits/" + A2)
                .then()
                .statusCode(200)
                .body("author.login", equalTo("devon-ops"))
                .body(
                        "coAuthors.email",
                        containsInAnyOrder("priya@acme-corp.example", "583231+mona-lisa@users.noreply.github.com"))
                .body("coAuthors.find { it.email == 'priya@acme-corp.example' }.login", nullValue())
                .body("coAuthors.find { it.email.startsWith('583231') }.login", equalTo("mona-lisa"));

        // The sender carries the numeric id, tying devon-ops's login to their account. Mona's id is only
        // in commit text (her noreply address), which names no account: she stays known by login.
        assertEquals(1204455L, Database.count("select github_id from developer where login = 'devon-ops'"));
        assertEquals(
                1, Database.count("select count(*) from developer where login = 'mona-lisa' and github_id is null"));
        assertEquals(0, Database.count("select count(*) from developer where github_id = 583231"));
    }

    @Test
    void anAuthorGitHubCouldNotMatchStaysAnEmailUntilALoginIsTiedToIt() {
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        Webhooks.deliver("push", "push-branch-follow_up.json").then().statusCode(200);
        api().get("/api/v1/commits/" + B1)
                .then()
                .statusCode(200)
                .body("author.login", nullValue())
                .body("author.name", equalTo("Priya Raman"))
                .body("author.email", equalTo("priya@acme-corp.example"))
                .body("pushes[0].pusher", equalTo("mona-lisa"));

        // Later Priya links her e-mail to an account: a commit GitHub matches to "priya-raman".
        String linked = Fixtures.text("push-branch-follow_up.json")
                .replace(B1, "2222222222222222222222222222222222222b02")
                .replace(
                        "\"email\": \"priya@acme-corp.example\"",
                        "\"email\": \"priya@acme-corp.example\", \"username\": \"priya-raman\"");
        Webhooks.deliver("push", UUID.randomUUID().toString(), linked).then().statusCode(200);

        api().get("/api/v1/commits/" + B1).then().statusCode(200).body("author.login", equalTo("priya-raman"));
        api().get("/api/v1/commits/" + A2)
                .then()
                .statusCode(200)
                .body("coAuthors.find { it.email == 'priya@acme-corp.example' }.login", equalTo("priya-raman"));
    }

    @Test
    void aCommitMadeOnGitHubBelongsToItsAuthorNotToWebFlow() {
        Webhooks.deliver("push", "push-branch-web_flow.json").then().statusCode(200);
        api().get("/api/v1/commits/" + W1)
                .then()
                .statusCode(200)
                .body("author.login", equalTo("mona-lisa"))
                .body("committer.login", nullValue())
                .body("committer.name", equalTo("GitHub"))
                .body("branches", contains("main"));
        assertEquals(0, Database.count("select count(*) from developer where login = 'web-flow'"));
        assertEquals(0, Database.count("select count(*) from developer_email where email = 'noreply@github.com'"));
    }

    @Test
    void botsAreMarkedAsBots() {
        Webhooks.deliver("push", "push-branch-bot.json").then().statusCode(200);
        api().get("/api/v1/developers/dependabot[bot]")
                .then()
                .statusCode(200)
                .body("bot", equalTo(true))
                .body("githubId", equalTo(49699333))
                .body("recentCommits", hasSize(1));
    }

    @Test
    void aForcePushKeepsTheCommitsItReplacedAndRecordsThatTheyLeft() {
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        Webhooks.deliver("push", "push-branch-follow_up.json").then().statusCode(200);
        String forced = UUID.randomUUID().toString();
        Webhooks.deliver("push", forced, Fixtures.text("push-branch-forced.json"))
                .then()
                .statusCode(200);

        // At once: the old head (B1) is known to have left.
        api().get("/api/v1/commits/" + B1)
                .then()
                .statusCode(200)
                .body("branches", empty())
                .body("formerBranches", contains("feature/retry-logic"));
        api().get("/api/v1/commits/" + F1)
                .then()
                .statusCode(200)
                .body("branches", contains("feature/retry-logic"))
                .body("pushes[0].forced", equalTo(true));

        // Then GitHub's compare API tells what else went: A2 (and B1 again).
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repos/acme-corp/payments-api/compare/" + F1 + "..." + B1))
                        .willReturn(FakeGitHub.json(Fixtures.text("api-compare-forced.json"))));
        assertEquals(1, worker.drain(5));
        FakeGitHub.server()
                .verify(1, getRequestedFor(urlPathEqualTo("/repos/acme-corp/payments-api/compare/" + F1 + "..." + B1)));

        api().get("/api/v1/commits/" + A2)
                .then()
                .statusCode(200)
                .body("branches", empty())
                .body("formerBranches", contains("feature/retry-logic"));
        api().get("/api/v1/commits/" + A1).then().statusCode(200).body("branches", contains("feature/retry-logic"));
        assertEquals(forced, Database.string("select left_delivery_id from branch_commit where sha = ?", A2));
        assertEquals("done", Database.string("select status from outbox"));
    }

    @Test
    void aDeletedBranchNoLongerHoldsItsCommits() {
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        Webhooks.deliver("push", "push-branch-deleted.json").then().statusCode(200);
        api().get("/api/v1/commits/" + A1)
                .then()
                .statusCode(200)
                .body("branches", empty())
                .body("formerBranches", contains("feature/retry-logic"));
        assertEquals(0, Database.count("select count(*) from outbox"));
    }

    @Test
    void aTagPushRecordsThePushButNoBranch() {
        Webhooks.deliver("push", "push-tag-created.json").then().statusCode(200);
        assertEquals("tag", Database.string("select ref_type from push"));
        assertEquals("v1.4.0", Database.string("select ref_name from push"));
        assertEquals(0, Database.count("select count(*) from branch_commit"));
    }

    @Test
    void aNewBranchAtAnExistingCommitHoldsThatCommit() {
        Webhooks.deliver("push", "push-branch-created.json").then().statusCode(200);
        assertEquals(
                1,
                Database.count(
                        "select count(*) from branch_commit where branch = 'release/2026.11' and sha = ?", BASE));
    }

    @Test
    void aPushOf2048CommitsIsTakenAsCutShortAndTheRestIsFetched() {
        StringBuilder commits = new StringBuilder();
        for (int i = 0; i < 2048; i++) {
            String sha = String.format("%040x", 0xabc00000L + i);
            commits.append(i == 0 ? "" : ",").append("""
                    {"id": "%s", "tree_id": "%s", "distinct": true, "message": "Change %d",
                     "timestamp": "2026-11-20T10:00:00Z", "url": "https://github.com/acme-corp/payments-api/commit/%s",
                     "author": {"name": "Devon Park", "email": "devon@acme-corp.example", "username": "devon-ops"},
                     "committer": {"name": "Devon Park", "email": "devon@acme-corp.example", "username": "devon-ops"},
                     "added": [], "removed": [], "modified": ["README.md"]}""".formatted(sha, sha, i, sha));
        }
        String after = String.format("%040x", 0xabc00000L + 2047);
        String body = Fixtures.text("push-branch-two_commits.json")
                .replaceFirst("\"commits\": \\[", "\"commits\": [" + commits + "], \"ignored_commits\": [")
                .replace("\"after\": \"" + A2 + "\"", "\"after\": \"" + after + "\"");
        Webhooks.deliver("push", UUID.randomUUID().toString(), body).then().statusCode(200);

        assertEquals(2048, Database.count("select count(*) from git_commit"));
        assertEquals(1, Database.count("select count(*) from push where truncated"));
        assertEquals(
                1,
                Database.count(
                        "select count(*) from outbox where kind = 'push-commits' and status = 'pending'"
                                + " and payload->>'purpose' = 'added' and payload->>'base' = ?",
                        BASE));
    }

    @Test
    void theQueueCompletesACutShortPushFromTheCompareApi() {
        Webhooks.deliver("push", "push-branch-created.json").then().statusCode(200);
        String delivery = Database.string("select delivery_id from push");
        Database.execute("""
                insert into outbox (kind, dedup_key, installation_id, payload, available_at, created_at)
                values ('push-commits', 'x:added', 48151623, jsonb_build_object('repositoryId', 702938101,
                        'repository', 'acme-corp/payments-api', 'deliveryId', '%s', 'branch', 'release/2026.11',
                        'base', '%s', 'head', '%s', 'purpose', 'added'), now(), now())""".formatted(delivery, F1, B1));
        // compare/F1...B1 lists A2 and B1: here they stand for the commits the payload left out
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repos/acme-corp/payments-api/compare/" + F1 + "..." + B1))
                        .willReturn(FakeGitHub.json(Fixtures.text("api-compare-forced.json"))));
        assertEquals(1, worker.drain(5));

        api().get("/api/v1/commits/" + A2)
                .then()
                .statusCode(200)
                .body("author.login", equalTo("devon-ops"))
                .body("branches", contains("release/2026.11"))
                .body("pushes[0].deliveryId", equalTo(delivery));
        // B1's author matches no account in GitHub's answer either: it stays an e-mail
        api().get("/api/v1/commits/" + B1)
                .then()
                .statusCode(200)
                .body("author.login", nullValue())
                .body("author.email", equalTo("priya@acme-corp.example"));
        assertEquals(2, Database.count("select cardinality(commit_shas) from push where delivery_id = ?", delivery));
    }
}
