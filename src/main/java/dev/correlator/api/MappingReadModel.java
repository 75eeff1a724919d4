package dev.correlator.api;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.correlator.api.ApiViews.CodespaceRef;
import dev.correlator.api.ApiViews.Commit;
import dev.correlator.api.ApiViews.CommitSummary;
import dev.correlator.api.ApiViews.DeveloperRef;
import dev.correlator.api.ApiViews.PullRequestRef;
import dev.correlator.api.ApiViews.PushRef;
import dev.correlator.db.Sql;
import io.agroal.api.AgroalDataSource;

/**
 * The API's reads: plain queries, each shaped for an index, answered from PostgreSQL alone.
 * GitHub is never asked.
 */
@ApplicationScoped
public class MappingReadModel {

    /** Where a sha or prefix was found. */
    public record Located(String sha, long repositoryId, String repository) {
    }

    private static final String COMMIT_COLUMNS = """
            c.repository_id, r.full_name, c.sha, c.message, c.authored_at, c.committed_at, c.url,
            c.author_name, c.author_email, a.login as author_login, coalesce(a.bot, false) as author_bot,
            c.committer_name, c.committer_email, m.login as committer_login,
            coalesce(m.bot, false) as committer_bot""";

    private static final String COMMIT_FROM = """
            from git_commit c
            join repository r on r.id = c.repository_id
            left join developer a on a.id = c.author_id
            left join developer m on m.id = c.committer_id""";

    @Inject
    AgroalDataSource dataSource;

    public List<Located> locate(String shaOrPrefix, Long repositoryId, int limit) {
        boolean full = shaOrPrefix.length() == 40;
        String where = full ? "c.sha = ?" : "c.sha like ?";
        String sql = "select c.sha, c.repository_id, r.full_name from git_commit c join repository r on r.id = c.repository_id"
                + " where " + where + (repositoryId == null ? "" : " and c.repository_id = ?")
                + " order by c.sha, r.full_name limit ?";
        Object key = full ? shaOrPrefix : shaOrPrefix + "%";
        return query(connection -> Sql.list(connection, sql,
                row -> new Located(row.getString(1), row.getLong(2), row.getString(3)),
                repositoryId == null ? new Object[] { key, limit } : new Object[] { key, repositoryId, limit }));
    }

    public Commit commit(long repositoryId, String sha) {
        CommitSummary summary = withCoAuthors("select " + COMMIT_COLUMNS + " " + COMMIT_FROM
                + " where c.repository_id = ? and c.sha = ?", repositoryId, sha).get(0);
        return query(connection -> {
            record Committed(Instant at, DeveloperRef by) {
            }
            Committed committed = Sql.one(connection, """
                    select c.committed_at, c.committer_name, c.committer_email, m.login as committer_login,
                           coalesce(m.bot, false) as committer_bot
                      from git_commit c left join developer m on m.id = c.committer_id
                     where c.repository_id = ? and c.sha = ?""",
                    row -> new Committed(Sql.instant(row, "committed_at"), developer(row, "committer")),
                    repositoryId, sha).orElseThrow();
            List<String> branches = new ArrayList<>();
            List<String> former = new ArrayList<>();
            Sql.list(connection, """
                    select branch, left_at from branch_commit where repository_id = ? and sha = ?
                     order by added_at, branch""", row -> {
                (row.getTimestamp(2) == null ? branches : former).add(row.getString(1));
                return null;
            }, repositoryId, sha);
            List<PushRef> pushes = Sql.list(connection, """
                    select p.delivery_id, p.ref, coalesce(d.login, p.pusher_name) as pusher, p.pushed_at, p.forced
                      from push_commit pc
                      join push p on p.delivery_id = pc.delivery_id
                      left join developer d on d.id = p.pusher_id
                     where pc.sha = ? and p.repository_id = ?
                     order by p.pushed_at, p.delivery_id""",
                    row -> new PushRef(row.getString(1), row.getString(2), row.getString(3),
                            Sql.instant(row, "pushed_at"), row.getBoolean(5)),
                    sha, repositoryId);
            List<PullRequestRef> pulls = Sql.list(connection, """
                    select pr.number, pr.state, pr.html_url, pr.title from pull_request pr
                     where pr.repository_id = ? and (pr.merge_commit_sha = ? or exists (
                           select 1 from pull_request_commit prc
                            where prc.pull_request_id = pr.id and prc.sha = ? and prc.left_at is null))
                     order by pr.number""",
                    row -> new PullRequestRef(row.getInt(1), row.getString(2), row.getString(3), row.getString(4)),
                    repositoryId, sha, sha);
            return new Commit(summary.sha(), summary.repository(), summary.message(), summary.authoredAt(),
                    committed.at(), summary.url(), summary.author(), committed.by(), summary.coAuthors(), branches,
                    former,
                    pushes, pulls, List.<CodespaceRef> of());
        });
    }

