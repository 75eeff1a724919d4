package dev.correlator.change;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.correlator.identity.DeveloperDirectory;
import dev.correlator.identity.DeveloperReads;
import dev.correlator.model.DeveloperKey;
import dev.correlator.model.ModelRows;
import dev.correlator.model.Rows;
import dev.correlator.outbox.QueueRequest;
import dev.correlator.payload.GitHubPayloads;
import dev.correlator.payload.GitHubPayloads.Push;
import dev.correlator.payload.GitHubPayloads.PushCommit;
import dev.correlator.payload.GitRef;
import dev.correlator.payload.MalformedPayloadException;
import dev.correlator.payload.ReceivedDelivery;
import dev.correlator.telemetry.ChangeSpans;
import dev.correlator.telemetry.SpanQueue;

import static dev.correlator.change.DeliveryProjector.require;

/**
 * A push: the push itself, its commits with their developers, and which branch holds them now.
 * A force push or a push GitHub cut short leaves the rest to the queue, which asks GitHub's
 * compare API.
 */
@Singleton
public class PushProjector implements DeliveryProjector<Push, PushProjector.Known> {

    /** GitHub lists at most this many commits in a push payload. */
    static final int PAYLOAD_COMMIT_LIMIT = 2048;

    private final Clock clock;
    private final boolean spans;

    @Inject
    PushProjector(Clock clock, SpanQueue spans) {
        this(clock, spans.active());
    }

    /** {@code spans}: whether change-event spans are queued (their export is configured). */
    PushProjector(Clock clock, boolean spans) {
        this.clock = clock;
        this.spans = spans;
    }

    /** What a batch of pushes reads before it is projected. */
    public record Known(
            DeveloperDirectory developers, RepositoryDirectory repositories, OpenPullRequests openPullRequests) {}

    /** The open pull requests whose head is a branch the batch pushes to, for the push spans' links. */
    public static final class OpenPullRequests {
        private final Map<String, List<ChangeSpans.PullRequestRef>> byHead = new HashMap<>();

        public OpenPullRequests add(long headRepositoryId, String headRef, ChangeSpans.PullRequestRef pullRequest) {
            byHead.computeIfAbsent(headRepositoryId + ":" + headRef, key -> new ArrayList<>())
                    .add(pullRequest);
            return this;
        }

        List<ChangeSpans.PullRequestRef> of(long repositoryId, String branch) {
            return byHead.getOrDefault(repositoryId + ":" + branch, List.of());
        }
    }

    @Override
    public Set<String> events() {
        return Set.of("push");
    }

    @Override
    public Class<Push> payloadType() {
        return Push.class;
    }

    @Override
    public void validate(String event, Push push) {
        require(push.ref(), "ref");
        sha(push.before(), "before");
        sha(push.after(), "after");
        require(push.repository(), "repository");
        require(push.repository().id(), "repository.id");
        require(push.repository().fullName(), "repository.full_name");
        if (push.commits() != null) {
            for (int i = 0; i < push.commits().size(); i++) {
                PushCommit commit = require(push.commits().get(i), "commits[" + i + "]");
                sha(commit.id(), "commits[" + i + "].id");
            }
        }
    }

    private static void sha(String value, String field) {
        if (!GitRef.isSha(require(value, field))) {
            throw new MalformedPayloadException("field '" + field + "' is not a 40-character hex sha");
        }
    }

    @Override
    public String serialKey(Push push) {
        return "ref:" + push.repository().id() + ":" + push.ref();
    }

