package dev.correlator.payload;

import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class GitHubTimesTest {

    @Test
    void theQuickPathReadsGitHubsFormsExactlyAsTheGeneralOne() {
        for (String text : List.of(
                "2026-11-20T09:14:03+01:00",
                "2026-11-20T13:05:10Z",
                "2026-11-20T08:02:51-05:00",
                "2026-11-20T18:40:12+05:30",
                "2024-02-29T23:59:59-12:00",
                "1999-12-31T00:00:00+14:00")) {
            assertEquals(
                    OffsetDateTime.parse(text).toInstant(),
                    WebhookPayloadReader.GitHubInstantDeserializer.quickParse(text),
                    text);
        }
    }

    @Test
    void anythingElseTakesTheGeneralPath() {
        for (String text : List.of(
                "2026-11-20T09:14:03.123Z",
                "2026-02-31T00:00:00Z",
                "2026-11-20 09:14:03Z",
                "2026-13-20T09:14:03Z",
                "yesterday",
                "2026-11-20T09:14:03+0100")) {
            assertNull(WebhookPayloadReader.GitHubInstantDeserializer.quickParse(text), text);
        }
    }
}
