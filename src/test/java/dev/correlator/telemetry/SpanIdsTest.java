package dev.correlator.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpanIdsTest {

    @Test
    void theSameFactAlwaysHasTheSameIds() {
        String delivery = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
        assertEquals(SpanIds.deliverySpan(delivery), SpanIds.deliverySpan(delivery));
        assertEquals(SpanIds.deliveryTrace(delivery), SpanIds.deliveryTrace(delivery));
        assertTrue(SpanIds.deliveryTrace(delivery).matches("[0-9a-f]{32}"));
        assertTrue(SpanIds.deliverySpan(delivery).matches("[0-9a-f]{16}"));
        // Pinned: a change of derivation would give facts already exported a second id.
        assertEquals("51a53fdc8a5ffd58", SpanIds.deliverySpan(delivery));
        assertEquals("51a53fdc8a5ffd584094581d9fe1ae4c", SpanIds.deliveryTrace(delivery));
    }

    @Test
    void differentFactsHaveDifferentIds() {
        assertNotEquals(SpanIds.pullRequestTrace(1, 23), SpanIds.pullRequestTrace(12, 3));
        assertNotEquals(SpanIds.pullRequestSpan(1, 2), SpanIds.commitSpan("1", "2"));
        assertNotEquals(SpanIds.commitSpan("d", "a"), SpanIds.commitSpan("d", "b"));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsADate() {
        Instant now = Instant.parse("2026-11-26T10:00:00Z");
        assertEquals(Optional.of(Duration.ofSeconds(7)), HttpProtobufSender.retryAfter(Optional.of("7"), now));
        assertEquals(
                Optional.of(Duration.ofSeconds(90)),
                HttpProtobufSender.retryAfter(Optional.of("Thu, 26 Nov 2026 10:01:30 GMT"), now));
        assertEquals(
                Optional.of(Duration.ZERO),
                HttpProtobufSender.retryAfter(Optional.of("Thu, 26 Nov 2026 09:00:00 GMT"), now));
        assertEquals(Optional.empty(), HttpProtobufSender.retryAfter(Optional.of("soon"), now));
        assertEquals(Optional.empty(), HttpProtobufSender.retryAfter(Optional.empty(), now));
    }
}
