package dev.correlator.api;

import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;

import dev.correlator.CorrelatorConfig;
import dev.correlator.api.ApiViews.CodespaceRef;
import dev.correlator.api.ApiViews.Commit;
import dev.correlator.api.ApiViews.CommitSummary;
import dev.correlator.api.ApiViews.DeveloperRef;
import dev.correlator.api.ApiViews.PullRequestRef;
import dev.correlator.api.ApiViews.PushRef;
import dev.correlator.db.Sql;

/**
 * The API's reads: plain queries, each shaped for an index, answered from PostgreSQL alone.
 * GitHub is never asked.
 */
@ApplicationScoped
public class MappingReadModel {

    private static final String COMMIT_COLUMNS = """
            c.repository_id, r.full_name, c.sha, c.message, c.authored_at, c.committed_at, c.url,
            c.author_name, c.author_email, a.login as author_login, coalesce(a.bot, false) as author_bot,
            c.committer_name, c.committer_email, m.login as committer_login,
            coalesce(m.bot, false) as committer_bot""";

    private static final String COMMIT_FROM = """
            from git_commit c
            join repository r on r.id = c.repository_id and r.removed_at is null
            left join developer a on a.id = c.author_id
            left join developer m on m.id = c.committer_id""";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    TraceLinks traces;

    @Inject
    ObjectMapper json;

    /**
     * Commits matching a full sha or a prefix, with everything the API shows of each: the lists
     * come back as JSON aggregates, each read through an index.
     *
     * <p>A prefix is found in two steps: its keys by a range on the primary key, then each
     * commit by its full sha. The details statement is large (about 10 ms to plan), and
     * PostgreSQL plans {@code sha like ?} anew for every value, because its plan for any value
     * would scan the whole index; the statement for one full sha is planned once per connection.
     */
    public List<Commit> commits(String shaOrPrefix, Long repositoryId, Long installationId, int limit) {
        if (shaOrPrefix.length() == 40) {
            return matching(commitDetails + " where c.sha = ?", shaOrPrefix, repositoryId, installationId, limit);
        }
        // Shas are lowercase hex; in collation "C" every sha with this prefix sorts below prefix + "g".
        String keys = "select c.sha, c.repository_id from git_commit c"
                + " join repository r on r.id = c.repository_id and r.removed_at is null"
                + " where c.sha >= ? and c.sha < ?"
                + (repositoryId == null ? "" : " and c.repository_id = ?")
                + (installationId == null ? "" : " and r.installation_id = ?")
                + " order by c.sha, r.full_name limit ?";
        List<Object> parameters = new ArrayList<>();
        parameters.add(shaOrPrefix);
        parameters.add(shaOrPrefix + "g");
        if (repositoryId != null) {
            parameters.add(repositoryId);
        }
        if (installationId != null) {
            parameters.add(installationId);
        }
        parameters.add(limit);
        String one = commitDetails + " where c.sha = ? and c.repository_id = ?";
        return query(connection -> {
            List<Object[]> found = Sql.list(
                    connection, keys, row -> new Object[] {row.getString(1), row.getLong(2)}, parameters.toArray());
            List<Commit> commits = new ArrayList<>(found.size());
            for (Object[] key : found) {
                commits.addAll(Sql.list(connection, one, this::details, key));
            }
            return commits;
        });
    }

    private List<Commit> matching(String where, String sha, Long repositoryId, Long installationId, int limit) {
        String sql = where
                + (repositoryId == null ? "" : " and c.repository_id = ?")
                + (installationId == null ? "" : " and r.installation_id = ?")
                + " order by c.sha, r.full_name limit ?";
        List<Object> parameters = new ArrayList<>();
        parameters.add(sha);
        if (repositoryId != null) {
            parameters.add(repositoryId);
        }
        if (installationId != null) {
            parameters.add(installationId);
        }
        parameters.add(limit);
        return query(connection -> Sql.list(connection, sql, this::details, parameters.toArray()));
    }

    // Times inside the JSON aggregates, in the API's own form (RFC 3339, UTC).
    private static final String UTC = "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'";

