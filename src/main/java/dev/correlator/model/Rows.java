package dev.correlator.model;

import java.time.Instant;
import java.util.List;

/**
 * The rows projections produce, one record per table (or per kind of change to one), named by
 * what they hold. Developers are named by {@link DeveloperKey}, never by database id.
 */
public final class Rows {

    private Rows() {}

    // ---- developer, developer_email ----

    /** An account as GitHub names it with its numeric id: the only thing that sets an id's login. */
    public record DeveloperAccount(long githubId, String login, String name, boolean bot) {}

    /** A login no developer has yet (a push commit's username, a pusher). */
    public record DeveloperLogin(String login, boolean bot) {}

    /** An e-mail (normalised) tied to a developer; the first developer tied to an address keeps it. */
    public record DeveloperEmail(String email, DeveloperKey developer) {}

    // ---- git_commit, commit_coauthor ----

    public record Commit(
            long repositoryId,
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
            String url,
            Instant firstSeenAt) {}

    public record CoAuthor(long repositoryId, String sha, String email, String name, DeveloperKey developer) {}

    // ---- push, branch_commit ----

    public record Push(
            String deliveryId,
            long repositoryId,
            String ref,
            String refType,
            String refName,
            String beforeSha,
            String afterSha,
            boolean created,
            boolean deleted,
            boolean forced,
            String baseRef,
            DeveloperKey pusher,
            String pusherName,
            DeveloperKey sender,
            int commitCount,
            boolean truncated,
            Instant pushedAt,
            Instant receivedAt,
            List<String> commitShas) {}

    /** The commits GitHub's compare API listed beyond a truncated push payload, appended to its list. */
    public record PushCommitsAdded(String deliveryId, List<String> shas) {}

    /**
     * A commit is on a branch (again). {@code addedDeliveryId} names the push that brought it, so
     * a commit's pushes are found through it; {@code authoredAt} is null when only the model knows
     * it ({@link BranchCommitTime}).
     */
    public record BranchCommit(
            long repositoryId,
            String branch,
            String sha,
            String addedDeliveryId,
            Instant addedAt,
            Instant authoredAt) {}

    /** A new branch at a commit the payload does not list: its time is copied from the model's commit. */
    public record BranchCommitTime(long repositoryId, String branch, String sha) {}

    /** A force push took the commit off the branch. */
    public record BranchCommitForced(long repositoryId, String branch, String sha, Instant leftAt, String deliveryId) {}

    /**
     * A force push took these commits off the branch (GitHub's compare API listed them), unless a
     * later push brought one back: only what was there when that push happened leaves.
     */
    public record BranchCommitsForced(String deliveryId, long repositoryId, String branch, List<String> shas) {}

    /** The branch was deleted: every commit on it left. */
    public record BranchDeleted(long repositoryId, String branch, Instant leftAt, String deliveryId) {}

    // ---- pull_request, pull_request_commit ----

    public record PullRequest(
            long id,
            long repositoryId,
            int number,
            String title,
            String state,
            boolean draft,
            DeveloperKey author,
            String headRef,
            String headSha,
            Long headRepositoryId,
            String headRepositoryFullName,
            String baseRef,
            String baseSha,
            String mergeCommitSha,
            String htmlUrl,
            Instant createdAt,
            Instant updatedAt,
            Instant closedAt,
            Instant mergedAt) {}

    public record PullRequestCommit(long pullRequestId, String sha, Instant addedAt) {}

    /** The commits of the recorded push that moved the pull request's head to {@code headSha}, if it came first. */
    public record PullRequestCommitsOfPush(
            long pullRequestId, long repositoryId, String headRef, String headSha, Instant addedAt) {}

    /** A force push to the head branch replaced commits: those that left the branch leave the pull request. */
    public record PullRequestCommitsOffBranch(long pullRequestId, long repositoryId, String headRef, Instant leftAt) {}

    /** GitHub listed the pull request's commits: the ones it no longer lists left. */
    public record PullRequestCommitsListed(long pullRequestId, List<String> shas, Instant at) {}

    // ---- installation, repository, repository_settings ----

    /**
     * {@code changesState}: an installation event sets the state; installation_repositories says
     * nothing about suspension and keeps the state it finds.
     */
    public record Installation(
            long id,
            long accountId,
            String accountLogin,
            String accountType,
            String repositorySelection,
            String state,
            Instant createdAt,
            boolean changesState) {}

    /** The installation's account was renamed. */
    public record InstallationAccountRenamed(long accountId, String login) {}

    public record Repository(
            long id,
            Long installationId,
            Long ownerId,
            String ownerLogin,
            String name,
            String fullName,
            String htmlUrl,
            String defaultBranch,
            Boolean isPrivate) {}

    /** GitHub removed the repository (deleted, or taken out of the installation). */
    public record RepositoryRemoved(long id) {}

    /** The account that owns repositories was renamed: their names follow. */
    public record RepositoryOwnerRenamed(long ownerId, Long installationId, String previousLogin, String login) {}

    /** A push to the default branch changed the repository's settings file: read it again when next needed. */
    public record RepositorySettingsChanged(long repositoryId) {}
}
