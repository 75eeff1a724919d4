package dev.correlator.identity;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Developers are keyed by GitHub's id: a renamed login follows, a freed login moves on. */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class DeveloperIdentityTest extends AppTest {

    @Test
    void aRenamedLoginKeepsTheDevelopersHistory() {
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        // devon-ops (id 1204455) renames to devon-park and pushes again
        String renamed = Fixtures.text("push-branch-follow_up.json")
                .replace("\"login\": \"mona-lisa\"", "\"login\": \"devon-park\"")
                .replace("\"id\": 583231", "\"id\": 1204455")
                .replace("\"name\": \"mona-lisa\"", "\"name\": \"devon-park\"");
        Webhooks.deliver("push", UUID.randomUUID().toString(), renamed).then().statusCode(200);

        api().get("/api/v1/developers/devon-park").then().statusCode(200)
                .body("githubId", equalTo(1204455))
                .body("recentCommits.sha", contains(Fixtures.A2));
        api().get("/api/v1/developers/devon-ops").then().statusCode(404);
        api().get("/api/v1/commits/" + Fixtures.A2).then()
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
        Webhooks.deliver("push", UUID.randomUUID().toString(), byLoginOnly).then().statusCode(200);
        assertEquals(1, Database.count("select count(*) from developer where login = 'mona-lisa'"));

        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json").then().statusCode(200);
        assertEquals(1, Database.count("select count(*) from developer where lower(login) = 'mona-lisa'"));
        assertEquals(583231L, Database.count("select github_id from developer where login = 'mona-lisa'"));
        api().get("/api/v1/commits/" + Fixtures.W1).then()
                .body("author.login", equalTo("mona-lisa"));
    }

    @Test
    void aLoginGivenUpByOneAccountCanBeTakenByAnother() {
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json").then().statusCode(200);
        // mona-lisa (583231) renamed away; a new account 777 took the login "mona-lisa"
        String newcomer = Fixtures.text("pull_request-opened-fork.json")
                .replace("\"login\": \"outside-dev\"", "\"login\": \"mona-lisa\"")
                .replace("\"id\": 7700770", "\"id\": 777");
        Webhooks.deliver("pull_request", UUID.randomUUID().toString(), newcomer).then().statusCode(200);

        assertEquals(777L, Database.count("select github_id from developer where login = 'mona-lisa'"));
        assertEquals(1, Database.count("select count(*) from developer where github_id = 583231 and login is null"));
    }
}
