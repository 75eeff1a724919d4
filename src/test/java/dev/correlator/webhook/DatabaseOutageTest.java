package dev.correlator.webhook;

import java.util.List;
import java.util.UUID;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.support.Database;
import dev.correlator.support.DatabaseProxy;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * PostgreSQL goes away while the App runs: deliveries are answered 503 and nothing is half
 * written; the API and readiness say so; once it is back, the same delivery is taken whole.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.ThroughProxy.class)
class DatabaseOutageTest {

    public static class ThroughProxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeGitHub.class), new TestResourceEntry(DatabaseProxy.class));
        }
    }

    @BeforeEach
    void clean() {
        DatabaseProxy.restore();
        Database.clean();
    }

    @AfterEach
    void restore() {
        DatabaseProxy.restore();
    }

    @Test
    void anOutageIsAnswered503AndNothingIsLostOnceItIsBack() {
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);

        DatabaseProxy.cut();
        String id = UUID.randomUUID().toString();
        String body = Fixtures.text("push-branch-follow_up.json");
        Webhooks.deliver("push", id, body)
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("30"));
        given().auth()
                .oauth2("test-api-token")
                .get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(503)
                .contentType("application/problem+json");
        given().get("/q/health/ready").then().statusCode(503);
        given().get("/q/health/live").then().statusCode(200);

        DatabaseProxy.restore();
        assertEquals(0, Database.count("select count(*) from delivery where id = ?", id));
        assertEquals(0, Database.count("select count(*) from git_commit where sha = ?", Fixtures.B1));

        // The pool may still hold a connection that died with the outage; GitHub's redelivery
        // (or the recovery job) sends the same delivery again until it is taken.
        int status = 0;
        for (int attempt = 0; attempt < 5 && status != 200; attempt++) {
            status = Webhooks.deliver("push", id, body).statusCode();
        }
        assertEquals(200, status);
        assertEquals("processed", Database.string("select outcome from delivery where id = ?", id));
        assertEquals(1, Database.count("select count(*) from git_commit where sha = ?", Fixtures.B1));
        given().get("/q/health/ready").then().statusCode(200);
    }
}
