package dev.correlator.support;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.restassured.response.Response;

import dev.correlator.webhook.WebhookSignature;

import static io.restassured.RestAssured.given;

/** Sends deliveries to our intake over HTTP, signed as GitHub signs them. */
public final class Webhooks {

    /** The secret of the test profile (application.properties). */
    public static final String SECRET = "test-webhook-secret";

    private Webhooks() {}

    public static Response deliver(String event, String fixture) {
        return deliver(event, UUID.randomUUID().toString(), Fixtures.bytes(fixture));
    }

    public static Response deliver(String event, String deliveryId, String body) {
        return deliver(event, deliveryId, body.getBytes(StandardCharsets.UTF_8));
    }

    public static Response deliver(String event, String deliveryId, byte[] body) {
        return given().contentType("application/json")
                .header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", deliveryId)
                .header("X-GitHub-Hook-ID", "123456")
                .header("X-Hub-Signature-256", WebhookSignature.sign(SECRET, body))
                .body(body)
                .when()
                .post("/webhooks/github");
    }
}
