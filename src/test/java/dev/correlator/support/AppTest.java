package dev.correlator.support;

import jakarta.inject.Inject;

import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;

import dev.correlator.api.UnknownTokenLookups;
import dev.correlator.outbox.OutboxWorker;

import static io.restassured.RestAssured.given;

/**
 * What every test of the running App starts from: an empty database, a fake GitHub with no
 * stubs but the App's authentication, the queue's worker to drain by hand (the scheduler is
 * off in tests), no unknown tokens looked up yet, the App's clock running (a test may hold it),
 * and the API with the test token.
 */
public abstract class AppTest {

    @Inject
    protected OutboxWorker worker;

    @Inject
    UnknownTokenLookups lookups;

    @Inject
    protected AdjustableClock clock;

    @BeforeEach
    void startFromAnEmptyModel() {
        Database.clean();
        FakeGitHub.reset();
        lookups.reset();
        clock.resume();
    }

    protected static RequestSpecification api() {
        return given().auth().oauth2("test-api-token");
    }
}
