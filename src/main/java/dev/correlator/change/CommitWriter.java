package dev.correlator.change;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import dev.correlator.db.BatchWrites;
import dev.correlator.identity.CoAuthorTrailers;
import dev.correlator.identity.ErasedTrailers;
import dev.correlator.identity.Tombstones;
import dev.correlator.webhook.ProjectionContext;

/** Writes commits and their co-authors in one batch each, whatever brought them. */
public final class CommitWriter {

    // A commit seen again keeps what it had; a developer resolved later fills a gap.
    private static final BatchWrites.ColumnArrays UPSERT = new BatchWrites.ColumnArrays(
            """
            insert into git_commit (repository_id, sha, message, authored_at, committed_at, author_id, author_name,
                                    author_email, committer_id, committer_name, committer_email, url, first_seen_at)
            select * from unnest(?::bigint[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::bigint[],
                                 ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::timestamptz[])
            on conflict (repository_id, sha) do update
               set author_id = coalesce(git_commit.author_id, excluded.author_id),
                   committer_id = coalesce(git_commit.committer_id, excluded.committer_id)
             where (git_commit.author_id is null and excluded.author_id is not null)
                or (git_commit.committer_id is null and excluded.committer_id is not null)""",
            "bigint",
            "text",
            "text",
            "timestamptz",
            "timestamptz",
            "bigint",
            "text",
            "text",
            "bigint",
            "text",
            "text",
            "text",
            "timestamptz");

    private static final BatchWrites.ColumnArrays COAUTHOR =
            new BatchWrites.ColumnArrays("""
            insert into commit_coauthor (repository_id, sha, email, name, developer_id)
            select * from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[])
            on conflict (repository_id, sha, email) do update set developer_id = excluded.developer_id
             where commit_coauthor.developer_id is null and excluded.developer_id is not null""", "bigint", "text", "text", "text", "bigint");

    private CommitWriter() {}

    /** Adds the commits to the context's waiting rows; they are written when it flushes. */
    public static void write(ProjectionContext context, long repositoryId, List<CommitFact> commits, Instant seenAt)
            throws SQLException {
        Tombstones erased = context.developers().tombstones();
        for (CommitFact fact : commits) {
            CommitFact c = withoutErased(fact, erased);
            String key = repositoryId + ":" + c.sha();
            context.writes()
                    .add(
                            UPSERT,
                            key,
                            repositoryId,
                            c.sha(),
                            c.message(),
                            c.authoredAt() != null ? c.authoredAt() : seenAt,
                            c.committedAt(),
                            c.authorId(),
                            c.authorName(),
                            c.authorEmail(),
                            c.committerId(),
                            c.committerName(),
                            c.committerEmail(),
                            c.url(),
                            seenAt);
            for (CoAuthorTrailers.CoAuthor coAuthor : c.coAuthors()) {
                if (erased.email(coAuthor.email())) {
                    continue;
                }
                Long developer = context.developers().person(null, coAuthor.name(), coAuthor.email());
                context.writes()
                        .add(
                                COAUTHOR,
                                key + ":" + coAuthor.email(),
                                repositoryId,
                                c.sha(),
                                coAuthor.email(),
                                coAuthor.name(),
                                developer);
            }
        }
    }

    /**
     * The commit stays (which branch and pull request hold it is no one's personal data), but an
     * erased author or committer is not named on it, nor in its trailers.
     */
    static CommitFact withoutErased(CommitFact c, Tombstones erased) throws SQLException {
        boolean author = erased.email(c.authorEmail());
        boolean committer = erased.email(c.committerEmail());
        String message = ErasedTrailers.remove(c.message(), erased);
        if (!author && !committer && message.equals(c.message())) {
            return c;
        }
        return new CommitFact(
                c.sha(),
                message,
                c.authoredAt(),
                c.committedAt(),
                author ? null : c.authorId(),
                author ? null : c.authorName(),
                author ? null : c.authorEmail(),
                committer ? null : c.committerId(),
                committer ? null : c.committerName(),
                committer ? null : c.committerEmail(),
                c.url());
    }
}
