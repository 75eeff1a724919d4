package dev.correlator.change;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Installations, their repositories, renames and transfers: ids stay, names follow. */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class InstallationLifecycleTest extends AppTest {

    @Test
    void installingRecordsTheOrganizationAndItsRepositories() {
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        assertEquals("acme-corp", Database.string("select account_login from installation where id = 48151623"));
        assertEquals("active", Database.string("select state from installation"));
        assertEquals("selected", Database.string("select repository_selection from installation"));
        assertEquals(2, Database.count("select count(*) from repository where installation_id = 48151623"));
        assertEquals("acme-corp", Database.string("select owner_login from repository where id = 702938202"));
    }

    @Test
    void repositoriesRemovedAndAddedBack() {
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        Webhooks.deliver("installation_repositories", "installation_repositories-removed-one.json")
                .then()
                .statusCode(200);
        assertEquals(
                1, Database.count("select count(*) from repository where removed_at is not null and id = 702938202"));
        Webhooks.deliver("installation_repositories", "installation_repositories-added-one.json")
                .then()
                .statusCode(200);
        assertNull(Database.string("select removed_at from repository where id = 702938202"));
    }

    @Test
    void deliveriesForASuspendedOrDeletedInstallationAreKeptButIgnored() {
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        Webhooks.deliver("installation", "installation-suspend-org.json").then().statusCode(200);
        Webhooks.deliver("push", "push-branch-two_commits.json")
                .then()
                .statusCode(202)
                .body("outcome", equalTo("IGNORED"))
                .body("detail", equalTo("installation 48151623 is suspended"));
        assertEquals(0, Database.count("select count(*) from git_commit"));
        assertEquals(1, Database.count("select count(*) from delivery where event = 'push' and outcome = 'ignored'"));

        Webhooks.deliver("installation", "installation-unsuspend-org.json")
                .then()
                .statusCode(200);
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        assertEquals(2, Database.count("select count(*) from git_commit"));

        Webhooks.deliver("installation", "installation-deleted-org.json").then().statusCode(200);
        assertEquals("deleted", Database.string("select state from installation"));
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(202);
        assertEquals(0, Database.count("select count(*) from pull_request"));
    }

    @Test
    void aRenamedAndTransferredRepositoryKeepsItsHistory() {
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        Webhooks.deliver("repository", "repository-renamed-basic.json").then().statusCode(200);
        api().get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(200)
                .body("repository", equalTo("acme-corp/payments-service"));
        api().get("/api/v1/repos/acme-corp/payments-service/commits")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(2));
        api().get("/api/v1/repos/acme-corp/payments-api/commits").then().statusCode(404);

        Webhooks.deliver("repository", "repository-transferred-basic.json")
                .then()
                .statusCode(200);
        api().get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(200)
                .body("repository", equalTo("acme-platform/payments-service"));
        assertEquals(1, Database.count("select count(*) from repository"));
    }
}
