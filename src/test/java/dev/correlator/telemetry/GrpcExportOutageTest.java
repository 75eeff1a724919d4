package dev.correlator.telemetry;

import java.util.Map;

import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.Webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Over gRPC, with nothing listening: intake is unaffected and the spans wait for their retry. */
@QuarkusTest
@TestProfile(GrpcExportOutageTest.GrpcToNowhere.class)
class GrpcExportOutageTest extends AppTest {

    public static class GrpcToNowhere implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Port 1 on the loopback: connections are refused at once.
            return Map.of(
                    "correlator.telemetry.protocol",
                    "grpc",
                    "correlator.telemetry.endpoint",
                    "http://127.0.0.1:1",
                    "correlator.telemetry.timeout",
                    "PT2S");
        }
    }

    @Inject
    SpanExportWorker spans;

    @Test
    void spansWaitWhileTheBackendIsUnreachable() {
        Webhooks.deliver("push", "push-branch-two_commits.json").then().statusCode(200);
        Webhooks.deliver("pull_request", "pull_request-opened-same_repo.json")
                .then()
                .statusCode(200);

        assertEquals(0, spans.drain(10));
        assertEquals(3, Database.count("""
                select count(*) from span_outbox
                 where status = 'pending' and available_at > now() and last_error like 'gRPC export failed%'"""));
        assertEquals(1, Database.count("select count(*) from push"), "intake stored the push regardless");
    }
}
