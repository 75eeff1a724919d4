package dev.correlator.webhook;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookSignatureTest {

    // The example GitHub documents for validating webhook deliveries.
    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.UTF_8);
    private static final String SECRET = "It's a Secret to Everybody";
    private static final String EXPECTED = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    @Test
    void matchesGitHubsDocumentedExample() {
        assertEquals(EXPECTED, WebhookSignature.sign(SECRET, BODY));
        assertTrue(WebhookSignature.matches(SECRET, BODY, EXPECTED));
        assertTrue(WebhookSignature.matches(SECRET, BODY, EXPECTED.toUpperCase().replace("SHA256=", "sha256=")));
    }

    @Test
    void refusesAnythingElse() {
        assertFalse(WebhookSignature.matches(SECRET, BODY, null));
        assertFalse(WebhookSignature.matches(SECRET, BODY, ""));
        assertFalse(WebhookSignature.matches(SECRET, BODY, EXPECTED.replace("sha256=", "sha1=")));
        assertFalse(WebhookSignature.matches(SECRET, BODY, EXPECTED.substring(0, EXPECTED.length() - 1)));
        assertFalse(WebhookSignature.matches("another secret", BODY, EXPECTED));
        assertFalse(WebhookSignature.matches(SECRET, "Hello, World?".getBytes(StandardCharsets.UTF_8), EXPECTED));
    }

    @Test
    void aHeaderHasTheShapeOfASignatureOrIsRefusedUnread() {
        assertTrue(WebhookSignature.wellFormed(EXPECTED));
        assertTrue(WebhookSignature.wellFormed(EXPECTED.toUpperCase().replace("SHA256=", "sha256=")));
        assertTrue(WebhookSignature.wellFormed(" " + EXPECTED + " "));
        assertFalse(WebhookSignature.wellFormed(null));
        assertFalse(WebhookSignature.wellFormed(""));
        assertFalse(WebhookSignature.wellFormed("sha256=00"));
        assertFalse(WebhookSignature.wellFormed(EXPECTED.replace("sha256=", "sha1=")));
        assertFalse(WebhookSignature.wellFormed(EXPECTED.substring(0, EXPECTED.length() - 1)));
        assertFalse(WebhookSignature.wellFormed(EXPECTED + "0"));
        assertFalse(WebhookSignature.wellFormed(EXPECTED.replace('7', 'g')));
        assertFalse(WebhookSignature.wellFormed(EXPECTED + "," + EXPECTED));
    }
}
