package dev.correlator.identity;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.correlator.db.Pipeline;
import dev.correlator.db.Sql;

/**
 * Finds or records the developer behind a login, an account or an e-mail, on the connection
 * of one transaction. One instance serves one delivery and remembers what it resolved, so a
 * push of twenty commits by one author costs a statement or two, not twenty.
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

    private record Known(long id, String login) {}

    private final Connection connection;
    private final Map<String, Long> byLogin = new HashMap<>();
    private final Map<Long, Long> byAccount = new HashMap<>();
    private final Map<Long, Known> accounts = new HashMap<>();
    /** E-mail to developer; a null value means "looked up, tied to nobody". */
    private final Map<String, Long> emails = new HashMap<>();

    private final Set<String> emailsTied = new HashSet<>();
    private final Tombstones tombstones;

    public DeveloperDirectory(Connection connection) {
        this.connection = connection;
        this.tombstones = new Tombstones(connection);
    }

    /** The erased people: nothing here records them again. */
    public Tombstones tombstones() {
        return tombstones;
    }

    /** An account as GitHub names it with its numeric id (a sender, a pull request's author); null if erased. */
    public Long account(long githubId, String login, String name, boolean bot) throws SQLException {
        if (tombstones.account(githubId, login)) {
            return null;
        }
        Long known = byAccount.get(githubId);
        if (known != null) {
            return known;
        }
        Optional<Known> current = accounts.containsKey(githubId)
                ? Optional.ofNullable(accounts.get(githubId))
                : Sql.one(
                        connection,
                        "select id, login from developer where github_id = ?",
                        row -> new Known(row.getLong(1), row.getString(2)),
                        githubId);
        long id = current.isPresent()
                        && login != null
                        && login.equals(current.get().login())
                ? current.get().id()
                : recordAccount(githubId, login, name, bot);
        byAccount.put(githubId, id);
        accounts.put(githubId, new Known(id, login));
        if (login != null) {
            byLogin.put(key(login), id);
        }
        return id;
    }

    private long recordAccount(long githubId, String login, String name, boolean bot) throws SQLException {
        if (login != null) {
            // GitHub frees a login when its owner renames; another account may take it later.
            Sql.update(connection, """
                    update developer set login = null, updated_at = now()
                     where lower(login) = lower(?) and github_id is not null and github_id <> ?""", login, githubId);
            Optional<Long> loginOnly = Sql.one(
                    connection,
                    "select id from developer where lower(login) = lower(?) and github_id is null",
                    row -> row.getLong(1),
                    login);
            Optional<Long> byId = Sql.one(
                    connection, "select id from developer where github_id = ?", row -> row.getLong(1), githubId);
            if (loginOnly.isPresent() && byId.isPresent()) {
                merge(loginOnly.get(), byId.get());
            } else if (loginOnly.isPresent()) {
                Sql.update(connection, "update developer set github_id = ? where id = ?", githubId, loginOnly.get());
            }
        }
        return Sql.one(connection, """
                insert into developer (github_id, login, name, bot, updated_at) values (?, ?, ?, ?, now())
                on conflict (github_id) do update
                   set login = coalesce(excluded.login, developer.login),
                       name = coalesce(excluded.name, developer.name),
                       bot = developer.bot or excluded.bot, updated_at = now()
                returning id""", row -> row.getLong(1), githubId, login, name, bot || isBotLogin(login))
                .orElseThrow();
    }

    /** A login without a numeric id: a push commit's username, a pusher; null if erased. */
    public Long login(String login, String name) throws SQLException {
        if (tombstones.login(login)) {
            return null;
        }
        Long known = byLogin.get(key(login));
        if (known != null) {
            return known;
        }
        long id = Sql.one(
                        connection,
                        "select id from developer where lower(login) = lower(?)",
                        row -> row.getLong(1),
                        login)
                .orElseGet(() -> insertLogin(login, name));
        byLogin.put(key(login), id);
        return id;
    }

    private long insertLogin(String login, String name) {
        try {
            return Sql.one(connection, """
                    insert into developer (login, name, bot, updated_at) values (?, ?, ?, now())
                    on conflict ((lower(login))) do update set updated_at = developer.updated_at
                    returning id""", row -> row.getLong(1), login, name, isBotLogin(login))
                    .orElseThrow();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The developer behind a commit's author or committer: the login GitHub matched, else the
     * stored account a noreply address names by both its id and its login, else a developer this
     * e-mail was tied to before, else nobody yet (the e-mail waits on the commit until an event
     * ties it to a login).
     */
    public Long person(String username, String name, String email) throws SQLException {
        if (WEB_FLOW.equals(username) || tombstones.person(null, username, email)) {
            return null;
        }
        Long id = username != null && !username.isBlank() ? login(username, null) : storedNoreplyAccount(email);
        if (id != null) {
            tieEmail(id, email);
            return id;
        }
        return knownEmail(email);
    }

    /**
     * Anyone can write {@code ID+login@users.noreply.github.com} into a commit, so the address only
     * counts where GitHub already told us that this id has this login. The id-less older form
     * names no account at all: its login may have changed hands since it was issued.
     */
    private Long storedNoreplyAccount(String email) throws SQLException {
        Optional<NoreplyAddress> noreply = NoreplyAddress.parse(email);
        if (noreply.isEmpty() || noreply.get().githubId() == null) {
            return null;
        }
        long githubId = noreply.get().githubId();
        if (!accounts.containsKey(githubId)) {
            accounts.put(
                    githubId,
                    Sql.one(
                                    connection,
                                    "select id, login from developer where github_id = ?",
                                    row -> new Known(row.getLong(1), row.getString(2)),
                                    githubId)
                            .orElse(null));
        }
        Known stored = accounts.get(githubId);
        return stored != null && noreply.get().login().equalsIgnoreCase(stored.login()) ? stored.id() : null;
    }

    public Long knownEmail(String email) throws SQLException {
        if (email == null || email.isBlank()) {
            return null;
        }
        String address = normalise(email);
        if (!emails.containsKey(address)) {
            emails.put(
                    address,
                    Sql.one(
                                    connection,
                                    "select developer_id from developer_email where email = ?",
                                    row -> row.getLong(1),
                                    address)
                            .orElse(null));
        }
        return emails.get(address);
    }

    // ---- Looking up many at once, so that a batch of deliveries costs one round trip ----
    // The prefetch methods queue their queries on the batch's read pipeline; once it has run,
    // recordNewLogins() records the logins it did not find.

    private final Set<String> loginsWanted = new java.util.TreeSet<>();

    /** Accounts by numeric id. */
    public void prefetchAccounts(Set<Long> githubIds, Pipeline reads) throws SQLException {
        tombstones.wantAccounts(githubIds);
        Set<Long> wanted = new HashSet<>(githubIds);
        wanted.removeAll(accounts.keySet());
        if (wanted.isEmpty()) {
            return;
        }
        for (Long id : wanted) {
            accounts.put(id, null);
        }
        reads.query(
                "select id, github_id, login from developer where github_id = any (?)",
                rows -> {
                    while (rows.next()) {
                        accounts.put(rows.getLong(2), new Known(rows.getLong(1), rows.getString(3)));
                    }
                },
                connection.createArrayOf("bigint", wanted.toArray()));
    }

    /** Logins; the ones not seen before are recorded by {@link #recordNewLogins()}. */
    public void prefetchLogins(Set<String> logins, Pipeline reads) throws SQLException {
        tombstones.wantLogins(logins);
        Set<String> wanted = new java.util.TreeSet<>();
        for (String login : logins) {
            if (login != null && !login.isBlank() && !WEB_FLOW.equals(login) && !byLogin.containsKey(key(login))) {
                wanted.add(login);
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        loginsWanted.addAll(wanted);
        reads.query(
                "select id, lower(login) from developer where lower(login) = any (?)",
                rows -> {
                    while (rows.next()) {
                        byLogin.put(rows.getString(2), rows.getLong(1));
                    }
                },
                connection.createArrayOf(
                        "text", wanted.stream().map(DeveloperDirectory::key).toArray()));
    }

    /** Records, in one statement, the prefetched logins that no developer has yet. */
    public void recordNewLogins() throws SQLException {
        loginsWanted.removeIf(login -> byLogin.containsKey(key(login)));
        for (java.util.Iterator<String> logins = loginsWanted.iterator(); logins.hasNext(); ) {
            if (tombstones.login(logins.next())) {
                logins.remove();
            }
        }
        if (loginsWanted.isEmpty()) {
            return;
        }
        Sql.list(
                connection,
                """
                insert into developer (login, bot, updated_at)
                select l, l like '%[bot]', now() from unnest(?::text[]) as l
                on conflict ((lower(login))) do update set updated_at = developer.updated_at
                returning id, lower(login)""",
                row -> {
                    byLogin.put(row.getString(2), row.getLong(1));
                    return null;
                },
                connection.createArrayOf("text", loginsWanted.toArray()));
        loginsWanted.clear();
    }

    /** Which of these e-mails are tied to a developer already. */
    public void prefetchEmails(Set<String> addresses, Pipeline reads) throws SQLException {
        tombstones.wantEmails(addresses);
        Set<String> wanted = new java.util.TreeSet<>();
        for (String email : addresses) {
            if (email != null && !email.isBlank() && !emails.containsKey(normalise(email))) {
                wanted.add(normalise(email));
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        for (String address : wanted) {
            emails.put(address, null);
        }
        reads.query(
                "select email, developer_id from developer_email where email = any (?)",
                rows -> {
                    while (rows.next()) {
                        emails.put(rows.getString(1), rows.getLong(2));
                        emailsTied.add(rows.getString(1));
                    }
                },
                connection.createArrayOf("text", wanted.toArray()));
    }

    /**
     * Remembers that an e-mail belongs to a developer, and resolves the commits and co-author
     * entries that were waiting for exactly that. The first developer seen with an address keeps it.
     */
    public void tieEmail(Long developerId, String email) throws SQLException {
        if (developerId == null
                || email == null
                || email.isBlank()
                || SHARED_ADDRESSES.contains(normalise(email))
                || tombstones.email(email)) {
            return;
        }
        String address = normalise(email);
        if (!emailsTied.add(address)) {
            return;
        }
        int added = Sql.update(connection, """
                insert into developer_email (email, developer_id, seen_at) values (?, ?, now())
                on conflict (email) do nothing""", address, developerId);
        if (added == 1) {
            emails.put(address, developerId);
            Sql.update(connection, """
                    update git_commit set author_id = ?
                     where author_id is null and lower(author_email) = ?""", developerId, address);
            Sql.update(connection, """
                    update git_commit set committer_id = ?
                     where committer_id is null and lower(committer_email) = ?""", developerId, address);
            Sql.update(connection, """
                    update commit_coauthor set developer_id = ?
                     where developer_id is null and email = ?""", developerId, address);
        }
    }

    /** Folds a login-only record into the account it turned out to be. */
    private void merge(long from, long into) throws SQLException {
        Sql.update(connection, "update git_commit set author_id = ? where author_id = ?", into, from);
        Sql.update(connection, "update git_commit set committer_id = ? where committer_id = ?", into, from);
        Sql.update(connection, "update commit_coauthor set developer_id = ? where developer_id = ?", into, from);
        Sql.update(connection, "update push set pusher_id = ? where pusher_id = ?", into, from);
        Sql.update(connection, "update push set sender_id = ? where sender_id = ?", into, from);
        Sql.update(connection, "update pull_request set author_id = ? where author_id = ?", into, from);
        Sql.update(connection, "update developer_email set developer_id = ? where developer_id = ?", into, from);
        Sql.update(connection, "delete from developer where id = ?", from);
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
