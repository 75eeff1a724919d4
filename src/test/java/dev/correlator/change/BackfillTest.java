package dev.correlator.change;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.comment.CommentRefresh;
import dev.correlator.github.GitHubApi;
import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Installing the App, or adding a repository to it, fetches what happened before through the
 * queue: open pull requests with their commits and the default branch's recent history, page by
 * page, leaving a reserve of GitHub's allowance to live work and waiting out rate limits.
 */
@QuarkusTest
@TestProfile(BackfillTest.BackfillOn.class)
@QuarkusTestResource(FakeGitHub.class)
class BackfillTest extends AppTest {

    public static class BackfillOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Comments on, to show the backfill does not comment on every open pull request.
            return Map.of(
                    "correlator.backfill.enabled",
                    "true",
                    "correlator.backfill.rate-limit-reserve",
                    "100",
                    "correlator.comments.enabled",
                    "true");
        }
    }

    private static final String H1 = "7777777777777777777777777777777777777701";
    private static final String H2 = "7777777777777777777777777777777777777702";
    private static final String H3 = "7777777777777777777777777777777777777703";
    private static final String L1 = "8888888888888888888888888888888888888801";

    private static final String PAYMENTS = "/repos/acme-corp/payments-api";
    private static final String LEDGER = "/repos/acme-corp/ledger";

    private static final String INSTALLED = "0a1b2c3d-0000-4000-8000-00000000b0f1";

    private final long resetAt = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();

    @Inject
    GitHubApi github;

    @Inject
    CommentRefresh commentRefresh;

    @BeforeEach
    void anOrganizationWithHistory() {
        allowanceIsBack();
        stub(
                "/installation/repositories",
                "per_page=100",
                ok("api-installation-repositories-page1.json")
                        .withHeader(
                                "Link",
                                "<" + FakeGitHub.server().baseUrl()
                                        + "/installation/repositories?per_page=100&page=2>; rel=\"next\""));
        stub("/installation/repositories", "page=2", ok("api-installation-repositories-page2.json"));
        stub(
                PAYMENTS + "/commits",
                "sha=main",
                ok("api-commits-main-page1.json")
                        .withHeader(
                                "Link",
                                "<" + FakeGitHub.server().baseUrl() + PAYMENTS
                                        + "/commits?sha=main&per_page=100&page=2>; rel=\"next\""));
        stub(PAYMENTS + "/commits", "page=2", ok("api-commits-main-page2.json"));
        stub(PAYMENTS + "/pulls", "state=open", ok("api-pulls-open-payments.json"));
        stub(PAYMENTS + "/pulls/42/commits", "per_page=100", ok("api-pulls-commits-42.json"));
        stub(LEDGER, null, ok("api-repos-ledger.json"));
        stub(LEDGER + "/commits", "sha=trunk", ok("api-commits-trunk-ledger.json"));
        stub(LEDGER + "/pulls", "state=open", FakeGitHub.json("[]"));
    }

    @Test
    void installingFetchesOpenPullRequestsAndTheRecentHistoryOfEachDefaultBranch() {
        Instant before = Instant.now();
        Webhooks.deliver("installation", INSTALLED, Fixtures.bytes("installation-created-org.json"))
                .then()
                .statusCode(200);
        drainAll();

        // The default branch's history, both pages, with the window asked for.
        assertEquals(
                3,
                Database.count(
                        "select count(*) from branch_commit where repository_id = ? and branch = 'main'"
                                + " and sha in (?, ?, ?) and added_delivery_id is null",
                        Fixtures.REPO_ID,
                        H1,
                        H2,
                        H3));
        assertEquals(
                3,
                Database.count(
                        "select count(*) from branch_commit where repository_id = ? and branch = 'main'",
                        Fixtures.REPO_ID));
        assertEquals(
                1,
                Database.count(
                        "select count(*) from branch_commit where repository_id = 702938202"
                                + " and branch = 'trunk' and sha = ?",
                        L1));
        String since = FakeGitHub.server()
                .findAll(getRequestedFor(urlPathEqualTo(PAYMENTS + "/commits")).withQueryParam("sha", equalTo("main")))
                .get(0)
                .queryParameter("since")
                .firstValue();
        Duration window = Duration.between(Instant.parse(since), before);
        assertTrue(
                window.compareTo(Duration.ofDays(30).minusMinutes(1)) > 0
                        && window.compareTo(Duration.ofDays(30).plusMinutes(1)) < 0,
                "since " + since);

        // The open pull request with its commits, its author and its span.
        assertEquals("open", Database.string("select state from pull_request where number = 42"));
        api().get("/api/v1/repos/" + Fixtures.REPO + "/pulls/42")
                .then()
                .statusCode(200)
                .body("commits.sha", contains(Fixtures.A1, Fixtures.F1))
                .body("author.login", Matchers.equalTo("mona-lisa"));
        api().get("/api/v1/commits/" + H3).then().statusCode(200).body("branches", hasItem("main"));
        assertEquals(1, Database.count("select count(*) from span_outbox where span like '%pull_request #42%'"));

        // Each page asked for once; no comment written, none waiting.
        // The listing gives each repository whole: no GET of the repository itself.
        for (String path : List.of(
                "/installation/repositories",
                PAYMENTS + "/pulls",
                PAYMENTS + "/pulls/42/commits",
                LEDGER + "/commits",
                LEDGER + "/pulls")) {
            assertEquals(
                    path.equals("/installation/repositories") ? 2 : 1,
                    FakeGitHub.server()
                            .findAll(getRequestedFor(urlPathEqualTo(path)))
                            .size(),
                    path);
        }
        assertEquals(
                2,
                FakeGitHub.server()
                        .findAll(getRequestedFor(urlPathEqualTo(PAYMENTS + "/commits")))
                        .size());
        assertEquals(
                0,
                FakeGitHub.server()
                        .findAll(anyRequestedFor(urlPathMatching(".*/comments")))
                        .size());
        assertEquals(0, Database.count("select count(*) from outbox where kind = 'pull-request-comment'"));
        assertEquals(0, Database.count("select count(*) from outbox where status <> 'done'"));
        // Not from the refresh either, though the repository has a Codespace and #42 is recent.
        Database.execute("""
                insert into codespace (name, owner_login, owner_github_id, repository_full_name, first_seen_at,
                                       last_seen_at, repository_id)
                values ('mona-lisa-payments-api-7q9wxr5v2f4x56', 'mona-lisa', 583231, 'acme-corp/payments-api',
                        now(), now(), 702938101);
                update pull_request set updated_at = now()""");
        assertEquals(0, commentRefresh.refresh());

        // GitHub delivering the installation again starts nothing new.
        Webhooks.deliver("installation", INSTALLED, Fixtures.bytes("installation-created-org.json"))
                .then()
                .statusCode(200);
        assertEquals(0, Database.count("select count(*) from outbox where status = 'pending'"));
    }

    @Test
    void aRepositoryAddedLaterIsBackfilledAlone() {
        Webhooks.deliver("installation_repositories", "installation_repositories-added-one.json")
                .then()
                .statusCode(200);
        drainAll();
        assertEquals(1, Database.count("select count(*) from branch_commit where sha = ? and branch = 'trunk'", L1));
        assertEquals("trunk", Database.string("select default_branch from repository where id = 702938202"));
        assertEquals(
                0,
                FakeGitHub.server()
                        .findAll(getRequestedFor(urlPathMatching("/installation/.*")))
                        .size());
        assertEquals(
                0,
                FakeGitHub.server()
                        .findAll(getRequestedFor(urlPathMatching(PAYMENTS + ".*")))
                        .size());
    }

    @Test
    void theBackfillLeavesItsReserveToLiveWork() {
        // The pull request listing says 50 requests remain: fewer than the reserve of 100.
        stub(PAYMENTS + "/pulls", "state=open", ok("api-pulls-open-payments.json", 50));
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        drainAll();

        // What follows waits for the reset, unasked: the pull request's commits, and every step
        // that had not yet asked GitHub anything.
        assertEquals(0, requests(getRequestedFor(urlPathEqualTo(PAYMENTS + "/pulls/42/commits"))));
        long waiting = Database.count("select count(*) from outbox where status = 'pending'");
        assertTrue(waiting >= 1, "work waits for the reset");
        assertEquals(
                0,
                Database.count(
                        "select count(*) from outbox where status = 'pending'"
                                + " and available_at < to_timestamp(?) - interval '5 seconds'",
                        resetAt));
        assertEquals(0, Database.count("select count(*) from outbox where status = 'dead'"));
        int asked = FakeGitHub.server().getAllServeEvents().size();
        worker.drain(10);
        assertEquals(asked, FakeGitHub.server().getAllServeEvents().size(), "nothing asked before the reset");

        // The hour is over: a live call says so, and the rest is done, each page asked for once.
        allowanceIsBack();
        Database.execute("update outbox set available_at = now() where status = 'pending'");
        drainAll();
        assertEquals(1, requests(getRequestedFor(urlPathEqualTo(PAYMENTS + "/pulls/42/commits"))));
        assertEquals(1, requests(getRequestedFor(urlPathEqualTo(PAYMENTS + "/pulls"))));
        assertEquals(1, requests(getRequestedFor(urlPathEqualTo(LEDGER + "/commits"))));
        assertEquals(2, Database.count("select count(*) from pull_request_commit where left_at is null"));
        assertEquals(4, Database.count("select count(*) from branch_commit"));
        assertEquals(0, Database.count("select count(*) from outbox where status <> 'done'"));
    }

    @Test
    void aRateLimitPausesTheInstallationsWorkUntilItsReset() {
        // GitHub refuses the history: every other piece of the installation's work waits too.
        stub(
                PAYMENTS + "/commits",
                "sha=main",
                aResponse()
                        .withStatus(403)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("x-ratelimit-remaining", "0")
                        .withHeader("x-ratelimit-reset", String.valueOf(resetAt))
                        .withBody("{\"message\": \"API rate limit exceeded for installation ID 48151623.\"}"));
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        drainAll();

        assertEquals(1, requests(getRequestedFor(urlPathEqualTo(PAYMENTS + "/commits"))));
        // Queued before the refusal, not asked after it.
        assertEquals(0, requests(getRequestedFor(urlPathEqualTo(PAYMENTS + "/pulls/42/commits"))));
        assertEquals(0, requests(getRequestedFor(urlPathEqualTo(LEDGER + "/commits"))));
        assertEquals(0, Database.count("select count(*) from outbox where status = 'dead'"));
        assertEquals(
                0,
                Database.count(
                        "select count(*) from outbox where status = 'pending'"
                                + " and available_at < to_timestamp(?) - interval '5 seconds'",
                        resetAt));
        assertEquals(
                0,
                Database.count("select count(*) from outbox where status = 'pending' and attempts > 0"),
                "waiting out a rate limit uses up no attempt");

        stub(
                PAYMENTS + "/commits",
                "sha=main",
                ok("api-commits-main-page1.json")
                        .withHeader(
                                "Link",
                                "<" + FakeGitHub.server().baseUrl() + PAYMENTS
                                        + "/commits?sha=main&per_page=100&page=2>; rel=\"next\""));
        allowanceIsBack();
        Database.execute("update outbox set available_at = now() where status = 'pending'");
        drainAll();
        assertEquals(
                3,
                requests(getRequestedFor(urlPathEqualTo(PAYMENTS + "/commits"))),
                "the refused page once more, then the second page");
        assertEquals(3, Database.count("select count(*) from branch_commit where branch = 'main'"));
        assertEquals(0, Database.count("select count(*) from outbox where status <> 'done'"));
    }

    @Test
    void anOperatorCanStartTheBackfillAgain() {
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        Database.execute("delete from outbox");
        api().post("/api/v1/admin/installations/48151623/backfill").then().statusCode(202);
        assertEquals(1, Database.count("select count(*) from outbox where kind = 'backfill' and status = 'pending'"));
        drainAll();
        assertEquals(3, Database.count("select count(*) from branch_commit where branch = 'main'"));

        api().post("/api/v1/admin/installations/1/backfill").then().statusCode(404);
        Webhooks.deliver("installation", "installation-suspend-org.json").then().statusCode(200);
        api().post("/api/v1/admin/installations/48151623/backfill").then().statusCode(409);
    }

    @Test
    void anEmptyOrVanishedRepositoryHasNoHistoryToFetch() {
        stub(
                LEDGER + "/commits",
                "sha=trunk",
                aResponse()
                        .withStatus(409)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\": \"Git Repository is empty.\", \"status\": \"409\"}"));
        // Deleted, or its default branch renamed, since the listing.
        stub(
                PAYMENTS + "/commits",
                "sha=main",
                aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\": \"Not Found\"}"));
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        drainAll();
        assertEquals(1, requests(getRequestedFor(urlPathEqualTo(LEDGER + "/commits"))));
        assertEquals(1, requests(getRequestedFor(urlPathEqualTo(PAYMENTS + "/commits"))));
        assertEquals(0, Database.count("select count(*) from outbox where status <> 'done'"));
        assertEquals(0, Database.count("select count(*) from branch_commit"));
        // The pull requests are still fetched.
        assertEquals(2, Database.count("select count(*) from pull_request_commit where left_at is null"));
    }

    @Test
    void uninstallingStopsTheBackfill() {
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        Webhooks.deliver("installation", "installation-deleted-org.json").then().statusCode(200);
        drainAll();
        assertEquals(0, requests(getRequestedFor(urlPathMatching("/installation/repositories.*"))));
        assertEquals(0, Database.count("select count(*) from outbox where status <> 'done'"));
    }

    /** Runs the queue until nothing is ready (steps queue the steps after them). */
    private void drainAll() {
        for (int round = 0; round < 20 && worker.drain(10) > 0; round++) {
            // until a round finds nothing ready
        }
    }

    /** A live call after the reset, telling the App the installation's allowance is whole again. */
    private void allowanceIsBack() {
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/rate_limit"))
                        .willReturn(FakeGitHub.json("{}")
                                .withHeader("x-ratelimit-remaining", "4999")
                                .withHeader("x-ratelimit-reset", String.valueOf(resetAt))));
        github.page(FakeGitHub.INSTALLATION_ID, "/rate_limit", Object.class);
    }

    private ResponseDefinitionBuilder ok(String fixture) {
        return ok(fixture, 4000);
    }

    /** GitHub's answer with what it says of the installation's allowance. */
    private ResponseDefinitionBuilder ok(String fixture, int remaining) {
        return FakeGitHub.json(Fixtures.text(fixture))
                .withHeader("x-ratelimit-remaining", String.valueOf(remaining))
                .withHeader("x-ratelimit-reset", String.valueOf(resetAt));
    }

    /** A GET of the path; with a query parameter written "name=value" when two pages share the path. */
    private static void stub(String path, String query, ResponseDefinitionBuilder answer) {
        var mapping = get(urlPathEqualTo(path)).withHeader("Authorization", matching("(?i)(token|bearer) ghs_.+"));
        if (query != null) {
            String[] pair = query.split("=", 2);
            mapping = mapping.withQueryParam(pair[0], equalTo(pair[1]));
        }
        // Page two's stub is more specific than page one's: it wins when both match.
        FakeGitHub.server()
                .stubFor(mapping.atPriority(query != null && query.startsWith("page=") ? 1 : 5)
                        .willReturn(answer));
    }

    private static int requests(RequestPatternBuilder pattern) {
        return FakeGitHub.server().findAll(pattern).size();
    }
}
