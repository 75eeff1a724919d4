package dev.correlator.retention;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;

import dev.correlator.db.Sql;
import dev.correlator.db.Transactions;
import dev.correlator.identity.ErasedTrailers;
import dev.correlator.identity.Tombstones;

/**
 * Erases what the App holds about one developer login, in one transaction after the tombstone's:
 * the developer, their e-mail ties, their name and e-mails on commits (the commits stay, without an
 * author), their co-author rows and the {@code Co-authored-by}/{@code Signed-off-by} lines that name their
 * e-mails, their pushes' and pull requests' references to them, their Codespaces with every
 * report and observation, and their login and Codespace names in the spans the App still holds
 * (queued, or exported and kept). API audit entries keep who asked what and when, with the login
 * and e-mails taken out of the path and query. Raw delivery bodies that name them are deleted, not
 * rewritten: they are the bytes GitHub signed, and an edited copy would be neither that nor surely
 * clean (a login also hides in URLs); such a delivery can no longer be replayed. Spans already
 * exported to the tracing backend are out of the App's reach.
 *
 * <p>A tombstone ({@link Tombstones}: SHA-256 hashes of the login, the GitHub ids and the e-mails)
 * keeps what arrives later, a redelivery, a replay or a backfill, from recording them again. It is
 * committed first, on its own, and kept even when nothing is held yet, so that an erasure before
 * the data arrives holds too.
 */
@ApplicationScoped
public class DeveloperErasure {

    private static final String NOREPLY = "@users.noreply.github.com";

    /** Statements bound to the developer's id. */
    private static final Map<String, String> STEPS = new LinkedHashMap<>();

    static {
        STEPS.put("commits authored", """
                update git_commit set author_id = null, author_name = null, author_email = null
                 where author_id = ?""");
        STEPS.put("commits committed", """
                update git_commit set committer_id = null, committer_name = null, committer_email = null
                 where committer_id = ?""");
        STEPS.put("co-authorships", "delete from commit_coauthor where developer_id = ?");
        STEPS.put("pushes", """
                update push set pusher_id = null, pusher_name = null where pusher_id = ?""");
        STEPS.put("pushes sent", "update push set sender_id = null where sender_id = ?");
        STEPS.put("pull requests", "update pull_request set author_id = null where author_id = ?");
        STEPS.put("e-mails", "delete from developer_email where developer_id = ?");
    }

    /** Statements bound to the array of their e-mails (lower-cased), for what no developer row ties to them. */
    private static final Map<String, String> BY_EMAIL = new LinkedHashMap<>();

    static {
        BY_EMAIL.put("commits authored", """
                update git_commit set author_name = null, author_email = null
                 where author_id is null and lower(author_email) = any (?)""");
        BY_EMAIL.put("commits committed", """
                update git_commit set committer_name = null, committer_email = null
                 where committer_id is null and lower(committer_email) = any (?)""");
        BY_EMAIL.put("co-authorships", "delete from commit_coauthor where email = any (?)");
        BY_EMAIL.put("e-mails", "delete from developer_email where email = any (?)");
    }

    private static final String ERASED = "{erased}";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    /** What was erased, by kind; empty when the App held nothing about that login. */
    public Optional<Map<String, Integer>> erase(String login) {
        // The tombstone first, in a transaction of its own that waits for the batches being
        // recorded (Tombstones.LOCK): from its commit on, nothing records them again.
        Set<Long> githubIds = new HashSet<>();
        Set<String> emails = new TreeSet<>();
        int tombstoned = Transactions.inTransaction(dataSource, connection -> {
            Optional<Long> developer = Sql.one(
                    connection, "select id from developer where lower(login) = lower(?)", row -> row.getLong(1), login);
            githubIds.addAll(githubIds(connection, login, developer));
            emails.addAll(emails(connection, login, developer, githubIds));
            Sql.one(connection, "select pg_advisory_xact_lock(?)", row -> true, Tombstones.LOCK);
            return tombstone(connection, login, githubIds, emails);
        });

        // Then the erasure, with what the batches that ended meanwhile may have added.
        return Transactions.inTransaction(dataSource, connection -> {
            Optional<Long> developer = Sql.one(
                    connection,
                    "select id from developer where lower(login) = lower(?) for update",
                    row -> row.getLong(1),
                    login);
            githubIds.addAll(githubIds(connection, login, developer));
            emails.addAll(emails(connection, login, developer, githubIds));
            int tombstones = tombstoned + tombstone(connection, login, githubIds, emails);

            Map<String, Integer> erased = new LinkedHashMap<>();
            if (developer.isPresent()) {
                for (Map.Entry<String, String> step : STEPS.entrySet()) {
                    erased.put(step.getKey(), Sql.update(connection, step.getValue(), developer.get()));
                }
            }
            Array addresses = connection.createArrayOf("text", emails.toArray());
            for (Map.Entry<String, String> step : BY_EMAIL.entrySet()) {
                erased.merge(step.getKey(), Sql.update(connection, step.getValue(), addresses), Integer::sum);
            }
            erased.put("commit messages", eraseFromMessages(connection, emails));
            // Pushes by a login the App never tied to a developer row.
            erased.merge(
                    "pushes",
                    Sql.update(
                            connection,
                            "update push set pusher_name = null where pusher_id is null and lower(pusher_name) = lower(?)",
                            login),
                    Integer::sum);
            erased.put("spans", eraseFromSpans(connection, login));
            erased.put("Codespace observations", Sql.update(connection, """
                        delete from codespace_observation where codespace_name in (
                            select name from codespace where lower(owner_login) = lower(?))""", login));
            erased.put(
                    "Codespace reports",
                    Sql.update(connection, """
                        delete from codespace_event where lower(login) = lower(?) or github_id = any (?)
                            or codespace_name in (select name from codespace where lower(owner_login) = lower(?))""", login, connection.createArrayOf("bigint", githubIds.toArray()), login));
            erased.put(
                    "Codespaces",
                    Sql.update(connection, "delete from codespace where lower(owner_login) = lower(?)", login));
            if (developer.isPresent()) {
                erased.put("developer", Sql.update(connection, "delete from developer where id = ?", developer.get()));
            }
            erased.put("API audit entries", eraseFromAudit(connection, login, emails));
            erased.put("raw delivery bodies", eraseDeliveryBodies(connection, login, emails));
            // What is held about them; audit entries are what others did (asking about them).
            boolean known = developer.isPresent()
                    || erased.entrySet().stream()
                            .anyMatch(step ->
                                    step.getValue() > 0 && !step.getKey().equals("API audit entries"));
            erased.put("tombstones", tombstones);
            return known ? Optional.of(erased) : Optional.empty();
        });
    }

