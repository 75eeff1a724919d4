package dev.correlator.retention;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.codespace.CodespacePoller;
import dev.correlator.support.AppTest;
import dev.correlator.support.Codespaces;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Erasing a login erases her e-mails wherever they are stored, and stays done: what arrives
 * later naming her (a push, a replay, a backfill page) records the others in it, not her.
 */
@QuarkusTest
@TestProfile(ErasureTest.BackfillOn.class)
@QuarkusTestResource(FakeGitHub.class)
class ErasureTest extends AppTest {

    public static class BackfillOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("correlator.backfill.enabled", "true", "correlator.backfill.rate-limit-reserve", "100");
        }
    }

    private static final String OWN_MAIL = "mona.lisa@octo-mail.example";
    private static final String NOREPLY = "583231+mona-lisa@users.noreply.github.com";
    private static final String A3 = "1111111111111111111111111111111111111a03";
    private static final String A4 = "1111111111111111111111111111111111111a04";
    private static final String FIRST_PUSH = "5f0c1a2e-1111-4a4a-9a9a-00000000e001";
    private static final String SIGNED_OFF_PUSH = "5f0c1a2e-1111-4a4a-9a9a-00000000e002";

    /** Everything stored that could name her, in any column of any table that keeps people. */
    @Inject
    CodespacePoller poller;

    private static final String ANYTHING_OF_HERS = """
            select (select count(*) from developer where lower(login) like '%mona%' or github_id = 583231)
                 + (select count(*) from developer_email where email like '%mona%')
                 + (select count(*) from commit_coauthor where email like '%mona%' or name ilike '%mona%')
                 + (select count(*) from git_commit where message ilike '%mona%' or author_name ilike '%mona%'
                       or author_email ilike '%mona%' or committer_name ilike '%mona%' or committer_email ilike '%mona%')
                 + (select count(*) from push where pusher_name ilike '%mona%')
                 + (select count(*) from span_outbox where span ilike '%mona%')
                 + (select count(*) from codespace where owner_login ilike '%mona%' or owner_github_id = 583231)
                 + (select count(*) from codespace_event
                     where login ilike '%mona%' or github_id = 583231 or codespace_name ilike '%mona%')
                 + (select count(*) from codespace_observation where codespace_name ilike '%mona%')""";

    @BeforeEach
    void monaWorkedHere() {
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        Webhooks.deliver("push", FIRST_PUSH, Fixtures.bytes("push-branch-two_commits.json"))
                .then()
                .statusCode(200);
        Webhooks.deliver("push", SIGNED_OFF_PUSH, Fixtures.bytes("push-branch-signed_off.json"))
                .then()
                .statusCode(200);
        Codespaces.monaMade(Fixtures.A1);
        Codespaces.monasObserved();
        api().get("/api/v1/developers/mona-lisa").then().statusCode(200);
        api().queryParam("author", OWN_MAIL).get("/api/v1/repos/" + Fixtures.REPO + "/commits");

        // What there is to erase: her own address tied to her, as a co-author and in trailers.
        assertEquals(1, Database.count("select count(*) from developer_email where email = ?", OWN_MAIL));
        assertEquals(
                2, Database.count("select count(*) from commit_coauthor where email in (?, ?)", OWN_MAIL, NOREPLY));
        assertEquals(2, Database.count("select count(*) from git_commit where message like '%Signed-off-by: Mona%'"));
        assertEquals(true, Database.count(ANYTHING_OF_HERS) > 0);
    }

    @Test
    void erasingALoginErasesHerEMailsWhereverTheyAreStored() {
        long audited = Database.count("select count(*) from api_audit");

        api().delete("/api/v1/admin/developers/mona-lisa").then().statusCode(200);

        assertEquals(0, Database.count(ANYTHING_OF_HERS));
        // The others stay: Priya as a co-author, Devon's sign-off, the commits themselves.
        assertEquals(1, Database.count("select count(*) from commit_coauthor where email = 'priya@acme-corp.example'"));
        assertEquals(
                "Cap the capture backoff at four seconds\n\nSigned-off-by: Devon Park <devon@acme-corp.example>",
                Database.string("select message from git_commit where sha = ?", A4));
        assertEquals(
                "Document the retry policy\n\nExplain when a capture is retried and why the idempotency key makes\n"
                        + "that safe.",
                Database.string("select message from git_commit where sha = ?", A3));
        assertEquals(
                true,
                Database.string("select message from git_commit where sha = ?", Fixtures.A2)
                        .endsWith("\n\nCo-authored-by: Priya Raman <priya@acme-corp.example>"));
        assertEquals(4, Database.count("select count(*) from git_commit"));
        assertEquals(1, Database.count("select count(*) from developer_email where email = 'devon@acme-corp.example'"));

        // The audit keeps who read what kind of thing and when, not whom it was about.
        assertEquals(audited + 1, Database.count("select count(*) from api_audit"));
        assertEquals(0, Database.count("""
                select count(*) from api_audit where path ilike '%mona%' or query ilike '%mona%'"""));
        assertEquals(1, Database.count("select count(*) from api_audit where path = '/api/v1/developers/{erased}'"));
        assertEquals(1, Database.count("select count(*) from api_audit where query = 'author={erased}'"));

        // The raw bodies that name her are gone, the inbox rows (a redelivery is a duplicate) stay.
        assertEquals(0, Database.count("""
                select count(*) from delivery where strpos(lower(encode(body, 'escape')), 'mona') > 0"""));
        assertEquals(3, Database.count("select count(*) from delivery"));
        assertEquals(
                1, Database.count("select count(*) from delivery where event = 'installation' and length(body) > 0"));

        // The tombstone: hashes only, of her login, her id and each of her e-mails.
        assertEquals(0, Database.count("select count(*) from erasure_tombstone where sha256 !~ '^[0-9a-f]{64}$'"));
        assertEquals(0, Database.count("""
                select count(*) from erasure_tombstone t
                 where t::text ilike '%mona%' or t::text like '%583231%' or t::text ilike '%octo-mail%'"""));
        assertEquals(4, Database.count("""
                select count(*) from erasure_tombstone
                 where (kind, sha256) in (('login', encode(sha256('mona-lisa'), 'hex')),
                                          ('github_id', encode(sha256('583231'), 'hex')),
                                          ('email', encode(sha256(convert_to(?, 'UTF8')), 'hex')),
                                          ('email', encode(sha256(convert_to(?, 'UTF8')), 'hex')))""", OWN_MAIL, NOREPLY));
    }

    @Test
    void pushesAndReplaysAfterTheErasureRecordTheOthersNotHer() {
        api().delete("/api/v1/admin/developers/mona-lisa").then().statusCode(200);

        // The same commits pushed again to another branch, under new deliveries.
        for (String fixture : new String[] {"push-branch-two_commits.json", "push-branch-signed_off.json"}) {
            Webhooks.deliver(
                            "push",
                            UUID.randomUUID().toString(),
                            Fixtures.text(fixture).replace("feature/retry-logic", "release/retry-logic"))
                    .then()
                    .statusCode(200);
        }
        // A push she makes herself, as sender and pusher.
        Webhooks.deliver(
                        "push",
                        UUID.randomUUID().toString(),
                        Fixtures.text("push-branch-signed_off.json")
                                .replace("\"name\": \"devon-ops\"", "\"name\": \"mona-lisa\"")
                                .replace(
                                        "\"login\": \"devon-ops\",\n    \"id\": 1204455",
                                        "\"login\": \"mona-lisa\",\n    \"id\": 583231")
                                .replace("feature/retry-logic", "docs/retries"))
                .then()
                .statusCode(200);
        // A replay of a delivery that named her: its body is gone, so it cannot be replayed.
        api().post("/api/v1/admin/deliveries/" + FIRST_PUSH + "/replay")
                .then()
                .statusCode(409)
                .body("detail", containsString("erasure"));

        assertEquals(0, Database.count(ANYTHING_OF_HERS));
        assertEquals(4, Database.count("select count(*) from branch_commit where branch = 'release/retry-logic'"));
        assertEquals(2, Database.count("select count(*) from branch_commit where branch = 'docs/retries'"));
        assertEquals(
                1,
                Database.count("select count(*) from push where ref = 'refs/heads/docs/retries'"
                        + " and pusher_id is null and sender_id is null and pusher_name is null"));
        // The others in the same pushes are recorded as before.
        assertEquals(1, Database.count("select count(*) from developer where login = 'devon-ops'"));
        assertEquals(1, Database.count("select count(*) from commit_coauthor where email = 'priya@acme-corp.example'"));
        assertEquals(1, Database.count("""
                select count(*) from git_commit c join developer d on d.id = c.author_id
                 where c.sha = ? and d.login = 'devon-ops'""", A4));
        assertEquals(0, Database.count("select count(*) from git_commit where sha = ? and author_id is not null", A3));
    }

    @Test
    void aBackfillPageNamingHerRecordsTheOthersNotHer() throws Exception {
        api().delete("/api/v1/admin/developers/mona-lisa").then().statusCode(200);
        // Ledger's history: her commit, and Devon's with her as co-author and Priya too.
        ObjectMapper json = new ObjectMapper();
        ArrayNode page = (ArrayNode) json.readTree(Fixtures.text("api-commits-main-page1.json"));
        ObjectNode devons = (ObjectNode) page.get(1);
        ObjectNode detail = (ObjectNode) devons.get("commit");
        for (String role : new String[] {"author", "committer"}) {
            ((ObjectNode) detail.get(role)).put("name", "Devon Park").put("email", "devon@acme-corp.example");
            ((ObjectNode) devons.get(role)).put("login", "devon-ops").put("id", 1204455);
        }
        detail.put(
                "message",
                "Tune capture timeouts\n\nCo-authored-by: Mona Lisa Octo <" + OWN_MAIL + ">\n"
                        + "Co-authored-by: Priya Raman <priya@acme-corp.example>");
        stub("/repos/acme-corp/ledger", null, ok(Fixtures.text("api-repos-ledger.json")));
        stub("/repos/acme-corp/ledger/commits", "sha=trunk", ok(json.writeValueAsString(page)));
        stub("/repos/acme-corp/ledger/pulls", "state=open", ok("[]"));

        Webhooks.deliver("installation_repositories", "installation_repositories-added-one.json")
                .then()
                .statusCode(200);
        for (int round = 0; round < 20 && worker.drain(10) > 0; round++) {
            // until nothing is ready
        }

        long ledger = 702938202;
        assertEquals(page.size(), Database.count("select count(*) from git_commit where repository_id = ?", ledger));
        assertEquals(0, Database.count(ANYTHING_OF_HERS));
        assertEquals(1, Database.count("""
                select count(*) from git_commit c join developer d on d.id = c.author_id
                 where c.repository_id = ? and c.sha = ? and d.login = 'devon-ops'""", ledger, page.get(1).get("sha").asText()));
        assertEquals(1, Database.count("""
                select count(*) from commit_coauthor where repository_id = ? and email = 'priya@acme-corp.example'""", ledger));
        assertEquals(0, Database.count("""
                select count(*) from git_commit where repository_id = ? and sha = ?
                   and (author_id is not null or author_email is not null or author_name is not null)""", ledger, page.get(0).get("sha").asText()));
    }

    @Test
    void theOrganizationsCodespacesPolledAgainLeaveHersOut() throws Exception {
        api().delete("/api/v1/admin/developers/mona-lisa").then().statusCode(200);
        ObjectMapper json = new ObjectMapper();
        ObjectNode listed = (ObjectNode) json.readTree(Fixtures.text("api-org-member-codespaces-mona.json"));
        ObjectNode devons = ((ObjectNode) listed.get("codespaces").get(0)).deepCopy();
        devons.put("name", "devon-ops-payments-api-5g7x");
        ((ObjectNode) devons.get("owner")).put("login", "devon-ops").put("id", 1204455);
        ((ArrayNode) listed.get("codespaces")).add(devons);
        listed.put("total_count", 3);
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/orgs/acme-corp/codespaces"))
                        .willReturn(FakeGitHub.json(json.writeValueAsString(listed))));

        poller.pollAll();

        assertEquals(0, Database.count(ANYTHING_OF_HERS));
        assertEquals(
                1,
                Database.count("select count(*) from codespace where name = 'devon-ops-payments-api-5g7x'"
                        + " and owner_login = 'devon-ops'"));
    }

    private ResponseDefinitionBuilder ok(String body) {
        return FakeGitHub.json(body)
                .withHeader("x-ratelimit-remaining", "4000")
                .withHeader(
                        "x-ratelimit-reset",
                        String.valueOf(Instant.now().plusSeconds(3600).getEpochSecond()));
    }

    private static void stub(String path, String query, ResponseDefinitionBuilder answer) {
        var mapping = get(urlPathEqualTo(path));
        if (query != null) {
            String[] pair = query.split("=", 2);
            mapping = mapping.withQueryParam(pair[0], equalTo(pair[1]));
        }
        FakeGitHub.server().stubFor(mapping.willReturn(answer));
    }
}
