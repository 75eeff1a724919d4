package dev.correlator.http;

import java.util.UUID;

import jakarta.inject.Inject;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Database;
import dev.correlator.support.RawHttp;
import dev.correlator.support.ShortTimeouts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An upload whose body stops arriving is answered 408 once the body timeout passes (short in
 * this profile, so the test waits seconds, not the production half-minute), and the bytes it was
 * granted go back to the cap.
 */
@QuarkusTest
@TestProfile(ShortTimeouts.class)
class StalledUploadTest extends AppTest {

    @Inject
    BufferedBodies buffered;

    @Test
    void aStalledUploadIsAnswered408AndGivesItsShareBack() throws Exception {
        assertTrue(ShortTimeouts.BODY.toMillis() < RawHttp.PATIENCE_MILLIS, "the socket waits longer for the answer");
        byte[] body = BufferedBodiesTest.largePush();
        try (RawHttp stalled =
                BufferedBodiesTest.startDelivery(UUID.randomUUID().toString(), body, 1000)) {
            BufferedBodiesTest.awaitHeld(buffered, body.length);
            assertEquals(408, stalled.answer().status());
        }
        BufferedBodiesTest.awaitHeld(buffered, 0);
        assertEquals(0, Database.count("select count(*) from delivery"));
    }
}
