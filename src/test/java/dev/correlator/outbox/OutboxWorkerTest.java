package dev.correlator.outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The queue: retries, GitHub's rate limits, giving up, leases shared by several workers. */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class OutboxWorkerTest extends AppTest {

    private static final String COMMITS_42 = "/repos/acme-corp/payments-api/pulls/42/commits";

    private static void openPullRequest() {
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
    }

    private static long secondsUntilNextAttempt() {
        return Database.count("select extract(epoch from available_at - now())::bigint from outbox");
    }

    @Test
    void aServerErrorIsRetriedLaterWithBackoff() {
        openPullRequest();
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo(COMMITS_42))
                        .inScenario("flaky")
                        .whenScenarioStateIs(Scenario.STARTED)
                        .willReturn(aResponse().withStatus(502))
                        .willSetStateTo("recovered"));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo(COMMITS_42))
                        .inScenario("flaky")
                        .whenScenarioStateIs("recovered")
                        .willReturn(FakeGitHub.json(Fixtures.text("api-pulls-commits-42.json"))));

        worker.drain(5);
        assertEquals("pending", Database.string("select status from outbox"));
        assertEquals(1, Database.count("select attempts from outbox"));
        assertTrue(Database.string("select last_error from outbox").contains("502"));
        long wait = secondsUntilNextAttempt();
        assertTrue(wait >= 4 && wait <= 10, "first backoff is 5 to 10 s, was " + wait);

        assertEquals(0, worker.drain(5), "not retried before its time");
        Database.execute("update outbox set available_at = now()");
        worker.drain(5);
        assertEquals("done", Database.string("select status from outbox"));
        assertEquals(2, Database.count("select count(*) from pull_request_commit where left_at is null"));
    }

    @Test
    void aSecondaryRateLimitWaitsForRetryAfter() {
        openPullRequest();
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo(COMMITS_42))
                        .willReturn(aResponse()
                                .withStatus(403)
                                .withHeader("Retry-After", "600")
                                .withBody("{\"message\": \"You have exceeded a secondary rate limit.\"}")));
        worker.drain(5);
        assertEquals("pending", Database.string("select status from outbox"));
        long wait = secondsUntilNextAttempt();
        assertTrue(wait >= 595 && wait <= 600, "waits as long as GitHub said, was " + wait);
    }

    @Test
    void aPrimaryRateLimitWaitsForTheReset() {
        openPullRequest();
        long reset = Instant.now().getEpochSecond() + 1800;
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo(COMMITS_42))
                        .willReturn(aResponse()
                                .withStatus(403)
                                .withHeader("x-ratelimit-remaining", "0")
                                .withHeader("x-ratelimit-reset", String.valueOf(reset))
                                .withBody("{\"message\": \"API rate limit exceeded\"}")));
        worker.drain(5);
        long wait = secondsUntilNextAttempt();
        assertTrue(wait >= 1795 && wait <= 1800, "waits for x-ratelimit-reset, was " + wait);
    }

    @Test
    void aPullRequestThatIsGoneEndsTheWorkAndStaysVisible() {
        openPullRequest();
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo(COMMITS_42)).willReturn(aResponse().withStatus(404)));
        worker.drain(5);
        assertEquals("dead", Database.string("select status from outbox"));
        assertTrue(Database.string("select last_error from outbox").startsWith("gave up"));
        worker.drain(5);
        FakeGitHub.server().verify(1, getRequestedFor(urlPathEqualTo(COMMITS_42)));
    }

    @Test
    void aRowThatKeepsFailingBecomesDead() {
        openPullRequest();
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo(COMMITS_42)).willReturn(aResponse().withStatus(500)));
        for (int attempt = 0; attempt < 12; attempt++) {
            Database.execute("update outbox set available_at = now()");
            worker.drain(1);
        }
        assertEquals("dead", Database.string("select status from outbox"));
        assertEquals(12, Database.count("select attempts from outbox"));
    }

    @Test
    void gitHubUnreachableIsRetried() {
        openPullRequest();
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo(COMMITS_42))
                        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        worker.drain(5);
        assertEquals("pending", Database.string("select status from outbox"));
        assertEquals(1, Database.count("select attempts from outbox"));
        assertTrue(Database.string("select last_error from outbox").contains("unreachable"));
    }

    @Test
    void askingAgainWhileWaitingKeepsOneRow() {
        openPullRequest();
        Webhooks.deliver("pull_request", "pull_request-reopened-basic.json")
                .then()
                .statusCode(200);
        assertEquals(1, Database.count("select count(*) from outbox"));
        assertEquals(1, Database.count("select version from outbox"));
    }

    @Test
    void aLeaseHeldByAnotherWorkerIsRespectedUntilItRunsOut() {
        openPullRequest();
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo(COMMITS_42))
                        .willReturn(FakeGitHub.json(Fixtures.text("api-pulls-commits-42.json"))));
        Database.execute(
                "update outbox set claimed_by = 'a-worker-that-died', claimed_until = now() + interval '1 hour'");
        assertEquals(0, worker.drain(5));
        Database.execute("update outbox set claimed_until = now() - interval '1 second'");
        assertEquals(1, worker.drain(5));
        assertEquals("done", Database.string("select status from outbox"));
    }

    @Test
    void twoWorkersNeverTakeTheSameRow() throws Exception {
        int rows = 60;
        // The work asks GitHub under the repository's stored name.
        Database.execute("""
                insert into repository (id, owner_login, name, full_name, html_url, updated_at)
                values (702938101, 'acme-corp', 'payments-api', 'acme-corp/payments-api',
                        'https://github.com/acme-corp/payments-api', now())""");
        for (int number = 1; number <= rows; number++) {
            Database.execute("""
                    insert into outbox (kind, dedup_key, installation_id, payload, available_at, created_at)
                    values ('pull-request-commits', '%d', 48151623,
                            '{"pullRequestId": %d, "repositoryId": 702938101, "repository": "acme-corp/payments-api", "number": %d}',
                            now(), now())""".formatted(number, 9000 + number, number));
        }
        FakeGitHub.server()
                .stubFor(get(urlPathMatching("/repos/acme-corp/payments-api/pulls/\\d+/commits"))
                        .willReturn(FakeGitHub.json("[]").withFixedDelay(40)));

        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Integer>> workers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            workers.add(pool.submit(() -> worker.drain(100)));
        }
        int done = 0;
        for (Future<Integer> w : workers) {
            done += w.get();
        }
        pool.shutdown();

        assertEquals(rows, done);
        assertTrue(workers.get(0).get() > 0 && workers.get(1).get() > 0, "both workers took part");
        assertEquals(rows, Database.count("select count(*) from outbox where status = 'done'"));
        for (int number = 1; number <= rows; number++) {
            FakeGitHub.server()
                    .verify(
                            1,
                            getRequestedFor(
                                    urlPathEqualTo("/repos/acme-corp/payments-api/pulls/" + number + "/commits")));
        }
    }
}
