package dev.correlator.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The captured-shape payloads under src/test/resources/fixtures (see its README for the world). */
public final class Fixtures {

    public static final String REPO = "acme-corp/payments-api";
    public static final long REPO_ID = 702938101;
    public static final String BASE = "ba5e000000000000000000000000000000000001";
    public static final String A1 = "1111111111111111111111111111111111111a01";
    public static final String A2 = "1111111111111111111111111111111111111a02";
    public static final String B1 = "2222222222222222222222222222222222222b01";
    public static final String F1 = "3333333333333333333333333333333333333f01";
    public static final String W1 = "4444444444444444444444444444444444444c01";
    public static final String M1 = "5555555555555555555555555555555555555d01";
    public static final String K1 = "6666666666666666666666666666666666666e01";

    private Fixtures() {}

    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    public static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
