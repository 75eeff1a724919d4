package dev.correlator.telemetry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Trace and span ids derived from the fact a span describes, never random: a redelivery, a
 * retried export or a replay of the same fact produces the same ids, and the API and the pull
 * request comment can link to a trace before its span has been exported.
 */
public final class SpanIds {

    private SpanIds() {}

    /** The trace of one delivery (a push): keyed by GitHub's delivery id. */
    public static String deliveryTrace(String deliveryId) {
        return hex(16, "delivery", deliveryId);
    }

    /** The span of one delivery: a push, or a pull request action inside the pull request's trace. */
    public static String deliverySpan(String deliveryId) {
        return hex(8, "delivery", deliveryId);
    }

    /** A pull request's trace, which its actions join for as long as it lives. */
    public static String pullRequestTrace(long repositoryId, int number) {
        return hex(16, "pull_request", Long.toString(repositoryId), Integer.toString(number));
    }

    /** The pull request's own span, the parent of its actions and what pushes to its branch link to. */
    public static String pullRequestSpan(long repositoryId, int number) {
        return hex(8, "pull_request", Long.toString(repositoryId), Integer.toString(number));
    }

    /** A Codespace's trace, which its reported events join. */
    public static String codespaceTrace(String codespace) {
        return hex(16, "codespace", codespace);
    }

    /** The span of one reported Codespace event: keyed by the reporter's event id. */
    public static String codespaceEventSpan(String eventId) {
        return hex(8, "codespace_event", eventId);
    }

    /** A commit's span under the push that brought it. */
    public static String commitSpan(String deliveryId, String sha) {
        return hex(8, "commit", deliveryId, sha);
    }

    private static String hex(int bytes, String... key) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (String part : key) {
            sha256.update(part.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0); // "ab","c" and "a","bc" are different keys
        }
        byte[] digest = sha256.digest();
        // An all-zero id is invalid in OpenTelemetry; one byte of the digest decides instead.
        boolean zero = true;
        for (int i = 0; i < bytes; i++) {
            zero &= digest[i] == 0;
        }
        if (zero) {
            digest[bytes - 1] = 1;
        }
        return HexFormat.of().formatHex(digest, 0, bytes);
    }
}
