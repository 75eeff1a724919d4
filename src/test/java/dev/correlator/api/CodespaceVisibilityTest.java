package dev.correlator.api;

import java.util.UUID;

import jakarta.inject.Inject;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.hamcrest.Matchers;
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
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * acme-corp's payments-api is public, so anyone with a GitHub account can read it; the names and
 * details of its Codespaces go only to the organization, its members and each Codespace's owner.
 */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class CodespaceVisibilityTest extends AppTest {

    private static final String CODESPACE = "mona-lisa-payments-api-7q9wxr5v2f4x56";
    private static final String VIEW = "/api/v1/codespaces/" + CODESPACE;
    private static final String MEMBERS = "/orgs/acme-corp/members/";

    /** An ordinary GitHub account, not in acme-corp. */
    private static final String MALLORY = "gho_mallorysOwnTokenFromTheCli";
    /** A member of acme-corp. */
    private static final String DEVON = "gho_devonsOwnTokenFromTheCli";
    /** The Codespace's owner. */
    private static final String MONA = "gho_monasOwnTokenFromTheCli";

    @Inject
    GitHubUserAccess users;

    static String publicly(String fixture) {
        return Fixtures.text(fixture)
                .replace("\"private\": true", "\"private\": false")
                .replace("\"visibility\": \"private\"", "\"visibility\": \"public\"");
    }

    @BeforeEach
    void aPublicRepositoryWithACommitMadeInACodespace() {
        users.forget();
        Webhooks.deliver("installation", UUID.randomUUID().toString(), publicly("installation-created-org.json"))
                .then()
                .statusCode(200);
        Webhooks.deliver("push", UUID.randomUUID().toString(), publicly("push-branch-two_commits.json"))
                .then()
                .statusCode(200);
        assertEquals(0, Database.count("select count(*) from repository where private"));
        // mona-lisa's reporter said she made A1 there; the organization's API described the Codespace.
        Database.execute("""
                insert into codespace (name, owner_login, owner_github_id, repository_full_name, first_seen_at,
                                       last_seen_at, installation_id, machine, state, git_ref, git_ahead, git_behind,
                                       repository_id)
                values ('%1$s', 'mona-lisa', 583231, 'acme-corp/payments-api', now(), now(), 48151623,
                        'basicLinux32gb', 'Available', 'feature/retry-logic', 0, 0, 702938101);
                insert into codespace_event (event_id, codespace_name, type, repository_full_name, branch, sha, commits,
                                             occurred_at, received_at, verification, login, github_id, repository_id)
                values (gen_random_uuid(), '%1$s', 'commit', 'acme-corp/payments-api', 'feature/retry-logic', '%2$s',
                        array['%2$s'], now(), now(), 'verified', 'mona-lisa', 583231, 702938101)""".formatted(CODESPACE, Fixtures.A1));

        person(MALLORY, "mallory", 31337);
        person(DEVON, "devon-ops", 1204455);
        person(MONA, "mona-lisa", 583231);
        // A public repository: every token reads it (by name or by id, however the App asks).
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repos/acme-corp/payments-api"))
                        .willReturn(FakeGitHub.json("{\"id\": 702938101, \"full_name\": \"acme-corp/payments-api\"}")));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repositories/702938101"))
                        .willReturn(FakeGitHub.json("{\"id\": 702938101, \"full_name\": \"acme-corp/payments-api\"}")));
        // Membership, as the organization's installation asks it.
        member("devon-ops", aResponse().withStatus(204));
        member("mallory", notAMember());
        member("mona-lisa", notAMember());
    }

    @Test
    void theCommentPreviewOfAPrivateRepositoryNamesCodespacesOnlyToThoseWhoMaySeeThem() {
        Webhooks.deliver("pull_request", UUID.randomUUID().toString(), publicly("pull_request-opened-same_repo.json"))
                .then()
                .statusCode(200);
        // GitHub lets an outside collaborator read a private repository; the organization's
        // Codespaces are still not theirs to see.
        Database.execute("update repository set private = true");
        String preview = "/api/v1/repos/acme-corp/payments-api/pulls/42/comment";

        String outsider =
                as(MALLORY).get(preview).then().statusCode(200).extract().asString();
        assertFalse(outsider.contains(CODESPACE), outsider);
        assertTrue(outsider.contains("a Codespace (verified)"), outsider);
        String member = as(DEVON).get(preview).then().statusCode(200).extract().asString();
        assertTrue(member.contains(CODESPACE), member);
    }

    private static void person(String token, String login, long id) {
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/user"))
                        .withHeader("Authorization", equalTo("Bearer " + token))
                        .willReturn(FakeGitHub.json("{\"login\": \"%s\", \"id\": %d}".formatted(login, id))));
    }

    private static void member(String login, ResponseDefinitionBuilder answer) {
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo(MEMBERS + login))
                        .withHeader("Authorization", equalTo("Bearer ghs_fakeInstallationToken"))
                        .willReturn(answer));
    }

    private static ResponseDefinitionBuilder notAMember() {
        return aResponse()
                .withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"message\": \"User does not exist or is not a member of the organization\"}");
    }

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    /** What someone who may not see the Codespace gets: 404 for it, and no name, owner or source anywhere. */
    private static void seesNoDetails(String token) {
        String missing = as(token)
                .get("/api/v1/codespaces/nobodys-codespace-0000")
                .then()
                .statusCode(404)
                .extract()
                .asString();
        String hidden = as(token).get(VIEW).then().statusCode(404).extract().asString();
        assertEquals(missing.replace("nobodys-codespace-0000", "x"), hidden.replace(CODESPACE, "x"));

        // The commit says it was made in a Codespace, and how sure that is, as the public comment does.
        String commit = as(token)
                .get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(200)
                .body("codespaces.confidence", contains("verified"))
                .body("codespaces[0].name", nullValue())
                .body("codespaces[0].owner", nullValue())
                .body("codespaces[0].source", nullValue())
                .extract()
                .asString();
        assertFalse(commit.contains(CODESPACE), commit);
        String page = as(token)
                .get("/api/v1/repos/acme-corp/payments-api/commits")
                .then()
                .statusCode(200)
                .body("items.find { it.sha == '" + Fixtures.A1 + "' }.codespaces.confidence", contains("verified"))
                .extract()
                .asString();
        assertFalse(page.contains(CODESPACE), page);
        String developer = as(token)
                .get("/api/v1/developers/mona-lisa")
                .then()
                .statusCode(200)
                .body("codespaces", empty())
                .extract()
                .asString();
        assertFalse(developer.contains(CODESPACE), developer);
    }

    /** What someone who may see it gets: the Codespace, and its name on the commit. */
    private static void seesDetails(String token) {
        as(token)
                .get(VIEW)
                .then()
                .statusCode(200)
                .body("owner", Matchers.equalTo("mona-lisa"))
                .body("machine", Matchers.equalTo("basicLinux32gb"))
                .body("commits.sha", contains(Fixtures.A1));
        as(token)
                .get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(200)
                .body("codespaces.name", contains(CODESPACE))
                .body("codespaces.owner", contains("mona-lisa"))
                .body("codespaces.source", contains("reporter"));
        as(token)
                .get("/api/v1/repos/acme-corp/payments-api/commits")
                .then()
                .statusCode(200)
                .body("items.find { it.sha == '" + Fixtures.A1 + "' }.codespaces.name", contains(CODESPACE));
        as(token)
                .get("/api/v1/developers/mona-lisa")
                .then()
                .statusCode(200)
                .body("codespaces.name", contains(CODESPACE));
    }

    @Test
    void someoneOutsideTheOrganizationWhoCanReadThePublicRepositorySeesNoCodespaceDetails() {
        seesNoDetails(MALLORY);
        FakeGitHub.server().verify(getRequestedFor(urlPathEqualTo(MEMBERS + "mallory")));
    }

    @Test
    void aMemberOfTheOrganizationSeesThemAndIsAskedAboutOnce() {
        seesDetails(DEVON);
        seesDetails(DEVON);
        FakeGitHub.server().verify(1, getRequestedFor(urlPathEqualTo(MEMBERS + "devon-ops")));
    }

    @Test
    void theOwnerSeesHerOwnCodespaceWithoutBeingAMember() {
        seesDetails(MONA);
    }

    @Test
    void anInstallationThatHasNotApprovedMembersReadAnswersAsForNonMembers() {
        member(
                "devon-ops",
                aResponse()
                        .withStatus(403)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\": \"Resource not accessible by integration\"}"));
        seesNoDetails(DEVON);
        // Its owner still sees her own.
        seesDetails(MONA);
    }

    @Test
    void whenGitHubCannotSayTheAnswerIsNoAndIsNotRemembered() {
        member("devon-ops", aResponse().withStatus(502));
        as(DEVON).get(VIEW).then().statusCode(404);
        member("devon-ops", aResponse().withStatus(204));
        as(DEVON).get(VIEW).then().statusCode(200);
    }

    @Test
    void aRedirectToThePublicMembersIsNotFollowed() {
        // GitHub's answer to a requester that is not a member; a public member there must not count.
        member(
                "devon-ops",
                aResponse()
                        .withStatus(302)
                        .withHeader(
                                "Location",
                                FakeGitHub.server().baseUrl() + "/orgs/acme-corp/public_members/devon-ops"));
        FakeGitHub.server()
                .stubFor(get(urlPathMatching("/orgs/acme-corp/public_members/.*"))
                        .willReturn(aResponse().withStatus(204)));
        as(DEVON).get(VIEW).then().statusCode(404);
        FakeGitHub.server().verify(0, getRequestedFor(urlPathMatching("/orgs/acme-corp/public_members/.*")));
    }

    @Test
    void anotherOrganizationsInstallationTokenGetsNotFound() {
        Webhooks.deliver(
                        "installation",
                        UUID.randomUUID().toString(),
                        ScopedTokensTest.globex("installation-created-org.json"))
                .then()
                .statusCode(200);
        String globex = token(59262734);
        String acme = token(48151623);

        as(globex).get(VIEW).then().statusCode(404);
        as(acme).get(VIEW).then().statusCode(200).body("owner", Matchers.equalTo("mona-lisa"));
        as(acme).get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(200)
                .body("codespaces.name", contains(CODESPACE));
        // Neither asks GitHub about anyone's membership.
        FakeGitHub.server().verify(0, getRequestedFor(urlPathMatching(MEMBERS + ".*")));
        api().get(VIEW).then().statusCode(200).body("commits", not(empty()));
    }

    private static String token(long installationId) {
        return api().contentType("application/json")
                .body("{\"name\": \"dashboards\"}")
                .post("/api/v1/admin/installations/" + installationId + "/tokens")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("token");
    }
}
