package dev.correlator.webhook;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.support.Database;
import dev.correlator.support.Fixtures;
import dev.correlator.support.OtlpReceiver;
import dev.correlator.support.ProdModeSettings;
import dev.correlator.support.Waits;
import dev.correlator.support.Webhooks;
import dev.correlator.telemetry.SpanIds;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The packaged App, launched as in production (prod profile, configuration from outside):
 * signatures are enforced, GitHub's 25 MB bodies are taken, larger ones refused.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(ProdModeSettings.class)
class PackagedAppIT {

    @BeforeEach
    void clean() {
        Database.clean();
    }

    @Test
    void refusesUnsignedAndWronglySignedDeliveries() {
        byte[] body = Fixtures.bytes("push-branch-two_commits.json");
        given().contentType("application/json")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .body(body)
                .post("/webhooks/github")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().contentType("application/json")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", WebhookSignature.sign("wrong", body))
                .body(body)
                .post("/webhooks/github")
                .then()
                .statusCode(401);
        assertEquals(0, Database.count("select count(*) from delivery"));
    }

    @Test
    void storesASignedDeliveryAndServesItThroughTheApi() {
        Webhooks.deliver("push", "push-branch-two_commits.json")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("PROCESSED"));
        given().auth()
                .oauth2("test-api-token")
                .get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(200)
                .body("author.login", equalTo("mona-lisa"));
        given().get("/api/v1/commits/" + Fixtures.A1).then().statusCode(401);
    }

    @Test
    void exportsThePushSpanOnItsOwnSchedule() {
        String delivery = UUID.randomUUID().toString();
        Webhooks.deliver("push", delivery, Fixtures.text("push-branch-two_commits.json"))
                .then()
                .statusCode(200);
        String spanId = SpanIds.deliverySpan(delivery);
        // The scheduled worker (first poll 5 s after start, then every second) sends it.
        Waits.upTo(Duration.ofSeconds(30))
                .untilAsserted(() -> assertEquals(true, exported(spanId), "the push span reached the OTLP receiver"));
        assertEquals(
                List.of("prod-lightstep-token"), OtlpReceiver.headers().get(0).get("Lightstep-access-token"));
        // The receiver holds the span before it answers; the row is marked done once the answer is back.
        String done = "select count(*) from span_outbox where status = 'done' and span_id = ?";
        Waits.upTo(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(1, Database.count(done, spanId)));
    }

    private static boolean exported(String spanId) {
        return OtlpReceiver.spans().stream()
                .anyMatch(r -> HexFormat.of()
                        .formatHex(r.span().getSpanId().toByteArray())
                        .equals(spanId));
    }

    @Test
    void theExtensionsOwnRouteIsNotThePublicOne() {
        // Only our intake stores before answering; "/" is not a webhook endpoint.
        byte[] body = Fixtures.bytes("push-branch-two_commits.json");
        given().contentType("application/json")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", WebhookSignature.sign(Webhooks.SECRET, body))
                .body(body)
                .post("/")
                .then()
                .statusCode(404);
        given().contentType("application/json")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", WebhookSignature.sign(Webhooks.SECRET, body))
                .body(body)
                .post("/internal/github-app-events")
                .then()
                .statusCode(404);
        assertEquals(0, Database.count("select count(*) from delivery"));
    }

    @Test
    void takesTwentyFiveMegabytesAndRefusesMore() throws IOException {
        String push = Fixtures.text("push-branch-two_commits.json");
        String large = push.replaceFirst("\\{", "{\"padding\": \"" + "x".repeat(24 * 1024 * 1024) + "\",");
        Webhooks.deliver("push", UUID.randomUUID().toString(), large).then().statusCode(200);

        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            String head = "POST /webhooks/github HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-GitHub-Event: push\r\nX-GitHub-Delivery: " + UUID.randomUUID() + "\r\n"
                    + "X-Hub-Signature-256: sha256=" + "0".repeat(64) + "\r\nContent-Length: " + (25 * 1024 * 1024 + 1)
                    + "\r\n\r\n{";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertEquals("413", status.split(" ")[1]);
        }
    }
}
