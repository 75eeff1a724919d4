package dev.correlator.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import jakarta.inject.Inject;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
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
import static org.hamcrest.Matchers.matchesPattern;

/**
 * Unknown tokens are looked up within limits per client and in total, so a flood of guesses from
 * one client neither locks out other clients' new tokens nor, once the total is spent, the people
 * whose tokens GitHub already confirmed. The App sits behind a trusted proxy here (the test
 * client's own address), so X-Forwarded-For names the clients.
 */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
@TestProfile(UnknownTokenLimitsTest.BehindAProxy.class)
class UnknownTokenLimitsTest extends AppTest {

    public static class BehindAProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "correlator.api.trusted-proxies",
                    "127.0.0.1,::1,10.0.0.0/8",
                    "correlator.api.user-token-lookups-per-address-per-minute",
                    "5",
                    "correlator.api.user-token-lookups-per-minute",
                    "12",
                    "correlator.api.user-token-cache",
                    "PT5M",
                    "correlator.api.user-token-refresh-before",
                    "PT1M");
        }
    }

    private static final String MONAS = "gho_monasOwnTokenFromTheCli";
    private static final String DEVONS = "gho_devonsOwnTokenFromTheCli";

    @Inject
    GitHubUserAccess users;

    @BeforeEach
    void aPersonAndGuesses() {
        clock.set(Instant.parse("2026-11-20T13:40:10Z"));
        users.forget();
        ScopedTokensTest.deliverBoth();
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/user"))
                        .atPriority(10)
                        .willReturn(aResponse().withStatus(401).withBody("{\"message\": \"Bad credentials\"}")));
        for (String[] person : new String[][] {{MONAS, "mona-lisa", "583231"}, {DEVONS, "devon-ops", "1204455"}}) {
            FakeGitHub.server()
                    .stubFor(get(urlPathEqualTo("/user"))
                            .withHeader("Authorization", equalTo("Bearer " + person[0]))
                            .willReturn(
                                    FakeGitHub.json("{\"login\": \"" + person[1] + "\", \"id\": " + person[2] + "}")));
            FakeGitHub.server()
                    .stubFor(get(urlPathEqualTo("/repositories/702938101"))
                            .withHeader("Authorization", equalTo("Bearer " + person[0]))
                            .willReturn(
                                    FakeGitHub.json("{\"id\": 702938101, \"full_name\": \"acme-corp/payments-api\"}")));
        }
    }

    private static ValidatableResponse call(String token, String forwardedFor) {
        return given().auth()
                .oauth2(token)
                .header("X-Forwarded-For", forwardedFor)
                .get("/api/v1/commits/" + Fixtures.A1)
                .then();
    }

    @Test
    void oneClientsFloodDoesNotStopAnotherClientsNewToken() {
        for (int i = 1; i <= 5; i++) {
            call("gho_guessedByA" + i, "203.0.113.7").statusCode(401);
        }
        for (int i = 6; i <= 70; i++) {
            call("gho_guessedByA" + i, "203.0.113.7")
                    .statusCode(429)
                    .header("Retry-After", matchesPattern("[1-9][0-9]?"));
        }
        // Client B's token was never seen: it is looked up, and works.
        call(MONAS, "198.51.100.20").statusCode(200);
        FakeGitHub.server().verify(6, getRequestedFor(urlPathEqualTo("/user")));
    }

    @Test
    void theClientIsTheRightMostAddressNoTrustedProxyWrote() {
        // Whatever the client writes left of what the proxies appended is its own invention.
        for (int i = 1; i <= 5; i++) {
            call("gho_guessedByA" + i, "192.0.2." + i + ", 203.0.113.7, 10.1.2.3")
                    .statusCode(401);
        }
        call("gho_guessedByA6", "192.0.2.99, 203.0.113.7, 10.1.2.3").statusCode(429);
        call("gho_guessedByA7", "203.0.113.7").statusCode(429);
        call(MONAS, "192.0.2.99, 198.51.100.20, 10.1.2.3").statusCode(200);
        // An IPv6 client is one client across its /64.
        for (int i = 1; i <= 5; i++) {
            call("gho_guessedByC" + i, "2001:db8:1:2::" + i).statusCode(401);
        }
        call("gho_guessedByC6", "2001:db8:1:2:ffff::1").statusCode(429);
    }

    @Test
    void allClientsTogetherAreLimitedInTotal() {
        for (int client = 1; client <= 3; client++) {
            for (int i = 1; i <= 4; i++) {
                call("gho_guessed" + client + "x" + i, "203.0.113." + client).statusCode(401);
            }
        }
        call(MONAS, "198.51.100.20").statusCode(429).header("Retry-After", matchesPattern("[1-9][0-9]?"));
        FakeGitHub.server().verify(12, getRequestedFor(urlPathEqualTo("/user")));
        // Another minute, another budget.
        clock.advance(Duration.ofMinutes(1));
        call(MONAS, "198.51.100.20").statusCode(200);
    }

    @Test
    void aKnownTokenIsRefreshedBeforeItExpiresAndKeepsWorkingThroughAFlood() {
        call(MONAS, "198.51.100.20").statusCode(200);
        call(DEVONS, "198.51.100.21").statusCode(200);

        // Late in the remembered answer's life, during a flood that spends the total.
        clock.advance(Duration.ofSeconds(4 * 60 + 20));
        flood();
        call("gho_someoneNew", "198.51.100.22").statusCode(429);
        call(MONAS, "198.51.100.20").statusCode(200);
        FakeGitHub.server()
                .verify(
                        2,
                        getRequestedFor(urlPathEqualTo("/user"))
                                .withHeader("Authorization", equalTo("Bearer " + MONAS)));

        // Past the first answer's end, and another flood: Mona's refreshed answer still holds.
        clock.advance(Duration.ofMinutes(1));
        flood();
        call(MONAS, "198.51.100.20").statusCode(200);
        FakeGitHub.server()
                .verify(
                        2,
                        getRequestedFor(urlPathEqualTo("/user"))
                                .withHeader("Authorization", equalTo("Bearer " + MONAS)));
        // Devon did not call in time, but GitHub confirmed his token before: not a guess, not limited.
        call(DEVONS, "198.51.100.21").statusCode(200);
    }

    @Test
    void aRefreshThatGitHubRefusesEndsTheToken() {
        call(MONAS, "198.51.100.20").statusCode(200);
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/user"))
                        .atPriority(1)
                        .withHeader("Authorization", equalTo("Bearer " + MONAS))
                        .willReturn(aResponse().withStatus(401).withBody("{\"message\": \"Bad credentials\"}")));
        clock.advance(Duration.ofSeconds(4 * 60 + 20));
        call(MONAS, "198.51.100.20").statusCode(401);
    }

    private static void flood() {
        for (int client = 1; client <= 3; client++) {
            for (int i = 1; i <= 5; i++) {
                call("gho_flood" + client + "x" + i + "x" + System.nanoTime(), "203.0.113." + client);
            }
        }
    }
}
