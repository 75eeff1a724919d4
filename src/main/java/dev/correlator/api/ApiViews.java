package dev.correlator.api;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/** What the mapping API answers. Times are RFC 3339 in UTC. */
public final class ApiViews {

    private ApiViews() {}

    /** A person behind a commit: login is null while only their e-mail is known. */
    public record DeveloperRef(String login, String name, String email, boolean bot) {}

    public record PushRef(String deliveryId, String ref, String pusher, Instant pushedAt, boolean forced) {}

    public record PullRequestRef(int number, String state, String url, String title) {}

    /**
     * A Codespace a commit was made in. confidence: verified, corroborated or inferred; source:
     * reporter, trailer, poll or inference. Name, owner and source are null for a caller who may
     * not see the Codespace (see {@link CodespaceVisibility}).
     */
    public record CodespaceRef(String name, String owner, String confidence, String source) {

        /** Lower is surer. */
        int rank() {
            int confidenceRank = switch (confidence) {
                case "verified" -> 0;
                case "corroborated" -> 1;
                default -> 2;
            };
            int sourceRank = switch (source) {
                case "reporter" -> 0;
                case "trailer" -> 1;
                case "poll" -> 2;
                default -> 3;
            };
            return confidenceRank * 4 + sourceRank;
        }

        /**
         * For someone who may not see these Codespaces: one link that says only how sure the
         * surest of them is; none for none.
         */
        public static List<CodespaceRef> unnamed(List<CodespaceRef> links) {
            return links.stream()
                    .min(Comparator.comparingInt(CodespaceRef::rank))
                    .map(surest -> List.of(new CodespaceRef(null, null, surest.confidence(), null)))
                    .orElse(List.of());
        }

        /** The surest link per Codespace among these commits', in name order; only named ones. */
        static List<CodespaceRef> best(List<CommitSummary> commits) {
            Map<String, CodespaceRef> best = new TreeMap<>();
            for (CommitSummary commit : commits) {
                for (CodespaceRef link : commit.codespaces()) {
                    if (link.name() == null) {
                        continue;
                    }
                    best.merge(link.name(), link, (a, b) -> b.rank() < a.rank() ? b : a);
                }
            }
            return List.copyOf(best.values());
        }
    }

    /** A commit linked to a Codespace, with how sure the link is and where it came from. */
    public record CodespaceCommit(String sha, Instant authoredAt, String confidence, String source) {}

    /** A Codespace, as reports and the organization's API describe it; unknown fields are null. */
    public record Codespace(
            String name,
            String owner,
            String repository,
            String state,
            String machine,
            Instant createdAt,
            Instant updatedAt,
            Instant lastUsedAt,
            String gitRef,
            Integer ahead,
            Integer behind,
            List<String> branches,
            List<CodespaceCommit> commits,
            @JsonIgnore Long repositoryId) {}

    /**
     * The change-event span of a fact, and where to see its trace; present while spans are
     * exported. Its ids are derived from the fact, so it is right before the span has been sent.
     */
    public record Trace(String traceId, String spanId, String url) {}

    /** A commit; its trace is the span of the first push that brought it. */
    public record Commit(
            String sha,
            String repository,
            String message,
            Instant authoredAt,
            Instant committedAt,
            String url,
            DeveloperRef author,
            DeveloperRef committer,
            List<DeveloperRef> coAuthors,
            List<String> branches,
            List<String> formerBranches,
            List<PushRef> pushes,
            List<PullRequestRef> pullRequests,
            List<CodespaceRef> codespaces,
            Trace trace,
            @JsonIgnore long repositoryId) {}

    public record CommitSummary(
            String sha,
            String repository,
            String message,
            Instant authoredAt,
            String url,
            DeveloperRef author,
            List<DeveloperRef> coAuthors,
            List<CodespaceRef> codespaces,
            @JsonIgnore long repositoryId) {

        /** The same commit, showing these Codespace links instead (a reader may see fewer). */
        public CommitSummary withCodespaces(List<CodespaceRef> links) {
            return links == codespaces
                    ? this
                    : new CommitSummary(
                            sha, repository, message, authoredAt, url, author, coAuthors, links, repositoryId);
        }
    }

    public record Page<T>(List<T> items, String nextCursor) {}

    public record BranchRef(String ref, String sha, String repository) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record PullRequest(
            int number,
            String repository,
            String title,
            String state,
            boolean draft,
            String url,
            DeveloperRef author,
            BranchRef head,
            BranchRef base,
            String mergeCommitSha,
            Instant createdAt,
            Instant updatedAt,
            Instant closedAt,
            Instant mergedAt,
            List<CommitSummary> commits,
            List<CodespaceRef> codespaces,
            Trace trace) {}

    /** codespaces: the Codespaces their recent commits were made in. */
    public record Developer(
            String login,
            Long githubId,
            String name,
            boolean bot,
            List<String> emails,
            List<CommitSummary> recentCommits,
            List<CodespaceRef> codespaces) {}

    /** Answered with 409 when a sha or prefix names more than one commit. */
    public record Candidate(String sha, String repository) {}
}
