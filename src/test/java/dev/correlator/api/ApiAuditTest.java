package dev.correlator.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.Webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every API read of developer data is written down: who, what, when, and the answer. */
@QuarkusTest
class ApiAuditTest extends AppTest {

    @Test
    void readsAreAuditedWithoutTheToken() {
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);

        api().get("/api/v1/developers/mona-lisa").then().statusCode(200);
        api().get("/api/v1/repos/acme-corp/payments-api/commits?author=mona-lisa&limit=5")
                .then()
                .statusCode(200);
        RestAssured.given().get("/api/v1/developers/devon-ops").then().statusCode(401);

        assertEquals(1, Database.count("""
                select count(*) from api_audit where method = 'GET' and path = '/api/v1/developers/mona-lisa'
                   and status = 200 and caller ~ '^token:[0-9a-f]{16}$' and at > now() - interval '1 minute'"""));
        assertEquals(1, Database.count("""
                select count(*) from api_audit where path = '/api/v1/repos/acme-corp/payments-api/commits'
                   and query = 'author=mona-lisa&limit=5'"""));
        assertEquals(1, Database.count("""
                select count(*) from api_audit where path = '/api/v1/developers/devon-ops' and status = 401
                   and caller = 'anonymous'"""));
        assertEquals(0, Database.count("select count(*) from api_audit where caller like '%test-api-token%'"));
    }
}
