package dev.correlator.webhook;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** An operator runs a stored delivery through the projectors again. */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class DeliveryReplayTest extends AppTest {

    private static final String PUSH = "5e1a7a11-0000-4000-8000-000000000001";
    private static final String PULL_REQUEST = "5e1a7a11-0000-4000-8000-000000000002";

    @Test
    void aDeliveryIgnoredWhileSuspendedIsProjectedOnReplayAndOnlyOnce() {
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        Webhooks.deliver("installation", "installation-suspend-org.json").then().statusCode(200);
        Webhooks.deliver("push", PUSH, Fixtures.bytes("push-branch-two_commits.json"))
                .then()
                .statusCode(202)
                .body("outcome", equalTo("IGNORED"));
        assertEquals(0, Database.count("select count(*) from git_commit"));

        // Replayed while still suspended: ignored again, nothing written.
        api().post("/api/v1/admin/deliveries/" + PUSH + "/replay")
                .then()
                .statusCode(200)
                .body("before", equalTo("ignored"))
                .body("outcome", equalTo("ignored"))
                .body("detail", equalTo("installation 48151623 is suspended"));
        assertEquals(0, Database.count("select count(*) from git_commit"));

        Webhooks.deliver("installation", "installation-unsuspend-org.json")
                .then()
                .statusCode(200);
        api().post("/api/v1/admin/deliveries/" + PUSH + "/replay")
                .then()
                .statusCode(200)
                .body("id", equalTo(PUSH))
                .body("event", equalTo("push"))
                .body("before", equalTo("ignored"))
                .body("outcome", equalTo("processed"));
        assertEquals(2, Database.count("select count(*) from git_commit"));
        assertEquals("processed", Database.string("select outcome from delivery where id = ?", PUSH));
        assertNull(Database.string("select detail from delivery where id = ?", PUSH));
        assertNotNull(Database.string("select replayed_at from delivery where id = ?", PUSH));
        api().get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(200)
                .body("branches[0]", equalTo("feature/retry-logic"));

        // Run again: the same rows, none twice; GitHub's redelivery of it stays a duplicate.
        long rows = modelRows();
        long spans = Database.count("select count(*) from span_outbox");
        api().post("/api/v1/admin/deliveries/" + PUSH + "/replay")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("processed"));
        assertEquals(rows, modelRows());
        assertEquals(spans, Database.count("select count(*) from span_outbox"));
        Webhooks.deliver("push", PUSH, Fixtures.bytes("push-branch-two_commits.json"))
                .then()
                .statusCode(200)
                .body("outcome", equalTo("DUPLICATE"));
    }

    @Test
    void aProcessedDeliveryRebuildsWhatItWrote() {
        Webhooks.deliver("pull_request", PULL_REQUEST, Fixtures.bytes("pull_request-opened-same_repo.json"))
                .then()
                .statusCode(200);
        Database.execute("delete from outbox");
        // As if a projector had written nothing (a bug since fixed).
        Database.execute("delete from pull_request");

        api().post("/api/v1/admin/deliveries/" + PULL_REQUEST + "/replay")
                .then()
                .statusCode(200)
                .body("before", equalTo("processed"))
                .body("outcome", equalTo("processed"));
        assertEquals(
                "Retry payment captures with backoff",
                Database.string("select title from pull_request where number = 42"));
        // Its follow-up work is queued again too.
        assertEquals(1, Database.count("select count(*) from outbox where kind = 'pull-request-commits'"));
    }

    @Test
    void whatCannotBeReplayedSaysWhy() {
        api().post("/api/v1/admin/deliveries/no-such-delivery/replay")
                .then()
                .statusCode(404)
                .body("detail", containsString("no stored delivery"));

        // The retention job emptied its body.
        Webhooks.deliver("push", PUSH, Fixtures.bytes("push-branch-two_commits.json"))
                .then()
                .statusCode(200);
        Database.execute("update delivery set body = ''::bytea where id = '" + PUSH + "'");
        api().post("/api/v1/admin/deliveries/" + PUSH + "/replay")
                .then()
                .statusCode(409)
                .body("detail", containsString("retention"));

        // A body that was never what GitHub sends stays rejected, with the reason.
        String truncated = Fixtures.text("push-branch-two_commits.json").substring(0, 700);
        Webhooks.deliver("push", PULL_REQUEST, truncated).then().statusCode(400);
        api().post("/api/v1/admin/deliveries/" + PULL_REQUEST + "/replay")
                .then()
                .statusCode(200)
                .body("before", equalTo("rejected"))
                .body("outcome", equalTo("rejected"))
                .body("detail", containsString("not valid JSON"));
        assertEquals("rejected", Database.string("select outcome from delivery where id = ?", PULL_REQUEST));

        // Only the people who run the App may replay.
        RestAssured.given()
                .auth()
                .oauth2("not-a-token")
                .post("/api/v1/admin/deliveries/" + PUSH + "/replay")
                .then()
                .statusCode(401);
    }

    private static long modelRows() {
        return Database.count("""
                select (select count(*) from git_commit) + (select count(*) from branch_commit)
                     + (select count(*) from push) + (select count(*) from commit_coauthor)
                     + (select count(*) from developer) + (select count(*) from outbox)""");
    }
}