    private static final String COMMIT_DETAILS_TEMPLATE = """
            select c.repository_id, c.sha, r.full_name, c.message, c.authored_at, c.committed_at, c.url,
                   c.author_name, c.author_email, a.login as author_login, coalesce(a.bot, false) as author_bot,
                   c.committer_name, c.committer_email, m.login as committer_login,
                   coalesce(m.bot, false) as committer_bot,
                   (select coalesce(json_agg(json_build_object('login', d.login, 'name', cc.name, 'email', cc.email,
                                                               'bot', coalesce(d.bot, false)) order by cc.email), '[]')
                      from commit_coauthor cc left join developer d on d.id = cc.developer_id
                     where cc.repository_id = c.repository_id and cc.sha = c.sha) as co_authors,
                   array(select b.branch from branch_commit b
                          where b.repository_id = c.repository_id and b.sha = c.sha and b.left_at is null
                          order by b.added_at, b.branch) as branches,
                   array(select b.branch from branch_commit b
                          where b.repository_id = c.repository_id and b.sha = c.sha and b.left_at is not null
                          order by b.added_at, b.branch) as former_branches,
                   (select coalesce(json_agg(json_build_object('deliveryId', p.delivery_id, 'ref', p.ref,
                                                               'pusher', coalesce(d.login, p.pusher_name),
                                                               'pushedAt', to_char(p.pushed_at at time zone 'UTC', %1$s),
                                                               'forced', p.forced)
                                             order by p.pushed_at, p.delivery_id), '[]')
                      from push p left join developer d on d.id = p.pusher_id
                     where p.delivery_id in (select b.added_delivery_id from branch_commit b
                                              where b.repository_id = c.repository_id and b.sha = c.sha))
                       as pushes,
                   (select coalesce(json_agg(json_build_object('number', pr.number, 'state', pr.state,
                                                               'url', pr.html_url, 'title', pr.title)
                                             order by pr.number), '[]')
                      from pull_request pr
                     where pr.repository_id = c.repository_id
                       and pr.id in (select prc.pull_request_id from pull_request_commit prc
                                      where prc.sha = c.sha and prc.left_at is null
                                     union all
                                     select merged.id from pull_request merged where merged.merge_commit_sha = c.sha))
                       as pull_requests,
                   %2$s as codespaces
              from git_commit c
              join repository r on r.id = c.repository_id and r.removed_at is null
              left join developer a on a.id = c.author_id
              left join developer m on m.id = c.committer_id""";

    private String commitDetails;

    private String summaryLinks;

    private String codespaceCommits;

    @Inject
    void prepare(CorrelatorConfig config) {
        Duration window = config.codespaces().inferenceWindow();
        commitDetails = COMMIT_DETAILS_TEMPLATE.formatted(UTC, CodespaceLinks.json(window));
        summaryLinks = SUMMARY_LINKS.formatted(CodespaceLinks.json(window));
        codespaceCommits = CODESPACE_COMMITS.formatted(CodespaceLinks.rows(window));
    }

    private static final TypeReference<List<DeveloperRef>> DEVELOPERS = new TypeReference<>() {};
    private static final TypeReference<List<PushRef>> PUSHES = new TypeReference<>() {};
    private static final TypeReference<List<PullRequestRef>> PULL_REQUESTS = new TypeReference<>() {};
    private static final TypeReference<List<CodespaceRef>> CODESPACES = new TypeReference<>() {};

    private Commit details(ResultSet row) throws SQLException {
        try {
            List<PushRef> pushes = json.readValue(row.getString("pushes"), PUSHES);
            return new Commit(
                    row.getString("sha"),
                    row.getString("full_name"),
                    row.getString("message"),
                    Sql.instant(row, "authored_at"),
                    Sql.instant(row, "committed_at"),
                    row.getString("url"),
                    developer(row, "author"),
                    developer(row, "committer"),
                    json.readValue(row.getString("co_authors"), DEVELOPERS),
                    List.of((String[]) row.getArray("branches").getArray()),
                    List.of((String[]) row.getArray("former_branches").getArray()),
                    pushes,
                    json.readValue(row.getString("pull_requests"), PULL_REQUESTS),
                    json.readValue(row.getString("codespaces"), CODESPACES),
                    pushes.isEmpty()
                            ? null
                            : traces.push(
                                    pushes.get(0).deliveryId(), pushes.get(0).pushedAt()),
                    row.getLong("repository_id"));
        } catch (IOException e) {
            throw new SQLException("unreadable aggregate", e);
        }
    }

