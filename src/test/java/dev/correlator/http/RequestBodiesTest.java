package dev.correlator.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.RawHttp;
import dev.correlator.support.RawHttp.Answer;
import dev.correlator.support.Webhooks;
import dev.correlator.webhook.WebhookSignature;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies refused before they are read: each request declares far more than it sends, so an
 * answer that waited for the body would never come (the socket gives up after
 * {@link RawHttp#PATIENCE_MILLIS}).
 */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class RequestBodiesTest extends AppTest {

    private static final byte[] ONE_KB = "x".repeat(1024).getBytes(StandardCharsets.US_ASCII);
    private static final String WELL_FORMED_SIGNATURE = "X-Hub-Signature-256: sha256=" + "ab".repeat(32);

    private static String[] webhookHeaders(String signature, long length) {
        return new String[] {
            "Content-Type: application/json",
            "X-GitHub-Event: push",
            "X-GitHub-Delivery: " + UUID.randomUUID(),
            signature,
            "Content-Length: " + length
        };
    }

    @Test
    void anUnsignedDeliveryIsRefusedFromItsHeaders() throws IOException {
        try (RawHttp http = new RawHttp()) {
            http.head("POST", "/webhooks/github", webhookHeaders("X-Unrelated: 1", 20_000_000))
                    .send(ONE_KB);
            Answer answer = http.answer();
            assertEquals(401, answer.status());
            assertEquals("application/problem+json", answer.header("Content-Type"));
            assertTrue(answer.body().contains("\"title\":\"Missing signature\""), answer.body());
            assertTrue(http.closedByServer(), "the rest of the body is not waited for");
        }
        assertEquals(0, Database.count("select count(*) from delivery"));
    }

    @Test
    void aSignatureHeaderThatCannotBeOneIsRefusedFromTheHeaders() throws IOException {
        for (String signature : new String[] {
            "sha256=00", "sha1=" + "ab".repeat(20), "sha256=" + "zz".repeat(32), "sha256=" + "ab".repeat(33)
        }) {
            try (RawHttp http = new RawHttp()) {
                http.head("POST", "/webhooks/github", webhookHeaders("X-Hub-Signature-256: " + signature, 20_000_000))
                        .send(ONE_KB);
                Answer answer = http.answer();
                assertEquals(401, answer.status(), signature);
                assertTrue(answer.body().contains("\"title\":\"Bad signature\""), answer.body());
            }
        }
        assertEquals(0, Database.count("select count(*) from delivery"));
    }

    @Test
    void aWellFormedSignatureOnABodyOverTheWebhooksLimitIs413() throws IOException {
        try (RawHttp http = new RawHttp()) {
            http.head("POST", "/webhooks/github", webhookHeaders(WELL_FORMED_SIGNATURE, 26L * 1024 * 1024))
                    .send(ONE_KB);
            Answer answer = http.answer();
            assertEquals(413, answer.status());
            assertEquals("application/problem+json", answer.header("Content-Type"));
            assertTrue(answer.body().contains("26214400"), answer.body());
            assertTrue(http.closedByServer());
        }
    }

    @Test
    void aReportDeclaringMoreThanTheReportersLimitIs413() throws IOException {
        try (RawHttp http = new RawHttp()) {
            http.head(
                            "POST",
                            "/api/v1/codespaces/events",
                            "Authorization: Bearer ghu_anyStringAtAll",
                            "Content-Type: application/json",
                            "Content-Length: 20000000")
                    .send(ONE_KB);
            Answer answer = http.answer();
            assertEquals(413, answer.status());
            assertEquals("application/problem+json", answer.header("Content-Type"));
            assertTrue(answer.body().contains("65536"), answer.body());
            assertTrue(http.closedByServer());
        }
        assertEquals(0, Database.count("select count(*) from codespace_event"));
    }

    @Test
    void aChunkedReportIsCutWhenItPassesTheReportersLimit() throws IOException {
        byte[] chunk = new byte[8192];
        Arrays.fill(chunk, (byte) ' ');
        try (RawHttp http = new RawHttp()) {
            http.head(
                    "POST",
                    "/api/v1/codespaces/events",
                    "Authorization: Bearer ghu_anyStringAtAll",
                    "Content-Type: application/json",
                    "Transfer-Encoding: chunked");
            http.chunk("{\"padding\": \"".getBytes(StandardCharsets.US_ASCII));
            // 72 KB and no last chunk: only a server that counts as the bytes arrive answers.
            for (int i = 0; i < 9; i++) {
                http.chunk(chunk);
            }
            Answer answer = http.answer();
            assertEquals(413, answer.status());
            assertEquals("application/problem+json", answer.header("Content-Type"));
        }
        assertEquals(0, Database.count("select count(*) from codespace_event"));
    }

    @Test
    void theExtensionsRouteIsRefusedFromItsHeaders() throws IOException {
        try (RawHttp http = new RawHttp()) {
            http.head("POST", "/internal/github-app-events", webhookHeaders(WELL_FORMED_SIGNATURE, 20_000_000))
                    .send(ONE_KB);
            assertEquals(404, http.answer().status());
            assertTrue(http.closedByServer());
        }
    }

    @Test
    void everyOtherPathTakesAMegabyteAtMost() throws IOException {
        try (RawHttp http = new RawHttp()) {
            http.head(
                            "POST",
                            "/api/v1/admin/deliveries/x/replay",
                            "Authorization: Bearer test-api-token",
                            "Content-Length: " + (1024 * 1024 + 1))
                    .send(ONE_KB);
            assertEquals(413, http.answer().status());
        }
    }

    @Test
    void aChunkedDeliveryWithinTheLimitIsStoredWhole() throws IOException {
        String id = UUID.randomUUID().toString();
        byte[] body = Fixtures.bytes("push-branch-two_commits.json");
        try (RawHttp http = new RawHttp()) {
            http.head(
                    "POST",
                    "/webhooks/github",
                    "Content-Type: application/json",
                    "X-GitHub-Event: push",
                    "X-GitHub-Delivery: " + id,
                    "X-Hub-Signature-256: " + WebhookSignature.sign(Webhooks.SECRET, body),
                    "Transfer-Encoding: chunked");
            for (int from = 0; from < body.length; from += 1000) {
                http.chunk(Arrays.copyOfRange(body, from, Math.min(body.length, from + 1000)));
            }
            http.send("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            Answer answer = http.answer();
            assertEquals(200, answer.status(), answer.body());
        }
        assertEquals(body.length, Database.count("select length(body) from delivery where id = ?", id));
        assertEquals(2, Database.count("select count(*) from git_commit"));
        // and an ordinary delivery after all of the above
        Webhooks.deliver("push", UUID.randomUUID().toString(), Fixtures.text("push-branch-follow_up.json"))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("PROCESSED"));
    }
}
