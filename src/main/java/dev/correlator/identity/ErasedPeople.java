package dev.correlator.identity;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.correlator.telemetry.QueuedSpan;

/**
 * Who is erased, as far as a projection needs to know: the tombstones read for its batch
 * ({@link Tombstones}), keyed by kind and hash. A projection asks only about what its prefetch
 * asked for; asking about anything else is a missing read, and fails rather than guess.
 */
public final class ErasedPeople {

    /** Answers for a value nobody read in advance; null where that is a mistake. */
    @FunctionalInterface
    interface Lookup {
        boolean erased(String kind, String hash);
    }

    private final Map<String, Boolean> known;
    private final Lookup lookup;
    /** E-mails that came with an erased login or id in this transaction: erased with them. */
    private final Set<String> refused = new HashSet<>();

    ErasedPeople(Map<String, Boolean> known, Lookup lookup) {
        this.known = known;
        this.lookup = lookup;
    }

    /** Nobody is erased (a projection's test). */
    public static ErasedPeople nobody() {
        return new ErasedPeople(new HashMap<>(), (kind, hash) -> false);
    }

    /** These logins are erased, nobody else (a projection's test). */
    public static ErasedPeople logins(String... logins) {
        Map<String, Boolean> known = new HashMap<>();
        for (String login : logins) {
            known.put(Tombstones.LOGIN + ":" + Tombstones.hash(login), true);
        }
        return new ErasedPeople(known, (kind, hash) -> false);
    }

    public boolean login(String login) {
        return is(Tombstones.LOGIN, login);
    }

    /** Whether the account is erased, by its id or by its login. */
    public boolean account(Long githubId, String login) {
        return is(Tombstones.GITHUB_ID, githubId == null ? null : githubId.toString()) || is(Tombstones.LOGIN, login);
    }

    /**
     * Whether the e-mail is erased: tombstoned itself, a noreply address of an erased account, or
     * the address of a commit person whose login was refused in this transaction.
     */
    public boolean email(String email) {
        if (email == null || email.isBlank()) {
            return false;
        }
        if (refused.contains(DeveloperDirectory.normalise(email)) || is(Tombstones.EMAIL, email)) {
            return true;
        }
        Optional<NoreplyAddress> noreply = NoreplyAddress.parse(email);
        return noreply.isPresent()
                && account(noreply.get().githubId(), noreply.get().login());
    }

    /** A commit person with this login (or id) and e-mail: erased if any of them is. */
    public boolean person(Long githubId, String login, String email) {
        if (account(githubId, login) || email(email)) {
            if (email != null && !email.isBlank()) {
                refused.add(DeveloperDirectory.normalise(email));
            }
            return true;
        }
        return false;
    }

    /** Span attributes that name a person by login. */
    private static final Set<String> PEOPLE =
            Set.of("enduser.id", "github.pusher", "github.sender", "github.pull_request.author");

    /** The span without the logins of erased people (the span itself stays: it describes a change). */
    public QueuedSpan withoutErased(QueuedSpan span) {
        for (String key : PEOPLE) {
            if (span.attributes().get(key) instanceof String login && login(login)) {
                span.attributes().remove(key);
            }
        }
        for (QueuedSpan child : span.children()) {
            withoutErased(child);
        }
        return span;
    }

    private boolean is(String kind, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        String hash = Tombstones.hash(value);
        String key = kind + ":" + hash;
        Boolean erased = known.get(key);
        if (erased == null) {
            if (lookup == null) {
                throw new IllegalStateException(
                        "whether a " + kind + " is erased was not read before the projection (its prefetch misses it)");
            }
            erased = lookup.erased(kind, hash);
            known.put(key, erased);
        }
        return erased;
    }
}
