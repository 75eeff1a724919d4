package dev.correlator.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.Fixtures;

import static io.restassured.RestAssured.given;

/**
 * Rotating the webhook secret: while the old one is configured as previous-secret, deliveries
 * signed with either are taken. (Once it is removed, the old one is refused: WebhookIntakeTest.)
 */
@QuarkusTest
@TestProfile(SecretRotationTest.Rotating.class)
class SecretRotationTest extends AppTest {

    public static class Rotating implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("correlator.webhook.previous-secret", "old-webhook-secret");
        }
    }

    private static Response deliver(String secret) {
        byte[] body = Fixtures.text("push-branch-two_commits.json").getBytes(StandardCharsets.UTF_8);
        return given().contentType("application/json")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", WebhookSignature.sign(secret, body))
                .body(body)
                .post("/webhooks/github");
    }

    @Test
    void bothSecretsAreTakenDuringTheRotationAndNoOther() {
        deliver("test-webhook-secret").then().statusCode(200);
        deliver("old-webhook-secret").then().statusCode(200);
        deliver("some-other-secret").then().statusCode(401);
        Assertions.assertEquals(2, Database.count("select count(*) from delivery"));
    }
}
