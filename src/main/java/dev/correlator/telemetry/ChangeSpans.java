package dev.correlator.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.correlator.payload.GitHubPayloads;
import dev.correlator.payload.GitHubPayloads.Push;
import dev.correlator.payload.GitHubPayloads.PushCommit;
import dev.correlator.payload.GitRef;

/**
 * The spans of the changes the App records, with OpenTelemetry's vcs.* attributes (semantic
 * conventions 1.37.0, the version Quarkus 3.33 manages), enduser.id for the developer's login
 * and github.* for the rest. No e-mail address goes into a span.
 */
public final class ChangeSpans {

    /** A pull request a push belongs to: the push span links to its span. */
    public record PullRequestRef(long repositoryId, int number) {}

    private ChangeSpans() {}

    /**
     * A push: from when GitHub received it (repository.pushed_at) to when the App stored it, with
     * a child span per commit it listed (at the push's start: GitHub gives no time for the
     * commit's arrival), linked to the open pull requests of its branch.
     */
    public static QueuedSpan push(String deliveryId, Push push, Instant storedAt, List<PullRequestRef> pullRequests) {
        GitRef ref = GitRef.parse(push.ref());
        Instant start = push.repository().pushedAt() != null
                        && push.repository().pushedAt().isBefore(storedAt)
                ? push.repository().pushedAt()
                : storedAt;
        String traceId = SpanIds.deliveryTrace(deliveryId);
        String spanId = SpanIds.deliverySpan(deliveryId);
        List<PushCommit> commits = push.commits() == null ? List.of() : push.commits();
        String pusher = push.pusher() != null ? push.pusher().name() : null;

        QueuedSpan.Attributes attributes = repository(push.repository())
                .put("vcs.ref.head.name", ref.name())
                .put("vcs.ref.head.revision", push.after())
                .put("vcs.ref.head.type", ref.branch() || "tag".equals(ref.type()) ? ref.type() : null)
                .put("enduser.id", pusher != null ? pusher : login(push.sender()))
                .put("github.delivery.id", deliveryId)
                .put("github.pusher", pusher)
                .put("github.sender", login(push.sender()))
                .put("github.push.before", push.before())
                .put("github.push.forced", push.forced())
                .put("github.push.created", push.created())
                .put("github.push.deleted", push.deleted())
                .put("github.push.commit_count", commits.size())
                .put(
                        "github.push.distinct_commit_count",
                        commits.stream()
                                .filter(c -> !Boolean.FALSE.equals(c.distinct()))
                                .count());
        List<QueuedSpan.Link> links = new ArrayList<>();
        for (PullRequestRef pr : pullRequests) {
            links.add(new QueuedSpan.Link(
                    SpanIds.pullRequestTrace(pr.repositoryId(), pr.number()),
                    SpanIds.pullRequestSpan(pr.repositoryId(), pr.number())));
        }
        List<QueuedSpan> children = new ArrayList<>(commits.size());
        long at = QueuedSpan.nanos(start);
        for (PushCommit commit : commits) {
            // The repository, branch and delivery come from the push when exported (QueuedSpan.INHERITED).
            QueuedSpan.Attributes commitAttributes = new QueuedSpan.Attributes()
                    .put("vcs.ref.head.revision", commit.id())
                    .put("enduser.id", commit.author() != null ? commit.author().username() : null)
                    .put("github.commit.title", title(commit.message()))
                    .put("github.commit.distinct", commit.distinct());
            children.add(new QueuedSpan(
                    traceId,
                    SpanIds.commitSpan(deliveryId, commit.id()),
                    spanId,
                    "commit " + commit.id().substring(0, 7),
                    at,
                    at,
                    commitAttributes.build(),
                    List.of(),
                    List.of(),
                    null));
        }
        return new QueuedSpan(
                traceId,
                spanId,
                null,
                "push " + ref.name(),
                at,
                QueuedSpan.nanos(storedAt),
                attributes.build(),
                links,
                children,
                owner(push.repository()));
    }

    /**
     * A pull request action, in the pull request's trace under its own span, at the pull
     * request's updated_at.
     */
    public static QueuedSpan pullRequestAction(String deliveryId, GitHubPayloads.PullRequestEvent event, String state) {
        GitHubPayloads.PullRequest pr = event.pullRequest();
        long repositoryId = event.repository().id();
        Instant at = pr.updatedAt() != null ? pr.updatedAt() : pr.createdAt();
        long nanos = QueuedSpan.nanos(at);
        QueuedSpan.Attributes attributes = pullRequestAttributes(event, state)
                .put("enduser.id", login(event.sender()))
                .put("github.delivery.id", deliveryId)
                .put("github.pull_request.action", event.action());
        return new QueuedSpan(
                SpanIds.pullRequestTrace(repositoryId, pr.number()),
                SpanIds.deliverySpan(deliveryId),
                SpanIds.pullRequestSpan(repositoryId, pr.number()),
                "pull_request " + event.action(),
                nanos,
                nanos,
                attributes.build(),
                List.of(),
                List.of(),
                owner(event.repository()));
    }

