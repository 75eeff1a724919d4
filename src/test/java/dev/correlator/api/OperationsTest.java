package dev.correlator.api;

import jakarta.inject.Inject;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.correlator.outbox.OutboxMetrics;
import dev.correlator.support.AppTest;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Webhooks;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;

/** What an operator watches: deliveries by event and outcome, the queue's depth and dead rows. */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class OperationsTest extends AppTest {

    @Inject
    OutboxMetrics outboxMetrics;

    @Test
    void metricsCountDeliveriesAndShowTheQueue() {
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        Webhooks.deliver("star", "star-created-basic.json").then().statusCode(202);
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
        Webhooks.deliver("pull_request", "pull_request-opened-fork.json").then().statusCode(200);
        FakeGitHub.server()
                .stubFor(WireMock.get(WireMock.urlPathEqualTo("/repos/acme-corp/payments-api/pulls/43/commits"))
                        .willReturn(WireMock.aResponse().withStatus(404)));
        FakeGitHub.server()
                .stubFor(WireMock.get(WireMock.urlPathEqualTo("/repos/acme-corp/payments-api/pulls/42/commits"))
                        .willReturn(WireMock.aResponse().withStatus(502)));
        worker.drain(5);
        outboxMetrics.refresh();

        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(
                        matchesPattern(
                                "(?s).*correlator_deliveries_total\\{[^}]*event=\"push\"[^}]*outcome=\"processed\"[^}]*} [1-9].*"))
                .body(
                        matchesPattern(
                                "(?s).*correlator_deliveries_total\\{[^}]*event=\"star\"[^}]*outcome=\"ignored\"[^}]*} [1-9].*"))
                .body(containsString("correlator_outbox_pending 1.0"))
                .body(containsString("correlator_outbox_dead 1.0"))
                .body(matchesPattern("(?s).*correlator_outbox_tasks_total\\{[^}]*result=\"given-up\"[^}]*} [1-9].*"));
    }
}