    @Override
    public Known prefetch(List<Push> pushes, BatchReads reads) throws SQLException {
        Set<Long> repositories = new HashSet<>();
        Set<Long> accounts = new HashSet<>();
        Set<String> logins = new HashSet<>();
        Set<String> emails = new HashSet<>();
        Set<String> senders = new HashSet<>();
        Set<String> trailers = new HashSet<>();
        for (Push push : pushes) {
            repositories.add(push.repository().id());
            if (push.sender() != null && push.sender().id() != null) {
                accounts.add(push.sender().id());
                senders.add(push.sender().login());
            }
            if (push.pusher() != null) {
                logins.add(push.pusher().name());
                emails.add(push.pusher().email());
            }
            for (PushCommit commit : commits(push)) {
                for (GitHubPayloads.CommitPerson person :
                        new GitHubPayloads.CommitPerson[] {commit.author(), commit.committer()}) {
                    if (person != null) {
                        logins.add(person.username());
                        emails.add(person.email());
                    }
                }
                CommitRows.emailsOf(commit.message(), emails, trailers);
            }
        }
        reads.repositories().want(repositories);
        DeveloperReads developers = reads.developers();
        developers.wantErasedLogins(senders);
        developers.wantErasedEmails(trailers);
        developers.wantAccounts(accounts);
        developers.wantLogins(logins);
        developers.wantEmails(emails);
        OpenPullRequests open = new OpenPullRequests();
        if (spans) {
            prefetchOpenPullRequests(pushes, reads, open);
        }
        return new Known(developers.directory(), reads.repositories(), open);
    }

    private static void prefetchOpenPullRequests(List<Push> pushes, BatchReads reads, OpenPullRequests open)
            throws SQLException {
        Set<String> branches = new HashSet<>();
        Set<Long> repositories = new HashSet<>();
        for (Push push : pushes) {
            GitRef ref = GitRef.parse(push.ref());
            if (ref.branch()) {
                branches.add(ref.name());
            }
            repositories.add(push.repository().id());
        }
        if (branches.isEmpty()) {
            return;
        }
        reads.pipeline()
                .query(
                        """
                select head_repository_id, head_ref, repository_id, number from pull_request
                 where state = 'open' and head_repository_id = any (?) and head_ref = any (?)""",
                        rows -> {
                            while (rows.next()) {
                                open.add(
                                        rows.getLong(1),
                                        rows.getString(2),
                                        new ChangeSpans.PullRequestRef(rows.getLong(3), rows.getInt(4)));
                            }
                        },
                        reads.connection().createArrayOf("bigint", repositories.toArray()),
                        reads.connection().createArrayOf("text", branches.toArray()));
    }

    @Override
    public ModelRows project(ReceivedDelivery delivery, Push push, Known known) {
        ModelRows rows = new ModelRows();
        long repositoryId = push.repository().id();
        Long installationId = push.installationId();
        known.repositories().record(rows, push.repository(), installationId);
        DeveloperDirectory developers = known.developers();

        GitHubPayloads.Account sender = push.sender();
        DeveloperKey senderKey = sender != null && sender.id() != null
                ? developers.account(rows, sender.id(), sender.login(), sender.name(), sender.bot())
                : null;
        DeveloperKey pusherKey = null;
        String pusherName = push.pusher() == null ? null : push.pusher().name();
        if (pusherName != null && developers.erased().login(pusherName)) {
            pusherName = null; // erased: the push stays, without them
        } else if (pusherName != null) {
            pusherKey = sender != null && pusherName.equalsIgnoreCase(sender.login()) && senderKey != null
                    ? senderKey
                    : developers.login(rows, pusherName);
            developers.tieEmail(rows, pusherKey, push.pusher().email());
        }

        List<PushCommit> commits = commits(push);
        List<CommitFact> facts = new ArrayList<>(commits.size());
        for (PushCommit commit : commits) {
            facts.add(fact(rows, developers, commit));
        }
        CommitRows.add(rows, developers, repositoryId, facts, delivery.receivedAt());

        GitRef ref = GitRef.parse(push.ref());
        boolean truncated = commits.size() >= PAYLOAD_COMMIT_LIMIT;
        Instant pushedAt =
                push.repository().pushedAt() != null ? push.repository().pushedAt() : delivery.receivedAt();
        rows.add(new Rows.Push(
                delivery.id(),
                repositoryId,
                push.ref(),
                ref.type(),
                ref.name(),
                push.before(),
                push.after(),
                push.created(),
                push.deleted(),
                push.forced(),
                push.baseRef(),
                pusherKey,
                pusherName,
                senderKey,
                commits.size(),
                truncated,
                pushedAt,
                delivery.receivedAt(),
                commits.stream().map(PushCommit::id).toList()));

        if (ref.branch()) {
            projectBranch(rows, delivery, push, ref.name(), commits);
            if (ref.name().equals(push.repository().defaultBranch())
                    && commits.stream().anyMatch(c -> c.touches(SettingsFile.PATH))) {
                // The repository changed what it asks of the App: read the file again when next needed.
                rows.add(new Rows.RepositorySettingsChanged(repositoryId));
            }
        }
        if (spans) {
            List<ChangeSpans.PullRequestRef> pullRequests =
                    ref.branch() ? known.openPullRequests().of(repositoryId, ref.name()) : List.of();
            rows.add(developers
                    .erased()
                    .withoutErased(ChangeSpans.push(delivery.id(), push, clock.instant(), pullRequests)));
        }
        if (truncated) {
            String base = GitRef.isNull(push.before()) ? push.repository().defaultBranch() : push.before();
            if (base != null) {
                rows.add(new QueueRequest(
                        ComparePushCommits.KIND,
                        delivery.id() + ":added",
                        installationId,
                        ComparePushCommits.request(push, delivery.id(), ref.name(), base, push.after(), "added")));
            }
        }
        return rows;
    }

