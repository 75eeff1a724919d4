package dev.correlator.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Operators see the queues, list what died and put it back. */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class AdminQueueTest extends AppTest {

    @Test
    void deadWorkIsListedAndPutBack() {
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repos/acme-corp/payments-api/pulls/42/commits"))
                        .willReturn(aResponse().withStatus(404).withBody("{\"message\": \"Not Found\"}")));
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
        worker.drain(5);

        api().get("/api/v1/admin/queue")
                .then()
                .statusCode(200)
                .body("find { it.kind == 'pull-request-commits' }.status", equalTo("dead"));
        long id = api().get("/api/v1/admin/queue/dead")
                .then()
                .statusCode(200)
                .body("kind", hasItem("pull-request-commits"))
                .body("[0].lastError", containsString("404"))
                .extract()
                .jsonPath()
                .getLong("[0].id");

        // GitHub answers again: the row goes back, and this time the work is done.
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repos/acme-corp/payments-api/pulls/42/commits"))
                        .atPriority(1)
                        .willReturn(FakeGitHub.json(Fixtures.text("api-pulls-commits-42.json"))));
        api().post("/api/v1/admin/queue/dead/" + id + "/requeue")
                .then()
                .statusCode(200)
                .body("id", equalTo((int) id));
        worker.drain(5);
        assertEquals("done", Database.string("select status from outbox where id = ?", id));

        api().post("/api/v1/admin/queue/dead/" + id + "/requeue").then().statusCode(404);
        api().get("/api/v1/admin/queue/dead?limit=0").then().statusCode(400);
        RestAssured.given().get("/api/v1/admin/queue").then().statusCode(401);
    }

    @Test
    void aBackfillCannotBeStartedWhileItIsSwitchedOff() {
        // The test profile turns it off (correlator.backfill.enabled=false).
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        api().post("/api/v1/admin/installations/48151623/backfill")
                .then()
                .statusCode(409)
                .body("detail", containsString("correlator.backfill.enabled=false"));
        assertEquals(0, Database.count("select count(*) from outbox where kind = 'backfill'"));
    }
}
