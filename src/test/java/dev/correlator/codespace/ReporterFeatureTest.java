package dev.correlator.codespace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Waits;
import dev.correlator.support.Webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Dev Container Feature (deploy/codespaces) installed by its own script and driven by real
 * git commands in a repository that already has a hook of its own, against the running App.
 */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class ReporterFeatureTest extends AppTest {

    private static final Path FEATURE = Path.of("deploy/codespaces/change-correlator-reporter");

    @TempDir
    Path tmp;

    @Inject
    CodespaceVerifier verifier;

    @Inject
    ReportRateLimit rateLimit;

    private Path root;
    private Path repo;
    private Map<String, String> env;

    @BeforeEach
    void aCodespaceWithTheFeature() throws Exception {
        verifier.forget();
        rateLimit.reset();
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/user"))
                        .withHeader("Authorization", equalTo("Bearer " + CodespaceReportTest.MONA_TOKEN))
                        .willReturn(FakeGitHub.json("{\"login\": \"mona-lisa\", \"id\": 583231}")));
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/orgs/acme-corp/members/mona-lisa/codespaces"))
                        .willReturn(FakeGitHub.json(Fixtures.text("api-org-member-codespaces-mona.json"))));

        root = tmp.resolve("share");
        repo = tmp.resolve("payments-api");
        Files.createDirectories(tmp.resolve("home"));
        Files.createDirectories(tmp.resolve("profile.d"));
        env = new HashMap<>();
        env.put("HOME", tmp.resolve("home").toString());
        env.put("GIT_CONFIG_SYSTEM", tmp.resolve("gitconfig-system").toString());
        env.put("GIT_CONFIG_GLOBAL", tmp.resolve("gitconfig-global").toString());
        env.put("CHANGE_CORRELATOR_ROOT", root.toString());
        env.put("CHANGE_CORRELATOR_PROFILE_DIR", tmp.resolve("profile.d").toString());

        Map<String, String> options = new HashMap<>(env);
        options.put("URL", "http://127.0.0.1:" + RestAssured.port);
        options.put("TRAILER", "true");
        run(
                FEATURE.toAbsolutePath().getParent().getParent().getParent(),
                options,
                "sh",
                FEATURE.resolve("install.sh").toAbsolutePath().toString());

        // The repository arrives after the image was built, with a hook of its own.
        Files.createDirectories(repo);
        run(repo, env, "git", "init", "-q", "-b", "feature/retry-logic");
        run(repo, env, "git", "config", "user.name", "Mona Lisa Octo");
        run(repo, env, "git", "config", "user.email", "583231+mona-lisa@users.noreply.github.com");
        Path own = repo.resolve(".git/hooks/post-commit");
        Files.writeString(own, "#!/bin/sh\necho ran >> \"$(git rev-parse --show-toplevel)/.own-hook-ran\"\n");
        own.toFile().setExecutable(true);

        env.put("CODESPACE_NAME", CodespaceReportTest.CODESPACE);
        env.put("GITHUB_USER", "mona-lisa");
        env.put("GITHUB_REPOSITORY", "acme-corp/payments-api");
        env.put("GITHUB_TOKEN", CodespaceReportTest.MONA_TOKEN);
    }

    @Test
    void aCommitIsReportedAndTheRepositorysOwnHookStillRuns() throws Exception {
        run(repo, env, "git", "commit", "-q", "--allow-empty", "-m", "Retry captures with backoff");
        String sha = run(repo, env, "git", "rev-parse", "HEAD").strip();

        assertTrue(Files.exists(repo.resolve(".own-hook-ran")), "the repository's own post-commit hook ran");
        assertTrue(
                run(repo, env, "git", "log", "-1", "--format=%B")
                        .contains("Codespace: " + CodespaceReportTest.CODESPACE),
                "the trailer option adds the Codespace to the message");
        awaitEvent("commit", sha, "verified");
    }

    @Test
    void aPushReportsOnlyTheCommitsMadeHere() throws Exception {
        Path origin = tmp.resolve("origin.git");
        run(tmp, env, "git", "init", "-q", "--bare", origin.toString());
        run(repo, env, "git", "remote", "add", "origin", origin.toString());
        run(repo, env, "git", "commit", "-q", "--allow-empty", "-m", "First");
        run(repo, env, "git", "push", "-q", "origin", "feature/retry-logic:main");

        // A colleague's commit reaches main from elsewhere (a clone without the Feature's hooks).
        Path elsewhere = tmp.resolve("elsewhere");
        Map<String, String> colleague = new HashMap<>(env);
        colleague.put("GIT_CONFIG_SYSTEM", "/dev/null");
        run(tmp, colleague, "git", "clone", "-q", "-b", "main", origin.toString(), elsewhere.toString());
        run(
                elsewhere,
                colleague,
                "git",
                "-c",
                "user.name=Devon",
                "-c",
                "user.email=devon@acme-corp.example",
                "commit",
                "-q",
                "--allow-empty",
                "-m",
                "Colleague's change");
        run(elsewhere, colleague, "git", "push", "-q", "origin", "HEAD:main");
        String theirs = run(elsewhere, colleague, "git", "rev-parse", "HEAD").strip();

        // Here: merge main in, commit, push the branch.
        run(repo, env, "git", "fetch", "-q", "origin");
        run(repo, env, "git", "merge", "-q", "--no-ff", "--no-edit", "origin/main");
        String merge = run(repo, env, "git", "rev-parse", "HEAD").strip();
        run(repo, env, "git", "commit", "-q", "--allow-empty", "-m", "Mine");
        String mine = run(repo, env, "git", "rev-parse", "HEAD").strip();
        run(repo, env, "git", "push", "-q", "origin", "feature/retry-logic");

        awaitEvent("push", mine, "verified");
        String reported = Database.string(
                "select array_to_string(commits, ' ') from codespace_event where type = 'push' and sha = ?", mine);
        assertTrue(
                reported.contains(mine) && reported.contains(merge), "the push names what was made here: " + reported);
        assertTrue(!reported.contains(theirs), "and not the colleague's commit the merge brought in: " + reported);
        awaitEvent("commit", merge, "verified"); // post-merge reported the merge commit
    }

    @Test
    void aRepositoryWithItsOwnHooksPathIsChainedAfterTheStart() throws Exception {
        // husky keeps hooks in .husky and points core.hooksPath there, which would bypass ours.
        Path husky = repo.resolve(".husky");
        Files.createDirectories(husky);
        Path own = husky.resolve("post-commit");
        Files.writeString(own, "#!/bin/sh\necho husky >> \"$(git rev-parse --show-toplevel)/.husky-ran\"\n");
        own.toFile().setExecutable(true);
        run(repo, env, "git", "config", "core.hooksPath", ".husky");

        run(repo, env, root.resolve("reporter").toString(), "started");
        run(repo, env, "git", "commit", "-q", "--allow-empty", "-m", "With husky");
        String sha = run(repo, env, "git", "rev-parse", "HEAD").strip();

        assertTrue(Files.exists(repo.resolve(".husky-ran")), "husky's hook ran");
        awaitEvent("commit", sha, "verified");
        assertEquals(1, Database.count("select count(*) from codespace_event where type = 'started'"));
    }

    @Test
    void reportsWaitWhileTheAppIsUnreachableAndGoWithTheNextOne() throws Exception {
        String config = Files.readString(root.resolve("config"));
        Files.writeString(
                root.resolve("config"), config.replaceAll("http://127\\.0\\.0\\.1:\\d+", "http://127.0.0.1:1"));
        run(repo, env, "git", "commit", "-q", "--allow-empty", "-m", "First, while the App is away");
        String first = run(repo, env, "git", "rev-parse", "HEAD").strip();
        Path queue = tmp.resolve("home/.local/state/change-correlator/queue");
        Waits.upTo(Duration.ofSeconds(10)).until(() -> Files.exists(queue) && Files.size(queue) > 0);
        assertTrue(Files.readString(queue).contains(first), "the report waits in the local queue");
        assertEquals(0, Database.count("select count(*) from codespace_event"));

        Files.writeString(root.resolve("config"), config);
        run(repo, env, "git", "commit", "-q", "--allow-empty", "-m", "Second, the App is back");
        String second = run(repo, env, "git", "rev-parse", "HEAD").strip();
        awaitEvent("commit", first, "verified");
        awaitEvent("commit", second, "verified");
    }

    @Test
    void theTokenIsNeverSentOverPlainHttpToAnotherHost() throws Exception {
        String config = Files.readString(root.resolve("config"));
        Files.writeString(
                root.resolve("config"),
                config.replaceAll("http://127\\.0\\.0\\.1:\\d+", "http://correlator.example.com"));
        run(repo, env, "git", "commit", "-q", "--allow-empty", "-m", "Over plain HTTP");
        Path log = tmp.resolve("home/.local/state/change-correlator/log");
        Waits.upTo(Duration.ofSeconds(10))
                .until(() -> Files.exists(log) && Files.readString(log).contains("refusing"));
        assertTrue(Files.readString(log).contains("refusing to send"), "the reporter says why it sent nothing");
        assertTrue(
                !Files.exists(tmp.resolve("home/.local/state/change-correlator/queue")),
                "nothing is kept to be sent there later");
    }

    @Test
    void aReportGitHubCannotCheckWaitsInTheQueueUntilRetryAfter() throws Exception {
        // GitHub cannot say whose token it is: the App answers 503 with Retry-After and stores nothing.
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/user"))
                        .atPriority(1)
                        .willReturn(aResponse().withStatus(503)));
        run(repo, env, "git", "commit", "-q", "--allow-empty", "-m", "While GitHub is down");
        String first = run(repo, env, "git", "rev-parse", "HEAD").strip();
        Path state = tmp.resolve("home/.local/state/change-correlator");
        Path notBefore = state.resolve("not-before");
        Waits.upTo(Duration.ofSeconds(20)).until(() -> Files.exists(notBefore) && queued(first));
        assertTrue(queued(first), "the report waits in the local queue");
        assertTrue(Files.exists(notBefore), "with the time the App asked it to wait until");
        long until = Long.parseLong(Files.readString(notBefore).strip());
        long now = System.currentTimeMillis() / 1000;
        assertTrue(until >= now + 50 && until <= now + 65, "Retry-After 60 from now, was " + (until - now));

        // GitHub is back, but the time has not come: neither a flush nor the next commit sends anything.
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/user"))
                        .atPriority(1)
                        .withHeader("Authorization", equalTo("Bearer " + CodespaceReportTest.MONA_TOKEN))
                        .willReturn(FakeGitHub.json("{\"login\": \"mona-lisa\", \"id\": 583231}")));
        int asked = FakeGitHub.server()
                .findAll(getRequestedFor(urlPathEqualTo("/user")))
                .size();
        run(repo, env, root.resolve("reporter").toString(), "flush");
        run(repo, env, "git", "commit", "-q", "--allow-empty", "-m", "Still before Retry-After");
        String second = run(repo, env, "git", "rev-parse", "HEAD").strip();
        Waits.upTo(Duration.ofSeconds(20)).until(() -> queued(second));
        assertTrue(queued(first) && queued(second), "both wait");
        assertEquals(0, Database.count("select count(*) from codespace_event"));
        assertEquals(
                asked,
                FakeGitHub.server()
                        .findAll(getRequestedFor(urlPathEqualTo("/user")))
                        .size(),
                "nothing was sent before Retry-After");

        // The time has come (postStartCommand or the next git event flushes): both are verified.
        Files.writeString(notBefore, (now - 1) + "\n");
        run(repo, env, root.resolve("reporter").toString(), "flush");
        awaitEvent("commit", first, "verified");
        awaitEvent("commit", second, "verified");
    }

    @Test
    void theTokenIsOnNoCommandLine() throws Exception {
        // A curl that writes down its arguments (and the mode of any file it is handed) first.
        Path bin = tmp.resolve("bin");
        Files.createDirectories(bin);
        Path args = tmp.resolve("curl-args");
        String realCurl = run(tmp, env, "sh", "-c", "command -v curl").strip();
        Path curl = bin.resolve("curl");
        Files.writeString(curl, """
                #!/bin/sh
                for a in "$@"; do
                    printf '%%s\\n' "$a" >> '%s'
                    case "$a" in @*) [ -f "${a#@}" ] && stat -c 'mode %%a' "${a#@}" >> '%s' ;; esac
                done
                exec '%s' "$@"
                """.formatted(args, args, realCurl));
        curl.toFile().setExecutable(true);
        env.put("PATH", bin + ":" + System.getenv("PATH"));

        run(repo, env, "git", "commit", "-q", "--allow-empty", "-m", "Who can see the token");
        awaitEvent("commit", run(repo, env, "git", "rev-parse", "HEAD").strip(), "verified");

        String recorded = Files.readString(args);
        assertTrue(recorded.contains("/api/v1/codespaces/events"), "curl was the one that sent it: " + recorded);
        assertTrue(!recorded.contains(CodespaceReportTest.MONA_TOKEN), "the token is on no command line: " + recorded);
        assertTrue(recorded.contains("mode 600"), "curl read it from a file only its user can read: " + recorded);
        try (var left = Files.list(tmp.resolve("home/.local/state/change-correlator"))) {
            assertTrue(
                    left.noneMatch(file -> {
                        try {
                            return Files.readString(file).contains(CodespaceReportTest.MONA_TOKEN);
                        } catch (IOException e) {
                            return false;
                        }
                    }),
                    "and that file is gone");
        }
    }

    @Test
    void onlyThisMachineIsLocalhost() throws Exception {
        String config = Files.readString(root.resolve("config"));
        Path log = tmp.resolve("home/.local/state/change-correlator/log");
        int refused = 0;
        for (String url : new String[] {
            "http://localhost:1@correlator.example.com/",
            "http://127.0.0.1:" + RestAssured.port + "@correlator.example.com",
            "http://localhost.example.com",
            "http://127.0.0.1.example.com"
        }) {
            Files.writeString(root.resolve("config"), config.replaceAll("http://127\\.0\\.0\\.1:\\d+", url));
            run(repo, env, "git", "commit", "-q", "--allow-empty", "-m", "To " + url);
            int refusals = ++refused;
            Waits.upTo(Duration.ofSeconds(10)).until(() -> countRefusals(log) >= refusals);
            assertEquals(refused, countRefusals(log), url + " is not localhost");
        }
        assertTrue(
                !Files.exists(tmp.resolve("home/.local/state/change-correlator/queue")),
                "nothing is kept to be sent there later");
    }

    @Test
    void telemetryAttributesArePercentEncoded() throws Exception {
        // A branch name git takes, which would add attributes of its own if written as it is.
        run(repo, env, "git", "checkout", "-q", "-b", "fix/a,enduser.id=devon-ops%20;café");
        Map<String, String> shell = new HashMap<>(env);
        shell.put("OTEL_RESOURCE_ATTRIBUTES", "service.name=payments-api");
        String attributes = run(
                repo,
                shell,
                "sh",
                "-c",
                ". '" + tmp.resolve("profile.d/change-correlator.sh")
                        + "' && printf '%s' \"$OTEL_RESOURCE_ATTRIBUTES\"");
        assertEquals(
                "service.name=payments-api,github.codespace.name=" + CodespaceReportTest.CODESPACE
                        + ",enduser.id=mona-lisa,vcs.repository.name=acme-corp/payments-api"
                        + ",vcs.ref.head.name=fix/a%2Cenduser.id%3Ddevon-ops%2520%3Bcaf%C3%A9",
                attributes);
    }

    private boolean queued(String sha) throws IOException {
        Path queue = tmp.resolve("home/.local/state/change-correlator/queue");
        return Files.exists(queue) && Files.readString(queue).contains(sha);
    }

    private static int countRefusals(Path log) throws IOException {
        return !Files.exists(log)
                ? 0
                : (int) Files.readAllLines(log).stream()
                        .filter(l -> l.contains("refusing to send"))
                        .count();
    }

    private void awaitEvent(String type, String sha, String verification) {
        String sql = "select count(*) from codespace_event where type = ? and sha = ? and verification = ?";
        Waits.upTo(Duration.ofSeconds(20)).until(() -> Database.count(sql, type, sha, verification) > 0);
        assertEquals(1, Database.count(sql, type, sha, verification), type + " " + sha + " reported");
    }

    private static String run(Path directory, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of(command))
                .directory(directory.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
        return output;
    }
}
