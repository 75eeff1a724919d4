package dev.correlator.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Waits;
import dev.correlator.support.Webhooks;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Developers are keyed by GitHub's id: a renamed login follows, a freed login moves on. */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class DeveloperIdentityTest extends AppTest {

    /** push-branch-forged_noreply.json: mallory's commits, authored as 424242+devon-ops and co-authored as 583231+mallory. */
    private static final String FORGED_AUTHOR = "abad1dea00000000000000000000000000000001";

    private static final String FORGED_COAUTHOR = "abad1dea00000000000000000000000000000002";

    @Test
    void aRenamedLoginKeepsTheDevelopersHistory() {
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        // devon-ops (id 1204455) renames to devon-park and pushes again
        String renamed = Fixtures.text("push-branch-follow_up.json")
                .replace("\"login\": \"mona-lisa\"", "\"login\": \"devon-park\"")
                .replace("\"id\": 583231", "\"id\": 1204455")
                .replace("\"name\": \"mona-lisa\"", "\"name\": \"devon-park\"");
        Webhooks.deliver("push", UUID.randomUUID().toString(), renamed).then().statusCode(200);

        api().get("/api/v1/developers/devon-park")
                .then()
                .statusCode(200)
                .body("githubId", equalTo(1204455))
                .body("recentCommits.sha", contains(Fixtures.A2));
        api().get("/api/v1/developers/devon-ops").then().statusCode(404);
        api().get("/api/v1/commits/" + Fixtures.A2)
                .then()
                .body("author.login", equalTo("devon-park"))
                .body("pushes[0].pusher", equalTo("devon-park"));
        assertEquals(1, Database.count("select count(*) from developer where github_id = 1204455"));
    }

    @Test
    void aLoginKnownFirstWithoutItsIdIsMergedIntoTheAccount() {
        // The bot push names dependabot[bot] by login in its commits before the sender's id is read;
        // a commit author known only by login is the same developer once the id arrives.
        String byLoginOnly = Fixtures.text("push-branch-web_flow.json")
                .replace("\"id\": 583231", "\"id\": 999000111")
                .replace("\"login\": \"mona-lisa\"", "\"login\": \"someone-else\"");
        Webhooks.deliver("push", UUID.randomUUID().toString(), byLoginOnly)
                .then()
                .statusCode(200);
        assertEquals(1, Database.count("select count(*) from developer where login = 'mona-lisa'"));

        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
        assertEquals(1, Database.count("select count(*) from developer where lower(login) = 'mona-lisa'"));
        assertEquals(583231L, Database.count("select github_id from developer where login = 'mona-lisa'"));
        api().get("/api/v1/commits/" + Fixtures.W1).then().body("author.login", equalTo("mona-lisa"));
    }

    @Test
    void aLoginGivenUpByOneAccountCanBeTakenByAnother() {
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
        // mona-lisa (583231) renamed away; a new account 777 took the login "mona-lisa"
        String newcomer = Fixtures.text("pull_request-opened-fork.json")
                .replace("\"login\": \"outside-dev\"", "\"login\": \"mona-lisa\"")
                .replace("\"id\": 7700770", "\"id\": 777");
        Webhooks.deliver("pull_request", UUID.randomUUID().toString(), newcomer)
                .then()
                .statusCode(200);

        assertEquals(777L, Database.count("select github_id from developer where login = 'mona-lisa'"));
        assertEquals(1, Database.count("select count(*) from developer where github_id = 583231 and login is null"));
    }

    @Test
    void aMergeRacingACommitForTheMergedDeveloperLosesNothing() throws Exception {
        // The account is known as mona-lisa; after a rename, pushes name mona-renamed by login only.
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
        Webhooks.deliver(
                        "push",
                        UUID.randomUUID().toString(),
                        Fixtures.text("push-branch-two_commits.json")
                                .replace("\"username\": \"mona-lisa\"", "\"username\": \"mona-renamed\""))
                .then()
                .statusCode(200);
        long account = Database.count("select id from developer where github_id = 583231");
        long loginOnly = Database.count("select id from developer where login = 'mona-renamed'");

        String sha = "f".repeat(40);
        try (Connection other = Database.connect()) {
            // Another writer stores a commit for the login-only developer and has not committed.
            other.setAutoCommit(false);
            try (PreparedStatement insert = other.prepareStatement("""
                    insert into git_commit (repository_id, sha, message, authored_at, author_id, first_seen_at)
                    values (702938101, ?, 'racing', now(), ?, now())""")) {
                insert.setString(1, sha);
                insert.setLong(2, loginOnly);
                insert.executeUpdate();
            }
            // The account arrives with its new login: the App merges the login-only row into it.
            String renamed = Fixtures.text("pull_request-opened-same_repo.json")
                    .replace("\"login\": \"mona-lisa\"", "\"login\": \"mona-renamed\"")
                    .replace("\"updated_at\": \"2026-11-20T13:20:44Z\"", "\"updated_at\": \"2026-11-21T09:00:00Z\"");
            CompletableFuture<Integer> answer = CompletableFuture.supplyAsync(
                    () -> Webhooks.deliver("pull_request", UUID.randomUUID().toString(), renamed)
                            .statusCode());
            // The merge's delete waits for this writer's lock (or the answer came without waiting).
            Waits.upTo(Duration.ofSeconds(30)).until(() -> answer.isDone() || aBackendWaitsOnALock());
            other.commit();
            assertEquals(200, answer.get(30, TimeUnit.SECONDS));
        }

        assertEquals(
                account,
                Database.count("select author_id from git_commit where sha = ?", sha),
                "the racing commit was repointed to the account, not left with a deleted developer's id");
        assertEquals(0, Database.count("select count(*) from developer where id = ?", loginOnly));
        assertEquals(583231L, Database.count("select github_id from developer where login = 'mona-renamed'"));
    }

    @Test
    void aCoAuthorTrailerCannotRenameAnotherDevelopersAccount() {
        // mona-lisa (583231) is known from the sender of her own push.
        Webhooks.deliver("push", "push-branch-follow_up.json").then().statusCode(200);
        // mallory (8800880) pushes a commit co-authored by "583231+mallory@users.noreply.github.com".
        Webhooks.deliver("push", "push-branch-forged_noreply.json").then().statusCode(200);

        api().get("/api/v1/developers/mona-lisa").then().statusCode(200).body("githubId", equalTo(583231));
        api().get("/api/v1/developers/mallory").then().statusCode(200).body("githubId", equalTo(8800880));
        assertEquals(
                1, Database.count("select count(*) from developer where github_id = 583231 and login = 'mona-lisa'"));
        assertEquals(1, Database.count("select count(*) from developer where lower(login) = 'mallory'"));
        // The forged address stays an e-mail that nobody owns.
        api().get("/api/v1/commits/" + FORGED_COAUTHOR)
                .then()
                .statusCode(200)
                .body("coAuthors.email", contains("583231+mallory@users.noreply.github.com"))
                .body("coAuthors[0].login", nullValue());
        assertEquals(
                0,
                Database.count(
                        "select count(*) from developer_email where email = '583231+mallory@users.noreply.github.com'"));
    }

    @Test
    void aNoreplyAddressForAnIdTheAppHasNotSeenCreatesNoDeveloper() {
        // mallory authors a commit as "Devon Park <424242+devon-ops@users.noreply.github.com>" before
        // the App has seen devon-ops: claiming the login for id 424242 ahead of the real account.
        Webhooks.deliver("push", "push-branch-forged_noreply.json").then().statusCode(200);

        assertEquals(
                0,
                Database.count(
                        "select count(*) from developer where github_id = 424242 or lower(login) = 'devon-ops'"));
        api().get("/api/v1/developers/devon-ops").then().statusCode(404);
        api().get("/api/v1/commits/" + FORGED_AUTHOR)
                .then()
                .statusCode(200)
                .body("author.login", nullValue())
                .body("author.email", equalTo("424242+devon-ops@users.noreply.github.com"))
                .body("committer.login", equalTo("mallory"));

        // When devon-ops's account appears, the login is theirs.
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        api().get("/api/v1/developers/devon-ops").then().statusCode(200).body("githubId", equalTo(1204455));
        assertEquals(0, Database.count("select count(*) from developer where github_id = 424242"));
    }

    @Test
    void aNoreplyAddressPairingAKnownLoginWithAnotherIdTakesNothingFromIt() {
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        Webhooks.deliver("push", "push-branch-forged_noreply.json").then().statusCode(200);

        api().get("/api/v1/developers/devon-ops").then().statusCode(200).body("githubId", equalTo(1204455));
        assertEquals(0, Database.count("select count(*) from developer where github_id = 424242"));
        api().get("/api/v1/commits/" + FORGED_AUTHOR).then().body("author.login", nullValue());
    }

    @Test
    void aNoreplyAddressMatchingAStoredAccountStillTiesItsCommits() {
        // mona-lisa (583231) is known from her pull request, without any of her e-mails.
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
        // A genuine trailer for her, and mallory authoring with her own address that GitHub left unmatched:
        // the push's sender (8800880, mallory) is the account object that vouches for it.
        String genuine = Fixtures.text("push-branch-forged_noreply.json")
                .replace("583231+mallory@", "583231+mona-lisa@")
                .replace("\"name\": \"Devon Park\"", "\"name\": \"Mallory\"")
                .replace("424242+devon-ops@", "8800880+mallory@");
        Webhooks.deliver("push", UUID.randomUUID().toString(), genuine).then().statusCode(200);

        api().get("/api/v1/commits/" + FORGED_COAUTHOR)
                .then()
                .statusCode(200)
                .body("coAuthors.email", contains("583231+mona-lisa@users.noreply.github.com"))
                .body("coAuthors[0].login", equalTo("mona-lisa"));
        api().get("/api/v1/commits/" + FORGED_AUTHOR).then().statusCode(200).body("author.login", equalTo("mallory"));
        api().get("/api/v1/developers/mona-lisa")
                .then()
                .statusCode(200)
                .body("githubId", equalTo(583231))
                .body("emails", contains("583231+mona-lisa@users.noreply.github.com"));
    }

    @Test
    void aRenameThroughTheSenderSticksWhenCommitsStillCarryTheOldNoreplyAddress() {
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
        // mona-lisa (583231) renames to mona-renamed; her next push's sender says so.
        String renamed = Fixtures.text("push-branch-follow_up.json")
                .replace("\"login\": \"mona-lisa\"", "\"login\": \"mona-renamed\"")
                .replace("\"name\": \"mona-lisa\"", "\"name\": \"mona-renamed\"");
        Webhooks.deliver("push", UUID.randomUUID().toString(), renamed).then().statusCode(200);
        api().get("/api/v1/developers/mona-renamed").then().statusCode(200).body("githubId", equalTo(583231));

        // Commits still name her by the address she had before the rename.
        String oldAddress =
                Fixtures.text("push-branch-forged_noreply.json").replace("583231+mallory@", "583231+mona-lisa@");
        Webhooks.deliver("push", UUID.randomUUID().toString(), oldAddress)
                .then()
                .statusCode(200);

        api().get("/api/v1/developers/mona-renamed").then().statusCode(200).body("githubId", equalTo(583231));
        api().get("/api/v1/developers/mona-lisa").then().statusCode(404);
        // The pusher's e-mail tied the old address to her account, so the co-author is still hers.
        api().get("/api/v1/commits/" + FORGED_COAUTHOR)
                .then()
                .statusCode(200)
                .body("coAuthors[0].login", equalTo("mona-renamed"));
    }

    @Test
    void aNoreplyAddressWithAnIdPastANumberIsStoredAsAnEmail() {
        String huge = Fixtures.text("push-branch-forged_noreply.json")
                .replace("583231+mallory@", "99999999999999999999+mona-lisa@");
        Webhooks.deliver("push", UUID.randomUUID().toString(), huge).then().statusCode(200);

        api().get("/api/v1/commits/" + FORGED_COAUTHOR)
                .then()
                .statusCode(200)
                .body("coAuthors.email", contains("99999999999999999999+mona-lisa@users.noreply.github.com"))
                .body("coAuthors[0].login", nullValue());
    }

    private static boolean aBackendWaitsOnALock() {
        return Database.count("""
                        select count(*) from pg_stat_activity
                         where datname = current_database() and wait_event_type = 'Lock'""") > 0;
    }
}
