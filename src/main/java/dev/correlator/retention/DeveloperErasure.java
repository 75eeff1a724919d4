package dev.correlator.retention;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.correlator.db.Sql;
import io.agroal.api.AgroalDataSource;

/**
 * Erases what the App holds about one developer login, in one transaction: the developer, their
 * e-mail ties, their name and e-mails on commits (the commits stay, without an author), their
 * co-author rows, their pushes' and pull requests' references to them, and their Codespaces with
 * every report and observation, and their login and Codespace names in the spans the App still
 * holds (queued, or exported and kept). Raw delivery bodies that mention them are not rewritten
 * (they are the signed bytes GitHub sent); retention deletes them with age. Spans already
 * exported to the tracing backend are out of the App's reach.
 */
@ApplicationScoped
public class DeveloperErasure {

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

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    /** What was erased, by kind; empty when the App knows no developer of that login. */
    public Optional<Map<String, Integer>> erase(String login) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Optional<Long> developer = Sql.one(connection,
                        "select id from developer where lower(login) = lower(?) for update", row -> row.getLong(1), login);
                Map<String, Integer> erased = new LinkedHashMap<>();
                if (developer.isPresent()) {
                    for (Map.Entry<String, String> step : STEPS.entrySet()) {
                        erased.put(step.getKey(), Sql.update(connection, step.getValue(), developer.get()));
                    }
                }
                // Pushes by a login the App never tied to a developer row.
                erased.merge("pushes", Sql.update(connection,
                        "update push set pusher_name = null where pusher_id is null and lower(pusher_name) = lower(?)",
                        login), Integer::sum);
                erased.put("spans", eraseFromSpans(connection, login));
                erased.put("Codespace observations", Sql.update(connection, """
                        delete from codespace_observation where codespace_name in (
                            select name from codespace where lower(owner_login) = lower(?))""", login));
                erased.put("Codespace reports", Sql.update(connection, """
                        delete from codespace_event where lower(login) = lower(?)
                            or codespace_name in (select name from codespace where lower(owner_login) = lower(?))""",
                        login, login));
                erased.put("Codespaces", Sql.update(connection,
                        "delete from codespace where lower(owner_login) = lower(?)", login));
                if (developer.isPresent()) {
                    erased.put("developer", Sql.update(connection, "delete from developer where id = ?", developer.get()));
                }
                connection.commit();
                boolean known = developer.isPresent() || erased.values().stream().anyMatch(n -> n > 0);
                return known ? Optional.of(erased) : Optional.empty();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Removes every span attribute whose value is the login or one of its Codespaces' names; the
     * spans stay (they also describe other people's commits), keeping their ids.
     */
    private int eraseFromSpans(Connection connection, String login) throws SQLException {
        Set<String> values = new HashSet<>();
        values.add(login.toLowerCase(Locale.ROOT));
        values.addAll(Sql.list(connection, "select lower(name) from codespace where lower(owner_login) = lower(?)",
                row -> row.getString(1), login));
        List<String[]> spans = Sql.list(connection,
                "select span_id, span from span_outbox where span ilike ? escape '\\'",
                row -> new String[] { row.getString(1), row.getString(2) },
                "%\"" + login.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "\"%");
        int changed = 0;
        for (String[] span : spans) {
            try {
                JsonNode tree = json.readTree(span[1]);
                if (scrub(tree, values)) {
                    changed += Sql.update(connection, "update span_outbox set span = ? where span_id = ?",
                            json.writeValueAsString(tree), span[0]);
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
