package dev.correlator.comment;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** With dry-run on (as in the dev profile), the comment is logged and GitHub is never asked to write it. */
@QuarkusTest
@TestProfile(CommentDryRunTest.DryRun.class)
@QuarkusTestResource(FakeGitHub.class)
class CommentDryRunTest extends AppTest {

    public static class DryRun implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("correlator.comments.enabled", "true", "correlator.comments.dry-run", "true");
        }
    }

    @Test
    void theCommentIsLoggedNotPosted() {
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repos/acme-corp/payments-api/pulls/42/commits"))
                        .willReturn(FakeGitHub.json(Fixtures.text("api-pulls-commits-42.json"))));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repos/acme-corp/payments-api")).willReturn(FakeGitHub.json("""
                {"id": 702938101, "name": "payments-api", "full_name": "acme-corp/payments-api", "private": true,
                 "fork": false, "default_branch": "main", "owner": {"login": "acme-corp", "id": 9919001}}""")));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repos/acme-corp/payments-api/contents/.github/correlator.yml"))
                        .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse()
                                .withStatus(404)));
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
        worker.drain(5);
        worker.drain(5);

        assertEquals(1, Database.count("select count(*) from pull_request_comment where last_outcome = 'logged'"));
        FakeGitHub.server()
                .verify(
                        0,
                        anyRequestedFor(urlPathMatching(".*/comments.*"))
                                .withHeader(
                                        "Content-Type",
                                        com.github.tomakehurst.wiremock.client.WireMock.containing("json")));
    }
}