    /** Newest first; the cursor is the last item's (authoredAt, sha), so pages never shift. */
    public List<CommitSummary> commits(
            long repositoryId,
            String branch,
            Long authorId,
            Instant since,
            Instant until,
            Instant beforeTime,
            String beforeSha,
            int limit) {
        // On a branch, the listing walks branch_commit's (branch, authored_at) index; otherwise
        // git_commit's (repository, authored_at) index. The commit is read in a lateral subquery
        // that the planner may not flatten: joined plainly, it guesses that few of a branch's rows
        // have a commit, prices the page like the whole branch and starts parallel workers
        // (about 30 ms on a busy machine) where reading the first rows of the index takes 1 ms.
        String time = branch != null ? "b.authored_at" : "c.authored_at";
        String sha = branch != null ? "b.sha" : "c.sha";
        StringBuilder sql = new StringBuilder("select " + COMMIT_COLUMNS + " ");
        List<Object> parameters = new ArrayList<>();
        if (branch != null) {
            sql.append("""
                    from branch_commit b
                    cross join lateral (select * from git_commit c
                                         where c.sha = b.sha and c.repository_id = b.repository_id offset 0) c
                    join repository r on r.id = c.repository_id and r.removed_at is null
                    left join developer a on a.id = c.author_id
                    left join developer m on m.id = c.committer_id
                    where b.repository_id = ? and b.branch = ? and b.left_at is null""");
            parameters.add(repositoryId);
            parameters.add(branch);
        } else {
            sql.append(COMMIT_FROM).append(" where c.repository_id = ?");
            parameters.add(repositoryId);
        }
        if (authorId != null) {
            sql.append(" and c.author_id = ?");
            parameters.add(authorId);
        }
        if (since != null) {
            sql.append(" and ").append(time).append(" >= ?");
            parameters.add(since);
        }
        if (until != null) {
            sql.append(" and ").append(time).append(" <= ?");
            parameters.add(until);
        }
        if (beforeTime != null) {
            sql.append(" and (").append(time).append(", ").append(sha).append(") < (?, ?)");
            parameters.add(beforeTime);
            parameters.add(beforeSha);
        }
        sql.append(" order by ").append(time).append(" desc, ").append(sha).append(" desc limit ?");
        parameters.add(limit);
        return withCoAuthors(sql.toString(), parameters.toArray());
    }

    public List<CommitSummary> pullRequestCommits(long pullRequestId) {
        return withCoAuthors("select " + COMMIT_COLUMNS + " " + COMMIT_FROM + """
                 join pull_request_commit prc on prc.sha = c.sha
                 join pull_request pr on pr.id = prc.pull_request_id and pr.repository_id = c.repository_id
                where prc.pull_request_id = ? and prc.left_at is null
                order by c.authored_at, c.sha""", pullRequestId);
    }

    /** A developer's newest commits; with an installation, only in its repositories. */
    public List<CommitSummary> developerCommits(long developerId, Long installationId, int limit) {
        if (installationId == null) {
            return withCoAuthors(
                    "select " + COMMIT_COLUMNS + " " + COMMIT_FROM
                            + " where c.author_id = ? order by c.authored_at desc, c.sha desc limit ?",
                    developerId,
                    limit);
        }
        return withCoAuthors(
                "select " + COMMIT_COLUMNS + " " + COMMIT_FROM
                        + " where c.author_id = ? and r.installation_id = ? order by c.authored_at desc, c.sha desc limit ?",
                developerId,
                installationId,
                limit);
    }

    /** A developer's e-mails; with an installation, only those on commits in its repositories. */
    public List<String> emails(long developerId, Long installationId) {
        if (installationId == null) {
            return query(connection -> Sql.list(
                    connection,
                    "select email from developer_email where developer_id = ? order by seen_at, email",
                    row -> row.getString(1),
                    developerId));
        }
        return query(connection -> Sql.list(connection, """
                select e.email from developer_email e
                 where e.developer_id = ?
                   and exists (select 1 from git_commit c join repository r on r.id = c.repository_id
                                where c.author_id = e.developer_id and r.installation_id = ?
                                  and r.removed_at is null
                                  and lower(c.author_email) = lower(e.email))
                 order by e.seen_at, e.email""", row -> row.getString(1), developerId, installationId));
    }

    public DeveloperRef developer(long developerId) {
        return query(connection -> Sql.one(
                        connection,
                        "select login, name, bot from developer where id = ?",
                        row -> new DeveloperRef(row.getString(1), row.getString(2), null, row.getBoolean(3)),
                        developerId)
                .orElse(null));
    }

    private static final String SUMMARY_LINKS = """
            select r.id, c.sha, %s as codespaces
              from unnest(?::bigint[], ?::text[]) k(repository_id, sha)
              join repository r on r.id = k.repository_id
              join git_commit c on c.sha = k.sha and c.repository_id = r.id""";

