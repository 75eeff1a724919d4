package dev.correlator.webhook;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The intake's answers to every kind of delivery, good and bad, and what each leaves stored. */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class WebhookIntakeTest extends AppTest {

    @Test
    void storesAVerifiedPushBeforeAnswering() {
        String id = UUID.randomUUID().toString();
        Webhooks.deliver("push", id, Fixtures.text("push-branch-two_commits.json"))
                .then()
                .statusCode(200)
                .body("deliveryId", equalTo(id))
                .body("outcome", equalTo("PROCESSED"));

        assertEquals("processed", Database.string("select outcome from delivery where id = ?", id));
        assertEquals("push", Database.string("select event from delivery where id = ?", id));
        assertEquals(Fixtures.REPO, Database.string("select repository_full_name from delivery where id = ?", id));
        assertEquals(48151623L, Database.count("select installation_id from delivery where id = ?", id));
        assertEquals(2, Database.count("select count(*) from git_commit"));
        assertEquals(1, Database.count("select count(*) from push where delivery_id = ?", id));
    }

    @Test
    void keepsTheRawBodyByteForByte() {
        String id = UUID.randomUUID().toString();
        // \u0000 is valid JSON that PostgreSQL's jsonb refuses: the inbox keeps bytes.
        byte[] body = Fixtures.text("star-created-basic.json")
                .replace("\"created\"", "\"created\",\"note\":\"a\\u0000b\"")
                .getBytes(StandardCharsets.UTF_8);
        Webhooks.deliver("star", id, body).then().statusCode(202);
        assertEquals(body.length, Database.count("select length(body) from delivery where id = ?", id));
    }

    @Test
    void refusesAMissingSignatureAndStoresNothing() {
        given().contentType("application/json")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .body(Fixtures.bytes("push-branch-two_commits.json"))
                .post("/webhooks/github")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("title", equalTo("Missing signature"));
        assertEquals(0, Database.count("select count(*) from delivery"));
    }

    @Test
    void refusesAWrongSignatureAndStoresNothing() {
        byte[] body = Fixtures.bytes("push-branch-two_commits.json");
        // Also the secret of a finished rotation (SecretRotationTest takes it while it is configured).
        given().contentType("application/json")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", WebhookSignature.sign("old-webhook-secret", body))
                .body(body)
                .post("/webhooks/github")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("title", equalTo("Bad signature"));
        assertEquals(0, Database.count("select count(*) from delivery"));
        assertEquals(0, Database.count("select count(*) from git_commit"));
    }

    @Test
    void refusesASignatureOfAnotherBody() {
        byte[] body = Fixtures.bytes("push-branch-two_commits.json");
        byte[] tampered = Fixtures.text("push-branch-two_commits.json")
                .replace("devon-ops", "mallory")
                .getBytes(StandardCharsets.UTF_8);
        given().contentType("application/json")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", WebhookSignature.sign(Webhooks.SECRET, body))
                .body(tampered)
                .post("/webhooks/github")
                .then()
                .statusCode(401);
        assertEquals(0, Database.count("select count(*) from delivery"));
    }

    @Test
    void needsTheDeliveryAndEventHeaders() {
        byte[] body = Fixtures.bytes("push-branch-two_commits.json");
        String signature = WebhookSignature.sign(Webhooks.SECRET, body);
        given().contentType("application/json")
                .header("X-GitHub-Event", "push")
                .header("X-Hub-Signature-256", signature)
                .body(body)
                .post("/webhooks/github")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("X-GitHub-Delivery"));
        given().contentType("application/json")
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", signature)
                .body(body)
                .post("/webhooks/github")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("X-GitHub-Event"));
        assertEquals(0, Database.count("select count(*) from delivery"));
    }

    @Test
    void aRedeliveryChangesNothing() {
        String id = UUID.randomUUID().toString();
        String body = Fixtures.text("push-branch-two_commits.json");
        Webhooks.deliver("push", id, body).then().statusCode(200).body("outcome", equalTo("PROCESSED"));
        String firstReceived = Database.string("select received_at::text from delivery where id = ?", id);

        Webhooks.deliver("push", id, body).then().statusCode(200).body("outcome", equalTo("DUPLICATE"));

        assertEquals(1, Database.count("select count(*) from delivery"));
        assertEquals(firstReceived, Database.string("select received_at::text from delivery where id = ?", id));
        assertEquals(1, Database.count("select count(*) from push"));
        assertEquals(2, Database.count("select sum(cardinality(commit_shas)) from push"));
    }

    @Test
    void eventsTheAppDoesNotUseAreRecordedAsIgnored() {
        String star = UUID.randomUUID().toString();
        Webhooks.deliver("star", star, Fixtures.text("star-created-basic.json"))
                .then()
                .statusCode(202)
                .body("outcome", equalTo("IGNORED"));
        String issues = UUID.randomUUID().toString();
        Webhooks.deliver("issues", issues, Fixtures.text("issues-opened-basic.json"))
                .then()
                .statusCode(202)
                .body("outcome", equalTo("IGNORED"));
        String unknown = UUID.randomUUID().toString();
        Webhooks.deliver("made_up_event", unknown, "{\"action\":\"x\"}")
                .then()
                .statusCode(202)
                .body("detail", containsString("not an event GitHub documents"));

        assertEquals("ignored", Database.string("select outcome from delivery where id = ?", star));
        assertEquals("created", Database.string("select action from delivery where id = ?", star));
        assertEquals(Fixtures.REPO_ID, Database.count("select repository_id from delivery where id = ?", star));
        assertEquals("ignored", Database.string("select outcome from delivery where id = ?", issues));
        assertEquals("ignored", Database.string("select outcome from delivery where id = ?", unknown));
    }

    @Test
    void aPullRequestActionThatChangesNothingIsIgnored() {
        String body = Fixtures.text("pull_request-opened-same_repo.json")
                .replace("\"action\": \"opened\"", "\"action\": \"labeled\"");
        Webhooks.deliver("pull_request", UUID.randomUUID().toString(), body)
                .then()
                .statusCode(202)
                .body("outcome", equalTo("IGNORED"));
        assertEquals(0, Database.count("select count(*) from pull_request"));
    }

    @Test
    void aBodyThatIsNotJsonIsRejectedAndRecorded() {
        String id = UUID.randomUUID().toString();
        String truncated = Fixtures.text("push-branch-two_commits.json").substring(0, 700);
        Webhooks.deliver("push", id, truncated)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Malformed payload"))
                .body("detail", containsString("not valid JSON"))
                .body("deliveryId", equalTo(id));
        assertEquals("rejected", Database.string("select outcome from delivery where id = ?", id));
        assertEquals(0, Database.count("select count(*) from push"));
        assertEquals(0, Database.count("select count(*) from git_commit"));
        // the service keeps serving
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
    }

    @Test
    void fieldsOfTheWrongTypeAreRejected() {
        String wrongId =
                Fixtures.text("push-branch-two_commits.json").replace("\"id\": 702938101", "\"id\": \"seven-hundred\"");
        Webhooks.deliver("push", UUID.randomUUID().toString(), wrongId)
                .then()
                .statusCode(400)
                .body("detail", containsString("repository.id"));

        String commitsNotAList =
                Fixtures.text("pull_request-opened-same_repo.json").replace("\"draft\": false", "\"draft\": \"no\"");
        Webhooks.deliver("pull_request", UUID.randomUUID().toString(), commitsNotAList)
                .then()
                .statusCode(400)
                .body("detail", containsString("draft"));

        Webhooks.deliver("push", UUID.randomUUID().toString(), "[1, 2, 3]")
                .then()
                .statusCode(400);
        Webhooks.deliver("push", UUID.randomUUID().toString(), "{\"ref\": \"refs/heads/main\"}")
                .then()
                .statusCode(400)
                .body("detail", containsString("before"));

        assertEquals(4, Database.count("select count(*) from delivery where outcome = 'rejected'"));
        assertEquals(0, Database.count("select count(*) from git_commit"));
        assertEquals(0, Database.count("select count(*) from pull_request"));
    }

    @Test
    void aRejectedDeliveryIsValidatedAgainWhenItComesBack() {
        String id = UUID.randomUUID().toString();
        Webhooks.deliver("push", id, "{\"broken\": ").then().statusCode(400);
        assertEquals("rejected", Database.string("select outcome from delivery where id = ?", id));

        Webhooks.deliver("push", id, Fixtures.text("push-branch-two_commits.json"))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("PROCESSED"));
        assertEquals("processed", Database.string("select outcome from delivery where id = ?", id));
        assertEquals(2, Database.count("select count(*) from git_commit"));

        // and an accepted delivery never goes back to rejected
        Webhooks.deliver("push", id, "{\"broken\": ").then().statusCode(200).body("outcome", equalTo("DUPLICATE"));
        assertEquals("processed", Database.string("select outcome from delivery where id = ?", id));
    }

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private int statusOfDeclaredBody(long length) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            byte[] signature =
                    WebhookSignature.sign(Webhooks.SECRET, new byte[0]).getBytes(StandardCharsets.US_ASCII);
            String head = "POST /webhooks/github HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-GitHub-Event: push\r\nX-GitHub-Delivery: " + UUID.randomUUID() + "\r\n"
                    + "X-Hub-Signature-256: " + new String(signature, StandardCharsets.US_ASCII) + "\r\n"
                    + "Content-Length: " + length + "\r\n\r\n{";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void takesBodiesUpToGitHubsLimitAndRefusesLarger() throws IOException {
        // GitHub caps deliveries at 25 MB; Quarkus's default limit is 10 MB.
        String push = Fixtures.text("push-branch-two_commits.json");
        String padding = "x".repeat(12 * 1024 * 1024);
        String large = push.replaceFirst("\\{", "{\"padding\": \"" + padding + "\",");
        Webhooks.deliver("push", UUID.randomUUID().toString(), large).then().statusCode(200);

        // Refused from its Content-Length, before the body is read: the client sees 413 at once.
        assertEquals(413, statusOfDeclaredBody(25 * 1024 * 1024 + 1));
        assertEquals(1, Database.count("select count(*) from delivery"));
    }
}
