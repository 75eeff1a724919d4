package dev.correlator.identity;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NoreplyAddressTest {

    @Test
    void readsBothNoreplyForms() {
        assertEquals(
                Optional.of(new NoreplyAddress(583231L, "mona-lisa")),
                NoreplyAddress.parse("583231+mona-lisa@users.noreply.github.com"));
        assertEquals(
                Optional.of(new NoreplyAddress(null, "octocat")),
                NoreplyAddress.parse("octocat@users.noreply.github.com"));
        assertEquals(
                Optional.of(new NoreplyAddress(49699333L, "dependabot[bot]")),
                NoreplyAddress.parse("49699333+dependabot[bot]@users.noreply.github.com"));
        assertEquals(
                Optional.of(new NoreplyAddress(1L, "Mixed-Case")),
                NoreplyAddress.parse("  1+Mixed-Case@Users.NoReply.GitHub.com "));
    }

    @Test
    void anythingElseIsNotANoreplyAddress() {
        for (String email : List.of(
                "noreply@github.com",
                "devon@acme-corp.example",
                "a+b@users.noreply.github.com.evil",
                "-bad@users.noreply.github.com",
                "x@noreply.github.com",
                "")) {
            assertTrue(NoreplyAddress.parse(email).isEmpty(), email);
        }
        assertTrue(NoreplyAddress.parse(null).isEmpty());
    }

    @Test
    void anIdTooLongForAnAccountIsNotANoreplyAddress() {
        // Commit text is anyone's: a number past a long must not fail the delivery that carries it.
        assertTrue(NoreplyAddress.parse("99999999999999999999+mona-lisa@users.noreply.github.com")
                .isEmpty());
        assertEquals(
                Optional.of(new NoreplyAddress(999999999999999999L, "mona-lisa")),
                NoreplyAddress.parse("999999999999999999+mona-lisa@users.noreply.github.com"));
    }
}
