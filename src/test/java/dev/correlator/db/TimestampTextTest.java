package dev.correlator.db;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TimestampTextTest {

    private static final DateTimeFormatter POSTGRES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSx");

    @Test
    void writesWhatTheFormatterWouldForAnyInstantOfFourDigitYears() {
        Random random = new Random(42);
        long from = Instant.parse("1000-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(
                    from + (long) (random.nextDouble() * (to - from)), random.nextInt(1_000_000_000));
            String expected =
                    POSTGRES.format(instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
            assertEquals(expected, TimestampText.of(instant), instant.toString());
        }
    }

    @Test
    void keepsMicrosecondsAndDropsNanoseconds() {
        assertEquals(
                "2026-11-26 07:54:00.123456+00", TimestampText.of(Instant.parse("2026-11-26T07:54:00.123456789Z")));
        assertEquals("1970-01-01 00:00:00.000000+00", TimestampText.of(Instant.EPOCH));
    }

    @Test
    void fallsBackToIsoOutsideFourDigitYears() {
        Instant far =
                OffsetDateTime.of(10_000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toInstant();
        assertEquals(far.toString(), TimestampText.of(far));
    }
}
