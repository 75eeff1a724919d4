package dev.correlator.api;

import java.util.UUID;

import jakarta.inject.Inject;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
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
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A repository is known by its id: its name can be renamed away, or taken by another repository
 * (deleted and created again, another account renamed into the old name). A person's token is
 * checked against the id, and a name answers only for the repository that holds it now.
 */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class RepositoryIdentityTest extends AppTest {

    private static final String MALLORY = "ghp_malloryReadsPublicRepositories";
    private static final long NEW_ID = 702938999;
    private static final String NEW_SHA = "cccccccccccccccccccccccccccccccccccccc01";

    @Inject
    GitHubUserAccess users;

    @BeforeEach
    void aPrivateRepositoryWithHistory() {
        users.forget();
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/user"))
                        .withHeader("Authorization", equalTo("Bearer " + MALLORY))
                        .willReturn(FakeGitHub.json("{\"login\": \"mallory\", \"id\": 6660666}")));
    }

    /** The first push again, for a new public repository (another id) under the same name. */
    private static String pushToTheNewRepository() {
        return Fixtures.text("push-branch-two_commits.json")
                .replace(String.valueOf(Fixtures.REPO_ID), String.valueOf(NEW_ID))
                .replace("\"private\": true", "\"private\": false")
                .replace(Fixtures.A1, NEW_SHA);
    }

    @Test
    void aTokenThatReadsTheNewRepositoryUnderAnOldNameDoesNotReadTheOldOne() {
        // The private repository was deleted and a public one created under its name; the App did
        // not hear of it. GitHub answers the name with the new repository, the old id with 404.
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repos/acme-corp/payments-api"))
                        .willReturn(FakeGitHub.json(
                                "{\"id\": " + NEW_ID + ", \"full_name\": \"acme-corp/payments-api\"}")));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repositories/" + Fixtures.REPO_ID))
                        .willReturn(aResponse().withStatus(404).withBody("{\"message\": \"Not Found\"}")));

        given().auth()
                .oauth2(MALLORY)
                .get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(MALLORY)
                .get("/api/v1/repos/acme-corp/payments-api/commits")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(MALLORY)
                .get("/api/v1/developers/mona-lisa")
                .then()
                .statusCode(404);
        FakeGitHub.server().verify(getRequestedFor(urlPathEqualTo("/repositories/" + Fixtures.REPO_ID)));
    }

    @Test
    void anAnswerAboutAnotherRepositoryDoesNotCount() {
        // A 200 for the id asked must be that repository (a redirect could land anywhere).
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repos/acme-corp/payments-api"))
                        .willReturn(FakeGitHub.json(
                                "{\"id\": " + NEW_ID + ", \"full_name\": \"acme-corp/payments-api\"}")));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repositories/" + Fixtures.REPO_ID))
                        .willReturn(FakeGitHub.json(
                                "{\"id\": " + NEW_ID + ", \"full_name\": \"acme-corp/payments-api\"}")));
        given().auth()
                .oauth2(MALLORY)
                .get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(404);
    }

    @Test
    void aRenamedRepositoryStaysReadableToThoseWhoMayReadIt() {
        Webhooks.deliver("repository", "repository-renamed-basic.json").then().statusCode(200);
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repositories/" + Fixtures.REPO_ID))
                        .withHeader("Authorization", equalTo("Bearer " + MALLORY))
                        .willReturn(FakeGitHub.json(
                                "{\"id\": " + Fixtures.REPO_ID + ", \"full_name\": \"acme-corp/payments-service\"}")));

        given().auth()
                .oauth2(MALLORY)
                .get("/api/v1/repos/acme-corp/payments-service/commits")
                .then()
                .statusCode(200)
                .body("items.sha", contains(Fixtures.A2, Fixtures.A1));
        given().auth()
                .oauth2(MALLORY)
                .get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(200)
                .body("repository", Matchers.equalTo("acme-corp/payments-service"));
        // The old name is free on GitHub now: it answers for nothing here.
        given().auth()
                .oauth2(MALLORY)
                .get("/api/v1/repos/acme-corp/payments-api/commits")
                .then()
                .statusCode(404);
        // Remembered by id, under the token's hash: one question for all of the above.
        FakeGitHub.server().verify(1, getRequestedFor(urlPathEqualTo("/repositories/" + Fixtures.REPO_ID)));
    }

    @Test
    void anOrganizationRenamedMovesItsRepositoriesNames() {
        Webhooks.deliver("installation_target", "installation_target-renamed-org.json")
                .then()
                .statusCode(200)
                .body("outcome", Matchers.equalTo("PROCESSED"));

        assertEquals("acme-labs", Database.string("select account_login from installation where id = 48151623"));
        assertEquals(
                "acme-labs/payments-api",
                Database.string("select full_name from repository where id = ?", Fixtures.REPO_ID));
        assertEquals(
                "https://github.com/acme-labs/payments-api",
                Database.string("select html_url from repository where id = ?", Fixtures.REPO_ID));
        api().get("/api/v1/repos/acme-labs/payments-api/commits")
                .then()
                .statusCode(200)
                .body("items.sha", contains(Fixtures.A2, Fixtures.A1));
        api().get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(200)
                .body("repository", Matchers.equalTo("acme-labs/payments-api"));
        api().get("/api/v1/repos/acme-corp/payments-api/commits").then().statusCode(404);
    }

    @Test
    void aRenameThatDoesNotSayFromWhatIsRefusedAndChangesNothing() {
        String body = Fixtures.text("installation_target-renamed-org.json")
                .replace(
                        "\"changes\": {\n    \"login\": {\n      \"from\": \"acme-corp\"\n    }\n  }",
                        "\"changes\": {}");
        Webhooks.deliver("installation_target", UUID.randomUUID().toString(), body)
                .then()
                .statusCode(400)
                .body("detail", Matchers.containsString("changes.login"));
        assertEquals("acme-corp", Database.string("select account_login from installation where id = 48151623"));
        assertEquals(Fixtures.REPO, Database.string("select full_name from repository where id = ?", Fixtures.REPO_ID));
    }

    @Test
    void anOrganizationRenamedIntoANameStillStoredTakesItOver() {
        // A repository stored under acme-labs/payments-api (an account once named so, which the App
        // did not hear of leaving the name) gives the name up to the renamed organization's.
        Database.execute("""
                insert into repository (id, installation_id, owner_id, owner_login, name, full_name, html_url, private,
                                        updated_at)
                values (555, 48151623, 4242, 'acme-labs', 'payments-api', 'acme-labs/payments-api',
                        'https://github.com/acme-labs/payments-api', true, now())""");
        Webhooks.deliver("installation_target", "installation_target-renamed-org.json")
                .then()
                .statusCode(200)
                .body("outcome", Matchers.equalTo("PROCESSED"));

        assertEquals(1, Database.count("select count(*) from repository where id = 555 and removed_at is not null"));
        api().get("/api/v1/repos/acme-labs/payments-api/commits")
                .then()
                .statusCode(200)
                .body("items.sha", contains(Fixtures.A2, Fixtures.A1));
    }

    @Test
    void aDeletedRepositoryIsNotServedByNameAndItsNameCanBeTakenAgain() {
        Webhooks.deliver(
                        "repository",
                        UUID.randomUUID().toString(),
                        Fixtures.text("repository-renamed-basic.json")
                                .replace("\"action\": \"renamed\"", "\"action\": \"deleted\"")
                                .replace("payments-service", "payments-api"))
                .then()
                .statusCode(200);
        api().get("/api/v1/repos/acme-corp/payments-api/commits").then().statusCode(404);
        api().get("/api/v1/commits/" + Fixtures.A1).then().statusCode(404);

        Webhooks.deliver("push", UUID.randomUUID().toString(), pushToTheNewRepository())
                .then()
                .statusCode(200)
                .body("outcome", Matchers.equalTo("PROCESSED"));
        api().get("/api/v1/repos/acme-corp/payments-api/commits")
                .then()
                .statusCode(200)
                .body("items.sha", contains(Fixtures.A2, NEW_SHA));
        assertEquals(
                1,
                Database.count("select count(*) from repository where lower(full_name) = 'acme-corp/payments-api'"
                        + " and removed_at is null"));
    }

    @Test
    void aNewRepositoryUnderAStoredNameRetiresTheOldOneWithoutFailingTheDelivery() {
        // GitHub did not tell the App that the old repository went: the new one's first push says so.
        Webhooks.deliver("push", UUID.randomUUID().toString(), pushToTheNewRepository())
                .then()
                .statusCode(200)
                .body("outcome", Matchers.equalTo("PROCESSED"));

        assertEquals(
                1,
                Database.count(
                        "select count(*) from repository where id = ? and removed_at is not null", Fixtures.REPO_ID));
        api().get("/api/v1/repos/acme-corp/payments-api/commits")
                .then()
                .statusCode(200)
                .body("items.sha", contains(Fixtures.A2, NEW_SHA));
        api().get("/api/v1/commits/" + Fixtures.A1).then().statusCode(404);

        // The old repository speaks again, renamed: it comes back under its new name.
        Webhooks.deliver("repository", "repository-renamed-basic.json").then().statusCode(200);
        api().get("/api/v1/repos/acme-corp/payments-service/commits")
                .then()
                .statusCode(200)
                .body("items.sha", contains(Fixtures.A2, Fixtures.A1));
        api().get("/api/v1/repos/acme-corp/payments-api/commits")
                .then()
                .statusCode(200)
                .body("items.sha", contains(Fixtures.A2, NEW_SHA));
    }
}
