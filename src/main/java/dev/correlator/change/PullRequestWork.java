package dev.correlator.change;

/**
 * Queued work about one pull request: which one, and where (the payload of its queue rows).
 * {@code backfilled}: asked for by the backfill, whose pull requests get their comment at their
 * next change rather than all at once when the App is installed (each new comment notifies the
 * pull request's participants).
 */
public record PullRequestWork(
        long pullRequestId, long repositoryId, String repository, int number, boolean backfilled) {

    public PullRequestWork(long pullRequestId, long repositoryId, String repository, int number) {
        this(pullRequestId, repositoryId, repository, number, false);
    }
}
