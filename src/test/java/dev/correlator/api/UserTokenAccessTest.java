package dev.correlator.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A person calls the API with their own GitHub token, and sees what GitHub lets them read. */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class UserTokenAccessTest extends AppTest {

    private static final String MONAS = "gho_monasOwnTokenFromTheCli";

    @BeforeEach
    void twoOrganizationsAndAPerson() {
        ScopedTokensTest.deliverBoth();
        FakeGitHub.server().stubFor(get(urlPathEqualTo("/user")).withHeader("Authorization", equalTo("Bearer " + MONAS))
                .willReturn(FakeGitHub.json("{\"login\": \"mona-lisa\", \"id\": 583231}")));
        FakeGitHub.server().stubFor(get(urlPathEqualTo("/repos/acme-corp/payments-api"))
                .withHeader("Authorization", equalTo("Bearer " + MONAS))
                .willReturn(FakeGitHub.json("{\"full_name\": \"acme-corp/payments-api\"}")));
        FakeGitHub.server().stubFor(get(urlPathEqualTo("/repos/globex/payments-api"))
                .withHeader("Authorization", equalTo("Bearer " + MONAS))
                .willReturn(aResponse().withStatus(404).withBody("{\"message\": \"Not Found\"}")));
    }

    @Test
    void aReadableRepositoryIsAllowedAndAnotherIsNot() {
        given().auth().oauth2(MONAS).get("/api/v1/commits/" + Fixtures.A1).then().statusCode(200);
        given().auth().oauth2(MONAS).get("/api/v1/commits/9999999999999999999999999999999999999b01").then()
                .statusCode(404);
        given().auth().oauth2(MONAS).get("/api/v1/repos/acme-corp/payments-api/commits").then().statusCode(200);
        given().auth().oauth2(MONAS).get("/api/v1/repos/globex/payments-api/commits").then().statusCode(404);
        given().auth().oauth2(MONAS).get("/api/v1/developers/mona-lisa").then().statusCode(200)
                .body("emails", empty());
        given().auth().oauth2(MONAS).get("/api/v1/admin/queue").then().statusCode(403);

        // What GitHub said is remembered for a few minutes, under a hash of the token.
        given().auth().oauth2(MONAS).get("/api/v1/commits/" + Fixtures.A1).then().statusCode(200);
        FakeGitHub.server().verify(1, getRequestedFor(urlPathEqualTo("/user")));
        FakeGitHub.server().verify(1, getRequestedFor(urlPathEqualTo("/repos/acme-corp/payments-api")));
    }

    @Test
    void aTokenGitHubRejectsIsRefused() {
        FakeGitHub.server().stubFor(get(urlPathEqualTo("/user")).withHeader("Authorization", equalTo("Bearer gho_revoked"))
                .willReturn(aResponse().withStatus(401).withBody("{\"message\": \"Bad credentials\"}")));
        given().auth().oauth2("gho_revoked").get("/api/v1/commits/" + Fixtures.A1).then().statusCode(401);
    }
}
