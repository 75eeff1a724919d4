package dev.correlator.identity;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.correlator.Sha256;
import dev.correlator.db.Pipeline;
import dev.correlator.db.Sql;

/**
 * The erased people ({@code erasure_tombstone}) as one transaction sees them: whether a login, a
 * GitHub id or an e-mail belongs to someone erased, so that nothing received again records them.
 * The table holds SHA-256 hashes only; a value is hashed lower-cased (an id as its digits).
 *
 * <p>A batch's values are asked for together, in the round trip that reads the batch's
 * developers (one indexed lookup per distinct value, nothing more when nobody was erased); a
 * projection then sees only those ({@link #prefetched()}). Outside projections, a value nobody
 * asked for in advance costs one query, once per transaction.
 *
 * <p>A transaction that reads tombstones holds {@link #LOCK} shared until it ends; an erasure
 * writes its tombstone holding it exclusively. So a batch either ended before the tombstone was
 * written (and the erasure that follows removes what it recorded) or reads the tombstone.
 */
public final class Tombstones {

    public static final String LOGIN = "login";
    public static final String GITHUB_ID = "github_id";
    public static final String EMAIL = "email";

    /** The advisory lock between erasures and the transactions that record people. */
    public static final long LOCK = 0x7e5_7b0e_0001L;

    private final Connection connection;
    /** kind:hash to whether it is tombstoned. */
    private final Map<String, Boolean> known = new HashMap<>();

    private final Set<String> wanted = new HashSet<>();
    private final ErasedPeople people = new ErasedPeople(known, this::lookUp);

    private boolean locked;

    public Tombstones(Connection connection) {
        this.connection = connection;
    }

    /** The hash the table keeps for a value of that kind. */
    public static String hash(String value) {
        return Sha256.hex(value.trim().toLowerCase(Locale.ROOT));
    }

    public void wantLogins(Collection<String> logins) {
        logins.forEach(login -> want(LOGIN, login));
    }

    public void wantAccounts(Collection<Long> githubIds) {
        githubIds.forEach(id -> want(GITHUB_ID, id == null ? null : id.toString()));
    }

    /** E-mails, and the login and id a noreply address names. */
    public void wantEmails(Collection<String> emails) {
        for (String email : emails) {
            want(EMAIL, email);
            NoreplyAddress.parse(email).ifPresent(noreply -> {
                want(LOGIN, noreply.login());
                want(
                        GITHUB_ID,
                        noreply.githubId() == null ? null : noreply.githubId().toString());
            });
        }
    }

    private void want(String kind, String value) {
        if (value != null && !value.isBlank()) {
            String key = kind + ":" + hash(value);
            if (!known.containsKey(key)) {
                wanted.add(key);
            }
        }
    }

    /** Queues the lookup of everything wanted on the batch's read pipeline. */
    public void prefetch(Pipeline reads) throws SQLException {
        if (wanted.isEmpty()) {
            return;
        }
        Set<String> hashes = new HashSet<>();
        for (String key : wanted) {
            known.put(key, false);
            hashes.add(key.substring(key.indexOf(':') + 1));
        }
        wanted.clear();
        if (!locked) {
            reads.query("select pg_advisory_xact_lock_shared(?)", rows -> {}, LOCK);
            locked = true;
        }
        reads.query(
                "select kind, sha256 from erasure_tombstone where sha256 = any (?)",
                rows -> {
                    while (rows.next()) {
                        known.put(rows.getString(1) + ":" + rows.getString(2), true);
                    }
                },
                connection.createArrayOf("text", hashes.toArray()));
    }

    /** What the prefetch read, for a projection: asking about anything else fails. */
    public ErasedPeople prefetched() {
        return new ErasedPeople(known, null);
    }

    public boolean login(String login) {
        return people.login(login);
    }

    /** Whether the account is erased, by its id or by its login. */
    public boolean account(Long githubId, String login) {
        return people.account(githubId, login);
    }

    public boolean email(String email) {
        return people.email(email);
    }

    private boolean lookUp(String kind, String hash) {
        try {
            if (!locked) {
                Sql.one(connection, "select pg_advisory_xact_lock_shared(?)", row -> true, LOCK);
                locked = true;
            }
            wanted.remove(kind + ":" + hash);
            return Sql.one(
                            connection,
                            "select 1 from erasure_tombstone where sha256 = ? and kind = ?",
                            row -> true,
                            hash,
                            kind)
                    .orElse(false);
        } catch (SQLException e) {
            throw new IllegalStateException("reading tombstones: " + e.getMessage(), e);
        }
    }
}
