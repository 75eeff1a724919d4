package dev.correlator.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** GitHub's X-Hub-Signature-256: "sha256=" and the hex HMAC-SHA256 of the exact body bytes. */
public final class WebhookSignature {

    private static final String PREFIX = "sha256=";

    // Case as matches() takes it: the header is compared lower-cased.
    private static final Pattern SHAPE = Pattern.compile("(?i)sha256=[0-9a-f]{64}");

    private WebhookSignature() {}

    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** Whether the header could be a signature at all; says nothing of whether it matches. */
    public static boolean wellFormed(String header) {
        return header != null && SHAPE.matcher(header.trim()).matches();
    }

    /** Compares in constant time, so the answer's timing tells an attacker nothing. */
    public static boolean matches(String secret, byte[] body, String header) {
        if (header == null) {
            return false;
        }
        byte[] expected = sign(secret, body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = header.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }
}
