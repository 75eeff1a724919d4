package dev.correlator.webhook;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.inject.Inject;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Deliveries GitHub failed to make are found in its log and asked for again, once, across restarts. */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class MissedDeliveriesTest extends AppTest {

    private static final String OK = "11111111-0000-4000-8000-000000000001";
    private static final String FAILED_TWICE = "22222222-0000-4000-8000-000000000002";
    private static final String STORED_ANYWAY = "33333333-0000-4000-8000-000000000003";
    private static final String FAILED_ON_PAGE_TWO = "44444444-0000-4000-8000-000000000004";
    private static final String TOO_OLD = "55555555-0000-4000-8000-000000000005";

    @Inject
    MissedDeliveries missed;

    private static String attempt(long id, String guid, Instant at, boolean redelivery, int status) {
        return """
                {"id": %d, "guid": "%s", "delivered_at": "%s", "redelivery": %s, "duration": 10.0,
                 "status": "%s", "status_code": %d, "event": "push", "action": null,
                 "installation_id": 48151623, "repository_id": 702938101}""".formatted(
                        id, guid, at, redelivery, status == 200 ? "OK" : "Invalid HTTP Response: " + status, status);
    }

    @BeforeEach
    void aLogWithFailures() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String next = FakeGitHub.server().baseUrl() + "/app/hook/deliveries?per_page=100&cursor=v1_105";
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/app/hook/deliveries"))
                        .withHeader("Authorization", matching("Bearer ey.+"))
                        .willReturn(FakeGitHub.json("["
                                        + String.join(
                                                ",",
                                                attempt(103, FAILED_TWICE, now.minusSeconds(300), true, 502),
                                                attempt(101, OK, now.minusSeconds(400), false, 200),
                                                attempt(102, FAILED_TWICE, now.minusSeconds(600), false, 502),
                                                attempt(104, STORED_ANYWAY, now.minusSeconds(700), false, 504))
                                        + "]")
                                .withHeader("Link", "<" + next + ">; rel=\"next\"")));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/app/hook/deliveries"))
                        .withQueryParam("cursor", equalTo("v1_105"))
                        .atPriority(1)
                        .willReturn(FakeGitHub.json("["
                                + String.join(
                                        ",",
                                        attempt(105, FAILED_ON_PAGE_TWO, now.minus(2, ChronoUnit.DAYS), false, 503),
                                        attempt(106, TOO_OLD, now.minus(4, ChronoUnit.DAYS), false, 503))
                                + "]")));
        FakeGitHub.server()
                .stubFor(post(urlPathMatching("/app/hook/deliveries/\\d+/attempts"))
                        .willReturn(aResponse().withStatus(202).withBody("{}")));
        // GitHub saw a timeout for this one, but the App had stored it.
        Webhooks.deliver("push", STORED_ANYWAY, Fixtures.text("push-branch-two_commits.json"))
                .then()
                .statusCode(200);
    }

    @Test
    void eachFailedDeliveryIsAskedForOnceAcrossRestarts() {
        MissedDeliveries.Scan scan = missed.scan();

        assertEquals(2, scan.requested());
        FakeGitHub.server().verify(1, postRequestedFor(urlPathEqualTo("/app/hook/deliveries/103/attempts")));
        FakeGitHub.server().verify(1, postRequestedFor(urlPathEqualTo("/app/hook/deliveries/105/attempts")));
        FakeGitHub.server().verify(2, postRequestedFor(urlPathMatching("/app/hook/deliveries/\\d+/attempts")));
        assertEquals(2, Database.count("select count(*) from redelivery"));
        assertEquals(1, Database.count("select count(*) from job_checkpoint"));

        // What the App knows is in PostgreSQL, so a restarted App (or another replica) asks for
        // none of them again, even while GitHub's log still shows them failed.
        Database.execute("delete from job_checkpoint");
        assertEquals(0, missed.scan().requested());
        FakeGitHub.server().verify(2, postRequestedFor(urlPathMatching("/app/hook/deliveries/\\d+/attempts")));
    }

    @Test
    void aRateLimitStopsTheScanAndTheRestWaits() {
        FakeGitHub.server()
                .stubFor(post(urlPathMatching("/app/hook/deliveries/\\d+/attempts"))
                        .atPriority(1)
                        .willReturn(aResponse()
                                .withStatus(429)
                                .withHeader("Retry-After", "60")
                                .withBody("{}")));

        assertEquals(0, missed.scan().requested());
        assertEquals(0, Database.count("select count(*) from redelivery"));
        assertEquals(0, Database.count("select count(*) from job_checkpoint"), "the next scan starts from as far back");
    }
}
