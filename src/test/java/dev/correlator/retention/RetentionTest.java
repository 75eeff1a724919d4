package dev.correlator.retention;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Codespaces;
import dev.correlator.support.Database;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Data about people does not outlive its purpose: age, uninstalls and erasure of a login. */
@QuarkusTest
class RetentionTest extends AppTest {

    @Inject
    DataRetention retention;

    @BeforeEach
    void anOrganizationWithCommitsAndACodespace() {
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200); // A1, A2 by mona-lisa
        Codespaces.monaMade(Fixtures.A1);
        Codespaces.monasObserved();
    }

    @Test
    void developerDataPastItsAgeIsDeletedWhileTheMappingStays() {
        assertEquals(
                0,
                retention.purge().rows().values().stream()
                        .mapToInt(Integer::intValue)
                        .sum(),
                "nothing is old yet");
        Database.execute("""
                update developer_email set seen_at = now() - interval '91 days';
                update git_commit set first_seen_at = now() - interval '91 days';
                update codespace_event set received_at = now() - interval '91 days';
                update codespace_observation set observed_until = now() - interval '91 days';
                update codespace set last_seen_at = now() - interval '91 days';
                update delivery set received_at = now() - interval '91 days'""");

        retention.purge();

        assertEquals(0, Database.count("select count(*) from developer_email"));
        assertEquals(
                0,
                Database.count(
                        "select count(*) from git_commit where author_email is not null or committer_email is not null"));
        assertEquals(
                0,
                Database.count("select count(*) from codespace_event")
                        + Database.count("select count(*) from codespace_observation")
                        + Database.count("select count(*) from codespace"));
        assertEquals(0, Database.count("select count(*) from delivery where length(body) > 0"));
        // The mapping: the commit, its author's login, its branch.
        api().get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(200)
                .body("author.login", equalTo("mona-lisa"))
                .body("author.email", nullValue())
                .body("branches[0]", equalTo("feature/retry-logic"));
        // A redelivery of an old delivery is still recognised.
        assertEquals(2, Database.count("select count(*) from delivery"));
    }

    @Test
    void finishedQueueWorkIsDeletedDeadRowsAndSpansLater() {
        Database.execute("""
                insert into outbox (kind, dedup_key, installation_id, payload, available_at, created_at, status,
                                    finished_at)
                values ('pull-request-commits', 'done-8-days', 48151623, '{}', now(), now(), 'done',
                        now() - interval '8 days'),
                       ('pull-request-commits', 'done-today', 48151623, '{}', now(), now(), 'done', now()),
                       ('pull-request-commits', 'dead-8-days', 48151623, '{}', now(), now(), 'dead',
                        now() - interval '8 days'),
                       ('pull-request-commits', 'dead-91-days', 48151623, '{}', now(), now(), 'dead',
                        now() - interval '91 days'),
                       ('pull-request-commits', 'waiting', 48151623, '{}', now(), now() - interval '91 days',
                        'pending', null);
                update span_outbox set status = 'done', created_at = now() - interval '91 days'
                 where span_id = (select min(span_id) from span_outbox)""");
        long spans = Database.count("select count(*) from span_outbox");

        retention.purge();

        assertEquals(
                "dead-8-days,done-today,waiting",
                Database.string(
                        "select string_agg(dedup_key, ',' order by dedup_key) from outbox where kind = 'pull-request-commits'"
                                + " and dedup_key in ('done-8-days', 'done-today', 'dead-8-days', 'dead-91-days', 'waiting')"));
        assertEquals(spans - 1, Database.count("select count(*) from span_outbox"));
    }

    @Test
    void anUninstalledOrganizationsDataGoesAfterTheGracePeriod() {
        Webhooks.deliver("installation", "installation-deleted-org.json").then().statusCode(200);
        retention.purge();
        api().get("/api/v1/commits/" + Fixtures.A1).then().statusCode(200); // within the grace period

        Database.execute("update installation set deleted_at = now() - interval '8 days'");
        retention.purge();

        api().get("/api/v1/commits/" + Fixtures.A1).then().statusCode(404);
        assertEquals(
                0,
                Database.count("select count(*) from installation")
                        + Database.count("select count(*) from repository")
                        + Database.count("select count(*) from git_commit")
                        + Database.count("select count(*) from branch_commit")
                        + Database.count("select count(*) from push")
                        + Database.count("select count(*) from delivery")
                        + Database.count("select count(*) from codespace")
                        + Database.count("select count(*) from codespace_event"));
    }

    @Test
    void aReinstallWithinTheGracePeriodKeepsEverything() {
        Webhooks.deliver("installation", "installation-deleted-org.json").then().statusCode(200);
        assertEquals(1, Database.count("select count(*) from installation where deleted_at is not null"));
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        assertEquals(
                1, Database.count("select count(*) from installation where deleted_at is null and state = 'active'"));

        Database.execute("update installation set updated_at = now() - interval '8 days'");
        retention.purge();
        api().get("/api/v1/commits/" + Fixtures.A1).then().statusCode(200);
    }

    @Test
    void anAdministratorErasesALogin() {
        long spans = Database.count("select count(*) from span_outbox");
        assertEquals(true, Database.count("select count(*) from span_outbox where span like '%\"mona-lisa\"%'") > 0);
        api().delete("/api/v1/admin/developers/mona-lisa")
                .then()
                .statusCode(200)
                .body("rows.developer", equalTo(1))
                .body("rows.Codespaces", equalTo(1));

        // The spans stay (they describe devon-ops's push too), without her login.
        assertEquals(spans, Database.count("select count(*) from span_outbox"));
        assertEquals(0, Database.count("select count(*) from span_outbox where span ilike '%mona-lisa%'"));
        assertEquals(true, Database.count("select count(*) from span_outbox where span like '%\"devon-ops\"%'") > 0);

        api().get("/api/v1/developers/mona-lisa").then().statusCode(404);
        api().get("/api/v1/commits/" + Fixtures.A1)
                .then()
                .statusCode(200)
                .body("author", nullValue())
                .body("codespaces.size()", equalTo(0));
        assertEquals(0, Database.count("""
                select count(*) from git_commit where author_email ilike '%mona%' or committer_email ilike '%mona%'
                    or author_name ilike '%mona%' or committer_name ilike '%mona%'"""));
        assertEquals(
                0,
                Database.count("select count(*) from developer where lower(login) = 'mona-lisa'")
                        + Database.count("select count(*) from codespace_event")
                        + Database.count("select count(*) from codespace_observation"));

        api().delete("/api/v1/admin/developers/mona-lisa").then().statusCode(404);
        RestAssured.given().delete("/api/v1/admin/developers/devon-ops").then().statusCode(401);
    }

    private static final long LEDGER = 702938202;

    /** A push to ledger, the installation's other repository, and a Codespace on it. */
    private static void ledgerWithAPush() {
        Webhooks.deliver(
                        "push",
                        UUID.randomUUID().toString(),
                        Fixtures.text("push-branch-two_commits.json")
                                .replace("702938101", String.valueOf(LEDGER))
                                .replace("payments-api", "ledger"))
                .then()
                .statusCode(200);
        Database.execute("""
                insert into codespace (name, owner_login, owner_github_id, repository_full_name, first_seen_at,
                                       last_seen_at, repository_id)
                values ('devon-ops-ledger-5t2x', 'devon-ops', 1204455, 'acme-corp/ledger', now(), now(), %d)""".formatted(LEDGER));
        assertEquals(2, Database.count("select count(*) from git_commit where repository_id = ?", LEDGER));
    }

    private static long ledgerRows() {
        return Database.count("select count(*) from repository where id = ?", LEDGER)
                + Database.count("select count(*) from git_commit where repository_id = ?", LEDGER)
                + Database.count("select count(*) from branch_commit where repository_id = ?", LEDGER)
                + Database.count("select count(*) from commit_coauthor where repository_id = ?", LEDGER)
                + Database.count("select count(*) from push where repository_id = ?", LEDGER)
                + Database.count("select count(*) from delivery where repository_id = ?", LEDGER)
                + Database.count("select count(*) from codespace where repository_full_name = 'acme-corp/ledger'");
    }

    @Test
    void aRepositoryRemovedFromTheInstallationGoesAfterTheGracePeriod() {
        ledgerWithAPush();
        long payments = Database.count("select count(*) from git_commit where repository_id = ?", Fixtures.REPO_ID);
        Webhooks.deliver("installation_repositories", "installation_repositories-removed-one.json")
                .then()
                .statusCode(200);
        retention.purge();
        long held = ledgerRows();
        assertEquals(true, held > 7, "within the grace period everything stays");

        Database.execute("update repository set removed_at = now() - interval '8 days' where id = " + LEDGER);
        Map<String, Integer> purged = retention.purge().rows();

        assertEquals(0, ledgerRows());
        assertEquals(1, purged.get("removed repositories"));
        // The installation and its other repository keep everything, their Codespace too.
        assertEquals(
                payments, Database.count("select count(*) from git_commit where repository_id = ?", Fixtures.REPO_ID));
        assertEquals(
                1,
                Database.count("select count(*) from codespace where repository_full_name = 'acme-corp/payments-api'"));
        assertEquals(1, Database.count("select count(*) from installation where state = 'active'"));
    }

    @Test
    void aRepositoryRetiredByAnotherOfItsNameIsNotPurged() {
        ledgerWithAPush();
        long held = ledgerRows();
        // A delivery names another repository acme-corp/ledger (a late or replayed one that still
        // carries an old name, or a repository created under it): the row is retired, which is
        // not GitHub saying it was removed.
        Webhooks.deliver(
                        "push",
                        UUID.randomUUID().toString(),
                        Fixtures.text("push-branch-two_commits.json")
                                .replace("702938101", "702938999")
                                .replace("payments-api", "ledger"))
                .then()
                .statusCode(200);
        assertEquals(
                1, Database.count("select count(*) from repository where id = ? and removed_at is not null", LEDGER));

        Database.execute("update repository set removed_at = now() - interval '8 days' where id = " + LEDGER);
        retention.purge();

        assertEquals(held, ledgerRows());
    }

    @Test
    void aRepositoryAddedBackWithinTheGracePeriodKeepsEverything() {
        ledgerWithAPush();
        Webhooks.deliver("installation_repositories", "installation_repositories-removed-one.json")
                .then()
                .statusCode(200);
        long held = ledgerRows();
        Webhooks.deliver("installation_repositories", "installation_repositories-added-one.json")
                .then()
                .statusCode(200);
        assertEquals(0, Database.count("select count(*) from repository where removed_at is not null"));

        Database.execute("update repository set updated_at = now() - interval '8 days'");
        retention.purge();
        assertEquals(held, ledgerRows());
    }
}
