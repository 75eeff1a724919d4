package dev.correlator.codespace;

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
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The organization's Codespaces, listed page by page through a fake GitHub. */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class CodespacePollTest extends AppTest {

    private static final String DEVONS = """
            {"total_count": 3, "codespaces": [{"name": "devon-ops-payments-api-5g7x",
              "owner": {"login": "devon-ops", "id": 1204455}, "repository": {"id": 702938101, "full_name": "acme-corp/payments-api"},
              "machine": {"name": "basicLinux32gb"}, "state": "%s", "created_at": "2026-11-19T09:00:00Z",
              "updated_at": "2026-11-20T15:00:00Z", "last_used_at": "2026-11-20T15:00:00Z",
              "git_status": {"ref": "main", "ahead": 0, "behind": 2}}]}""";

    @Inject
    CodespacePoller poller;

    @BeforeEach
    void installedOnTheOrganization() {
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        String next = FakeGitHub.server().baseUrl() + "/orgs/acme-corp/codespaces?per_page=100&page=2";
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/orgs/acme-corp/codespaces"))
                        .willReturn(FakeGitHub.json(Fixtures.text("api-org-member-codespaces-mona.json"))
                                .withHeader("Link", "<" + next + ">; rel=\"next\", <" + next + ">; rel=\"last\"")));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/orgs/acme-corp/codespaces"))
                        .withQueryParam("page", equalTo("2"))
                        .atPriority(1)
                        .willReturn(FakeGitHub.json(DEVONS.formatted("Available"))));
    }

    @Test
    void recordsEveryPage() {
        assertEquals(3, poller.pollAll());

        assertEquals(
                3,
                Database.count("select count(*) from codespace where installation_id = ?", FakeGitHub.INSTALLATION_ID));
        assertEquals(1, Database.count("""
                select count(*) from codespace
                 where name = 'mona-lisa-payments-api-7q9wxr5v2f4x56' and owner_login = 'mona-lisa'
                   and owner_github_id = 583231 and repository_full_name = 'acme-corp/payments-api'
                   and machine = 'standardLinux32gb' and state = 'Available' and git_ref = 'feature/retry-logic'
                   and git_ahead = 1 and git_behind = 0 and last_used_at = '2026-11-20T13:40:02Z'"""));
        assertEquals(1, Database.count("""
                select count(*) from codespace where name = 'devon-ops-payments-api-5g7x' and git_behind = 2"""));

        // The next poll follows what changed.
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/orgs/acme-corp/codespaces"))
                        .withQueryParam("page", equalTo("2"))
                        .atPriority(1)
                        .willReturn(FakeGitHub.json(DEVONS.formatted("Shutdown"))));
        poller.pollAll();
        assertEquals(
                1,
                Database.count(
                        "select count(*) from codespace where name = 'devon-ops-payments-api-5g7x' and state = 'Shutdown'"));
        assertEquals(3, Database.count("select count(*) from codespace"));
    }

    @Test
    void aTrailerLinksACommitOnlyToACodespaceOfItsAuthor() {
        poller.pollAll();
        // B1 is mona-lisa's. Her own Codespace in the trailer: corroborated.
        String mine = Fixtures.text("push-branch-codespace_commit.json")
                .replace(
                        "on-call can tell a slow gateway from a stuck\\ncapture.",
                        "on-call can tell a slow gateway from a stuck\\ncapture.\\n\\nCodespace: mona-lisa-payments-api-7q9wxr5v2f4x56");
        Webhooks.deliver("push", UUID.randomUUID().toString(), mine).then().statusCode(200);
        api().get("/api/v1/commits/" + Fixtures.B1)
                .then()
                .statusCode(200)
                .body("codespaces.size()", Matchers.equalTo(1))
                .body("codespaces[0].name", Matchers.equalTo("mona-lisa-payments-api-7q9wxr5v2f4x56"))
                .body("codespaces[0].confidence", Matchers.equalTo("corroborated"))
                .body("codespaces[0].source", Matchers.equalTo("trailer"));

        // A forged trailer: devon-ops's Codespace, on a commit he neither wrote nor pushed.
        String forged = Fixtures.text("push-branch-follow_up.json")
                .replace(Fixtures.B1, "2222222222222222222222222222222222222b99")
                .replace(
                        "on-call can tell a slow gateway from a stuck\\ncapture.",
                        "on-call can tell a slow gateway from a stuck\\ncapture.\\n\\nCodespace: devon-ops-payments-api-5g7x");
        Webhooks.deliver("push", UUID.randomUUID().toString(), forged).then().statusCode(200);
        api().get("/api/v1/commits/2222222222222222222222222222222222222b99")
                .then()
                .statusCode(200)
                .body("codespaces.size()", Matchers.equalTo(0));
    }

    @Test
    void aRateLimitKeepsWhatWasReadAndStops() {
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/orgs/acme-corp/codespaces"))
                        .withQueryParam("page", equalTo("2"))
                        .atPriority(1)
                        .willReturn(aResponse()
                                .withStatus(403)
                                .withHeader("x-ratelimit-remaining", "0")
                                .withHeader("x-ratelimit-reset", "4102444800")
                                .withBody("{\"message\": \"API rate limit exceeded\"}")));
        assertEquals(2, poller.pollAll());
        assertEquals(2, Database.count("select count(*) from codespace"));
    }
}