    private static void projectBranch(
            ModelRows rows, ReceivedDelivery delivery, Push push, String branch, List<PushCommit> commits) {
        long repositoryId = push.repository().id();
        if (push.deleted()) {
            rows.add(new Rows.BranchDeleted(repositoryId, branch, delivery.receivedAt(), delivery.id()));
            return;
        }
        Map<String, Instant> nowOnBranch = new LinkedHashMap<>();
        commits.forEach(commit -> nowOnBranch.put(commit.id(), commit.timestamp()));
        boolean headListed = nowOnBranch.containsKey(push.after());
        if (!headListed) {
            nowOnBranch.put(push.after(), null);
        }
        for (var entry : nowOnBranch.entrySet()) {
            rows.add(new Rows.BranchCommit(
                    repositoryId, branch, entry.getKey(), delivery.id(), delivery.receivedAt(), entry.getValue()));
        }
        if (!headListed) {
            // A new branch at a commit the payload does not list: its time comes from the model.
            rows.add(new Rows.BranchCommitTime(repositoryId, branch, push.after()));
        }

        if (push.forced() && !GitRef.isNull(push.before()) && !nowOnBranch.containsKey(push.before())) {
            // The old head is certainly gone from the branch; what else went with it, only
            // GitHub knows: commits reachable from before but not from after.
            rows.add(new Rows.BranchCommitForced(
                    repositoryId, branch, push.before(), delivery.receivedAt(), delivery.id()));
            rows.add(new QueueRequest(
                    ComparePushCommits.KIND,
                    delivery.id() + ":replaced",
                    push.installationId(),
                    ComparePushCommits.request(push, delivery.id(), branch, push.after(), push.before(), "replaced")));
        }
    }

    private static CommitFact fact(ModelRows rows, DeveloperDirectory developers, PushCommit commit) {
        GitHubPayloads.CommitPerson author = commit.author();
        GitHubPayloads.CommitPerson committer = commit.committer();
        DeveloperKey authorKey = author == null ? null : developers.person(rows, author.username(), author.email());
        DeveloperKey committerKey =
                committer == null ? null : developers.person(rows, committer.username(), committer.email());
        return new CommitFact(
                commit.id(),
                commit.message() == null ? "" : commit.message(),
                commit.timestamp(),
                committer != null && committer.date() != null ? committer.date() : commit.timestamp(),
                authorKey,
                author == null ? null : author.name(),
                author == null ? null : author.email(),
                committerKey,
                committer == null ? null : committer.name(),
                committer == null ? null : committer.email(),
                commit.url());
    }

    private static List<PushCommit> commits(Push push) {
        return push.commits() == null ? List.of() : push.commits();
    }
}
