package dev.correlator.webhook;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import dev.correlator.payload.ReceivedDelivery;
import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.Fixtures;
import dev.correlator.support.Webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two deliveries of one intake batch name two repositories with one name (one was deleted and
 * the other created under its name in between): the batch is written, and the later delivery's
 * repository holds the name, whatever order their rows are written in.
 */
@QuarkusTest
class RepositoryNamesInABatchTest extends AppTest {

    @Inject
    DeliveryIntake intake;

    @Inject
    DeliveryWriter writer;

    @Inject
    AgroalDataSource dataSource;

    private PreparedDelivery push(long repositoryId) {
        String body = Fixtures.text("push-branch-two_commits.json")
                .replace(String.valueOf(Fixtures.REPO_ID), String.valueOf(repositoryId));
        return intake.prepare(new ReceivedDelivery(
                UUID.randomUUID().toString(), "push", body.getBytes(StandardCharsets.UTF_8), Instant.now()));
    }

    @Test
    void theLaterDeliveryOfABatchKeepsTheName() throws Exception {
        Webhooks.deliver("installation", "installation-created-org.json").then().statusCode(200);
        // Rows are written in id order; the earlier delivery's repository has the greater id.
        List<PreparedDelivery> batch = List.of(push(902938101L), push(Fixtures.REPO_ID));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            List<IntakeResult> results = writer.write(connection, batch);
            assertEquals(
                    List.of(DeliveryOutcome.PROCESSED, DeliveryOutcome.PROCESSED),
                    results.stream().map(IntakeResult::outcome).toList());
        }
        assertEquals(
                String.valueOf(Fixtures.REPO_ID),
                Database.string(
                        "select id::text from repository where lower(full_name) = 'acme-corp/payments-api' and removed_at is null"));
        assertEquals(
                1, Database.count("select count(*) from repository where id = 902938101 and removed_at is not null"));
        assertEquals(2, Database.count("select count(distinct repository_id) from git_commit"));
    }
}
