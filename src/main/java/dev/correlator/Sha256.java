package dev.correlator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 in hex: how the App keeps a secret it must recognise again (a token, a cache key)
 * without keeping the secret, and how it tells whether a text changed.
 */
public final class Sha256 {

    private Sha256() {}

    /** The hash of the text's UTF-8 bytes (what PostgreSQL's encode(sha256(text::bytea), 'hex') gives). */
    public static String hex(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The hash of several parts, each ended by a NUL, so that no two lists of parts collide. */
    public static String hex(String first, String... more) {
        StringBuilder joined = new StringBuilder(first).append('\0');
        for (String part : more) {
            joined.append(part).append('\0');
        }
        return hex(joined.toString());
    }
}
