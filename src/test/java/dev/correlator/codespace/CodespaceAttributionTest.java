package dev.correlator.codespace;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Links made without a report: from what polls of the organization's Codespaces saw around a
 * push (corroborated), and from the pusher's only Codespace in use on the branch (inferred). Polls
 * are stamped with the App's clock, which each test holds and moves on itself: pushes carry its
 * time, and each poll comes a moment after what came before.
 */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class CodespaceAttributionTest extends AppTest {

    private static final String MONAS = "mona-lisa-payments-api-7q9wxr5v2f4x56";
    private static final String MONAS_OTHER = "mona-lisa-payments-api-other-9k2m";
    private static final String DEVONS = "devon-ops-payments-api-5g7x";
    private static final String BRANCH = "feature/retry-logic";

    @Inject
    CodespacePoller poller;

    /** One Codespace as the organization's API lists it. */
    record Listed(
            String name,
            String owner,
            long ownerId,
            String state,
            String ref,
            int ahead,
            Instant startedAt,
            Instant updatedAt) {

        String json() {
            return """
                    {"name": "%s", "owner": {"login": "%s", "id": %d},
                     "repository": {"id": 702938101, "full_name": "acme-corp/payments-api"},
                     "machine": {"name": "basicLinux32gb"}, "state": "%s", "created_at": "2026-11-01T09:00:00Z",
                     "updated_at": "%s", "last_used_at": "%s",
                     "git_status": {"ref": "%s", "ahead": %d, "behind": 0}}""".formatted(name, owner, ownerId, state, updatedAt, startedAt, ref, ahead);
        }
    }

    private static Listed monas(String state, String ref, int ahead, Instant startedAt) {
        return new Listed(MONAS, "mona-lisa", 583231, state, ref, ahead, startedAt, startedAt);
    }

    @BeforeEach
    void installedOnTheOrganization() {
        clock.set(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
    }

    private void poll(Listed... codespaces) {
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/orgs/acme-corp/codespaces"))
                        .willReturn(FakeGitHub.json("{\"total_count\": %d, \"codespaces\": [%s]}"
                                .formatted(
                                        codespaces.length,
                                        Arrays.stream(codespaces)
                                                .map(Listed::json)
                                                .collect(Collectors.joining(","))))));
        clock.advance(Duration.ofSeconds(1));
        poller.pollAll();
    }

    /** A push of the fixture at the given time, of commits made a minute before. */
    private static void push(String fixture, Instant pushedAt) {
        String body = Fixtures.text(fixture)
                .replaceFirst("\"pushed_at\": \\d+", "\"pushed_at\": " + pushedAt.getEpochSecond())
                .replaceAll("\"(timestamp|date)\": \"[^\"]+\"", "\"$1\": \"" + pushedAt.minusSeconds(60) + "\"");
        Webhooks.deliver("push", UUID.randomUUID().toString(), body).then().statusCode(200);
    }

    /**
     * GitHub stamps pushes in whole seconds: the next whole second after the last poll. The clock
     * moves past it, so that what comes next happens after the push.
     */
    private Instant pushTime() {
        Instant pushedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        clock.set(pushedAt.plusMillis(50));
        return pushedAt;
    }

    /** A push of the fixture now, then a poll that sees these Codespaces. */
    private void pushThenPoll(String fixture, Listed... polled) {
        push(fixture, pushTime());
        poll(polled);
    }

    private Instant minutesAgo(int minutes) {
        return clock.instant().minus(minutes, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    }

    /** Polls around F1's push: mona-lisa's Codespace on the branch, one unpushed commit before, none after. */
    private void unpushedCommitsGoneRightAfterAPush() {
        Instant started = minutesAgo(20);
        poll(monas("Available", BRANCH, 1, started));
        push("push-branch-forced.json", pushTime());
        poll(monas("Available", BRANCH, 0, started));
    }

    @Test
    void unpushedCommitsGoneRightAfterAPushCorroborateIt() {
        unpushedCommitsGoneRightAfterAPush();

        assertEquals(2, Database.count("select count(*) from codespace_observation where codespace_name = ?", MONAS));
        api().get("/api/v1/commits/" + Fixtures.F1)
                .then()
                .statusCode(200)
                .body("codespaces.name", contains(MONAS))
                .body("codespaces[0].owner", equalTo("mona-lisa"))
                .body("codespaces[0].confidence", equalTo("corroborated"))
                .body("codespaces[0].source", equalTo("poll"));
        api().get("/api/v1/codespaces/" + MONAS)
                .then()
                .statusCode(200)
                .body("commits.sha", contains(Fixtures.F1))
                .body("commits[0].confidence", equalTo("corroborated"))
                .body("commits[0].source", equalTo("poll"));
    }

    @Test
    void linksHoldAfterTheRepositoryIsRenamed() {
        unpushedCommitsGoneRightAfterAPush();
        // The Codespace rows keep the name they were seen under; reads join them by the repository's id.
        Webhooks.deliver("repository", "repository-renamed-basic.json").then().statusCode(200);

        api().get("/api/v1/commits/" + Fixtures.F1)
                .then()
                .statusCode(200)
                .body("repository", equalTo("acme-corp/payments-service"))
                .body("codespaces.name", contains(MONAS))
                .body("codespaces[0].source", equalTo("poll"));
        api().get("/api/v1/codespaces/" + MONAS)
                .then()
                .statusCode(200)
                .body("repository", equalTo("acme-corp/payments-service"))
                .body("commits.sha", contains(Fixtures.F1));
        api().get("/api/v1/developers/mona-lisa").then().statusCode(200).body("codespaces.name", contains(MONAS));
    }

    @Test
    void thePushersOnlyCodespaceInUseOnTheBranchIsInferred() {
        // Started ten minutes before the push and still running at the next poll; nothing unpushed
        // was ever seen, so only inference links it.
        Instant started = minutesAgo(10);
        pushThenPoll(
                "push-branch-forced.json",
                monas("Available", BRANCH, 0, started),
                new Listed(DEVONS, "devon-ops", 1204455, "Available", BRANCH, 0, started, started));

        api().get("/api/v1/commits/" + Fixtures.F1)
                .then()
                .statusCode(200)
                .body("codespaces.name", contains(MONAS)) // never devon-ops's: he did not push it
                .body("codespaces[0].confidence", equalTo("inferred"))
                .body("codespaces[0].source", equalTo("inference"));
        api().get("/api/v1/developers/mona-lisa").then().statusCode(200).body("codespaces.name", contains(MONAS));

        // Later polls show the Codespace elsewhere: the link holds, since it rests on what was seen
        // around the push.
        poll(monas("Available", "main", 0, started));
        poll(monas("Shutdown", "main", 0, started));
        poll(monas("Shutdown", "main", 0, started));
        // One run per distinct sight; the switch to main happened after the last poll on the branch.
        assertEquals(3, Database.count("select count(*) from codespace_observation where codespace_name = ?", MONAS));
        assertEquals(1, Database.count("""
                select count(*) from codespace_observation o
                 where o.git_ref = 'main' and o.state = 'Available'
                   and o.ref_since = (select observed_until from codespace_observation where git_ref = ?
                                       and codespace_name = o.codespace_name)""", BRANCH));
        assertEquals(1, Database.count("""
                select count(*) from codespace_observation
                 where state = 'Shutdown' and observed_until > observed_from"""));
        api().get("/api/v1/commits/" + Fixtures.F1).then().statusCode(200).body("codespaces.name", contains(MONAS));
    }

    @Test
    void aColleaguesCommitInThePushIsNotInferred() {
        // B1 is Priya Raman's; mona-lisa pushes it from wherever she works.
        Instant started = minutesAgo(10);
        pushThenPoll("push-branch-follow_up.json", monas("Available", BRANCH, 0, started));

        api().get("/api/v1/commits/" + Fixtures.B1).then().statusCode(200).body("codespaces", empty());
    }

    @Test
    void aCommitMadeOnGitHubIsNotInferred() {
        // mona-lisa merges on github.com (committer: GitHub, web-flow) while her Codespace is on main.
        pushThenPoll("push-branch-web_flow.json", monas("Available", "main", 0, minutesAgo(10)));

        api().get("/api/v1/commits/4444444444444444444444444444444444444c01")
                .then()
                .statusCode(200)
                .body("codespaces", empty());
    }

    @Test
    void workFromBeforeTheCodespaceStartedIsNotInferred() {
        // Committed an hour before the Codespace's session began: not made there.
        String yesterday = Fixtures.text("push-branch-forced.json")
                .replaceAll("\"(timestamp|date)\": \"[^\"]+\"", "\"$1\": \"" + minutesAgo(70) + "\"");
        Instant pushedAt = pushTime();
        Webhooks.deliver(
                        "push",
                        UUID.randomUUID().toString(),
                        yesterday.replaceFirst("\"pushed_at\": \\d+", "\"pushed_at\": " + pushedAt.getEpochSecond()))
                .then()
                .statusCode(200);
        poll(monas("Available", BRANCH, 0, minutesAgo(10)));

        api().get("/api/v1/commits/" + Fixtures.F1).then().statusCode(200).body("codespaces", empty());
    }

    @Test
    void twoCandidatesInferNothing() {
        Instant started = minutesAgo(10);
        pushThenPoll(
                "push-branch-forced.json",
                monas("Available", BRANCH, 0, started),
                new Listed(MONAS_OTHER, "mona-lisa", 583231, "Available", BRANCH, 0, started, started));

        api().get("/api/v1/commits/" + Fixtures.F1).then().statusCode(200).body("codespaces", empty());
    }

    @Test
    void aCodespaceStoppedLongBeforeThePushIsNotInferred() {
        Instant started = minutesAgo(180);
        Instant stopped = started.plus(1, ChronoUnit.HOURS);
        pushThenPoll(
                "push-branch-forced.json",
                new Listed(MONAS, "mona-lisa", 583231, "Shutdown", BRANCH, 0, started, stopped));

        api().get("/api/v1/commits/" + Fixtures.F1).then().statusCode(200).body("codespaces", empty());
    }

    @Test
    void aCodespaceRunningTheReporterSpeaksForItself() {
        // It reported being on the branch but never reported this push: the push came from elsewhere.
        Instant started = minutesAgo(10);
        poll(monas("Available", BRANCH, 0, started));
        Database.execute("""
                insert into codespace_event (event_id, codespace_name, type, repository_full_name, branch, sha,
                                             occurred_at, received_at, verification, login, github_id)
                values ('%s', '%s', 'started', 'acme-corp/payments-api', '%s', null, '%s', '%s', 'verified',
                        'mona-lisa', 583231)""".formatted(UUID.randomUUID(), MONAS, BRANCH, clock.instant(), clock.instant()));
        pushThenPoll("push-branch-forced.json", monas("Available", BRANCH, 0, started));

        api().get("/api/v1/commits/" + Fixtures.F1).then().statusCode(200).body("codespaces", empty());
    }

    @Test
    void aPullRequestListsTheCodespacesOfItsCommits() {
        FakeGitHub.server()
                .stubFor(get(urlPathEqualTo("/repos/acme-corp/payments-api/pulls/42/commits"))
                        .willReturn(FakeGitHub.json(Fixtures.text("api-pulls-commits-42.json"))));
        Instant started = minutesAgo(10);
        pushThenPoll(
                "push-branch-forced.json", // mona-lisa pushes F1, her own
                new Listed(DEVONS, "devon-ops", 1204455, "Available", BRANCH, 0, started, started),
                monas("Available", BRANCH, 0, started));
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
        worker.drain(5);

        api().get("/api/v1/repos/acme-corp/payments-api/pulls/42")
                .then()
                .statusCode(200)
                .body("codespaces.name", contains(MONAS))
                .body("codespaces[0].confidence", equalTo("inferred"))
                .body("commits.find { it.sha == '%s' }.codespaces.name".formatted(Fixtures.F1), contains(MONAS))
                .body("commits.find { it.sha == '%s' }.codespaces".formatted(Fixtures.A1), empty());
    }
}
