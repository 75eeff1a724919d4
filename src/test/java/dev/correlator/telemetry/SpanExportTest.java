package dev.correlator.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.outbox.OutboxMetrics;
import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.FakeGitHub;
import dev.correlator.support.Fixtures;
import dev.correlator.support.OtlpReceiver;
import dev.correlator.support.Webhooks;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Change-event spans as an OTLP backend receives them, decoded with the protocol's own classes. */
@QuarkusTest
@TestProfile(SpanExportTest.Exporting.class)
class SpanExportTest extends AppTest {

    /** Export on, to the receiver in the test, with short delays between attempts. */
    public static class Exporting implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "correlator.telemetry.access-token",
                    "test-lightstep-token",
                    "correlator.telemetry.batch-size",
                    "50",
                    "correlator.telemetry.initial-backoff",
                    "PT0.2S",
                    "correlator.telemetry.max-backoff",
                    "PT1S");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OtlpReceiver.class));
        }
    }

    @Inject
    SpanExportWorker spans;

    @Inject
    OutboxMetrics metrics;

    @BeforeEach
    void emptyReceiver() {
        OtlpReceiver.reset();
    }

    @Test
    void aPushBecomesASpanWithItsCommitsLinkedToItsPullRequest() {
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);
        String delivery = UUID.randomUUID().toString();
        Webhooks.deliver("push", delivery, Fixtures.text("push-branch-follow_up.json"))
                .then()
                .statusCode(200);

        assertEquals(3, spans.drain(10));

        Span push = only(named("push feature/retry-logic"));
        assertEquals(SpanIds.deliveryTrace(delivery), hex(push.getTraceId().toByteArray()));
        assertEquals(SpanIds.deliverySpan(delivery), hex(push.getSpanId().toByteArray()));
        assertTrue(push.getParentSpanId().isEmpty());
        // From when GitHub received the push (repository.pushed_at) to when the App stored it.
        assertEquals(nanos("2026-11-20T13:47:02Z"), push.getStartTimeUnixNano());
        assertTrue(push.getEndTimeUnixNano() >= push.getStartTimeUnixNano());
        Map<String, Object> attributes = attributes(push);
        assertEquals("github", attributes.get("vcs.provider.name"));
        assertEquals("https://github.com/acme-corp/payments-api", attributes.get("vcs.repository.url.full"));
        assertEquals("payments-api", attributes.get("vcs.repository.name"));
        assertEquals("acme-corp", attributes.get("vcs.owner.name"));
        assertEquals("feature/retry-logic", attributes.get("vcs.ref.head.name"));
        assertEquals(Fixtures.B1, attributes.get("vcs.ref.head.revision"));
        assertEquals("branch", attributes.get("vcs.ref.head.type"));
        assertEquals("mona-lisa", attributes.get("enduser.id"));
        assertEquals(delivery, attributes.get("github.delivery.id"));
        assertEquals(false, attributes.get("github.push.forced"));
        assertEquals(1L, attributes.get("github.push.commit_count"));
        // The pull request lives for weeks: the push links to it rather than joining its trace.
        assertEquals(1, push.getLinksCount());
        assertEquals(
                SpanIds.pullRequestTrace(Fixtures.REPO_ID, 42),
                hex(push.getLinks(0).getTraceId().toByteArray()));
        assertEquals(
                SpanIds.pullRequestSpan(Fixtures.REPO_ID, 42),
                hex(push.getLinks(0).getSpanId().toByteArray()));

        Span commit = only(named("commit 2222222"));
        assertEquals(
                hex(push.getSpanId().toByteArray()),
                hex(commit.getParentSpanId().toByteArray()));
        assertEquals(
                hex(push.getTraceId().toByteArray()), hex(commit.getTraceId().toByteArray()));
        assertEquals(Fixtures.B1, attributes(commit).get("vcs.ref.head.revision"));

        OtlpReceiver.Received received = OtlpReceiver.spans().stream()
                .filter(r -> r.span().getName().startsWith("push"))
                .findFirst()
                .orElseThrow();
        Map<String, Object> resource = toMap(received.resource().getAttributesList());
        assertEquals("github-changes", resource.get("service.name"));
        assertEquals("acme-corp", resource.get("github.organization"));
        assertTrue(resource.containsKey("service.version"));
        assertEquals(
                List.of("test-lightstep-token"), OtlpReceiver.headers().get(0).get("Lightstep-access-token"));
        assertNoEmailAddressIn(OtlpReceiver.spans());

        // The API names the span of the first push that brought the commit, and where to see it.
        api().get("/api/v1/commits/" + Fixtures.B1)
                .then()
                .statusCode(200)
                .body("trace.traceId", equalTo(SpanIds.deliveryTrace(delivery)))
                .body("trace.spanId", equalTo(SpanIds.deliverySpan(delivery)))
                .body(
                        "trace.url",
                        equalTo("https://app.lightstep.com/change-correlator/trace?span_guid="
                                + SpanIds.deliverySpan(delivery) + "&at_micros="
                                + nanos("2026-11-20T13:47:02Z") / 1000));
        api().get("/api/v1/repos/" + Fixtures.REPO + "/pulls/42")
                .then()
                .statusCode(200)
                .body("trace.traceId", equalTo(SpanIds.pullRequestTrace(Fixtures.REPO_ID, 42)))
                .body("trace.spanId", equalTo(SpanIds.pullRequestSpan(Fixtures.REPO_ID, 42)));
    }

    @Test
    void pullRequestActionsJoinThePullRequestsTrace() {
        String opened = UUID.randomUUID().toString();
        String merged = UUID.randomUUID().toString();
        Webhooks.deliver("pull_request", opened, Fixtures.text("pull_request-opened-same_repo.json"))
                .then()
                .statusCode(200);
        Webhooks.deliver("pull_request", merged, Fixtures.text("pull_request-closed-merged.json"))
                .then()
                .statusCode(200);
        spans.drain(10);

        String trace = SpanIds.pullRequestTrace(Fixtures.REPO_ID, 42);
        Span root = only(named("pull_request #42"));
        assertEquals(trace, hex(root.getTraceId().toByteArray()));
        assertEquals(
                SpanIds.pullRequestSpan(Fixtures.REPO_ID, 42),
                hex(root.getSpanId().toByteArray()));
        assertEquals(nanos("2026-11-20T13:20:44Z"), root.getStartTimeUnixNano());

        Span openedSpan = only(named("pull_request opened"));
        assertEquals(SpanIds.deliverySpan(opened), hex(openedSpan.getSpanId().toByteArray()));
        assertEquals(
                hex(root.getSpanId().toByteArray()),
                hex(openedSpan.getParentSpanId().toByteArray()));
        assertEquals(nanos("2026-11-20T13:20:44Z"), openedSpan.getStartTimeUnixNano());
        assertEquals("open", attributes(openedSpan).get("vcs.change.state"));
        assertEquals("42", attributes(openedSpan).get("vcs.change.id"));
        assertEquals(
                "Retry payment captures with backoff", attributes(openedSpan).get("vcs.change.title"));
        assertEquals("main", attributes(openedSpan).get("vcs.ref.base.name"));

        Span mergedSpan = only(named("pull_request closed"));
        assertEquals(trace, hex(mergedSpan.getTraceId().toByteArray()));
        assertEquals(nanos("2026-11-20T16:28:20Z"), mergedSpan.getStartTimeUnixNano());
        assertEquals("merged", attributes(mergedSpan).get("vcs.change.state"));
        assertEquals(Fixtures.M1, attributes(mergedSpan).get("github.pull_request.merge_commit_sha"));
        assertNoEmailAddressIn(OtlpReceiver.spans());
    }

    @Test
    void aVerifiedCodespaceReportBecomesASpanInTheCodespacesTrace() {
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        FakeGitHub.server()
                .stubFor(WireMock.get(WireMock.urlPathEqualTo("/user"))
                        .willReturn(FakeGitHub.json("{\"login\": \"mona-lisa\", \"id\": 583231}")));
        FakeGitHub.server()
                .stubFor(WireMock.get(WireMock.urlPathEqualTo("/orgs/acme-corp/members/mona-lisa/codespaces"))
                        .willReturn(FakeGitHub.json(Fixtures.text("api-org-member-codespaces-mona.json"))));
        String event = UUID.randomUUID().toString();
        String codespace = "mona-lisa-payments-api-7q9wxr5v2f4x56";
        RestAssured.given()
                .contentType("application/json")
                .header("Authorization", "Bearer ghu_mona")
                .body("""
                        {"eventId": "%s", "type": "commit", "codespace": "%s", "repository": "acme-corp/payments-api",
                         "branch": "feature/retry-logic", "sha": "%s", "commits": ["%s"], "occurredAt": "2026-11-20T13:46:00Z"}""".formatted(event, codespace, Fixtures.B1, Fixtures.B1))
                .post("/api/v1/codespaces/events")
                .then()
                .statusCode(202);
        spans.drain(10);

        Span span = only(named("codespace commit"));
        assertEquals(SpanIds.codespaceTrace(codespace), hex(span.getTraceId().toByteArray()));
        assertEquals(SpanIds.codespaceEventSpan(event), hex(span.getSpanId().toByteArray()));
        assertEquals(nanos("2026-11-20T13:46:00Z"), span.getStartTimeUnixNano());
        Map<String, Object> attributes = attributes(span);
        assertEquals(codespace, attributes.get("github.codespace.name"));
        assertEquals("verified", attributes.get("github.codespace.confidence"));
        assertEquals("mona-lisa", attributes.get("enduser.id"));
        assertEquals(Fixtures.B1, attributes.get("vcs.ref.head.revision"));
        assertNoEmailAddressIn(OtlpReceiver.spans());
    }

    @Test
    void aRedeliveredPushIsStillOneSpan() {
        String delivery = UUID.randomUUID().toString();
        byte[] body = Fixtures.bytes("push-branch-two_commits.json");
        Webhooks.deliver("push", delivery, body).then().statusCode(200);
        spans.drain(10);
        Webhooks.deliver("push", delivery, body).then().statusCode(200);
        // Even if the queue sends it again (a lost acknowledgement), the ids are the fact's.
        Database.execute("update span_outbox set status = 'pending', exported_at = null");
        spans.drain(10);

        List<Span> pushes = named("push feature/retry-logic");
        assertEquals(2, pushes.size(), "exported twice, as asked");
        assertEquals(
                Set.of(SpanIds.deliverySpan(delivery)),
                pushes.stream().map(s -> hex(s.getSpanId().toByteArray())).collect(Collectors.toSet()));
        assertEquals(
                1,
                Database.count("select count(*) from span_outbox"),
                "one row for the push (its commits' spans travel in it), not one per delivery attempt");
    }

    @Test
    void spansWaitOutAnOutageAndAllArrive() {
        for (int i = 0; i < 5; i++) {
            Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        }
        OtlpReceiver.refuse(1, 1);
        assertEquals(0, spans.drain(10));
        // Retry-After: 1 decides when: not before a second from now.
        assertEquals(5, Database.count("""
                select count(*) from span_outbox
                 where status = 'pending' and available_at > now() + interval '0.5 second'
                   and last_error like 'HTTP 503%'"""));
        assertEquals(0, spans.drain(10), "not retried before its time");

        timePasses(Duration.ofMillis(1200)); // past the Retry-After
        OtlpReceiver.drop(1);
        assertEquals(0, spans.drain(10));
        assertTrue(Database.count("select count(*) from span_outbox where last_error like 'no answer%'") == 5);

        timePasses(Duration.ofMillis(1200)); // past the backoff, at most max-backoff (1 s here)
        assertEquals(5, spans.drain(10));
        assertEquals(0, Database.count("select count(*) from span_outbox where status = 'pending'"));
        assertEquals(5, Database.count("select count(*) from span_outbox where status = 'done'"));
        assertEquals(15, distinctSpanIds(), "five pushes of two commits: every span arrived, once each");
    }

    @Test
    void aRetryAfterDateIsCountedFromTheAppsClock() {
        queueSpans(1);
        clock.set(Instant.parse("2026-11-20T13:40:10Z"));
        OtlpReceiver.refuse(1, "Fri, 20 Nov 2026 13:41:40 GMT");
        assertEquals(0, spans.drain(10));
        assertEquals(1, Database.count("""
                select count(*) from span_outbox
                 where status = 'pending' and available_at = '2026-11-20T13:41:40Z' and last_error like 'HTTP 503%'"""));
    }

    @Test
    void spansThatKeepFailingBecomeDeadAndCounted() {
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        Database.execute("update span_outbox set created_at = now() - interval '4 days'");
        OtlpReceiver.refuse(1, 1);
        spans.drain(10);
        assertEquals(1, Database.count("select count(*) from span_outbox where status = 'dead'"));
        assertEquals(0, OtlpReceiver.spans().size());

        metrics.refresh();
        RestAssured.get("/q/metrics")
                .then()
                .statusCode(200)
                .body(Matchers.containsString("correlator_telemetry_dead 1.0"))
                .body(Matchers.matchesPattern(
                        "(?s).*correlator_telemetry_spans_total\\{[^}]*result=\"dead\"[^}]*} [1-9].*"));
    }

    @Test
    void twoWorkersNeverExportTheSameSpan() throws Exception {
        queueSpans(1000);
        OtlpReceiver.delay(50); // a slow backend: both workers are mid-export at the same time
        Runnable worker = () -> {
            while (Database.count("select count(*) from span_outbox where status = 'pending'") > 0) {
                spans.drain(100);
            }
        };
        Thread first = new Thread(worker);
        Thread second = new Thread(worker);
        first.start();
        second.start();
        first.join(120_000);
        second.join(120_000);

        assertEquals(1000, OtlpReceiver.spans().size(), "each span sent once, by one of the two");
        assertEquals(1000, distinctSpanIds());
        assertEquals(1000, Database.count("select count(*) from span_outbox where status = 'done'"));
    }

    @Test
    void theSpansOfAWorkerThatDiedAreSentWhenItsLeaseRunsOut() {
        queueSpans(100);
        // A worker claimed them and died before it could send them.
        Database.execute("""
                update span_outbox set claimed_by = 'dead-worker', claimed_until = now() + interval '1 second',
                                       attempts = 1""");
        assertEquals(0, spans.drain(10));
        timePasses(Duration.ofMillis(1100));
        assertEquals(100, spans.drain(10));
        assertEquals(100, distinctSpanIds());
    }

    @Test
    void aSpanTheBackendRefusesIsTheOnlyOneDead() {
        queueSpans(10);
        String poisoned = spanId(7);
        Database.execute("""
                update span_outbox set span = jsonb_set(span::jsonb, '{attributes,test.poison}', 'true')::text
                 where span_id = '%s'""".formatted(poisoned));
        OtlpReceiver.refuseSpansWith("test.poison");

        assertEquals(9, spans.drain(10));
        assertEquals(9, OtlpReceiver.spans().size());
        assertEquals(9, distinctSpanIds());
        assertFalse(OtlpReceiver.spans().stream()
                .anyMatch(r -> hex(r.span().getSpanId().toByteArray()).equals(poisoned)));
        assertEquals(9, Database.count("select count(*) from span_outbox where status = 'done'"));
        assertEquals(1, Database.count("""
                select count(*) from span_outbox
                 where status = 'dead' and span_id = '%s' and last_error like 'HTTP 400%%not accepted%%'""".formatted(poisoned)));
        // Halving: one refused request per level, 10, 5, 2 or 3, 1 or 2, 1, wherever the span sits.
        assertTrue(OtlpReceiver.badRequests() <= 5, OtlpReceiver.badRequests() + " refused requests");
    }

    @Test
    void aBatchTooLargeIsSentInHalvesAndOnlyASpanTooLargeAloneIsDead() {
        queueSpans(10);
        String padding = "p".repeat(3000);
        Database.execute("""
                update span_outbox set span = jsonb_set(span::jsonb, '{attributes,test.padding}', to_jsonb('%s'::text))::text
                """.formatted(padding));
        // One span with more than the backend takes in a request even after each value is cut.
        String tooLarge = spanId(3);
        Database.execute("""
                update span_outbox set span = jsonb_set(span::jsonb, '{attributes}',
                       (select jsonb_object_agg('test.large.' || i, repeat('l', 4000)) from generate_series(1, 6) i))::text
                 where span_id = '%s'""".formatted(tooLarge));
        OtlpReceiver.refuseBodiesOver(20_000);

        assertEquals(9, spans.drain(10));
        assertEquals(9, distinctSpanIds());
        assertEquals(9, Database.count("select count(*) from span_outbox where status = 'done'"));
        assertEquals(1, Database.count("""
                select count(*) from span_outbox where status = 'dead' and span_id = '%s' and last_error like 'HTTP 413%%'""".formatted(tooLarge)));
    }

    @Test
    void aHugeAttributeIsCutToTheConfiguredLength() {
        queueSpans(1);
        Database.execute("""
                update span_outbox set span = jsonb_set(span::jsonb, '{attributes,github.commit.title}',
                                                        to_jsonb(repeat('A', 1048576)))::text""");

        assertEquals(1, spans.drain(10));
        Map<String, Object> attributes = attributes(only(named("queued")));
        assertEquals("A".repeat(4096), attributes.get("github.commit.title"), "cut at the default 4096 characters");
        assertEquals(1L, attributes.get("n"), "the other attributes as they were");
    }

    /**
     * Time passes for the queue without waiting for it: a claim compares a row's available_at and
     * claimed_until with the database's now(), so moving both back is that much time gone by.
     */
    private static void timePasses(Duration duration) {
        Database.execute("""
                update span_outbox set available_at = available_at - interval '%1$d milliseconds',
                                       claimed_until = claimed_until - interval '%1$d milliseconds'""".formatted(duration.toMillis()));
    }

    private static String spanId(int i) {
        return String.format("%016x", i);
    }

    private static void queueSpans(int count) {
        Database.execute("""
                insert into span_outbox (span_id, trace_id, span, available_at, created_at)
                select lpad(to_hex(i), 16, '0'), lpad(to_hex(i), 32, '0'),
                       json_build_object('traceId', lpad(to_hex(i), 32, '0'), 'spanId', lpad(to_hex(i), 16, '0'),
                                         'name', 'queued', 'startNanos', 1, 'endNanos', 2,
                                         'attributes', json_build_object('n', i), 'links', json_build_array(),
                                         'children', json_build_array(), 'organization', 'acme-corp')::text,
                       now(), now()
                  from generate_series(1, %d) i""".formatted(count));
    }

    private static long distinctSpanIds() {
        return OtlpReceiver.spans().stream()
                .map(r -> hex(r.span().getSpanId().toByteArray()))
                .distinct()
                .count();
    }

    private static List<Span> named(String name) {
        return OtlpReceiver.spans().stream()
                .map(OtlpReceiver.Received::span)
                .filter(s -> s.getName().equals(name))
                .toList();
    }

    private static Span only(List<Span> spans) {
        assertEquals(
                1, spans.size(), "spans: " + spans.stream().map(Span::getName).toList());
        return spans.get(0);
    }

    private static Map<String, Object> attributes(Span span) {
        return toMap(span.getAttributesList());
    }

    private static Map<String, Object> toMap(List<KeyValue> values) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (KeyValue kv : values) {
            AnyValue v = kv.getValue();
            map.put(
                    kv.getKey(),
                    switch (v.getValueCase()) {
                        case STRING_VALUE -> v.getStringValue();
                        case BOOL_VALUE -> v.getBoolValue();
                        case INT_VALUE -> v.getIntValue();
                        case DOUBLE_VALUE -> v.getDoubleValue();
                        default -> v.toString();
                    });
        }
        return map;
    }

    private static void assertNoEmailAddressIn(List<OtlpReceiver.Received> received) {
        for (OtlpReceiver.Received r : received) {
            for (Object value : attributes(r.span()).values()) {
                assertFalse(String.valueOf(value).contains("@"), r.span().getName() + " carries " + value);
            }
        }
    }

    private static long nanos(String time) {
        Instant instant = Instant.parse(time);
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
