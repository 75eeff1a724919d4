package dev.correlator.retention;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.correlator.db.Sql;
import io.agroal.api.AgroalDataSource;

/**
 * Erases what the App holds about one developer login, in one transaction: the developer, their
 * e-mail ties, their name and e-mails on commits (the commits stay, without an author), their
 * co-author rows, their pushes' and pull requests' references to them, and their Codespaces with
 * every report and observation. Raw delivery bodies that mention them are not rewritten (they
 * are the signed bytes GitHub sent); retention deletes them with age.
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
}
