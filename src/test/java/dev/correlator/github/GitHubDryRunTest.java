package dev.correlator.github;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;
import dev.correlator.webhook.MissedDeliveries;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With the dry-run switch on (as in the dev profile), GitHub is read but never written to: the
 * comment and the redelivery request are logged, and the App goes on as if GitHub had accepted.
 */
@QuarkusTest
@TestProfile(GitHubDryRunTest.DryRun.class)
@QuarkusTestResource(FakeGitHub.class)
class GitHubDryRunTest extends AppTest {

    public static class DryRun implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("correlator.comments.enabled", "true", "correlator.github.dry-run", "true");
        }
    }

    @Inject
    MissedDeliveries missed;

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger(GitHubWrites.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(((ExtLogRecord) record).getFormattedMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void listen() {
        log.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        log.removeHandler(handler);
    }

    /** Every request that would change something on GitHub; the installation-token exchange changes nothing. */
    private static List<String> writes() {
        return FakeGitHub.server().getAllServeEvents().stream()
                .map(ServeEvent::getRequest)
                .filter(r -> Set.of("POST", "PATCH", "PUT", "DELETE")
                        .contains(r.getMethod().getName()))
                .map(r -> r.getMethod() + " " + r.getUrl())
                .filter(r -> !r.matches("POST /app/installations/\\d+/access_tokens"))
                .toList();
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
                        .willReturn(aResponse().withStatus(404)));
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
        worker.drain(5);
        worker.drain(5);

        assertEquals(List.of(), writes());
        assertEquals(1, logged.size(), logged.toString());
        assertTrue(
                logged.get(0)
                        .startsWith(
                                "Dry run, not sent: POST /repos/acme-corp/payments-api/issues/42/comments with body:\n"
                                        + "<!-- change-correlator:pull-request-comment -->\n**Change correlator** · 2 commits"),
                logged.get(0));
        assertEquals(1, Database.count("""
                select count(*) from pull_request_comment
                 where last_outcome = 'logged' and comment_id is null and body_sha256 is not null"""));

        // Nothing shown changed: nothing to log again.
        Webhooks.deliver("pull_request", "pull_request-synchronize-forced.json")
                .then()
                .statusCode(200);
        worker.drain(5);
        worker.drain(5);
        assertEquals(1, logged.size(), logged.toString());
        assertEquals(List.of(), writes());
    }

    @Test
    void aMissedDeliveryIsLoggedNotRequested() {
        String failed = "22222222-0000-4000-8000-000000000002";
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/app/hook/deliveries"))
                        .willReturn(FakeGitHub.json("""
                [{"id": 102, "guid": "%s", "delivered_at": "%s", "redelivery": false, "duration": 10.0,
                  "status": "Invalid HTTP Response: 502", "status_code": 502, "event": "push", "action": null,
                  "installation_id": 48151623, "repository_id": 702938101}]""".formatted(failed, now.minusSeconds(300)))));

        assertEquals(new MissedDeliveries.Scan(1, 1, 1, 0), missed.scan());

        assertEquals(List.of(), writes());
        assertEquals(List.of("Dry run, not sent: POST /app/hook/deliveries/102/attempts"), logged);
        // Answered as GitHub would have (202): asked for once, as without the switch.
        assertEquals(
                1, Database.count("select count(*) from redelivery where guid = '" + failed + "' and answer = 202"));
        assertEquals(new MissedDeliveries.Scan(1, 1, 0, 1), missed.scan());
        assertEquals(1, logged.size());
    }

    @Test
    void theSwitchsFormerNameIsRefusedRatherThanIgnored() {
        IllegalStateException refused = assertThrows(
                IllegalStateException.class,
                () -> GitHubWrites.refuseTheFormerSwitch(new SmallRyeConfigBuilder()
                        .withSources(
                                new PropertiesConfigSource(Map.of("correlator.comments.dry-run", "true"), "test", 100))
                        .build()));
        assertTrue(refused.getMessage().contains("correlator.github.dry-run"), refused.getMessage());
        GitHubWrites.refuseTheFormerSwitch(new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(Map.of("correlator.github.dry-run", "true"), "test", 100))
                .build());
    }
}
