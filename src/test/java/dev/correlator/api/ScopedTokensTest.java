package dev.correlator.api;

import java.util.UUID;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tokens that belong to one organization see only its data; what they may not see does not exist. */
@QuarkusTest
class ScopedTokensTest extends AppTest {

    private static final long ACME = 48151623;
    private static final String GLOBEX_SHA = "9999999999999999999999999999999999999b01";

    /** The same fixtures as another organization, with its own repository and commits. */
    static String globex(String fixture) {
        return Fixtures.text(fixture)
                .replace("48151623", "59262734")
                .replace("702938101", "813049212")
                .replace("9919001", "8808112")
                .replace("acme-corp", "globex")
                .replace("1111111111111111111111111111111111111a0", "9999999999999999999999999999999999999b0");
    }

    @BeforeEach
    void twoOrganizations() {
        deliverBoth();
    }

    /** acme-corp's and globex's installation and first push. */
    static void deliverBoth() {
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        Webhooks.deliver("installation", UUID.randomUUID().toString(), globex("installation-created-org.json"))
                .then()
                .statusCode(200);
        Webhooks.deliver("push", UUID.randomUUID().toString(), globex("push-branch-two_commits.json"))
                .then()
                .statusCode(200);
    }

    private static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    private String tokenForAcme() {
        return api().contentType("application/json")
                .body("{\"name\": \"grafana\"}")
                .post("/api/v1/admin/installations/" + ACME + "/tokens")
                .then()
                .statusCode(201)
                .body("installationId", equalTo((int) ACME))
                .body("token", startsWith("cc_"))
                .extract()
                .jsonPath()
                .getString("token");
    }

    @Test
    void anOrganizationsTokenSeesItsOwnDataOnly() {
        String acme = tokenForAcme();

        as(acme).get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(200)
                .body("repository", equalTo("acme-corp/payments-api"));
        // Another organization's commit answers exactly like a commit that does not exist.
        String theirs = as(acme).get("/api/v1/commits/" + GLOBEX_SHA)
                .then()
                .statusCode(404)
                .extract()
                .asString();
        String nobodys = as(acme).get("/api/v1/commits/" + "8888888888888888888888888888888888888c01")
                .then()
                .statusCode(404)
                .extract()
                .asString();
        assertEquals(nobodys.replace("8888888888888888888888888888888888888c01", "x"), theirs.replace(GLOBEX_SHA, "x"));
        as(acme).get("/api/v1/repos/globex/payments-api/commits").then().statusCode(404);
        as(acme).get("/api/v1/repos/acme-corp/payments-api/commits").then().statusCode(200);
        as(acme).get("/api/v1/developers/mona-lisa")
                .then()
                .statusCode(200)
                .body("recentCommits.repository", not(Matchers.hasItem("globex/payments-api")));
        // The administrator sees both.
        api().get("/api/v1/commits/" + GLOBEX_SHA).then().statusCode(200);

        as(acme).get("/api/v1/admin/queue").then().statusCode(403);
        as(acme).contentType("application/json")
                .body("{\"name\": \"mine\"}")
                .post("/api/v1/admin/installations/" + ACME + "/tokens")
                .then()
                .statusCode(403);
    }

    @Test
    void tokensAreListedWithoutTheirValueRotatedAndRevoked() {
        String first = tokenForAcme();
        assertEquals(
                1,
                Database.count(
                        "select count(*) from api_token where token_sha256 = encode(sha256(?::bytea), 'hex')", first));
        assertEquals(
                0, Database.count("select count(*) from api_token where token_sha256 = ? or prefix = ?", first, first));
        api().get("/api/v1/admin/installations/" + ACME + "/tokens")
                .then()
                .statusCode(200)
                .body("[0].name", equalTo("grafana"))
                .body("[0].prefix", equalTo(first.substring(0, 10)))
                .body("[0]", not(hasKey("token")));
        long id = api().get("/api/v1/admin/installations/" + ACME + "/tokens")
                .then()
                .extract()
                .jsonPath()
                .getLong("[0].id");

        String second = api().post("/api/v1/admin/tokens/" + id + "/rotate")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("token");
        as(first).get("/api/v1/commits/" + Fixtures.A1).then().statusCode(401);
        as(second).get("/api/v1/commits/" + Fixtures.A1).then().statusCode(200);

        long secondId = api().get("/api/v1/admin/installations/" + ACME + "/tokens")
                .then()
                .extract()
                .jsonPath()
                .getLong("find { it.revokedAt == null }.id");
        api().delete("/api/v1/admin/tokens/" + secondId).then().statusCode(204);
        as(second).get("/api/v1/commits/" + Fixtures.A1).then().statusCode(401);
        api().delete("/api/v1/admin/tokens/" + secondId).then().statusCode(404);
        api().post("/api/v1/admin/tokens/" + secondId + "/rotate").then().statusCode(404);
        api().contentType("application/json")
                .body("{}")
                .post("/api/v1/admin/installations/" + ACME + "/tokens")
                .then()
                .statusCode(400);
        api().contentType("application/json")
                .body("{\"name\": \"x\"}")
                .post("/api/v1/admin/installations/1/tokens")
                .then()
                .statusCode(404);
    }

    @Test
    void anInstallationsTokenReadsNothingWhileItIsSuspendedOrUninstalled() {
        String acme = tokenForAcme();
        String globex = api().contentType("application/json")
                .body("{\"name\": \"grafana\"}")
                .post("/api/v1/admin/installations/59262734/tokens")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("token");
        as(acme).get("/api/v1/commits/" + Fixtures.A1).then().statusCode(200);

        Webhooks.deliver("installation", "installation-suspend-org.json").then().statusCode(200);
        as(acme).get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(403)
                .body("detail", equalTo("installation " + ACME + " is suspended"));
        as(acme).get("/api/v1/developers/mona-lisa").then().statusCode(403);
        as(globex).get("/api/v1/commits/" + GLOBEX_SHA).then().statusCode(200); // another organization's is not

        Webhooks.deliver("installation", "installation-unsuspend-org.json")
                .then()
                .statusCode(200);
        as(acme).get("/api/v1/commits/" + Fixtures.A1).then().statusCode(200);

        Webhooks.deliver("installation", "installation-deleted-org.json").then().statusCode(200);
        as(acme).get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(403)
                .body("detail", equalTo("installation " + ACME + " is uninstalled"));
        // Still refused once the uninstalled installation's data is purged.
        Database.execute("delete from installation where id = " + ACME);
        as(acme).get("/api/v1/commits/" + Fixtures.A1).then().statusCode(403);
    }
}
