package dev.correlator.change;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import dev.correlator.identity.CoAuthorTrailers;
import dev.correlator.identity.DeveloperDirectory;
import dev.correlator.identity.ErasedPeople;
import dev.correlator.identity.ErasedTrailers;
import dev.correlator.model.ModelRows;
import dev.correlator.model.Rows;

/** The rows of commits and their co-authors, whatever brought them. */
final class CommitRows {

    private CommitRows() {}

    static void add(
            ModelRows rows,
            DeveloperDirectory developers,
            long repositoryId,
            List<CommitFact> commits,
            Instant seenAt) {
        ErasedPeople erased = developers.erased();
        for (CommitFact fact : commits) {
            CommitFact c = withoutErased(fact, erased);
            rows.add(new Rows.Commit(
                    repositoryId,
                    c.sha(),
                    c.message(),
                    c.authoredAt() != null ? c.authoredAt() : seenAt,
                    c.committedAt(),
                    c.author(),
                    c.authorName(),
                    c.authorEmail(),
                    c.committer(),
                    c.committerName(),
                    c.committerEmail(),
                    c.url(),
                    seenAt));
            for (CoAuthorTrailers.CoAuthor coAuthor : c.coAuthors()) {
                if (erased.email(coAuthor.email())) {
                    continue;
                }
                rows.add(new Rows.CoAuthor(
                        repositoryId,
                        c.sha(),
                        coAuthor.email(),
                        coAuthor.name(),
                        developers.person(rows, null, coAuthor.email())));
            }
        }
    }

    /** The e-mails a prefetch asks about for these messages: co-authors and every trailer. */
    static void emailsOf(String message, Set<String> coAuthors, Set<String> trailers) {
        CoAuthorTrailers.parse(message).forEach(coAuthor -> coAuthors.add(coAuthor.email()));
        trailers.addAll(ErasedTrailers.emails(message));
    }

    /**
     * The commit stays (which branch and pull request hold it is no one's personal data), but an
     * erased author or committer is not named on it, nor in its trailers.
     */
    static CommitFact withoutErased(CommitFact c, ErasedPeople erased) {
        boolean author = erased.email(c.authorEmail());
        boolean committer = erased.email(c.committerEmail());
        String message = ErasedTrailers.remove(c.message(), erased::email);
        if (!author && !committer && message.equals(c.message())) {
            return c;
        }
        return new CommitFact(
                c.sha(),
                message,
                c.authoredAt(),
                c.committedAt(),
                author ? null : c.author(),
                author ? null : c.authorName(),
                author ? null : c.authorEmail(),
                committer ? null : c.committer(),
                committer ? null : c.committerName(),
                committer ? null : c.committerEmail(),
                c.url());
    }
}
