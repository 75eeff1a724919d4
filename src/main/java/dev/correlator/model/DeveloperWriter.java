package dev.correlator.model;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.correlator.db.Columns;
import dev.correlator.db.Pipeline;

/**
 * Writes developers and their e-mails, and resolves {@link DeveloperKey}s to ids inside the
 * statements of the other writers ({@link #resolve}). A batch's developers are written before
 * any row that names one, so every key resolves to what the batch left.
 */
final class DeveloperWriter {

    private DeveloperWriter() {}

    /**
     * The SQL expression for the id of the developer a key names, the key being three columns
     * (github id, login, e-mail) of which at most one is set.
     */
    static String resolve(String githubId, String login, String email) {
        return "coalesce((select key_d.id from developer key_d where key_d.github_id = " + githubId + "),"
                + " (select key_d.id from developer key_d where lower(key_d.login) = lower(" + login + ")),"
                + " (select key_e.developer_id from developer_email key_e where key_e.email = " + email + "))";
    }

    private static final String ACCOUNTS = "unnest(?::bigint[], ?::text[]) a(github_id, login)";

    // GitHub frees a login when its owner renames; another account may take it later.
    private static final String FREE_LOGINS = """
            update developer d set login = null, updated_at = now()
              from %s
             where lower(d.login) = lower(a.login) and d.github_id is not null and d.github_id <> a.github_id""".formatted(ACCOUNTS);

    // A login known without its id (from push commits) that turns out to be an account that is
    // stored too: the login-only row is folded into the account's.
    private static final String PAIRS = """
            with pair as (select lo.id as from_id, bi.id as into_id
                            from %s
                            join developer lo on lo.github_id is null and lower(lo.login) = lower(a.login)
                            join developer bi on bi.github_id = a.github_id)
            """.formatted(ACCOUNTS);

    private static final List<String> MERGE = List.of(
            PAIRS + "update git_commit g set author_id = p.into_id from pair p where g.author_id = p.from_id",
            PAIRS + "update git_commit g set committer_id = p.into_id from pair p where g.committer_id = p.from_id",
            PAIRS
                    + "update commit_coauthor c set developer_id = p.into_id from pair p where c.developer_id = p.from_id",
            PAIRS + "update push s set pusher_id = p.into_id from pair p where s.pusher_id = p.from_id",
            PAIRS + "update push s set sender_id = p.into_id from pair p where s.sender_id = p.from_id",
            PAIRS + "update pull_request r set author_id = p.into_id from pair p where r.author_id = p.from_id",
            PAIRS
                    + "update developer_email e set developer_id = p.into_id from pair p where e.developer_id = p.from_id",
            PAIRS + "delete from developer d using pair p where d.id = p.from_id");

    // A login known without its id, and no row for the id yet: the login-only row gets the id.
    private static final String ADOPT = """
            update developer lo set github_id = a.github_id
              from %s
             where lo.github_id is null and lower(lo.login) = lower(a.login)""".formatted(ACCOUNTS);

    private static final String UPSERT_ACCOUNTS = """
            insert into developer (github_id, login, name, bot, updated_at)
            select g, l, n, b, now() from unnest(?::bigint[], ?::text[], ?::text[], ?::boolean[]) as u(g, l, n, b)
            on conflict (github_id) do update
               set login = coalesce(excluded.login, developer.login),
                   name = coalesce(excluded.name, developer.name),
                   bot = developer.bot or excluded.bot, updated_at = now()""";

    private static final String INSERT_LOGINS = """
            insert into developer (login, bot, updated_at)
            select l, b, now() from unnest(?::text[], ?::boolean[]) as u(l, b)
            on conflict ((lower(login))) do nothing""";

    private static final String TIE_EMAILS = """
            insert into developer_email (email, developer_id, seen_at)
            select e, d, now()
              from (select u.e, %s as d
                      from unnest(?::text[], ?::bigint[], ?::text[], ?::text[]) as u(e, g, l, m)) t
             where d is not null
            on conflict (email) do nothing""".formatted(resolve("u.g", "u.l", "u.m"));

