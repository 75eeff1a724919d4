package dev.correlator.db;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * An instant as PostgreSQL's timestamptz text, {@code 2026-11-26 07:54:00.123456+00}. Intake
 * binds some fifty timestamps per push; the driver's own conversions (through a Calendar, or
 * through OffsetDateTime's range checks) were a tenth of the App's CPU in the intake profile.
 */
public final class TimestampText {

    private TimestampText() {}

    public static String of(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 1000 || year > 9999) {
            return instant.toString(); // ISO 8601 with 'T' and 'Z', which PostgreSQL also reads
        }
        char[] c = new char[29];
        digits(c, 0, year, 4);
        c[4] = '-';
        digits(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        digits(c, 8, t.getDayOfMonth(), 2);
        c[10] = ' ';
        digits(c, 11, t.getHour(), 2);
        c[13] = ':';
        digits(c, 14, t.getMinute(), 2);
        c[16] = ':';
        digits(c, 17, t.getSecond(), 2);
        c[19] = '.';
        digits(c, 20, t.getNano() / 1000, 6);
        c[26] = '+';
        c[27] = '0';
        c[28] = '0';
        return new String(c);
    }

    private static void digits(char[] into, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
