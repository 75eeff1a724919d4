package dev.correlator.change;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.correlator.db.Sql;
import dev.correlator.identity.CoAuthorTrailers;
import dev.correlator.identity.DeveloperDirectory;

/** Writes commits and their co-authors in one batch each, whatever brought them. */
public final class CommitWriter {

    // A commit seen again keeps what it had; a developer resolved later fills a gap.
    private static final String UPSERT = """
            insert into git_commit (repository_id, sha, message, authored_at, committed_at, author_id, author_name,
                                    author_email, committer_id, committer_name, committer_email, url, first_seen_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (repository_id, sha) do update
               set author_id = coalesce(git_commit.author_id, excluded.author_id),
                   committer_id = coalesce(git_commit.committer_id, excluded.committer_id)
             where (git_commit.author_id is null and excluded.author_id is not null)
                or (git_commit.committer_id is null and excluded.committer_id is not null)""";

    private static final String COAUTHOR = """
            insert into commit_coauthor (repository_id, sha, email, name, developer_id) values (?, ?, ?, ?, ?)
            on conflict (repository_id, sha, email) do update set developer_id = excluded.developer_id
             where commit_coauthor.developer_id is null and excluded.developer_id is not null""";

    private CommitWriter() {
    }

    public static void write(Connection connection, DeveloperDirectory developers, long repositoryId,
            List<CommitFact> commits, Instant seenAt) throws SQLException {
        List<Object[]> rows = new ArrayList<>(commits.size());
        List<Object[]> coAuthors = new ArrayList<>();
        // Rows in sha order: concurrent deliveries touching the same commits lock them in the
        // same order and cannot deadlock each other.
        List<CommitFact> ordered = new ArrayList<>(commits);
        ordered.sort(java.util.Comparator.comparing(CommitFact::sha));
        for (CommitFact c : ordered) {
            rows.add(new Object[] { repositoryId, c.sha(), c.message(),
                    c.authoredAt() != null ? c.authoredAt() : seenAt, c.committedAt(),
                    c.authorId(), c.authorName(), c.authorEmail(), c.committerId(), c.committerName(),
                    c.committerEmail(), c.url(), seenAt });
            for (CoAuthorTrailers.CoAuthor coAuthor : c.coAuthors()) {
                Long developer = developers.person(null, coAuthor.name(), coAuthor.email());
                coAuthors.add(new Object[] { repositoryId, c.sha(), coAuthor.email(), coAuthor.name(), developer });
            }
        }
        Sql.batch(connection, UPSERT, rows);
        Sql.batch(connection, COAUTHOR, coAuthors);
    }
}