    private static Set<Long> githubIds(Connection connection, String login, Optional<Long> developer)
            throws SQLException {
        return new HashSet<>(Sql.list(connection, """
                select github_id from developer where id = ? and github_id is not null
                union select owner_github_id from codespace
                 where lower(owner_login) = lower(?) and owner_github_id is not null
                union select github_id from codespace_event
                 where lower(login) = lower(?) and github_id is not null""", row -> row.getLong(1), developer.orElse(null), login, login));
    }

    /** Every e-mail the App ties to them, and the noreply addresses that name their account. */
    private static Set<String> emails(
            Connection connection, String login, Optional<Long> developer, Set<Long> githubIds) throws SQLException {
        Set<String> emails = new TreeSet<>();
        String lower = login.toLowerCase(Locale.ROOT);
        emails.add(lower + NOREPLY);
        githubIds.forEach(id -> emails.add(id + "+" + lower + NOREPLY));
        if (developer.isPresent()) {
            emails.addAll(Sql.list(
                    connection,
                    """
                    select email from developer_email where developer_id = ?
                    union select lower(author_email) from git_commit where author_id = ? and author_email is not null
                    union select lower(committer_email) from git_commit
                     where committer_id = ? and committer_email is not null
                    union select email from commit_coauthor where developer_id = ?""",
                    row -> row.getString(1),
                    developer.get(),
                    developer.get(),
                    developer.get(),
                    developer.get()));
        }
        return emails;
    }

