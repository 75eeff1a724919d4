package dev.correlator.identity;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.correlator.model.DeveloperKey;
import dev.correlator.model.ModelRows;
import dev.correlator.model.Rows;

/**
 * Decides which developer a login, an account or an e-mail names, from what the batch's
 * prefetch read ({@link DeveloperReads}) and what the batch's projections decided before, and
 * adds the developer rows that follow to a projection's rows. It reads and writes nothing
 * itself: developers are named by {@link DeveloperKey}, which the writer resolves to ids.
 *
 * <p>Developers are keyed by GitHub's numeric id when an event gives it; push commits give only
 * a login, so a developer may be known by login alone until an event ties the two together.
 *
 * <p>Only GitHub's account objects (a sender, a pull request's user, a REST commit's author or
 * committer) set the login of an id. Commit text is typed by anyone: a noreply address in it
 * creates and renames nothing, it only points at an account stored with that very id and login.
 */
public final class DeveloperDirectory {

    /** Commits made in github.com's editor are committed by this account on the author's behalf. */
    public static final String WEB_FLOW = "web-flow";

    private static final Set<String> SHARED_ADDRESSES = Set.of("noreply@github.com");

    /** An account as stored (or as this batch writes it); login may be null. */
    private record Stored(String login) {}

    /** GitHub id to the stored account; a null value means "read, none stored". */
    private final Map<Long, Stored> accounts = new HashMap<>();
    /** The accounts this batch has resolved: later deliveries of it take them as they are. */
    private final Set<Long> resolved = new HashSet<>();
    /** Lower-cased login to the GitHub id of its developer; a null value means "by login only". */
    private final Map<String, Long> logins = new HashMap<>();

    private final Set<String> emailsTied = new HashSet<>();
    private final ErasedPeople erased;

    public DeveloperDirectory(ErasedPeople erased) {
        this.erased = erased;
    }

    /** Nobody stored, nobody erased (a projection's test). */
    public static DeveloperDirectory empty() {
        return new DeveloperDirectory(ErasedPeople.nobody());
    }

    // ---- What is stored (filled by the prefetch; a test says it outright) ----

    public DeveloperDirectory storedAccount(long githubId, String login) {
        accounts.put(githubId, new Stored(login));
        return this;
    }

    void noAccount(long githubId) {
        accounts.putIfAbsent(githubId, null);
    }

    /** A developer holds this login; {@code githubId} null when known by login only. */
    public DeveloperDirectory storedLogin(String login, Long githubId) {
        logins.put(key(login), githubId);
        return this;
    }

    public DeveloperDirectory tiedEmail(String email) {
        emailsTied.add(normalise(email));
        return this;
    }

    /** The erased people: nothing here records them again. */
    public ErasedPeople erased() {
        return erased;
    }

    // ---- Decisions ----

    /** An account as GitHub names it with its numeric id (a sender, a pull request's author); null if erased. */
    public DeveloperKey account(ModelRows rows, long githubId, String login, String name, boolean bot) {
        if (erased.account(githubId, login)) {
            return null;
        }
        if (!resolved.add(githubId)) {
            return DeveloperKey.account(githubId);
        }
        Stored current = accounts.get(githubId);
        if (current == null || login == null || !login.equals(current.login())) {
            rows.add(new Rows.DeveloperAccount(githubId, login, name, bot || isBotLogin(login)));
        }
        accounts.put(githubId, new Stored(login));
        if (login != null) {
            logins.put(key(login), githubId);
        }
        return DeveloperKey.account(githubId);
    }

    /** A login without a numeric id: a push commit's username, a pusher; null if erased. */
    public DeveloperKey login(ModelRows rows, String login) {
        if (erased.login(login)) {
            return null;
        }
        String key = key(login);
        if (logins.containsKey(key)) {
            Long githubId = logins.get(key);
            return githubId != null ? DeveloperKey.account(githubId) : DeveloperKey.login(login);
        }
        rows.add(new Rows.DeveloperLogin(login, isBotLogin(login)));
        logins.put(key, null);
        return DeveloperKey.login(login);
    }

    /**
     * The developer behind a commit's author or committer: the login GitHub matched, else the
     * stored account a noreply address names by both its id and its login, else whoever this
     * e-mail is tied to when the rows are written, else nobody yet (the e-mail waits on the
     * commit until an event ties it to a login).
     */
    public DeveloperKey person(ModelRows rows, String username, String email) {
        if (WEB_FLOW.equals(username) || erased.person(null, username, email)) {
            return null;
        }
        DeveloperKey key =
                username != null && !username.isBlank() ? login(rows, username) : storedNoreplyAccount(email);
        if (key != null) {
            tieEmail(rows, key, email);
            return key;
        }
        return knownEmail(email);
    }

    /**
     * Anyone can write {@code ID+login@users.noreply.github.com} into a commit, so the address only
     * counts where GitHub already told us that this id has this login. The id-less older form
     * names no account at all: its login may have changed hands since it was issued.
     */
    private DeveloperKey storedNoreplyAccount(String email) {
        Optional<NoreplyAddress> noreply = NoreplyAddress.parse(email);
        if (noreply.isEmpty() || noreply.get().githubId() == null) {
            return null;
        }
        long githubId = noreply.get().githubId();
        Stored stored = accounts.get(githubId);
        return stored != null && noreply.get().login().equalsIgnoreCase(stored.login())
                ? DeveloperKey.account(githubId)
                : null;
    }

    /** Whoever the e-mail is tied to when the rows are written. */
    public DeveloperKey knownEmail(String email) {
        return email == null || email.isBlank() ? null : DeveloperKey.email(normalise(email));
    }

    /**
     * Remembers that an e-mail belongs to a developer; the commits and co-author entries waiting
     * for exactly that address are resolved when it is written. The first developer seen with an
     * address keeps it.
     */
    public void tieEmail(ModelRows rows, DeveloperKey developer, String email) {
        if (developer == null
                || email == null
                || email.isBlank()
                || SHARED_ADDRESSES.contains(normalise(email))
                || erased.email(email)) {
            return;
        }
        String address = normalise(email);
        if (emailsTied.add(address)) {
            rows.add(new Rows.DeveloperEmail(address, developer));
        }
    }

    public static boolean isBotLogin(String login) {
        return login != null && login.toLowerCase(Locale.ROOT).endsWith("[bot]");
    }

    public static String normalise(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    private static String key(String login) {
        return login.toLowerCase(Locale.ROOT);
    }
}