    /** Newest first; the cursor is the last item's (authoredAt, sha), so pages never shift. */
    public List<CommitSummary> commits(long repositoryId, String branch, Long authorId, Instant since, Instant until,
            Instant beforeTime, String beforeSha, int limit) {
        StringBuilder sql = new StringBuilder("select " + COMMIT_COLUMNS + " " + COMMIT_FROM
                + " where c.repository_id = ?");
        List<Object> parameters = new ArrayList<>(List.of(repositoryId));
        if (branch != null) {
            sql.append(" and exists (select 1 from branch_commit b where b.repository_id = c.repository_id"
                    + " and b.sha = c.sha and b.branch = ? and b.left_at is null)");
            parameters.add(branch);
        }
        if (authorId != null) {
            sql.append(" and c.author_id = ?");
            parameters.add(authorId);
        }
        if (since != null) {
            sql.append(" and c.authored_at >= ?");
            parameters.add(since);
        }
        if (until != null) {
            sql.append(" and c.authored_at <= ?");
            parameters.add(until);
        }
        if (beforeTime != null) {
            sql.append(" and (c.authored_at, c.sha) < (?, ?)");
            parameters.add(beforeTime);
            parameters.add(beforeSha);
        }
        sql.append(" order by c.authored_at desc, c.sha desc limit ?");
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

    public List<CommitSummary> developerCommits(long developerId, int limit) {
        return withCoAuthors("select " + COMMIT_COLUMNS + " " + COMMIT_FROM
                + " where c.author_id = ? order by c.authored_at desc, c.sha desc limit ?", developerId, limit);
    }

    public List<String> emails(long developerId) {
        return query(connection -> Sql.list(connection,
                "select email from developer_email where developer_id = ? order by seen_at, email",
                row -> row.getString(1), developerId));
    }

    public DeveloperRef developer(long developerId) {
        return query(connection -> Sql.one(connection, "select login, name, bot from developer where id = ?",
                row -> new DeveloperRef(row.getString(1), row.getString(2), null, row.getBoolean(3)), developerId)
                .orElse(null));
    }

    private List<CommitSummary> withCoAuthors(String sql, Object... parameters) {
        return query(connection -> {
            List<CommitSummary> commits = Sql.list(connection, sql, MappingReadModel::summary, parameters);
            if (commits.isEmpty()) {
                return commits;
            }
            Map<String, List<DeveloperRef>> coAuthors = new HashMap<>();
            Sql.list(connection, """
                    select cc.sha, cc.name, cc.email, d.login, coalesce(d.bot, false), r.full_name
                      from commit_coauthor cc left join developer d on d.id = cc.developer_id
                      join repository r on r.id = cc.repository_id
                     where (r.full_name, cc.sha) in (select * from unnest(?::text[], ?::text[]))
                     order by cc.email""", row -> coAuthors.computeIfAbsent(row.getString(6) + "@" + row.getString(1), k -> new ArrayList<>())
                    .add(new DeveloperRef(row.getString(4), row.getString(2), row.getString(3), row.getBoolean(5))),
                    connection.createArrayOf("text", commits.stream().map(CommitSummary::repository).toArray()),
                    connection.createArrayOf("text", commits.stream().map(CommitSummary::sha).toArray()));
            List<CommitSummary> result = new ArrayList<>(commits.size());
            for (CommitSummary c : commits) {
                result.add(new CommitSummary(c.sha(), c.repository(), c.message(), c.authoredAt(), c.url(),
                        c.author(), coAuthors.getOrDefault(c.repository() + "@" + c.sha(), List.of())));
            }
            return result;
        });
    }

    private static CommitSummary summary(ResultSet row) throws SQLException {
        return new CommitSummary(row.getString("sha"), row.getString("full_name"), row.getString("message"),
                Sql.instant(row, "authored_at"), row.getString("url"), developer(row, "author"), List.of());
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

    private <T> T query(Read<T> read) {
        try (Connection connection = dataSource.getConnection()) {
            return read.run(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Read failed: " + e.getMessage(), e);
        }
    }
}