    private int tombstone(Connection connection, String login, Set<Long> githubIds, Set<String> emails)
            throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {Tombstones.hash(login), Tombstones.LOGIN});
        githubIds.forEach(id -> rows.add(new Object[] {Tombstones.hash(id.toString()), Tombstones.GITHUB_ID}));
        emails.forEach(email -> rows.add(new Object[] {Tombstones.hash(email), Tombstones.EMAIL}));
        int added = 0;
        for (Object[] row : rows) {
            added += Sql.update(connection, """
                    insert into erasure_tombstone (sha256, kind, erased_at) values (?, ?, ?)
                    on conflict do nothing""", row[0], row[1], clock.instant());
        }
        return added;
    }

    /** Takes the trailer lines that name their e-mails out of stored commit messages. */
    private static int eraseFromMessages(Connection connection, Set<String> emails) throws SQLException {
        List<Object[]> messages = Sql.list(
                connection,
                """
                select repository_id, sha, message from git_commit
                 where exists (select 1 from unnest(?::text[]) e where strpos(lower(message), e) > 0)""",
                row -> new Object[] {row.getLong(1), row.getString(2), row.getString(3)},
                connection.createArrayOf("text", emails.toArray()));
        int changed = 0;
        for (Object[] commit : messages) {
            String message = (String) commit[2];
            String without = ErasedTrailers.remove(message, emails::contains);
            if (!without.equals(message)) {
                changed += Sql.update(
                        connection,
                        "update git_commit set message = ? where repository_id = ? and sha = ?",
                        without,
                        commit[0],
                        commit[1]);
            }
        }
        return changed;
    }

    /**
     * Audit entries keep who asked, what kind of read and when; a path segment or query value that
     * is the login or one of the e-mails becomes {@value #ERASED}.
     */
    private static int eraseFromAudit(Connection connection, String login, Set<String> emails) throws SQLException {
        Set<String> values = new HashSet<>(emails);
        values.add(login.toLowerCase(Locale.ROOT));
        List<String> needles = new ArrayList<>();
        for (String value : values) {
            needles.add(value);
            needles.add(URLEncoder.encode(value, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
        }
        List<Object[]> entries = Sql.list(
                connection,
                """
                select id, path, query from api_audit
                 where exists (select 1 from unnest(?::text[]) n
                                where strpos(lower(path), n) > 0 or strpos(lower(coalesce(query, '')), n) > 0)""",
                row -> new Object[] {row.getLong(1), row.getString(2), row.getString(3)},
                connection.createArrayOf("text", needles.toArray()));
        int changed = 0;
        for (Object[] entry : entries) {
            String path = redact((String) entry[1], "/", values);
            String query = entry[2] == null ? null : redact((String) entry[2], "&", values);
            if (!path.equals(entry[1]) || !Objects.equals(query, entry[2])) {
                changed += Sql.update(
                        connection, "update api_audit set path = ?, query = ? where id = ?", path, query, entry[0]);
            }
        }
        return changed;
    }

    /** Replaces each part (a path segment, or a query parameter's value) that decodes to one of the values. */
    private static String redact(String text, String separator, Set<String> values) {
        String[] parts = text.split(Pattern.quote(separator), -1);
        for (int i = 0; i < parts.length; i++) {
            int equals = separator.equals("&") ? parts[i].indexOf('=') : -1;
            String value = parts[i].substring(equals + 1);
            if (values.contains(decode(value).toLowerCase(Locale.ROOT))) {
                parts[i] = parts[i].substring(0, equals + 1) + ERASED;
            }
        }
        return String.join(separator, parts);
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    /**
     * Deletes the raw bodies (the inbox row stays: it makes a redelivery a duplicate) that carry
     * the login as a JSON string or any of the e-mails. This reads every stored body once: an
     * erasure is rare, and nothing cheaper finds a login in free text.
     */
    private static int eraseDeliveryBodies(Connection connection, String login, Set<String> emails)
            throws SQLException {
        List<String> needles = new ArrayList<>();
        needles.add(escaped("\"" + login.toLowerCase(Locale.ROOT) + "\""));
        emails.forEach(email -> needles.add(escaped(email)));
        return Sql.update(connection, """
                update delivery set body = ''::bytea
                 where length(body) > 0
                   and exists (select 1 from unnest(?::text[]) n where strpos(lower(encode(body, 'escape')), n) > 0)""", connection.createArrayOf("text", needles.toArray()));
    }

    /** A value as encode(bytes, 'escape') shows its UTF-8 bytes: NUL and non-ASCII bytes in octal, backslashes doubled. */
    private static String escaped(String value) {
        StringBuilder text = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int unsigned = b & 0xff;
            if (unsigned == '\\') {
                text.append("\\\\");
            } else if (unsigned == 0 || unsigned >= 0x80) {
                text.append('\\').append(String.format("%03o", unsigned));
            } else {
                text.append((char) unsigned);
            }
        }
        return text.toString();
    }

    /**
     * Removes every span attribute whose value is the login or one of its Codespaces' names; the
     * spans stay (they also describe other people's commits), keeping their ids.
     */
    private int eraseFromSpans(Connection connection, String login) throws SQLException {
        Set<String> values = new HashSet<>();
        values.add(login.toLowerCase(Locale.ROOT));
        values.addAll(Sql.list(
                connection,
                "select lower(name) from codespace where lower(owner_login) = lower(?)",
                row -> row.getString(1),
                login));
        List<String[]> spans = Sql.list(
                connection,
                "select span_id, span from span_outbox where span ilike ? escape '\\'",
                row -> new String[] {row.getString(1), row.getString(2)},
                "%\"" + login.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "\"%");
        int changed = 0;
        for (String[] span : spans) {
            try {
                JsonNode tree = json.readTree(span[1]);
                if (scrub(tree, values)) {
                    changed += Sql.update(
                            connection,
                            "update span_outbox set span = ? where span_id = ?",
                            json.writeValueAsString(tree),
                            span[0]);
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable span " + span[0], e);
            }
        }
        return changed;
    }

    private static boolean scrub(JsonNode span, Set<String> values) {
        boolean changed = false;
        if (span.get("attributes") instanceof ObjectNode attributes) {
            Iterator<Map.Entry<String, JsonNode>> fields = attributes.fields();
            while (fields.hasNext()) {
                JsonNode value = fields.next().getValue();
                if (value.isTextual() && values.contains(value.asText().toLowerCase(Locale.ROOT))) {
                    fields.remove();
                    changed = true;
                }
            }
        }
        JsonNode children = span.get("children");
        if (children != null) {
            for (JsonNode child : children) {
                changed |= scrub(child, values);
            }
        }
        return changed;
    }
}
