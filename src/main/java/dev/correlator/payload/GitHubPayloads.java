package dev.correlator.payload;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The parts of GitHub's webhook payloads the App reads. Unknown fields are skipped; a field
 * of the wrong type fails the parse (see {@link WebhookPayloadReader}).
 */
public final class GitHubPayloads {

    private GitHubPayloads() {}

    /** What the inbox records of any delivery, whatever its event. */
    public interface Event {
        Long installationId();

        Repository repository();

        default String action() {
            return null;
        }
    }

    /** The fields every event may carry, read for the inbox row of a delivery no projector follows. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Envelope(String action, InstallationRef installation, Repository repository) implements Event {
        @Override
        public Long installationId() {
            return installation == null ? null : installation.id();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InstallationRef(Long id) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Account(Long id, String login, String type, String name, String email) {

        public boolean bot() {
            return "Bot".equals(type)
                    || (login != null && login.toLowerCase(Locale.ROOT).endsWith("[bot]"));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Repository(
            Long id,
            String name,
            String fullName,
            Account owner,
            String htmlUrl,
            String defaultBranch,
            @JsonProperty("private") Boolean isPrivate,
            Instant pushedAt) {}

    // ---- push ----------------------------------------------------------------------------

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Push(
            String ref,
            String before,
            String after,
            boolean created,
            boolean deleted,
            boolean forced,
            String baseRef,
            String compare,
            List<PushCommit> commits,
            PushCommit headCommit,
            Pusher pusher,
            Account sender,
            Repository repository,
            InstallationRef installation)
            implements Event {
        @Override
        public Long installationId() {
            return installation == null ? null : installation.id();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PushCommit(
            String id,
            Boolean distinct,
            String message,
            Instant timestamp,
            String url,
            CommitPerson author,
            CommitPerson committer,
            List<String> added,
            List<String> modified,
            List<String> removed) {

        /** Whether the commit adds, changes or removes the file. */
        public boolean touches(String path) {
            return (added != null && added.contains(path))
                    || (modified != null && modified.contains(path))
                    || (removed != null && removed.contains(path));
        }
    }

    /** A commit's author or committer: username is present only when GitHub matched the e-mail. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CommitPerson(String name, String email, String username, Instant date) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Pusher(String name, String email) {}

    // ---- pull_request --------------------------------------------------------------------

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PullRequestEvent(
            String action,
            Integer number,
            PullRequest pullRequest,
            String before,
            String after,
            Repository repository,
            Account sender,
            InstallationRef installation)
            implements Event {
        @Override
        public Long installationId() {
            return installation == null ? null : installation.id();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PullRequest(
            Long id,
            Integer number,
            String state,
            String title,
            Account user,
            Boolean draft,
            String htmlUrl,
            Ref head,
            Ref base,
            Boolean merged,
            String mergeCommitSha,
            Instant createdAt,
            Instant updatedAt,
            Instant closedAt,
            Instant mergedAt) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Ref(String ref, String sha, Repository repo) {}

    // ---- installation, installation_repositories, repository -----------------------------

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InstallationEvent(
            String action,
            Installation installation,
            List<Repository> repositories,
            List<Repository> repositoriesAdded,
            List<Repository> repositoriesRemoved,
            String repositorySelection,
            Account sender)
            implements Event {
        @Override
        public Long installationId() {
            return installation == null ? null : installation.id();
        }

        /** Installation events name repositories in lists, not in a repository field. */
        @Override
        public Repository repository() {
            return null;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Installation(
            Long id, Account account, String repositorySelection, Instant createdAt, Instant updatedAt) {}

    /** installation_target: the account the App is installed on was renamed ({@code changes.login.from}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InstallationTargetEvent(
            String action,
            Account account,
            AccountChanges changes,
            InstallationRef installation,
            String targetType,
            Account sender)
            implements Event {
        @Override
        public Long installationId() {
            return installation == null ? null : installation.id();
        }

        @Override
        public Repository repository() {
            return null;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AccountChanges(Previous login) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Previous(String from) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RepositoryEvent(String action, Repository repository, InstallationRef installation, Account sender)
            implements Event {
        @Override
        public Long installationId() {
            return installation == null ? null : installation.id();
        }
    }

    // ---- GitHub REST API responses read by the queue's workers ---------------------------

    /** An item of GET /repos/{o}/{r}/pulls/{n}/commits and of the compare API's commits. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ApiCommit(String sha, ApiCommitDetail commit, Account author, Account committer, String htmlUrl) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ApiCommitDetail(String message, CommitPerson author, CommitPerson committer) {}

    /** GET /installation/repositories: one page of the repositories an installation can reach. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InstallationRepositories(Integer totalCount, List<Repository> repositories) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Compare(
            String status, Integer aheadBy, Integer behindBy, Integer totalCommits, List<ApiCommit> commits) {}
}
