package dev.correlator.change;

/** Queued work about one pull request: which one, and where (the payload of its queue rows). */
public record PullRequestWork(long pullRequestId, long repositoryId, String repository, int number) {
}