    /**
     * The pull request itself, recorded once (the first time the App hears of it): the root of its
     * trace, at its creation.
     */
    public static QueuedSpan pullRequest(GitHubPayloads.PullRequestEvent event, String state) {
        GitHubPayloads.PullRequest pr = event.pullRequest();
        long repositoryId = event.repository().id();
        long nanos = QueuedSpan.nanos(pr.createdAt() != null ? pr.createdAt() : pr.updatedAt());
        QueuedSpan.Attributes attributes = pullRequestAttributes(event, state).put("enduser.id", login(pr.user()));
        return new QueuedSpan(
                SpanIds.pullRequestTrace(repositoryId, pr.number()),
                SpanIds.pullRequestSpan(repositoryId, pr.number()),
                null,
                "pull_request #" + pr.number(),
                nanos,
                nanos,
                attributes.build(),
                List.of(),
                List.of(),
                owner(event.repository()));
    }

    /**
     * An event a Codespace reported, in the Codespace's trace, at the time it happened there.
     * The developer is named only when GitHub confirmed (or later corroborated) the owner.
     */
    public static QueuedSpan codespaceEvent(
            String eventId,
            String type,
            String codespace,
            String repository,
            String branch,
            String sha,
            int commitCount,
            Instant occurredAt,
            String verification,
            String login) {
        String owner = repository.substring(0, repository.indexOf('/'));
        long at = QueuedSpan.nanos(occurredAt);
        QueuedSpan.Attributes attributes = new QueuedSpan.Attributes()
                .put("vcs.provider.name", "github")
                .put("vcs.repository.name", repository.substring(repository.indexOf('/') + 1))
                .put("vcs.owner.name", owner)
                .put("vcs.ref.head.name", branch)
                .put("vcs.ref.head.revision", sha)
                .put("vcs.ref.head.type", branch != null ? "branch" : null)
                .put("enduser.id", login)
                .put("github.codespace.name", codespace)
                .put("github.codespace.confidence", verification)
                .put("github.codespace.event", type)
                .put("github.codespace.event_id", eventId)
                .put("github.codespace.commit_count", commitCount);
        return new QueuedSpan(
                SpanIds.codespaceTrace(codespace),
                SpanIds.codespaceEventSpan(eventId),
                null,
                "codespace " + type,
                at,
                at,
                attributes.build(),
                List.of(),
                List.of(),
                owner);
    }

    private static QueuedSpan.Attributes pullRequestAttributes(GitHubPayloads.PullRequestEvent event, String state) {
        GitHubPayloads.PullRequest pr = event.pullRequest();
        return repository(event.repository())
                .put("vcs.change.id", String.valueOf(pr.number()))
                .put("vcs.change.state", Boolean.TRUE.equals(pr.draft()) && "open".equals(state) ? "wip" : state)
                .put("vcs.change.title", pr.title())
                .put("vcs.ref.head.name", pr.head() != null ? pr.head().ref() : null)
                .put("vcs.ref.head.revision", pr.head() != null ? pr.head().sha() : null)
                .put("vcs.ref.head.type", "branch")
                .put("vcs.ref.base.name", pr.base() != null ? pr.base().ref() : null)
                .put("github.pull_request.author", login(pr.user()))
                .put(
                        "github.pull_request.merge_commit_sha",
                        Boolean.TRUE.equals(pr.merged()) ? pr.mergeCommitSha() : null);
    }

    private static QueuedSpan.Attributes repository(GitHubPayloads.Repository repository) {
        return new QueuedSpan.Attributes()
                .put("vcs.provider.name", "github")
                .put("vcs.repository.url.full", repository.htmlUrl())
                .put("vcs.repository.name", repository.name())
                .put("vcs.owner.name", owner(repository))
                .put("github.repository.id", repository.id());
    }

    private static String owner(GitHubPayloads.Repository repository) {
        if (repository.owner() != null && repository.owner().login() != null) {
            return repository.owner().login();
        }
        String fullName = repository.fullName();
        return fullName != null && fullName.contains("/") ? fullName.substring(0, fullName.indexOf('/')) : null;
    }

    private static String login(GitHubPayloads.Account account) {
        return account == null ? null : account.login();
    }

    private static String title(String message) {
        if (message == null) {
            return null;
        }
        int end = message.indexOf('\n');
        String first = end < 0 ? message : message.substring(0, end);
        return first.length() <= 200 ? first : first.substring(0, 200);
    }
}