    /**
     * Commits with their co-authors and Codespaces: one statement for the page, one for the
     * co-authors and one for the owners of Codespaces among the page's authors and committers;
     * the link rules (a large statement, about 10 ms to plan until a connection has a generic plan
     * for it) run only for the commits of such owners, since a link always names a Codespace of
     * the commit's author or committer.
     */
    private List<CommitSummary> withCoAuthors(String sql, Object... parameters) {
        return query(connection -> {
            Map<String, List<String>> makers = new HashMap<>();
            List<CommitSummary> commits = Sql.list(
                    connection,
                    sql,
                    row -> {
                        CommitSummary commit = summary(row);
                        List<String> logins = new ArrayList<>(2);
                        for (String login :
                                new String[] {row.getString("author_login"), row.getString("committer_login")}) {
                            if (login != null) {
                                logins.add(login.toLowerCase(Locale.ROOT));
                            }
                        }
                        makers.put(commit.repositoryId() + "@" + commit.sha(), logins);
                        return commit;
                    },
                    parameters);
            if (commits.isEmpty()) {
                return commits;
            }
            Array repositories = connection.createArrayOf(
                    "bigint", commits.stream().map(CommitSummary::repositoryId).toArray());
            Array shas = connection.createArrayOf(
                    "text", commits.stream().map(CommitSummary::sha).toArray());
            Map<String, List<DeveloperRef>> coAuthors = new HashMap<>();
            Sql.list(
                    connection,
                    """
                    select cc.sha, cc.name, cc.email, d.login, coalesce(d.bot, false), cc.repository_id
                      from commit_coauthor cc left join developer d on d.id = cc.developer_id
                     where (cc.repository_id, cc.sha) in (select * from unnest(?::bigint[], ?::text[]))
                     order by cc.email""",
                    row -> coAuthors
                            .computeIfAbsent(row.getString(6) + "@" + row.getString(1), k -> new ArrayList<>())
                            .add(new DeveloperRef(
                                    row.getString(4), row.getString(2), row.getString(3), row.getBoolean(5))),
                    repositories,
                    shas);
            Map<String, List<CodespaceRef>> codespaces = new HashMap<>();
            Set<String> logins = new HashSet<>();
            makers.values().forEach(logins::addAll);
            Set<String> owners = logins.isEmpty()
                    ? Set.of()
                    : new HashSet<>(Sql.list(
                            connection,
                            "select distinct lower(owner_login) from codespace where lower(owner_login) = any (?)",
                            row -> row.getString(1),
                            connection.createArrayOf("text", logins.toArray())));
            List<CommitSummary> linked = commits.stream()
                    .filter(c -> makers.get(c.repositoryId() + "@" + c.sha()).stream()
                            .anyMatch(owners::contains))
                    .toList();
            if (!linked.isEmpty()) {
                Sql.list(
                        connection,
                        summaryLinks,
                        row -> codespaces.put(
                                row.getString(1) + "@" + row.getString(2), readJson(row.getString(3), CODESPACES)),
                        connection.createArrayOf(
                                "bigint",
                                linked.stream().map(CommitSummary::repositoryId).toArray()),
                        connection.createArrayOf(
                                "text", linked.stream().map(CommitSummary::sha).toArray()));
            }
            List<CommitSummary> result = new ArrayList<>(commits.size());
            for (CommitSummary c : commits) {
                String key = c.repositoryId() + "@" + c.sha();
                result.add(new CommitSummary(
                        c.sha(),
                        c.repository(),
                        c.message(),
                        c.authoredAt(),
                        c.url(),
                        c.author(),
                        coAuthors.getOrDefault(key, List.of()),
                        codespaces.getOrDefault(key, List.of()),
                        c.repositoryId()));
            }
            return result;
        });
    }

