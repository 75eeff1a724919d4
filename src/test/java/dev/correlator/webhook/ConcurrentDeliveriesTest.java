package dev.correlator.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Deliveries racing each other: one is stored, the others see it, none fails. */
@QuarkusTest
@QuarkusTestResource(FakeGitHub.class)
class ConcurrentDeliveriesTest extends AppTest {

    private static List<Response> all(List<Callable<Response>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            List<Response> responses = new ArrayList<>();
            for (Future<Response> future : pool.invokeAll(calls)) {
                responses.add(future.get());
            }
            return responses;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void theSameDeliveryEightTimesAtOnceIsStoredOnce() throws Exception {
        String id = UUID.randomUUID().toString();
        String body = Fixtures.text("push-branch-two_commits.json");
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(() -> Webhooks.deliver("push", id, body));
        }
        List<Response> responses = all(calls);

        responses.forEach(r -> assertEquals(200, r.statusCode(), r.asString()));
        assertEquals(
                1,
                responses.stream()
                        .filter(r -> "PROCESSED".equals(r.path("outcome")))
                        .count());
        assertEquals(1, Database.count("select count(*) from push"));
        assertEquals(2, Database.count("select sum(cardinality(commit_shas)) from push"));
    }

    @Test
    void pushesOfTheSameCommitsByNewDevelopersToManyBranchesAllLand() throws Exception {
        String body = Fixtures.text("push-branch-two_commits.json");
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String branch = body.replace("refs/heads/feature/retry-logic", "refs/heads/race-" + i);
            calls.add(() -> Webhooks.deliver("push", UUID.randomUUID().toString(), branch));
        }
        List<Response> responses = all(calls);

        responses.forEach(r -> assertEquals(200, r.statusCode(), r.asString()));
        assertEquals(12, Database.count("select count(*) from push"));
        assertEquals(2, Database.count("select count(*) from git_commit"));
        assertEquals(24 + 0, Database.count("select count(*) from branch_commit"));
        assertEquals(1, Database.count("select count(*) from developer where login = 'devon-ops'"));
        assertEquals(1, Database.count("select count(*) from developer where login = 'mona-lisa'"));
    }
}
