package dev.correlator.model;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

import dev.correlator.db.Columns;
import dev.correlator.db.Pipeline;

import static dev.correlator.model.DeveloperKey.emailOf;
import static dev.correlator.model.DeveloperKey.githubIdOf;
import static dev.correlator.model.DeveloperKey.loginOf;

/** Writes commits and their co-authors, whatever brought them, one statement each per batch. */
final class CommitWriter {

    private CommitWriter() {}

    // A commit seen again keeps what it had; a developer resolved later fills a gap.
    private static final String UPSERT =
            """
            insert into git_commit (repository_id, sha, message, authored_at, committed_at, author_id, author_name,
                                    author_email, committer_id, committer_name, committer_email, url, first_seen_at)
            select r, s, m, a, c, %s, an, ae, %s, cn, ce, url, f
              from unnest(?::bigint[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[],
                          ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[],
                          ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
                   as u(r, s, m, a, c, ag, al, am, an, ae, cg, cl, cm, cn, ce, url, f)
            on conflict (repository_id, sha) do update
               set author_id = coalesce(git_commit.author_id, excluded.author_id),
                   committer_id = coalesce(git_commit.committer_id, excluded.committer_id)
             where (git_commit.author_id is null and excluded.author_id is not null)
                or (git_commit.committer_id is null and excluded.committer_id is not null)""".formatted(DeveloperWriter.resolve("ag", "al", "am"), DeveloperWriter.resolve("cg", "cl", "cm"));

    private static final String COAUTHOR = """
            insert into commit_coauthor (repository_id, sha, email, name, developer_id)
            select r, s, e, n, %s
              from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[])
                   as u(r, s, e, n, g, l, m)
            on conflict (repository_id, sha, email) do update set developer_id = excluded.developer_id
             where commit_coauthor.developer_id is null and excluded.developer_id is not null""".formatted(DeveloperWriter.resolve("g", "l", "m"));

    /** A commit that two deliveries of one batch carry is written as the first one has it. */
    static void write(Connection connection, ModelRows rows, Pipeline trip) throws SQLException {
        Map<String, Rows.Commit> commits = new TreeMap<>();
        rows.commits().forEach(c -> commits.putIfAbsent(c.repositoryId() + ":" + c.sha(), c));
        if (!commits.isEmpty()) {
            trip.update(
                    UPSERT,
                    Columns.of(connection, commits.values())
                            .bigint(Rows.Commit::repositoryId)
                            .text(Rows.Commit::sha)
                            .text(Rows.Commit::message)
                            .timestamptz(Rows.Commit::authoredAt)
                            .timestamptz(Rows.Commit::committedAt)
                            .bigint(c -> githubIdOf(c.author()))
                            .text(c -> loginOf(c.author()))
                            .text(c -> emailOf(c.author()))
                            .text(Rows.Commit::authorName)
                            .text(Rows.Commit::authorEmail)
                            .bigint(c -> githubIdOf(c.committer()))
                            .text(c -> loginOf(c.committer()))
                            .text(c -> emailOf(c.committer()))
                            .text(Rows.Commit::committerName)
                            .text(Rows.Commit::committerEmail)
                            .text(Rows.Commit::url)
                            .timestamptz(Rows.Commit::firstSeenAt)
                            .parameters());
        }
        Map<String, Rows.CoAuthor> coAuthors = new TreeMap<>();
        rows.coAuthors().forEach(c -> coAuthors.putIfAbsent(c.repositoryId() + ":" + c.sha() + ":" + c.email(), c));
        if (!coAuthors.isEmpty()) {
            trip.update(
                    COAUTHOR,
                    Columns.of(connection, coAuthors.values())
                            .bigint(Rows.CoAuthor::repositoryId)
                            .text(Rows.CoAuthor::sha)
                            .text(Rows.CoAuthor::email)
                            .text(Rows.CoAuthor::name)
                            .bigint(c -> githubIdOf(c.developer()))
                            .text(c -> loginOf(c.developer()))
                            .text(c -> emailOf(c.developer()))
                            .parameters());
        }
    }
}