    private <T> T readJson(String text, TypeReference<T> type) throws SQLException {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new SQLException("unreadable aggregate", e);
        }
    }

    private static CommitSummary summary(ResultSet row) throws SQLException {
        return new CommitSummary(
                row.getString("sha"),
                row.getString("full_name"),
                row.getString("message"),
                Sql.instant(row, "authored_at"),
                row.getString("url"),
                developer(row, "author"),
                List.of(),
                List.of(),
                row.getLong("repository_id"));
    }

    private static DeveloperRef developer(ResultSet row, String role) throws SQLException {
        String name = row.getString(role + "_name");
        String email = row.getString(role + "_email");
        String login = row.getString(role + "_login");
        if (name == null && email == null && login == null) {
            return null;
        }
        return new DeveloperRef(login, name, email, row.getBoolean(role + "_bot"));
    }

    @FunctionalInterface
    private interface Read<T> {
        T run(Connection connection) throws SQLException;
    }

    /** A Codespace and the commits linked to it, or empty when the App has never heard of it. */
    public Optional<ApiViews.Codespace> codespace(String name) {
        return query(connection -> {
            Optional<ApiViews.Codespace> found = Sql.one(
                    connection,
                    """
                    select cs.name, cs.owner_login, coalesce(r.full_name, cs.repository_full_name), state, machine,
                           created_at, cs.updated_at, last_used_at, git_ref, git_ahead, git_behind,
                           array(select distinct branch from (
                                     select e.branch from codespace_event e
                                      where e.codespace_name = cs.name and e.branch is not null
                                     union select cs.git_ref where cs.git_ref is not null) b(branch)
                                  order by branch) as branches,
                           r.id as repository_id
                      from codespace cs left join repository r on r.id = cs.repository_id and r.removed_at is null
                     where cs.name = ?""",
                    row -> new ApiViews.Codespace(
                            row.getString(1),
                            row.getString(2),
                            row.getString(3),
                            row.getString(4),
                            row.getString(5),
                            Sql.instant(row, "created_at"),
                            Sql.instant(row, "updated_at"),
                            Sql.instant(row, "last_used_at"),
                            row.getString(9),
                            (Integer) row.getObject(10),
                            (Integer) row.getObject(11),
                            List.of((String[]) row.getArray(12).getArray()),
                            List.of(),
                            (Long) row.getObject("repository_id")),
                    name);
            if (found.isEmpty()) {
                return found;
            }
            ApiViews.Codespace codespace = found.get();
            List<ApiViews.CodespaceCommit> commits = Sql.list(
                    connection,
                    codespaceCommits,
                    row -> new ApiViews.CodespaceCommit(
                            row.getString(1), Sql.instant(row, "authored_at"), row.getString(3), row.getString(4)),
                    name);
            return Optional.of(new ApiViews.Codespace(
                    codespace.name(),
                    codespace.owner(),
                    codespace.repository(),
                    codespace.state(),
                    codespace.machine(),
                    codespace.createdAt(),
                    codespace.updatedAt(),
                    codespace.lastUsedAt(),
                    codespace.gitRef(),
                    codespace.ahead(),
                    codespace.behind(),
                    codespace.branches(),
                    commits,
                    codespace.repositoryId()));
        });
    }

    /**
     * A Codespace's commits: those its reports name, those its owner pushed to its repository
     * since it was created, and those its owner wrote with a trailer; each kept when the commit's
     * own links name this Codespace, so both views apply one rule.
     */
    private static final String CODESPACE_COMMITS = """
            with cs as (select name, owner_login, repository_id,
                               least(created_at, first_seen_at) - interval '1 day' as since
                          from codespace where name = ?),
                 owner as (select d.id from developer d join cs on lower(d.login) = lower(cs.owner_login)),
                 repo as (select r.id from repository r join cs on r.id = cs.repository_id where r.removed_at is null),
                 candidates as (
                      select x.sha from cs join codespace_event e on e.codespace_name = cs.name
                       cross join lateral (select e.sha union select unnest(e.commits)) x(sha)
                       where x.sha is not null
                      union
                      select unnest(p.commit_shas) from cs, push p
                       where p.pusher_id in (select id from owner) and p.pushed_at >= cs.since
                         and p.repository_id in (select id from repo)
                      union
                      select c.sha from cs, git_commit c
                       where c.author_id in (select id from owner) and c.authored_at >= cs.since
                         and c.repository_id in (select id from repo) and c.message like '%%Codespace:%%')
            select c.sha, c.authored_at, x.confidence, x.source
              from candidates k
              join git_commit c on c.sha = k.sha and c.repository_id in (select id from repo)
              join repository r on r.id = c.repository_id
             cross join lateral (%s) x
             where x.name = (select name from cs)
             order by c.authored_at desc, c.sha
             limit 500""";

    private <T> T query(Read<T> read) {
        try (Connection connection = dataSource.getConnection()) {
            return read.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Read failed: " + e.getMessage(), e);
        }
    }
}
