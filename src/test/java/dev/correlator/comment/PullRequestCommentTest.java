package dev.correlator.comment;

import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.api.ApiViews;
import dev.correlator.support.AppTest;
import dev.correlator.support.Codespaces;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one comment per pull request, against GitHub faked at the HTTP level. Intake is driven
 * over HTTP with real signatures; the comment is written by the queue's worker, drained by hand.
 */
@QuarkusTest
@TestProfile(PullRequestCommentTest.CommentsOn.class)
@QuarkusTestResource(FakeGitHub.class)
class PullRequestCommentTest extends AppTest {

    public static class CommentsOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("correlator.comments.enabled", "true");
        }
    }

    private static final String REPO = "/repos/acme-corp/payments-api";
    private static final String COMMENTS = REPO + "/issues/42/comments";
    private static final String OURS = REPO + "/issues/comments/9001";
    private static final String BOT = "{\"login\": \"change-correlator[bot]\", \"id\": 90001, \"type\": \"Bot\"}";

    private final ObjectMapper json = new ObjectMapper();

    @Inject
    CommentRefresh refresh;

    @BeforeEach
    void aRepositoryWithAnOpenPullRequest() {
        FakeGitHub.server().stubFor(get(urlPathEqualTo(REPO)).willReturn(FakeGitHub.json("""
                {"id": 702938101, "name": "payments-api", "full_name": "acme-corp/payments-api", "private": true,
                 "fork": false, "default_branch": "main", "html_url": "https://github.com/acme-corp/payments-api",
                 "owner": {"login": "acme-corp", "id": 9919001, "type": "Organization"}}""")));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo(REPO + "/contents/.github/correlator.yml"))
                        .willReturn(aResponse().withStatus(404).withBody("{\"message\": \"Not Found\"}")));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo(REPO + "/pulls/42/commits"))
                        .willReturn(FakeGitHub.json(Fixtures.text("api-pulls-commits-42.json"))));
        FakeGitHub.server().stubFor(get(urlPathEqualTo(COMMENTS)).willReturn(FakeGitHub.json("[]")));
        FakeGitHub.server()
                .stubFor(post(urlPathEqualTo(COMMENTS))
                        .willReturn(FakeGitHub.json("{\"id\": 9001, \"body\": \"\", \"user\": " + BOT + "}")
                                .withStatus(201)));
        FakeGitHub.server()
                .stubFor(patch(urlPathEqualTo(OURS))
                        .willReturn(FakeGitHub.json("{\"id\": 9001, \"body\": \"\", \"user\": " + BOT + "}")));
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
    }

    private void opened() {
        // Fixed delivery ids: the trace links in the comment are derived from them.
        Webhooks.deliver("push", "5e1f0a2c-0000-4000-8000-000000000001", Fixtures.text("push-branch-two_commits.json"))
                .then()
                .statusCode(200);
        Webhooks.deliver(
                        "pull_request",
                        "5e1f0a2c-0000-4000-8000-000000000002",
                        Fixtures.text("pull_request-opened-same_repo.json"))
                .then()
                .statusCode(200);
        drain();
    }

    /** The commits first, then the comment their fetch asked for. */
    private void drain() {
        worker.drain(10);
        worker.drain(10);
    }

    private List<String> bodies(List<LoggedRequest> requests) {
        return requests.stream()
                .map(r -> {
                    try {
                        return json.readTree(r.getBodyAsString()).get("body").asText();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList();
    }

    private List<String> posted() {
        return bodies(FakeGitHub.server().findAll(postRequestedFor(urlPathEqualTo(COMMENTS))));
    }

    private List<String> edited() {
        return bodies(FakeGitHub.server().findAll(patchRequestedFor(urlPathEqualTo(OURS))));
    }

    @Test
    void aFirstPushCreatesTheCommentAndTheNextOneEditsIt() {
        opened();
        assertEquals(List.of(Fixtures.text("../comments/pull_request-opened-first_push.md")), posted());
        assertEquals(List.of(), edited());
        assertTrue(!posted().get(0).matches("(?s).*[A-Za-z0-9.+_-]+@[A-Za-z0-9-]+\\.[A-Za-z].*"), "no e-mail address");
        assertEquals(1, Database.count("""
                select count(*) from pull_request_comment where comment_id = 9001 and last_outcome = 'created'"""));
        // What anyone can preview is what was posted.
        assertEquals(
                posted().get(0),
                api().get("/api/v1/repos/acme-corp/payments-api/pulls/42/comment")
                        .then()
                        .statusCode(200)
                        .contentType("text/markdown")
                        .extract()
                        .asString());
        api().get("/api/v1/repos/acme-corp/payments-api/pulls/999/comment")
                .then()
                .statusCode(404);
        api().get("/api/v1/repos/acme-corp/payments-api/pulls/abc/comment")
                .then()
                .statusCode(400);
        api().get("/api/v1/repos/acme-corp/nowhere/pulls/42/comment").then().statusCode(404);

        // A force push brings F1 to the branch: the same comment is edited.
        Webhooks.deliver("push", "5e1f0a2c-0000-4000-8000-000000000003", Fixtures.text("push-branch-forced.json"))
                .then()
                .statusCode(200);
        Webhooks.deliver(
                        "pull_request",
                        "5e1f0a2c-0000-4000-8000-000000000004",
                        Fixtures.text("pull_request-synchronize-forced.json"))
                .then()
                .statusCode(200);
        drain();
        assertEquals(1, posted().size());
        assertEquals(List.of(Fixtures.text("../comments/pull_request-synchronize-second_push.md")), edited());
    }

    @Test
    void aCodespaceLinkAddedLaterIsShownByTheNextRefresh() {
        opened();
        // mona-lisa's reporter names A1 (hers) after the comment was written; no webhook follows.
        Codespaces.monaMade(Fixtures.A1);
        Database.execute("update pull_request set updated_at = now()");

        assertEquals(1, refresh.refresh());
        worker.drain(5);
        assertEquals(1, edited().size());
        assertTrue(edited().get(0).contains("| `mona-lisa-payments-api-7q9wxr5v2f4x56` (verified) |"), edited().get(0));
        assertTrue(edited().get(0).contains("· 1 Codespace ·"), edited().get(0));

        // Nothing changed since: the next refresh checks and sends nothing.
        assertEquals(1, refresh.refresh());
        worker.drain(5);
        assertEquals(1, edited().size());
    }

    private static final String CODESPACE = Codespaces.MONAS;

    /** The first comment as it reads with A1 made in a Codespace, named as given. */
    private static String firstCommentWith(String codespace) {
        return Fixtures.text("../comments/pull_request-opened-first_push.md")
                .replace(" · 0 Codespaces · ", " · 1 Codespace · ")
                .replace(
                        "| [@mona-lisa](https://github.com/mona-lisa) | none | 2026-11-20 13:05 UTC |",
                        "| [@mona-lisa](https://github.com/mona-lisa) | " + codespace + " | 2026-11-20 13:05 UTC |");
    }

    @Test
    void onAPublicRepositoryTheCommentSaysACodespaceWithoutItsName() {
        Codespaces.monaMade(Fixtures.A1);
        Webhooks.deliver("push", "5e1f0a2c-0000-4000-8000-000000000001", publicly("push-branch-two_commits.json"))
                .then()
                .statusCode(200);
        Webhooks.deliver(
                        "pull_request",
                        "5e1f0a2c-0000-4000-8000-000000000002",
                        publicly("pull_request-opened-same_repo.json"))
                .then()
                .statusCode(200);
        drain();

        assertEquals(List.of(firstCommentWith("a Codespace (verified)")), posted());
        assertEquals(
                posted().get(0),
                api().get(PREVIEW).then().statusCode(200).extract().asString());
    }

    @Test
    void aRepositoryMadePublicHasItsCommentsWrittenAgainWithoutCodespaceNames() {
        Codespaces.monaMade(Fixtures.A1);
        opened();
        // Private: the comment names the Codespace for the repository's readers.
        assertEquals(List.of(firstCommentWith("`" + CODESPACE + "` (verified)")), posted());

        FakeGitHub.server()
                .stubFor(delete(urlPathEqualTo(OURS)).willReturn(aResponse().withStatus(204)));

        Webhooks.deliver("repository", "repository-publicized-basic.json")
                .then()
                .statusCode(200);
        worker.drain(5);
        // GitHub shows an edited comment's earlier versions to its readers, now anyone: the
        // comment that named the Codespace is deleted, not edited, and a new one posted.
        FakeGitHub.server().verify(1, deleteRequestedFor(urlPathEqualTo(OURS)));
        assertEquals(List.of(), edited());
        assertEquals(
                List.of(firstCommentWith("`" + CODESPACE + "` (verified)"), firstCommentWith("a Codespace (verified)")),
                posted());

        // Public from now on: the next change edits the new comment in place.
        Webhooks.deliver("push", UUID.randomUUID().toString(), publicly("push-branch-forced.json"))
                .then()
                .statusCode(200);
        Webhooks.deliver("pull_request", UUID.randomUUID().toString(), publicly("pull_request-synchronize-forced.json"))
                .then()
                .statusCode(200);
        drain();
        FakeGitHub.server().verify(1, deleteRequestedFor(urlPathEqualTo(OURS)));
        assertEquals(1, edited().size());
    }

    private static String publicly(String fixture) {
        return Fixtures.text(fixture)
                .replace("\"private\": true", "\"private\": false")
                .replace("\"visibility\": \"private\"", "\"visibility\": \"public\"");
    }

    @Test
    void aChangeThatShowsNothingNewMakesNoCall() {
        opened();
        FakeGitHub.server().resetRequests();
        // GitHub says the branch moved, but the commits and everything shown of them are the same.
        Webhooks.deliver("pull_request", "pull_request-synchronize-forced.json")
                .then()
                .statusCode(200);
        drain();

        assertEquals(
                0,
                FakeGitHub.server()
                                .findAll(postRequestedFor(urlPathEqualTo(COMMENTS)))
                                .size()
                        + FakeGitHub.server()
                                .findAll(patchRequestedFor(urlPathEqualTo(OURS)))
                                .size()
                        + FakeGitHub.server()
                                .findAll(getRequestedFor(urlPathEqualTo(COMMENTS)))
                                .size());
    }

    @Test
    void aBurstOfPushesMakesOneEdit() {
        opened();
        Webhooks.deliver("push", "push-branch-forced.json").then().statusCode(200);
        for (int i = 0; i < 3; i++) {
            Webhooks.deliver("pull_request", "pull_request-synchronize-forced.json")
                    .then()
                    .statusCode(200);
        }
        drain();
        assertEquals(1, edited().size());
    }

    private static final String PREVIEW = "/api/v1/repos/acme-corp/payments-api/pulls/42/comment";

    @Test
    void botsAreShownAsBotsUnlessTheRepositoryLeavesThemOut() {
        opened();
        Webhooks.deliver("push", "push-branch-bot.json").then().statusCode(200);
        Database.execute("""
                insert into pull_request_commit (pull_request_id, sha, added_at)
                select id, '7d3c0b9e41a25f86c7e03a9b1d54f2e68a90c417', now() from pull_request where number = 42""");

        String shown = api().get(PREVIEW).then().statusCode(200).extract().asString();
        assertTrue(shown.contains("| `dependabot[bot]` (bot) |"), shown);
        assertTrue(shown.contains("3 commits · 2 developers"), shown);

        // As if .github/correlator.yml said "show-bots: false" and "lightstep-project: payments".
        Database.execute(
                "update repository_settings set show_bots = false, lightstep_project = 'payments', from_file = true");
        String hidden = api().get(PREVIEW).then().statusCode(200).extract().asString();
        assertTrue(!hidden.contains("dependabot"), hidden);
        assertTrue(
                hidden.contains("(https://app.lightstep.com/payments/trace?span_guid=")
                        && !hidden.contains("/change-correlator/trace"),
                "trace links open in the repository's project");
    }

    @Test
    void aLongPullRequestShowsItsNewestFiftyCommits() {
        opened();
        Database.execute("""
                insert into git_commit (repository_id, sha, message, authored_at, author_name, first_seen_at)
                select 702938101, lpad(to_hex(n), 40, 'e'), 'Step ' || n, now() + n * interval '1 minute',
                       'Sam Doe', now()
                  from generate_series(1, 55) n;
                insert into pull_request_commit (pull_request_id, sha, added_at)
                select pr.id, lpad(to_hex(n), 40, 'e'), now() from pull_request pr, generate_series(1, 55) n
                 where pr.number = 42""");

        String shown = api().get(PREVIEW).then().statusCode(200).extract().asString();
        assertTrue(shown.contains("**Change correlator** · 57 commits"), shown);
        assertEquals(50, shown.lines().filter(line -> line.startsWith("| [`")).count());
        assertTrue(shown.contains("| `Step 55` |") && !shown.contains("| `Step 5` |"), "the newest are shown");
        assertTrue(shown.contains("\n7 earlier commits not shown.\n"), shown);
    }

    @Test
    void aForksCommitsCannotMentionLinkOrEmbedAndTheRepositoryCannotBendTheTraceLinks() {
        String fork = REPO + "/issues/43/comments";
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo(REPO + "/pulls/43/commits"))
                        .willReturn(FakeGitHub.json(Fixtures.text("api-pulls-commits-43-hostile.json"))));
        FakeGitHub.server().stubFor(get(urlPathEqualTo(fork)).willReturn(FakeGitHub.json("[]")));
        FakeGitHub.server()
                .stubFor(post(urlPathEqualTo(fork))
                        .willReturn(FakeGitHub.json("{\"id\": 9043, \"body\": \"\", \"user\": " + BOT + "}")
                                .withStatus(201)));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo(REPO + "/contents/.github/correlator.yml"))
                        .willReturn(FakeGitHub.json("""
                        {"type": "file", "encoding": "base64", "name": "correlator.yml",
                         "path": ".github/correlator.yml", "content": "%s"}""".formatted(Base64.getEncoder()
                                .encodeToString("lightstep-project: \"evil)/x?\"\n".getBytes())))));
        List<String> warnings = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(RepositorySettingsStore.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(((ExtLogRecord) record).getFormattedMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        log.addHandler(handler);
        try {
            Webhooks.deliver(
                            "pull_request",
                            "5e1f0a2c-0000-4000-8000-000000000043",
                            Fixtures.text("pull_request-opened-fork.json"))
                    .then()
                    .statusCode(200);
            drain();
        } finally {
            log.removeHandler(handler);
        }

        List<String> bodies = bodies(FakeGitHub.server().findAll(postRequestedFor(urlPathEqualTo(fork))));
        assertEquals(1, bodies.size());
        String comment = bodies.get(0);
        String live = outsideCodeSpans(comment);
        for (String inert : List.of(
                "@acme",
                "@mona",
                "&#",
                "](https://evil",
                "![",
                "<img",
                "**bold**",
                "www.evil",
                "#1",
                "other#2",
                "evil.example",
                "\u202e",
                "\u200b")) {
            assertTrue(!live.contains(inert), inert + " is live in: " + live);
        }
        assertEquals(
                List.of("acme-corp/payments-api: .github/correlator.yml names lightstep-project \"evil)/x?\", "
                        + "which is not a Lightstep project name ([A-Za-z0-9_-]+); its trace links open in the configured "
                        + "project change-correlator"),
                warnings);
        assertEquals(
                1,
                Database.count(
                        "select count(*) from repository_settings where lightstep_project is null and from_file"));
        assertEquals(HOSTILE, comment);
    }

    /**
     * The comment for the fork's hostile commits: every value they chose is a code span (the
     * third's fence is longer than its backticks; its escaped pipe stays in the cell, its bidi
     * and zero-width characters are gone), and the trace links use the configured project.
     */
    private static final String HOSTILE = """
            <!-- change-correlator:pull-request-comment -->
            **Change correlator** · 3 commits · 1 developer · 0 Codespaces · [trace of this pull request](https://app.lightstep.com/change-correlator/trace?span_guid=ee5504440fe6d7a5&at_micros=1795196410000000)

            | Commit | Message | Author | Codespace | Pushed | Trace |
            | --- | --- | --- | --- | --- | --- |
            | [`6666666`](https://github.com/acme-corp/payments-api/commit/6666666666666666666666666666666666666e03) | ```` ``` x\\|@acme/team www.evil.example #1 acme-corp/other#2 evil@acme ```` | `Mallory @acme/security-team [docs](https://evil.example)` | none | not pushed here | – |
            | [`6666666`](https://github.com/acme-corp/payments-api/commit/6666666666666666666666666666666666666e02) | `![x](https://evil.example/p.png) **bold** &#64;mona <img src=x>` | `Mallory @acme/security-team [docs](https://evil.example)` | none | not pushed here | – |
            | [`6666666`](https://github.com/acme-corp/payments-api/commit/6666666666666666666666666666666666666e01) | `@acme/security-team [Security review passed](https://evil.example) ![x]…` | `Mallory @acme/security-team [docs](https://evil.example)` with `Eve ![y](https://evil.example/q.png)` | none | not pushed here | – |

            <sub>Codespace: where the commit was made; verified (its reporter said so), corroborated (a trailer or the Codespaces API agrees) or inferred (the pusher's only Codespace on the branch). This comment is kept up to date.</sub>
            """;

    /**
     * Every value the template is handed that a commit, a person or a repository chose, hostile
     * at once: the template's extensions leave none of it live, whichever field it is in.
     */
    @Test
    void noValueReachesTheCommentRaw() {
        String hostile = "@acme/team [x](https://evil.example) ![y](https://evil.example/p.png) <img src=x> &#64;"
                + " **bold** #1 other#2 www.evil.example \u202e\u200b ` | \n{name}";
        PullRequestCommentRenderer.Person named = new PullRequestCommentRenderer.Person(null, hostile, false);
        PullRequestCommentRenderer.Person login = new PullRequestCommentRenderer.Person(hostile, hostile, false);
        PullRequestCommentRenderer.Person bot = new PullRequestCommentRenderer.Person(hostile, hostile, true);
        ApiViews.Trace trace = new ApiViews.Trace("t", "s", "https://trace.example/" + hostile);
        String comment = new PullRequestCommentRenderer.PullRequestComment(
                        3,
                        2,
                        1,
                        trace,
                        List.of(new PullRequestCommentRenderer.Row(
                                "6666666666666666666666666666666666666e01",
                                "https://github.com/acme-corp/payments-api/commit/" + hostile,
                                hostile + "\nsecond line " + hostile,
                                named,
                                List.of(login, bot),
                                List.of(
                                        new ApiViews.CodespaceRef(hostile, hostile, "verified", "poll"),
                                        new ApiViews.CodespaceRef(null, null, "inferred", "poll")),
                                Instant.parse("2026-11-20T13:05:00Z"),
                                trace)),
                        0,
                        "https://github.com")
                .render();

        // Link destinations are percent-encoded so that nothing can end them: they are not read as text.
        String live = outsideCodeSpans(comment).replaceAll("\\]\\([^()\\s]*\\)", "]");
        for (String inert : List.of(
                "@acme",
                "[x]",
                "![",
                "<img",
                "&#",
                "**bold**",
                "#1",
                "other#2",
                "www.evil",
                "evil.example",
                "\u202e",
                "\u200b",
                "{name}")) {
            assertTrue(!live.contains(inert), inert + " is live in: " + live);
        }
        // One line per table row: nothing ended a row or a cell early.
        List<String> table =
                comment.lines().filter(line -> line.startsWith("| ")).toList();
        assertEquals(3, table.size(), comment);
        assertEquals(
                7, table.get(2).replace("\\|", "").chars().filter(c -> c == '|').count(), table.get(2));
    }

    /** What GitHub would read as Markdown: the comment without its code spans (CommonMark's rule). */
    private static String outsideCodeSpans(String markdown) {
        return markdown.replaceAll("(?<!`)(`+)(?!`)(.+?)(?<!`)\\1(?!`)", "");
    }

    @Test
    void aCommentOfTheAppsFoundByItsMarkerIsEditedAndAnyoneElsesIsNot() {
        FakeGitHub.server().stubFor(get(urlPathEqualTo(COMMENTS)).willReturn(FakeGitHub.json("""
                [{"id": 5005, "body": "%1$s\\nI copied the App's marker", "user": {"login": "mallory", "id": 666, "type": "User"}},
                 {"id": 9001, "body": "%1$s\\nan older version", "user": %2$s}]""".formatted(
                        PullRequestCommentRenderer.MARKER, BOT))));
        opened();

        assertEquals(0, posted().size());
        assertEquals(1, edited().size());
        FakeGitHub.server().verify(0, patchRequestedFor(urlPathEqualTo(REPO + "/issues/comments/5005")));
    }

    @Test
    void aForeignCommentWithTheMarkerDoesNotStopTheAppFromWritingItsOwn() {
        FakeGitHub.server().stubFor(get(urlPathEqualTo(COMMENTS)).willReturn(FakeGitHub.json("""
                [{"id": 5005, "body": "%s", "user": {"login": "mallory", "id": 666, "type": "User"}}]""".formatted(
                        PullRequestCommentRenderer.MARKER))));
        opened();

        assertEquals(1, posted().size());
        FakeGitHub.server().verify(0, patchRequestedFor(urlPathEqualTo(REPO + "/issues/comments/5005")));
    }

    @Test
    void aRepositoryCanTurnCommentsOff() {
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo(REPO + "/contents/.github/correlator.yml"))
                        .willReturn(FakeGitHub.json(
                                """
                        {"type": "file", "encoding": "base64", "name": "correlator.yml",
                         "path": ".github/correlator.yml", "content": "%s"}""".formatted(Base64.getEncoder().encodeToString("comments: false\n".getBytes())))));
        opened();

        assertEquals(0, posted().size() + edited().size());
        assertEquals(1, Database.count("select count(*) from pull_request_comment where last_outcome = 'disabled'"));
        assertEquals(1, Database.count("select count(*) from repository_settings where not comments and from_file"));
    }

    @Test
    void aPushToTheDefaultBranchThatChangesTheFileMakesTheAppReadItAgain() {
        opened();
        assertEquals(1, Database.count("select count(*) from repository_settings"));
        Webhooks.deliver("push", "push-branch-web_flow.json").then().statusCode(200); // README.md only
        assertEquals(1, Database.count("select count(*) from repository_settings"));

        Webhooks.deliver(
                        "push",
                        UUID.randomUUID().toString(),
                        Fixtures.text("push-branch-web_flow.json")
                                .replace("\"README.md\"", "\".github/correlator.yml\""))
                .then()
                .statusCode(200);
        assertEquals(0, Database.count("select count(*) from repository_settings"));
    }

    @Test
    void aServerErrorIsRetriedAndTheCommentIsWrittenOnce() {
        FakeGitHub.server()
                .stubFor(post(urlPathEqualTo(COMMENTS))
                        .atPriority(1)
                        .inScenario("flaky")
                        .whenScenarioStateIs(Scenario.STARTED)
                        .willReturn(aResponse().withStatus(502))
                        .willSetStateTo("recovered"));
        opened();

        assertEquals(1, posted().size(), "one attempt so far");
        assertEquals("pending", Database.string("select status from outbox where kind = 'pull-request-comment'"));
        assertTrue(Database.string("select last_error from outbox where kind = 'pull-request-comment'")
                .contains("502"));
        Database.execute("update outbox set available_at = now() where kind = 'pull-request-comment'");
        worker.drain(5);
        assertEquals(2, posted().size());
        assertEquals("done", Database.string("select status from outbox where kind = 'pull-request-comment'"));
    }

    @Test
    void aSecondaryRateLimitWaitsForRetryAfter() {
        FakeGitHub.server()
                .stubFor(post(urlPathEqualTo(COMMENTS))
                        .atPriority(1)
                        .willReturn(aResponse()
                                .withStatus(403)
                                .withHeader("Retry-After", "120")
                                .withBody("{\"message\": \"You have exceeded a secondary rate limit.\"}")));
        opened();

        assertEquals("pending", Database.string("select status from outbox where kind = 'pull-request-comment'"));
        assertEquals(1, Database.count("""
                select count(*) from outbox where kind = 'pull-request-comment'
                   and available_at between now() + interval '100 seconds' and now() + interval '130 seconds'"""));
    }

    @Test
    void aRefusalThatIsNotARateLimitEndsTheAttempt() {
        FakeGitHub.server()
                .stubFor(post(urlPathEqualTo(COMMENTS))
                        .atPriority(1)
                        .willReturn(aResponse()
                                .withStatus(403)
                                .withBody("{\"message\": \"Resource not accessible by integration\"}")));
        opened();

        assertEquals("dead", Database.string("select status from outbox where kind = 'pull-request-comment'"));
        assertEquals(1, posted().size(), "not tried again");
    }

    @Test
    void aPullRequestGoneEndsTheAttemptAndIsRecorded() {
        FakeGitHub.server()
                .stubFor(post(urlPathEqualTo(COMMENTS))
                        .atPriority(1)
                        .willReturn(aResponse().withStatus(404).withBody("{\"message\": \"Not Found\"}")));
        opened();

        assertEquals("dead", Database.string("select status from outbox where kind = 'pull-request-comment'"));
        assertTrue(Database.string("select last_error from outbox where kind = 'pull-request-comment'")
                .contains("404"));
    }
}
