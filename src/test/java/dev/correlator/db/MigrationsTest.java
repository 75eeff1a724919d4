package dev.correlator.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.support.Database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The migrations that move data, run on a database that holds some: the test suite's own
 * database starts empty, so it would never see them do anything.
 */
class MigrationsTest {

    // Beside the checkout's own test database, so that two checkouts' runs do not drop each other's.
    private static final String NAME = Database.NAME + "_migration";

    private String url;

    @BeforeEach
    void freshDatabase() throws SQLException {
        url = Database.URL.substring(0, Database.URL.lastIndexOf('/') + 1) + NAME;
        try (Connection admin = Database.connect();
                Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + NAME);
            statement.execute("create database " + NAME);
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection admin = Database.connect();
                Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + NAME);
        }
    }

    private Flyway flyway(String target) {
        return Flyway.configure()
                .dataSource(url, "postgres", System.getProperty("correlator.test.jdbc-password", ""))
                .locations("classpath:db/migration")
                .target(target)
                .load();
    }

    @Test
    void v2KeepsEachPushsCommitsInPayloadOrder() throws SQLException {
        flyway("1").migrate();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("""
                    insert into delivery (id, event, outcome, received_at, body)
                    values ('d1', 'push', 'processed', now(), ''), ('d2', 'push', 'processed', now(), '');
                    insert into push (delivery_id, repository_id, ref, ref_type, ref_name, before_sha, after_sha,
                                      created, deleted, forced, commit_count, truncated, pushed_at, received_at)
                    values ('d1', 7, 'refs/heads/main', 'branch', 'main', 'a', 'c', false, false, false, 3, false,
                            now(), now()),
                           ('d2', 7, 'refs/tags/v1', 'tag', 'v1', 'a', 'c', false, false, false, 0, false,
                            now(), now());
                    insert into push_commit (delivery_id, position, sha, distinct_in_push)
                    values ('d1', 2, 'ccc', true), ('d1', 0, 'aaa', true), ('d1', 1, 'bbb', false);
                    insert into branch_commit (repository_id, branch, sha, added_delivery_id, added_at)
                    values (7, 'main', 'aaa', 'd1', now());
                    """);
        }

        flyway("latest").migrate();

        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            assertEquals("{aaa,bbb,ccc}", one(statement, "select commit_shas from push where delivery_id = 'd1'"));
            assertEquals("{}", one(statement, "select commit_shas from push where delivery_id = 'd2'"));
            assertEquals("0", one(statement, "select count(*) from pg_class where relname = 'push_commit'"));
            assertEquals("repository_id, sha, branch", one(statement, """
                    select string_agg(a.attname, ', ' order by k.n)
                      from pg_index i, unnest(i.indkey) with ordinality k(attnum, n), pg_attribute a
                     where i.indrelid = 'branch_commit'::regclass and i.indisprimary
                       and a.attrelid = i.indrelid and a.attnum = k.attnum"""));
            assertEquals(
                    "d1",
                    one(statement, "select added_delivery_id from branch_commit where sha = 'aaa'"),
                    "rows survive the change of key");
            assertEquals("C", one(statement, """
                    select collname from pg_attribute a join pg_collation c on c.oid = a.attcollation
                     where a.attrelid = 'pull_request'::regclass and a.attname = 'merge_commit_sha'"""));
        }
    }

    @Test
    void v14LeavesEachNameToOneRepositoryAndTiesCodespacesToIds() throws SQLException {
        flyway("12").migrate();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            // 1 was deleted on GitHub and 2 created under its name; 3 was renamed away from it long ago.
            statement.execute("""
                    insert into repository (id, owner_login, name, full_name, html_url, removed_at, updated_at)
                    values (1, 'acme', 'api', 'acme/api', 'https://github.com/acme/api', null, now() - interval '2 days'),
                           (2, 'acme', 'api', 'Acme/API', 'https://github.com/acme/api', null, now() - interval '1 day'),
                           (3, 'acme', 'api', 'acme/api', 'https://github.com/acme/api', now() - interval '9 days',
                            now() - interval '9 days'),
                           (4, 'acme', 'web', 'acme/web', 'https://github.com/acme/web', null, now());
                    insert into codespace (name, owner_login, repository_full_name, first_seen_at, last_seen_at)
                    values ('cs-api', 'mona', 'acme/api', now(), now()), ('cs-gone', 'mona', 'acme/gone', now(), now());
                    insert into codespace_event (event_id, codespace_name, type, repository_full_name, occurred_at,
                                                 received_at, verification, login)
                    values ('00000000-0000-4000-8000-000000000001', 'cs-api', 'started', 'ACME/api', now(), now(),
                            'verified', 'mona');
                    """);
        }

        flyway("latest").migrate();

        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            assertEquals(
                    "2",
                    one(
                            statement,
                            "select string_agg(id::text, ',') from repository"
                                    + " where lower(full_name) = 'acme/api' and removed_at is null"));
            assertEquals("t", one(statement, "select removed_at is not null from repository where id = 1"));
            assertEquals("2", one(statement, "select repository_id from codespace where name = 'cs-api'"));
            assertEquals(null, one(statement, "select repository_id from codespace where name = 'cs-gone'"));
            assertEquals("2", one(statement, "select repository_id from codespace_event"));
            // A second repository under a name that is taken is refused; a removed one is not.
            assertThrows(SQLException.class, () -> statement.execute("""
                    insert into repository (id, owner_login, name, full_name, html_url, updated_at)
                    values (5, 'acme', 'web', 'ACME/web', 'https://github.com/acme/web', now())"""));
            statement.execute("""
                    insert into repository (id, owner_login, name, full_name, html_url, removed_at, updated_at)
                    values (6, 'acme', 'web', 'acme/web', 'https://github.com/acme/web', now(), now())""");
        }
    }

    @Test
    void v13DeletesReportsStillUnverifiedAndKeepsThoseAPollCorroborated() throws SQLException {
        flyway("12").migrate();
        String verified = "0d6f3c3e-8a55-4d0e-9a43-5b1b8e8f2a01";
        String unverified = "3f0c2b9a-2c1e-4a7e-8a57-6f4d8c2b7e02";
        String corroborated = "7a1e4d2c-9b3f-4c6a-b1d8-2e5f7c9a0b03";
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            statement.execute("""
                    insert into codespace_event (event_id, codespace_name, type, repository_full_name, branch, sha,
                                                 occurred_at, received_at, verification, login, github_id)
                    values ('%1$s', 'mona-lisa-payments-api-7q9wxr5v2f4x56', 'commit', 'acme-corp/payments-api',
                            'main', 'b1', now(), now(), 'verified', 'mona-lisa', 583231),
                           ('%2$s', 'mona-lisa-payments-api-7q9wxr5v2f4x56', 'commit', 'acme-corp/payments-api',
                            'main', 'b2', now(), now(), 'unverified', null, null),
                           ('%3$s', 'mona-lisa-payments-api-7q9wxr5v2f4x56', 'commit', 'acme-corp/payments-api',
                            'main', 'b3', now(), now(), 'corroborated', 'mona-lisa', 583231);
                    insert into span_outbox (span_id, trace_id, span, status, available_at, created_at)
                    values ('s-unverified', 't', '{"name":"codespace commit","attributes":{"github.codespace.confidence":"unverified","github.codespace.event_id":"%2$s"}}',
                            'pending', now(), now()),
                           ('s-unverified-sent', 't', '{"name":"codespace commit","attributes":{"github.codespace.confidence":"unverified","github.codespace.event_id":"%2$s"}}',
                            'done', now(), now()),
                           ('s-corroborated', 't', '{"name":"codespace commit","attributes":{"github.codespace.confidence":"unverified","github.codespace.event_id":"%4$s"}}',
                            'pending', now(), now()),
                           ('s-verified', 't', '{"name":"codespace commit","attributes":{"github.codespace.confidence":"verified","github.codespace.event_id":"%1$s"}}',
                            'pending', now(), now());
                    """.formatted(
                            verified,
                            unverified,
                            corroborated,
                            // The reporter's own spelling of its event id, which may be upper case.
                            corroborated.toUpperCase(Locale.ROOT)));
        }

        flyway("13").migrate();

        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            assertEquals("%s verified, %s corroborated".formatted(verified, corroborated), one(statement, """
                    select string_agg(event_id || ' ' || verification, ', ' order by verification desc)
                      from codespace_event"""));
            assertEquals(
                    "s-corroborated, s-unverified-sent, s-verified",
                    one(statement, "select string_agg(span_id, ', ' order by span_id) from span_outbox"),
                    "the pending span of the deleted report goes; a sent one keeps its id");
            assertThrows(
                    SQLException.class, () -> statement.execute("""
                    insert into codespace_event (event_id, codespace_name, type, repository_full_name, occurred_at,
                                                 received_at, verification)
                    values (gen_random_uuid(), 'x', 'commit', 'acme-corp/payments-api', now(), now(), 'unverified')"""), "no report can be stored unverified any more");
        }
    }

    private static String one(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
