package dev.correlator.api;

import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static dev.correlator.support.Fixtures.A1;
import static dev.correlator.support.Fixtures.A2;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** The mapping API's statuses and bodies. */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class MappingApiTest extends AppTest {

    @BeforeEach
    void seed() {
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        Webhooks.deliver("push", "push-branch-follow_up.json").then().statusCode(200);
        Webhooks.deliver("push", "push-branch-web_flow.json").then().statusCode(200);
    }

    @Test
    void needsAValidBearerToken() {
        given().get("/api/v1/commits/" + A1)
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", notNullValue());
        given().auth()
                .oauth2("not-the-token")
                .get("/api/v1/commits/" + A1)
                .then()
                .statusCode(401)
                .body("detail", equalTo("the bearer token is not valid"));
        given().header("Authorization", "Basic dGVzdDp0ZXN0")
                .get("/api/v1/developers/mona-lisa")
                .then()
                .statusCode(401);
    }

    @Test
    void looksUpByFullShaOrUniquePrefix() {
        api().get("/api/v1/commits/" + A1)
                .then()
                .statusCode(200)
                .body("sha", equalTo(A1))
                .body("authoredAt", equalTo("2026-11-20T08:14:03Z"));
        api().get("/api/v1/commits/" + A1.toUpperCase()).then().statusCode(200).body("sha", equalTo(A1));
        api().get("/api/v1/commits/" + Fixtures.W1.substring(0, 7))
                .then()
                .statusCode(200)
                .body("sha", equalTo(Fixtures.W1));
    }

    @Test
    void refusesWhatIsNotAShaAndSaysWhatIsUnknown() {
        api().get("/api/v1/commits/abc12").then().statusCode(400).contentType("application/problem+json");
        api().get("/api/v1/commits/not-a-sha-at-all").then().statusCode(400);
        api().get("/api/v1/commits/" + "f".repeat(41)).then().statusCode(400);
        api().get("/api/v1/commits/deadbeefdeadbeef").then().statusCode(404).contentType("application/problem+json");
        api().get("/api/v1/commits/" + A1 + "?repository=acme-corp/nope").then().statusCode(404);
        api().get("/api/v1/commits/" + A1 + "?repository=nonsense").then().statusCode(400);
        api().get("/api/v1/developers/nobody-here").then().statusCode(404);
        api().get("/api/v1/repos/acme-corp/payments-api/pulls/999").then().statusCode(404);
    }

    @Test
    void anAmbiguousPrefixOrAShaInSeveralRepositoriesAnswers409() {
        api().get("/api/v1/commits/1111111111111111")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("candidates.sha", containsInAnyOrder(A1, A2));

        // The same commit in a fork of ours that the App also watches.
        String copy = Fixtures.text("push-branch-two_commits.json")
                .replace("\"id\": 702938101", "\"id\": 702938999")
                .replace("acme-corp/payments-api", "acme-corp/payments-api-mirror");
        Webhooks.deliver("push", UUID.randomUUID().toString(), copy).then().statusCode(200);
        api().get("/api/v1/commits/" + A1)
                .then()
                .statusCode(409)
                .body("repositories", containsInAnyOrder("acme-corp/payments-api", "acme-corp/payments-api-mirror"));
        api().get("/api/v1/commits/" + A1 + "?repository=acme-corp/payments-api-mirror")
                .then()
                .statusCode(200)
                .body("repository", equalTo("acme-corp/payments-api-mirror"));
    }

    @Test
    void listsARepositorysCommitsNewestFirstWithFiltersAndCursor() {
        api().get("/api/v1/repos/acme-corp/payments-api/commits")
                .then()
                .statusCode(200)
                .body("items.sha", contains(Fixtures.W1, Fixtures.B1, A2, A1))
                .body("nextCursor", nullValue());

        String cursor = api().get("/api/v1/repos/acme-corp/payments-api/commits?limit=3")
                .then()
                .statusCode(200)
                .body("items", hasSize(3))
                .extract()
                .path("nextCursor");
        api().get("/api/v1/repos/acme-corp/payments-api/commits?limit=3&cursor=" + cursor)
                .then()
                .statusCode(200)
                .body("items.sha", contains(A1))
                .body("nextCursor", nullValue());

        api().get("/api/v1/repos/acme-corp/payments-api/commits?branch=main")
                .then()
                .statusCode(200)
                .body("items.sha", contains(Fixtures.W1));
        String onBranch = api().get("/api/v1/repos/acme-corp/payments-api/commits?branch=feature/retry-logic&limit=2")
                .then()
                .statusCode(200)
                .body("items.sha", contains(Fixtures.B1, A2))
                .extract()
                .path("nextCursor");
        api().get("/api/v1/repos/acme-corp/payments-api/commits?branch=feature/retry-logic&limit=2&cursor=" + onBranch)
                .then()
                .statusCode(200)
                .body("items.sha", contains(A1))
                .body("nextCursor", nullValue());
        api().get("/api/v1/repos/acme-corp/payments-api/commits?author=devon-ops")
                .then()
                .statusCode(200)
                .body("items.sha", contains(A2));
        api().get("/api/v1/repos/acme-corp/payments-api/commits?author=nobody")
                .then()
                .statusCode(200)
                .body("items", hasSize(0));
        api().get("/api/v1/repos/acme-corp/payments-api/commits?since=2026-11-20T13:00:00Z&until=2026-11-20T13:50:00Z")
                .then()
                .statusCode(200)
                .body("items.sha", contains(Fixtures.B1, A2));
    }

    @Test
    void refusesBadListingParameters() {
        api().get("/api/v1/repos/acme-corp/payments-api/commits?limit=501")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        api().get("/api/v1/repos/acme-corp/payments-api/commits?limit=0").then().statusCode(400);
        api().get("/api/v1/repos/acme-corp/payments-api/commits?limit=ten")
                .then()
                .statusCode(400);
        api().get("/api/v1/repos/acme-corp/payments-api/commits?since=yesterday")
                .then()
                .statusCode(400);
        api().get("/api/v1/repos/acme-corp/payments-api/commits?cursor=garbage")
                .then()
                .statusCode(400);
        api().get("/api/v1/repos/acme-corp/unknown/commits").then().statusCode(404);
    }

    @Test
    void showsADeveloperWithEmailsAndRecentCommits() {
        api().get("/api/v1/developers/MONA-LISA")
                .then()
                .statusCode(200)
                .body("login", equalTo("mona-lisa"))
                .body("githubId", equalTo(583231))
                .body("emails", contains("583231+mona-lisa@users.noreply.github.com"))
                .body("recentCommits.sha", contains(Fixtures.W1, A1));
    }

    @Test
    void publishesOpenApiAndHealth() {
        given().get("/q/openapi").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }
}
