package dev.correlator.change;

import java.time.Instant;
import java.util.List;

import dev.correlator.identity.CoAuthorTrailers;
import dev.correlator.model.DeveloperKey;

/** A commit as the model stores it, whichever payload or API answer it came from. */
public record CommitFact(
        String sha,
        String message,
        Instant authoredAt,
        Instant committedAt,
        DeveloperKey author,
        String authorName,
        String authorEmail,
        DeveloperKey committer,
        String committerName,
        String committerEmail,
        String url) {

    public List<CoAuthorTrailers.CoAuthor> coAuthors() {
        return CoAuthorTrailers.parse(message);
    }
}
