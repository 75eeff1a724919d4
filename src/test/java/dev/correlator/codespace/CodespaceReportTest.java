package dev.correlator.codespace;

import java.time.Instant;
import java.util.Collections;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reporter's endpoint, with GitHub faked at the HTTP level: whose token it is (GET /user)
 * and the organization's Codespaces (GET /orgs/{org}/members/{login}/codespaces).
 */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class CodespaceReportTest extends AppTest {

    static final String CODESPACE = "mona-lisa-payments-api-7q9wxr5v2f4x56";
    static final String MONA_TOKEN = "ghu_codespaceTokenOfMona";
    static final String DEVON_TOKEN = "ghu_codespaceTokenOfDevon";

    @Inject
    CodespaceVerifier verifier;

    @Inject
    ReportRateLimit rateLimit;

    @Inject
    CodespacePoller poller;

    @BeforeEach
    void installedOnTheOrganization() {
        verifier.forget();
        rateLimit.reset();
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/user"))
                        .withHeader("Authorization", equalTo("Bearer " + MONA_TOKEN))
                        .willReturn(FakeGitHub.json("{\"login\": \"mona-lisa\", \"id\": 583231, \"type\": \"User\"}")));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/user"))
                        .withHeader("Authorization", equalTo("Bearer " + DEVON_TOKEN))
                        .willReturn(
                                FakeGitHub.json("{\"login\": \"devon-ops\", \"id\": 1204455, \"type\": \"User\"}")));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/user"))
                        .atPriority(10)
                        .willReturn(aResponse()
                                .withStatus(401)
                                .withHeader("Content-Type", "application/json")
                                .withBody("{\"message\": \"Bad credentials\"}")));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/orgs/acme-corp/members/mona-lisa/codespaces"))
                        .willReturn(FakeGitHub.json(Fixtures.text("api-org-member-codespaces-mona.json"))));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/orgs/acme-corp/members/devon-ops/codespaces"))
                        .willReturn(FakeGitHub.json("{\"total_count\": 0, \"codespaces\": []}")));
    }

    @Test
    void aReportWhoseTokenOwnsTheCodespaceIsVerified() {
        String event = UUID.randomUUID().toString();
        report(MONA_TOKEN, commitEvent(event))
                .then()
                .statusCode(202)
                .body("verification", Matchers.equalTo("verified"));
        assertEquals(1, Database.count("""
                select count(*) from codespace_event
                 where event_id = ?::uuid and verification = 'verified' and login = 'mona-lisa' and sha = ?""", event, Fixtures.B1));
        assertEquals(1, Database.count("""
                select count(*) from codespace
                 where name = ? and owner_login = 'mona-lisa' and repository_full_name = 'acme-corp/payments-api'""", CODESPACE));
        assertTokenNowhere(MONA_TOKEN);

        // The same event again: 200, nothing new, GitHub not asked again.
        int asked = FakeGitHub.server()
                .findAll(getRequestedFor(urlPathEqualTo("/user")))
                .size();
        report(MONA_TOKEN, commitEvent(event)).then().statusCode(200).body("outcome", Matchers.equalTo("duplicate"));
        assertEquals(1, Database.count("select count(*) from codespace_event"));
        assertEquals(
                asked,
                FakeGitHub.server()
                        .findAll(getRequestedFor(urlPathEqualTo("/user")))
                        .size());
    }

    @Test
    void aReportIsTiedToTheRepositoryGitHubNamesNotToAStaleRowOfTheSameName() {
        // The App still stores acme-corp/payments-api as 702938101; GitHub says the Codespace's
        // repository of that name is now another one (the old one deleted, a new one created).
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/orgs/acme-corp/members/mona-lisa/codespaces"))
                        .atPriority(1)
                        .willReturn(FakeGitHub.json(Fixtures.text("api-org-member-codespaces-mona.json")
                                .replace("\"id\": 702938101", "\"id\": 702938999"))));

        report(MONA_TOKEN, commitEvent(UUID.randomUUID().toString())).then().statusCode(202);

        assertEquals("702938999", Database.string("select repository_id::text from codespace_event"));
        assertEquals("702938999", Database.string("select repository_id::text from codespace"));
    }

    @Test
    void anErasedOwnersReportIsTakenAndNotRecorded() {
        api().delete("/api/v1/admin/developers/mona-lisa").then().statusCode(404); // unknown, yet tombstoned
        report(MONA_TOKEN, commitEvent(UUID.randomUUID().toString()))
                .then()
                .statusCode(202)
                .body("outcome", Matchers.equalTo("not-recorded"));
        assertEquals(0, Database.count("select count(*) from codespace_event"));
        assertEquals(0, Database.count("select count(*) from codespace"));
        assertEquals(0, Database.count("select count(*) from span_outbox"));
        // Others' Codespaces are recorded as before.
        devonOwnsHisCodespace();
        report(DEVON_TOKEN, commitEvent(UUID.randomUUID().toString()).replace(CODESPACE, "devon-ops-payments-api-5g7x"))
                .then()
                .statusCode(202)
                .body("verification", Matchers.equalTo("verified"));
        assertEquals(1, Database.count("select count(*) from codespace_event where login = 'devon-ops'"));
    }

    @Test
    void aCommitListsTheVerifiedCodespacesOfItsAuthorOnly() {
        // B1: written and pushed by mona-lisa.
        Webhooks.deliver("push", "push-branch-codespace_commit.json").then().statusCode(200);
        report(MONA_TOKEN, commitEvent(UUID.randomUUID().toString())).then().statusCode(202);
        // devon-ops reports the same sha from a Codespace that really is his: verified, but he
        // did not make B1, so it is not linked to his Codespace.
        devonOwnsHisCodespace();
        report(DEVON_TOKEN, commitEvent(UUID.randomUUID().toString()).replace(CODESPACE, "devon-ops-payments-api-5g7x"))
                .then()
                .statusCode(202)
                .body("verification", Matchers.equalTo("verified"));

        api().get("/api/v1/commits/" + Fixtures.B1)
                .then()
                .statusCode(200)
                .body("codespaces.size()", Matchers.equalTo(1))
                .body("codespaces[0].name", Matchers.equalTo(CODESPACE))
                .body("codespaces[0].owner", Matchers.equalTo("mona-lisa"))
                .body("codespaces[0].confidence", Matchers.equalTo("verified"))
                .body("codespaces[0].source", Matchers.equalTo("reporter"));

        api().get("/api/v1/codespaces/" + CODESPACE)
                .then()
                .statusCode(200)
                .body("owner", Matchers.equalTo("mona-lisa"))
                .body("repository", Matchers.equalTo("acme-corp/payments-api"))
                .body("branches", Matchers.contains("feature/retry-logic"))
                .body("commits.sha", Matchers.contains(Fixtures.B1))
                .body("commits[0].confidence", Matchers.equalTo("verified"));
        // Devon's Codespace reported B1 too, but B1 is not his: no commit is linked to it.
        api().get("/api/v1/codespaces/devon-ops-payments-api-5g7x")
                .then()
                .statusCode(200)
                .body("commits.size()", Matchers.equalTo(0));
        api().get("/api/v1/codespaces/nobody-knows-this-one").then().statusCode(404);
        given().get("/api/v1/codespaces/" + CODESPACE).then().statusCode(401);
    }

    @Test
    void aCommitOnlyPushedFromTheCodespaceIsNotLinkedToIt() {
        // B1 as first written: Priya Raman's commit, which mona-lisa pushes. Mona's reporter names
        // it (as an old reporter did for commits merged in), yet she did not make it.
        Webhooks.deliver("push", "push-branch-follow_up.json").then().statusCode(200);
        report(MONA_TOKEN, commitEvent(UUID.randomUUID().toString()).replace("\"commit\"", "\"push\""))
                .then()
                .statusCode(202)
                .body("verification", Matchers.equalTo("verified"));

        api().get("/api/v1/commits/" + Fixtures.B1)
                .then()
                .statusCode(200)
                .body("codespaces.size()", Matchers.equalTo(0));
    }

    @Test
    void aSuccessfulCheckIsRememberedForAFewMinutes() {
        report(MONA_TOKEN, commitEvent(UUID.randomUUID().toString())).then().statusCode(202);
        report(MONA_TOKEN, commitEvent(UUID.randomUUID().toString())).then().statusCode(202);
        assertEquals(
                1,
                FakeGitHub.server()
                        .findAll(getRequestedFor(urlPathEqualTo("/user")))
                        .size());
    }

    @Test
    void aTokenGitHubRejectsIsRefusedAndNothingIsStored() {
        report("ghu_revoked", commitEvent(UUID.randomUUID().toString()))
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        report(null, commitEvent(UUID.randomUUID().toString())).then().statusCode(401);
        assertEquals(0, Database.count("select count(*) from codespace_event"));
    }

    @Test
    void aLoginClaimingSomeoneElsesCodespaceIsRefused() {
        report(DEVON_TOKEN, commitEvent(UUID.randomUUID().toString()))
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        // Mona's own Codespace, but on another repository than it works on.
        report(
                        MONA_TOKEN,
                        commitEvent(UUID.randomUUID().toString())
                                .replace("acme-corp/payments-api", "acme-corp/ledger-service"))
                .then()
                .statusCode(403);
        assertEquals(0, Database.count("select count(*) from codespace_event"));
        assertEquals(0, Database.count("select count(*) from codespace"));
    }

    /** How GitHub answers GET /user, and what the reporter is told. */
    static Stream<Arguments> gitHubCannotSayWhoseTokenItIs() {
        long reset = Instant.now().plusSeconds(120).getEpochSecond();
        return Stream.of(
                Arguments.of("no answer", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER), 503, "60"),
                Arguments.of("500", aResponse().withStatus(500), 503, "60"),
                Arguments.of(
                        "502 with Retry-After",
                        aResponse().withStatus(502).withHeader("Retry-After", "7"),
                        503,
                        "[78]"),
                Arguments.of(
                        "403 rate limit",
                        aResponse()
                                .withStatus(403)
                                .withHeader("x-ratelimit-remaining", "0")
                                .withHeader("x-ratelimit-reset", Long.toString(reset))
                                .withBody("{\"message\": \"API rate limit exceeded for user ID 583231.\"}"),
                        429,
                        "1[12][0-9]"),
                Arguments.of(
                        "403 secondary rate limit",
                        aResponse()
                                .withStatus(403)
                                .withHeader("Retry-After", "30")
                                .withBody("{\"message\": \"You have exceeded a secondary rate limit.\"}"),
                        429,
                        "(29|30|31)"),
                Arguments.of("429", aResponse().withStatus(429).withHeader("Retry-After", "30"), 429, "(29|30|31)"),
                Arguments.of(
                        "403 without rate-limit headers",
                        aResponse().withStatus(403).withBody("{\"message\": \"Forbidden\"}"),
                        503,
                        "60"),
                Arguments.of("404", aResponse().withStatus(404).withBody("{\"message\": \"Not Found\"}"), 503, "60"),
                Arguments.of("422", aResponse().withStatus(422), 503, "60"),
                Arguments.of("200 without a login", FakeGitHub.json("{\"id\": 583231}"), 503, "60"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void gitHubCannotSayWhoseTokenItIs(String answer, ResponseDefinitionBuilder github, int status, String retryAfter) {
        FakeGitHub.server().stubFor(get(urlPathEqualTo("/user")).atPriority(1).willReturn(github));
        String event = UUID.randomUUID().toString();
        report(MONA_TOKEN, commitEvent(event))
                .then()
                .statusCode(status)
                .contentType("application/problem+json")
                .header("Retry-After", Matchers.matchesPattern(retryAfter))
                .body("detail", Matchers.containsString("nothing was stored"));
        assertNothingStored();
        assertTokenNowhere(MONA_TOKEN);
    }

    static Stream<Arguments> gitHubCannotSayWhoOwnsTheCodespace() {
        return Stream.of(
                Arguments.of("no answer", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)),
                Arguments.of("502", aResponse().withStatus(502)),
                // The App's own allowance, not the caller's: still 503.
                Arguments.of(
                        "the installation rate-limited",
                        aResponse()
                                .withStatus(403)
                                .withHeader("x-ratelimit-remaining", "0")
                                .withHeader(
                                        "x-ratelimit-reset",
                                        Long.toString(
                                                Instant.now().plusSeconds(30).getEpochSecond()))),
                // The App lacks the organization_codespaces permission: not a sign the Codespace is not hers.
                Arguments.of(
                        "403",
                        aResponse()
                                .withStatus(403)
                                .withBody("{\"message\": \"Resource not accessible by integration\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void gitHubCannotSayWhoOwnsTheCodespace(String answer, ResponseDefinitionBuilder github) {
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/orgs/acme-corp/members/mona-lisa/codespaces"))
                        .atPriority(1)
                        .willReturn(github));
        report(MONA_TOKEN, commitEvent(UUID.randomUUID().toString()))
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", Matchers.matchesPattern("[1-9][0-9]*"));
        assertNothingStored();
    }

    @Test
    void oneCodespaceCannotReportWithoutLimit() {
        int accepted = 0;
        Response refused = null;
        // 120 a minute; the clock stands still, so all of them fall in one minute.
        clock.hold();
        for (int i = 0; i < 121 && refused == null; i++) {
            Response answer = report(MONA_TOKEN, commitEvent(UUID.randomUUID().toString()));
            if (answer.statusCode() == 429) {
                refused = answer;
            } else {
                answer.then().statusCode(202);
                accepted++;
            }
        }
        Assertions.assertNotNull(refused, "no 429 after " + accepted + " events");
        assertEquals(120, accepted, "the minute's budget, then 429");
        refused.then()
                .contentType("application/problem+json")
                .header("Retry-After", Matchers.matchesPattern("[1-9][0-9]?"));
        assertEquals(accepted, Database.count("select count(*) from codespace_event"), "a refused event is not stored");
        // Someone else naming the same Codespace has a budget of their own (and is refused as usual).
        report(DEVON_TOKEN, commitEvent(UUID.randomUUID().toString())).then().statusCode(403);
    }

    @Test
    void aReportRefusedWhileGitHubIsDownIsVerifiedWhenSentAgainAndAPollLinksNothingMeanwhile() {
        Webhooks.deliver("push", "push-branch-codespace_commit.json").then().statusCode(200);
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/user"))
                        .atPriority(1)
                        .willReturn(aResponse().withStatus(503)));
        String event = UUID.randomUUID().toString();
        report(MONA_TOKEN, commitEvent(event)).then().statusCode(503);
        // Anyone can send one naming her Codespace while GitHub cannot be asked.
        report("ghu_anyoneElsesToken", commitEvent(UUID.randomUUID().toString()))
                .then()
                .statusCode(503);
        // The organization's listing shows her Codespace, running then: nothing to corroborate.
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/orgs/acme-corp/codespaces"))
                        .willReturn(FakeGitHub.json(Fixtures.text("api-org-member-codespaces-mona.json"))));
        poller.pollAll();
        assertEquals(0, Database.count("select count(*) from codespace_event"));
        api().get("/api/v1/commits/" + Fixtures.B1)
                .then()
                .body("codespaces.source", Matchers.not(Matchers.hasItem("reporter")));

        // GitHub is back; the reporter sends the same event again.
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/user"))
                        .atPriority(1)
                        .withHeader("Authorization", equalTo("Bearer " + MONA_TOKEN))
                        .willReturn(FakeGitHub.json("{\"login\": \"mona-lisa\", \"id\": 583231, \"type\": \"User\"}")));
        report(MONA_TOKEN, commitEvent(event))
                .then()
                .statusCode(202)
                .body("verification", Matchers.equalTo("verified"));
        api().get("/api/v1/commits/" + Fixtures.B1)
                .then()
                .body("codespaces[0].name", Matchers.equalTo(CODESPACE))
                .body("codespaces[0].confidence", Matchers.equalTo("verified"))
                .body("codespaces[0].source", Matchers.equalTo("reporter"));
    }

    @Test
    void malformedReportsAreRefusedWithAReason() {
        for (String body : new String[] {
            "{",
            "[]",
            "{\"eventId\": 42}",
            commitEvent("not-a-uuid"),
            commitEvent(UUID.randomUUID().toString()).replace("\"commit\"", "\"deploy\""),
            commitEvent(UUID.randomUUID().toString()).replace(Fixtures.B1, "abc"),
            commitEvent(UUID.randomUUID().toString()).replace("\"acme-corp/payments-api\"", "\"payments-api\""),
            commitEvent(UUID.randomUUID().toString()).replace("\"2026-11-20T13:46:00Z\"", "\"yesterday\""),
            commitEvent(UUID.randomUUID().toString())
                    .replace(
                            "\"commits\": [\"" + Fixtures.B1 + "\"]",
                            "\"commits\": ["
                                    + String.join(",", Collections.nCopies(1001, "\"" + Fixtures.B1 + "\""))
                                    + "]"),
            commitEvent(UUID.randomUUID().toString())
                    .replace("\"commits\": [", "\"commits\": \"" + Fixtures.B1 + "\", \"ignored\": [")
        }) {
            report(MONA_TOKEN, body).then().statusCode(400).contentType("application/problem+json");
        }
        assertEquals(0, Database.count("select count(*) from codespace_event"));
        assertEquals(
                0,
                FakeGitHub.server()
                        .findAll(getRequestedFor(urlPathEqualTo("/user")))
                        .size(),
                "GitHub is not asked about a report that cannot be taken");
    }

    @Test
    void aTokenWithoutTheShapeOfAGitHubTokenIsRefusedWithoutAskingGitHub() {
        for (String token :
                new String[] {"not-a-token", "ghu_" + "x".repeat(300), "Bearer ghu_x", "ghx_codespaceToken"}) {
            report(token, commitEvent(UUID.randomUUID().toString()))
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", Matchers.startsWith("Bearer"));
        }
        FakeGitHub.server().verify(0, getRequestedFor(urlPathEqualTo("/user")));
        assertEquals(0, Database.count("select count(*) from codespace_event"));
    }

    @Test
    void unknownTokensAreLookedUpWithinALimitPerClient() {
        // The limit counts per clock minute; the clock stands still, so all of them fall in one.
        clock.hold();
        report(MONA_TOKEN, commitEvent(UUID.randomUUID().toString())).then().statusCode(202);
        for (int i = 2; i <= 20; i++) {
            report("ghu_guessed" + i, commitEvent(UUID.randomUUID().toString()))
                    .then()
                    .statusCode(401);
        }
        report("ghu_guessed21", commitEvent(UUID.randomUUID().toString()))
                .then()
                .statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", Matchers.matchesPattern("[1-9][0-9]?"));
        FakeGitHub.server().verify(20, getRequestedFor(urlPathEqualTo("/user")));
        // A token GitHub confirmed is not a guess: its Codespace keeps reporting.
        report(MONA_TOKEN, commitEvent(UUID.randomUUID().toString())).then().statusCode(202);
        assertEquals(2, Database.count("select count(*) from codespace_event"));
    }

    static Stream<Arguments> aFieldOutsideItsGrammarIsRefused() {
        return Stream.of(
                Arguments.of("branch", "feature..retry", "contains '..'"),
                Arguments.of("branch", "feature retry", "contains ' '"),
                Arguments.of("branch", "feature~1", "contains '~'"),
                Arguments.of("branch", "feature^2", "contains '^'"),
                Arguments.of("branch", "refs:heads", "contains ':'"),
                Arguments.of("branch", "feature?", "contains '?'"),
                Arguments.of("branch", "feature*", "contains '*'"),
                Arguments.of("branch", "feature[1]", "contains '['"),
                Arguments.of("branch", "feature\\retry", "contains '\\'"),
                Arguments.of("branch", "feature\tretry", "control character"),
                Arguments.of("branch", "feature\u0000retry", "control character"),
                Arguments.of("branch", "feature\u007fretry", "control character"),
                Arguments.of("branch", "feature\nCodespace: devon-ops-payments-api-5g7x", "control character"),
                Arguments.of("branch", "/feature", "empty component"),
                Arguments.of("branch", "feature/", "empty component"),
                Arguments.of("branch", "feature//retry", "empty component"),
                Arguments.of("branch", ".feature", "starting with '.'"),
                Arguments.of("branch", "feature/.retry", "starting with '.'"),
                Arguments.of("branch", "feature.lock", "ending with '.lock'"),
                Arguments.of("branch", "feature.lock/retry", "ending with '.lock'"),
                Arguments.of("branch", "feature.", "ends with '.'"),
                Arguments.of("branch", "feature@{1}", "contains '@{'"),
                Arguments.of("branch", "@", "is '@'"),
                Arguments.of("branch", "-feature", "starts with '-'"),
                Arguments.of("branch", "", "is empty"),
                Arguments.of("branch", "é".repeat(128), "longer than 255 bytes"),
                Arguments.of("branch", "feature\ud800", "well-formed UTF-8"),
                Arguments.of("repository", "-acme-corp/payments-api", "owner must be a GitHub login"),
                Arguments.of("repository", "acme-corp-/payments-api", "owner must be a GitHub login"),
                Arguments.of("repository", "acme--corp/payments-api", "owner must be a GitHub login"),
                Arguments.of("repository", "acme_corp/payments-api", "owner must be a GitHub login"),
                Arguments.of("repository", "a".repeat(40) + "/payments-api", "owner must be a GitHub login"),
                Arguments.of("repository", "/payments-api", "owner must be a GitHub login"),
                Arguments.of("repository", "acme-corp/.", "name must be"),
                Arguments.of("repository", "acme-corp/..", "name must be"),
                Arguments.of("repository", "acme-corp/payments api", "name must be"),
                Arguments.of("repository", "acme-corp/payments/api", "name must be"),
                Arguments.of("repository", "acme-corp/", "name must be"),
                Arguments.of("repository", "acme-corp/" + "p".repeat(101), "name must be"),
                Arguments.of("repository", "payments-api", "\"owner/name\""),
                Arguments.of("codespace", "-mona-lisa-payments-api", "codespace must be a Codespace name"),
                Arguments.of("codespace", "mona-lisa-payments-api-", "codespace must be a Codespace name"),
                Arguments.of("codespace", "mona_lisa", "codespace must be a Codespace name"),
                Arguments.of("codespace", "mona.lisa", "codespace must be a Codespace name"),
                Arguments.of("codespace", "m".repeat(101), "codespace must be a Codespace name"),
                Arguments.of("eventId", "1-2-3-4-5", "eventId must be a UUID"),
                Arguments.of("eventId", "{" + UUID.randomUUID() + "}", "eventId must be a UUID"));
    }

    @ParameterizedTest(name = "{0} \"{1}\"")
    @MethodSource
    void aFieldOutsideItsGrammarIsRefused(String field, String value, String detail) throws Exception {
        report(MONA_TOKEN, withField(field, value))
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", Matchers.containsString(detail));
        assertEquals(0, Database.count("select count(*) from codespace_event"));
        assertEquals(
                0,
                FakeGitHub.server()
                        .findAll(getRequestedFor(urlPathEqualTo("/user")))
                        .size(),
                "GitHub is not asked about a report that cannot be taken");
    }

    static Stream<String> aBranchGitWouldCreateIsTaken() {
        return Stream.of(
                "main",
                "feature/retry-logic",
                "release/v1.2.3",
                "user@host",
                "@home",
                "fix_#42",
                "naïve-ünïcode",
                "é".repeat(127) + "x"); // the last one 255 bytes
    }

    @ParameterizedTest
    @MethodSource
    void aBranchGitWouldCreateIsTaken(String branch) throws Exception {
        report(MONA_TOKEN, withField("branch", branch)).then().statusCode(202);
        assertEquals(1, Database.count("select count(*) from codespace_event where branch = ?", branch));
    }

    private static String withField(String field, String value) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode body =
                (ObjectNode) mapper.readTree(commitEvent(UUID.randomUUID().toString()));
        body.put(field, value);
        // Escaped, so that a lone surrogate reaches the App as the JSON escape an attacker would send.
        return mapper.writer()
                .with(JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature())
                .writeValueAsString(body);
    }

    private static String commitEvent(String eventId) {
        return """
                {"eventId": "%s", "type": "commit", "codespace": "%s", "repository": "acme-corp/payments-api",
                 "branch": "feature/retry-logic", "sha": "%s", "commits": ["%s"], "occurredAt": "2026-11-20T13:46:00Z"}""".formatted(eventId, CODESPACE, Fixtures.B1, Fixtures.B1);
    }

    /** GitHub shows devon-ops's own Codespace on the repository. */
    private static void devonOwnsHisCodespace() {
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/orgs/acme-corp/members/devon-ops/codespaces"))
                        .atPriority(1)
                        .willReturn(FakeGitHub.json("""
                        {"total_count": 1, "codespaces": [{"name": "devon-ops-payments-api-5g7x", "owner": {"login": "devon-ops", "id": 1204455},
                          "repository": {"id": 702938101, "full_name": "acme-corp/payments-api"}, "state": "Available"}]}""")));
    }

    private static Response report(String token, String body) {
        var request = given().contentType("application/json").body(body);
        if (token != null) {
            request = request.header("Authorization", "Bearer " + token);
        }
        return request.post("/api/v1/codespaces/events");
    }

    private static void assertNothingStored() {
        assertEquals(0, Database.count("select count(*) from codespace_event"), "no report is stored");
        assertEquals(0, Database.count("select count(*) from codespace"), "no Codespace is named");
        assertEquals(0, Database.count("select count(*) from span_outbox"), "no span is queued");
    }

    private static void assertTokenNowhere(String token) {
        assertEquals(0, Database.count("""
                select count(*) from codespace_event e where e::text like '%%' || ? || '%%'""", token));
        assertEquals(0, Database.count("select count(*) from codespace c where c::text like '%%' || ? || '%%'", token));
    }
}