    // Commits and co-author entries that waited for exactly these addresses.
    private static final List<String> RESOLVE_WAITING = List.of("""
            update git_commit g set author_id = e.developer_id from developer_email e
             where e.email = any (?) and g.author_id is null and lower(g.author_email) = e.email""", """
            update git_commit g set committer_id = e.developer_id from developer_email e
             where e.email = any (?) and g.committer_id is null and lower(g.committer_email) = e.email""", """
            update commit_coauthor c set developer_id = e.developer_id from developer_email e
             where e.email = any (?) and c.developer_id is null and c.email = e.email""");

    /** Accounts, then logins, then e-mails: each step's keys may name what the one before wrote. */
    static void write(Connection connection, ModelRows rows, Pipeline trip) throws SQLException {
        List<Rows.DeveloperAccount> accounts = accounts(rows.accounts());
        if (!accounts.isEmpty()) {
            Object[] keys = Columns.of(connection, accounts)
                    .bigint(Rows.DeveloperAccount::githubId)
                    .text(Rows.DeveloperAccount::login)
                    .parameters();
            trip.update(FREE_LOGINS, keys);
            MERGE.forEach(statement -> trip.update(statement, keys));
            trip.update(ADOPT, keys);
            trip.update(
                    UPSERT_ACCOUNTS,
                    Columns.of(connection, accounts)
                            .bigint(Rows.DeveloperAccount::githubId)
                            .text(Rows.DeveloperAccount::login)
                            .text(Rows.DeveloperAccount::name)
                            .bool(Rows.DeveloperAccount::bot)
                            .parameters());
        }
        Map<String, Rows.DeveloperLogin> logins = new TreeMap<>();
        rows.logins().forEach(row -> logins.putIfAbsent(row.login().toLowerCase(Locale.ROOT), row));
        if (!logins.isEmpty()) {
            trip.update(
                    INSERT_LOGINS,
                    Columns.of(connection, logins.values())
                            .text(Rows.DeveloperLogin::login)
                            .bool(Rows.DeveloperLogin::bot)
                            .parameters());
        }
        Map<String, Rows.DeveloperEmail> emails = new TreeMap<>();
        rows.emails().forEach(row -> emails.putIfAbsent(row.email(), row));
        if (!emails.isEmpty()) {
            trip.update(
                    TIE_EMAILS,
                    Columns.of(connection, emails.values())
                            .text(Rows.DeveloperEmail::email)
                            .bigint(row -> DeveloperKey.githubIdOf(row.developer()))
                            .text(row -> DeveloperKey.loginOf(row.developer()))
                            .text(row -> DeveloperKey.emailOf(row.developer()))
                            .parameters());
        }
    }

    /** After the batch's commits: the ones that waited for an address the batch tied get its developer. */
    static void resolveWaiting(Connection connection, ModelRows rows, Pipeline trip) throws SQLException {
        if (rows.emails().isEmpty()) {
            return;
        }
        Object addresses = connection.createArrayOf(
                "text",
                rows.emails().stream()
                        .map(Rows.DeveloperEmail::email)
                        .distinct()
                        .toArray());
        RESOLVE_WAITING.forEach(statement -> trip.update(statement, addresses));
    }

    /**
     * One row per account, in id order (two transactions lock them in the same order). Two
     * accounts of one batch claiming one login (a login given up and taken between two
     * deliveries): the later one gets it.
     */
    private static List<Rows.DeveloperAccount> accounts(List<Rows.DeveloperAccount> produced) {
        Map<Long, Rows.DeveloperAccount> byId = new LinkedHashMap<>();
        Map<String, Long> claims = new HashMap<>();
        for (Rows.DeveloperAccount row : produced) {
            byId.put(row.githubId(), row);
            if (row.login() != null) {
                Long earlier = claims.put(row.login().toLowerCase(Locale.ROOT), row.githubId());
                if (earlier != null && earlier != row.githubId()) {
                    Rows.DeveloperAccount gaveUp = byId.get(earlier);
                    byId.put(earlier, new Rows.DeveloperAccount(earlier, null, gaveUp.name(), gaveUp.bot()));
                }
            }
        }
        List<Rows.DeveloperAccount> sorted = new ArrayList<>(new TreeMap<>(byId).values());
        return sorted;
    }
}
