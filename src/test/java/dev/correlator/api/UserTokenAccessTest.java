package dev.correlator.api;

import jakarta.inject.Inject;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;

/** A person calls the API with their own GitHub token, and sees what GitHub lets them read. */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class UserTokenAccessTest extends AppTest {

    private static final String MONAS = "gho_monasOwnTokenFromTheCli";

    @Inject
    GitHubUserAccess users;

    @BeforeEach
    void twoOrganizationsAndAPerson() {
        users.forget();
        ScopedTokensTest.deliverBoth();
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/user"))
                        .withHeader("Authorization", equalTo("Bearer " + MONAS))
                        .willReturn(FakeGitHub.json("{\"login\": \"mona-lisa\", \"id\": 583231}")));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repositories/702938101"))
                        .withHeader("Authorization", equalTo("Bearer " + MONAS))
                        .willReturn(FakeGitHub.json("{\"id\": 702938101, \"full_name\": \"acme-corp/payments-api\"}")));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repositories/813049212"))
                        .withHeader("Authorization", equalTo("Bearer " + MONAS))
                        .willReturn(aResponse().withStatus(404).withBody("{\"message\": \"Not Found\"}")));
    }

    @Test
    void aReadableRepositoryIsAllowedAndAnotherIsNot() {
        given().auth()
                .oauth2(MONAS)
                .get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(MONAS)
                .get("/api/v1/commits/9999999999999999999999999999999999999b01")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(MONAS)
                .get("/api/v1/repos/acme-corp/payments-api/commits")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(MONAS)
                .get("/api/v1/repos/globex/payments-api/commits")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(MONAS)
                .get("/api/v1/developers/mona-lisa")
                .then()
                .statusCode(200)
                .body("emails", empty());
        given().auth().oauth2(MONAS).get("/api/v1/admin/queue").then().statusCode(403);

        // What GitHub said is remembered for a few minutes, under a hash of the token.
        given().auth()
                .oauth2(MONAS)
                .get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(200);
        FakeGitHub.server().verify(1, getRequestedFor(urlPathEqualTo("/user")));
        FakeGitHub.server().verify(1, getRequestedFor(urlPathEqualTo("/repositories/702938101")));
    }

    @Test
    void aTokenGitHubRejectsIsRefused() {
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/user"))
                        .withHeader("Authorization", equalTo("Bearer gho_revoked"))
                        .willReturn(aResponse().withStatus(401).withBody("{\"message\": \"Bad credentials\"}")));
        given().auth()
                .oauth2("gho_revoked")
                .get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(401);
    }

    @Test
    void unknownTokensCostGitHubLittle() {
        // Not the shape of any GitHub token: refused without asking GitHub.
        given().auth()
                .oauth2("not-a-token")
                .get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(401);
        given().auth()
                .oauth2("gho_" + "x".repeat(300))
                .get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(401);
        FakeGitHub.server().verify(0, getRequestedFor(urlPathEqualTo("/user")));

        // At most 20 unknown tokens a minute are looked up for one client; the clock stands still, so
        // all of them fall in one minute.
        clock.hold();
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/user"))
                        .atPriority(10)
                        .willReturn(aResponse().withStatus(401).withBody("{\"message\": \"Bad credentials\"}")));
        given().auth()
                .oauth2(MONAS)
                .get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(200);
        // X-Forwarded-For from a peer that is not a trusted proxy (none is configured) is ignored:
        // a client cannot pass for many by writing addresses there.
        for (int i = 1; i < 20; i++) {
            given().auth()
                    .oauth2("gho_guessed" + i)
                    .header("X-Forwarded-For", "198.51.100." + i)
                    .get("/api/v1/commits/" + Fixtures.A1)
                    .then()
                    .statusCode(401);
        }
        given().auth()
                .oauth2("gho_guessed20")
                .header("X-Forwarded-For", "198.51.100.20")
                .get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(429)
                .header("Retry-After", Matchers.matchesPattern("[1-9][0-9]?"));
        // A token GitHub confirmed before still works; the App asked GitHub 20 times in all.
        given().auth()
                .oauth2(MONAS)
                .get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(200);
        FakeGitHub.server().verify(20, getRequestedFor(urlPathEqualTo("/user")));
    }
}
