package dev.correlator.identity;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.correlator.identity.CoAuthorTrailers.CoAuthor;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CoAuthorTrailersTest {

    @Test
    void readsTrailersCaseInsensitivelyAndOncePerAddress() {
        String message = """
                Add retries

                Body mentioning Co-authored-by: in the middle of a line is not a trailer.

                Co-authored-by: Priya Raman <priya@acme-corp.example>
                co-authored-by: Mona Lisa Octo <583231+mona-lisa@users.noreply.github.com>
                CO-AUTHORED-BY: Priya R. <PRIYA@acme-corp.example>
                Signed-off-by: Devon Park <devon@acme-corp.example>""";
        assertEquals(
                List.of(
                        new CoAuthor("Priya Raman", "priya@acme-corp.example"),
                        new CoAuthor("Mona Lisa Octo", "583231+mona-lisa@users.noreply.github.com")),
                CoAuthorTrailers.parse(message));
    }

    @Test
    void noTrailersNoCoAuthors() {
        assertEquals(List.of(), CoAuthorTrailers.parse("Fix typo"));
        assertEquals(List.of(), CoAuthorTrailers.parse(null));
        assertEquals(List.of(), CoAuthorTrailers.parse("Co-authored-by: nobody without an address"));
    }
}
