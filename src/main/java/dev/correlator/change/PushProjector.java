package dev.correlator.change;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.correlator.db.BatchWrites;
import dev.correlator.identity.CoAuthorTrailers;
import dev.correlator.identity.DeveloperDirectory;
import dev.correlator.identity.ErasedTrailers;
import dev.correlator.identity.NoreplyAddress;
import dev.correlator.outbox.Outbox;
import dev.correlator.telemetry.ChangeSpans;
import dev.correlator.telemetry.SpanQueue;
import dev.correlator.webhook.DeliveryProjector;
import dev.correlator.webhook.GitHubPayloads;
import dev.correlator.webhook.GitHubPayloads.Push;
import dev.correlator.webhook.GitHubPayloads.PushCommit;
import dev.correlator.webhook.MalformedPayloadException;
import dev.correlator.webhook.ProjectionContext;
import dev.correlator.webhook.ReceivedDelivery;

import static dev.correlator.webhook.DeliveryProjector.require;

/**
 * A push: the push itself, its commits with their developers, and which branch holds them now.
 * A force push or a push GitHub cut short leaves the rest to the queue, which asks GitHub's
 * compare API.
 */
@ApplicationScoped
public class PushProjector implements DeliveryProjector<Push> {

    /** GitHub lists at most this many commits in a push payload. */
    static final int PAYLOAD_COMMIT_LIMIT = 2048;

    // The commit list travels as one comma-joined string per push (shas have no commas).
    private static final BatchWrites.ColumnArrays INSERT_PUSH = new BatchWrites.ColumnArrays(
            """
            insert into push (delivery_id, repository_id, ref, ref_type, ref_name, before_sha, after_sha, created,
                              deleted, forced, base_ref, pusher_id, pusher_name, sender_id, commit_count, truncated,
                              pushed_at, received_at, commit_shas)
            select d, r, ref, rt, rn, b, a, c, del, f, br, p, pn, s, n, t, pa, ra, string_to_array(shas, ',')
              from unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                          ?::boolean[], ?::boolean[], ?::boolean[], ?::text[], ?::bigint[], ?::text[], ?::bigint[],
                          ?::integer[], ?::boolean[], ?::timestamptz[], ?::timestamptz[], ?::text[])
                   as u(d, r, ref, rt, rn, b, a, c, del, f, br, p, pn, s, n, t, pa, ra, shas)
            on conflict (delivery_id) do nothing""",
            "text",
            "bigint",
            "text",
            "text",
            "text",
            "text",
            "text",
            "boolean",
            "boolean",
            "boolean",
            "text",
            "bigint",
            "text",
            "bigint",
            "integer",
            "boolean",
            "timestamptz",
            "timestamptz",
            "text");

    // added_delivery_id is how a commit's pushes are found: a commit that comes back to a
    // branch it left names the push that brought it back.
    static final BatchWrites.ColumnArrays ON_BRANCH =
            new BatchWrites.ColumnArrays("""
            insert into branch_commit (repository_id, branch, sha, added_delivery_id, added_at, authored_at)
            select * from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[])
            on conflict (repository_id, branch, sha) do update
               set left_at = null, left_reason = null, left_delivery_id = null,
                   added_delivery_id = excluded.added_delivery_id, added_at = excluded.added_at
             where branch_commit.left_at is not null""", "bigint", "text", "text", "text", "timestamptz", "timestamptz");

    static final String LEFT_BRANCH = """
            update branch_commit set left_at = ?, left_reason = ?, left_delivery_id = ?
             where repository_id = ? and branch = ? and sha = ? and left_at is null""";

    @Inject
    Outbox outbox;

    @Inject
    SpanQueue spans;

    @Inject
    java.time.Clock clock;

    /** The open pull requests whose head is a branch the batch pushes to, for the push spans' links. */
    static final class OpenPullRequests {
        final java.util.Map<String, List<ChangeSpans.PullRequestRef>> byHead = new java.util.HashMap<>();

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
    public boolean batches() {
        return true;
    }

    @Override
    public void prefetch(List<Push> pushes, ProjectionContext context) throws SQLException {
        Set<Long> repositories = new java.util.HashSet<>();
        pushes.forEach(push -> repositories.add(push.repository().id()));
        context.prefetchRepositories(repositories);
        Set<Long> accounts = new java.util.HashSet<>();
        Set<String> logins = new java.util.HashSet<>();
        Set<String> emails = new java.util.HashSet<>();
        Set<String> senders = new java.util.HashSet<>();
        Set<String> trailers = new java.util.HashSet<>();
        for (Push push : pushes) {
            if (push.sender() != null && push.sender().id() != null) {
                accounts.add(push.sender().id());
                senders.add(push.sender().login());
            }
            if (push.pusher() != null) {
                logins.add(push.pusher().name());
                emails.add(push.pusher().email());
            }
            for (PushCommit commit : push.commits() == null ? List.<PushCommit>of() : push.commits()) {
                for (GitHubPayloads.CommitPerson person :
                        new GitHubPayloads.CommitPerson[] {commit.author(), commit.committer()}) {
                    if (person != null) {
                        logins.add(person.username());
                        emails.add(person.email());
                    }
                }
                CoAuthorTrailers.parse(commit.message()).forEach(coAuthor -> emails.add(coAuthor.email()));
                trailers.addAll(ErasedTrailers.emails(commit.message()));
            }
        }
        // A noreply address in a commit counts only for the account stored with its id: read those too.
        emails.forEach(email ->
                NoreplyAddress.parse(email).map(NoreplyAddress::githubId).ifPresent(accounts::add));
        senders.remove(null);
        context.developers().tombstones().wantLogins(senders);
        context.developers().tombstones().wantEmails(trailers);
        context.developers().prefetchAccounts(accounts, context.reads());
        context.developers().prefetchLogins(logins, context.reads());
        context.developers().prefetchEmails(emails, context.reads());
        if (spans.active()) {
            prefetchOpenPullRequests(pushes, context);
        }
    }

    private static void prefetchOpenPullRequests(List<Push> pushes, ProjectionContext context) throws SQLException {
        Set<String> branches = new java.util.HashSet<>();
        for (Push push : pushes) {
            GitRef ref = GitRef.parse(push.ref());
            if (ref.branch()) {
                branches.add(ref.name());
            }
        }
        if (branches.isEmpty()) {
            return;
        }
        OpenPullRequests open = context.shared(OpenPullRequests.class, OpenPullRequests::new);
        Set<Long> repositories = new java.util.HashSet<>();
        pushes.forEach(push -> repositories.add(push.repository().id()));
        context.reads()
                .query(
                        """
                select head_repository_id, head_ref, repository_id, number from pull_request
                 where state = 'open' and head_repository_id = any (?) and head_ref = any (?)""",
                        rows -> {
                            while (rows.next()) {
                                open.byHead
                                        .computeIfAbsent(
                                                rows.getLong(1) + ":" + rows.getString(2), key -> new ArrayList<>())
                                        .add(new ChangeSpans.PullRequestRef(rows.getLong(3), rows.getInt(4)));
                            }
                        },
                        context.connection().createArrayOf("bigint", repositories.toArray()),
                        context.connection().createArrayOf("text", branches.toArray()));
    }

    @Override
    public void project(ReceivedDelivery delivery, Push push, ProjectionContext context) throws SQLException {
        long repositoryId = push.repository().id();
        Long installationId = push.installationId();
        RepositoryDirectory.record(context, push.repository(), installationId);
        DeveloperDirectory developers = context.developers();

        GitHubPayloads.Account sender = push.sender();
        Long senderId = sender != null && sender.id() != null
                ? developers.account(sender.id(), sender.login(), sender.name(), sender.bot())
                : null;
        Long pusherId = null;
        String pusherName = push.pusher() == null ? null : push.pusher().name();
        if (pusherName != null && developers.tombstones().login(pusherName)) {
            pusherName = null; // erased: the push stays, without them
        } else if (push.pusher() != null && push.pusher().name() != null) {
            pusherId = sender != null && push.pusher().name().equalsIgnoreCase(sender.login()) && senderId != null
                    ? senderId
                    : developers.login(push.pusher().name(), null);
            developers.tieEmail(pusherId, push.pusher().email());
        }

        List<PushCommit> commits = push.commits() == null ? List.of() : push.commits();
        List<CommitFact> facts = new ArrayList<>(commits.size());
        for (PushCommit commit : commits) {
            facts.add(fact(developers, commit));
        }
        CommitWriter.write(context, repositoryId, facts, delivery.receivedAt());

        GitRef ref = GitRef.parse(push.ref());
        boolean truncated = commits.size() >= PAYLOAD_COMMIT_LIMIT;
        var pushedAt = push.repository().pushedAt() != null ? push.repository().pushedAt() : delivery.receivedAt();
        context.writes()
                .add(
                        INSERT_PUSH,
                        delivery.id(),
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
                        pusherId,
                        pusherName,
                        senderId,
                        commits.size(),
                        truncated,
                        pushedAt,
                        delivery.receivedAt(),
                        String.join(",", commits.stream().map(PushCommit::id).toList()));

        if (ref.branch()) {
            projectBranch(context, delivery, push, ref.name(), commits);
            if (ref.name().equals(push.repository().defaultBranch())
                    && commits.stream().anyMatch(c -> c.touches(SettingsFile.PATH))) {
                // The repository changed what it asks of the App: read the file again when next needed.
                context.writes().add(SettingsFile.FORGET, "settings:" + repositoryId, repositoryId);
            }
        }
        if (spans.active()) {
            List<ChangeSpans.PullRequestRef> pullRequests = ref.branch()
                    ? context.shared(OpenPullRequests.class, OpenPullRequests::new)
                            .of(repositoryId, ref.name())
                    : List.of();
            spans.enqueue(
                    context.writes(),
                    developers
                            .tombstones()
                            .withoutErased(ChangeSpans.push(delivery.id(), push, clock.instant(), pullRequests)));
        }
        if (truncated) {
            String base = GitRef.isNull(push.before()) ? push.repository().defaultBranch() : push.before();
            if (base != null) {
                outbox.enqueue(
                        context.writes(),
                        ComparePushCommits.KIND,
                        delivery.id() + ":added",
                        installationId,
                        ComparePushCommits.request(push, delivery.id(), ref.name(), base, push.after(), "added"));
            }
        }
    }

    private void projectBranch(
            ProjectionContext context, ReceivedDelivery delivery, Push push, String branch, List<PushCommit> commits)
            throws SQLException {
        long repositoryId = push.repository().id();
        String branchKey = repositoryId + ":" + branch;
        if (push.deleted()) {
            context.writes().add("""
                    update branch_commit set left_at = ?, left_reason = 'deleted', left_delivery_id = ?
                     where repository_id = ? and branch = ? and left_at is null""", branchKey, delivery.receivedAt(), delivery.id(), repositoryId, branch);
            return;
        }
        java.util.Map<String, java.time.Instant> nowOnBranch = new java.util.HashMap<>();
        commits.forEach(commit -> nowOnBranch.put(commit.id(), commit.timestamp()));
        if (!nowOnBranch.containsKey(push.after())) {
            // A new branch at a commit the payload does not list: its time comes from the model.
            nowOnBranch.put(push.after(), null);
            context.writes().add("""
                    update branch_commit b set authored_at = c.authored_at from git_commit c
                     where b.repository_id = ? and b.branch = ? and b.sha = ? and b.authored_at is null
                       and c.sha = b.sha and c.repository_id = b.repository_id""", branchKey + ":" + push.after(), repositoryId, branch, push.after());
        }
        for (var entry : nowOnBranch.entrySet()) {
            context.writes()
                    .add(
                            ON_BRANCH,
                            branchKey + ":" + entry.getKey(),
                            repositoryId,
                            branch,
                            entry.getKey(),
                            delivery.id(),
                            delivery.receivedAt(),
                            entry.getValue());
        }

        if (push.forced() && !GitRef.isNull(push.before()) && !nowOnBranch.containsKey(push.before())) {
            // The old head is certainly gone from the branch; what else went with it, only
            // GitHub knows: commits reachable from before but not from after.
            context.writes()
                    .add(
                            LEFT_BRANCH,
                            branchKey + ":" + push.before(),
                            delivery.receivedAt(),
                            "forced",
                            delivery.id(),
                            repositoryId,
                            branch,
                            push.before());
            outbox.enqueue(
                    context.writes(),
                    ComparePushCommits.KIND,
                    delivery.id() + ":replaced",
                    push.installationId(),
                    ComparePushCommits.request(push, delivery.id(), branch, push.after(), push.before(), "replaced"));
        }
    }

    private static CommitFact fact(DeveloperDirectory developers, PushCommit commit) throws SQLException {
        GitHubPayloads.CommitPerson author = commit.author();
        GitHubPayloads.CommitPerson committer = commit.committer();
        Long authorId = author == null ? null : developers.person(author.username(), author.name(), author.email());
        Long committerId =
                committer == null ? null : developers.person(committer.username(), committer.name(), committer.email());
        return new CommitFact(
                commit.id(),
                commit.message() == null ? "" : commit.message(),
                commit.timestamp(),
                committer != null && committer.date() != null ? committer.date() : commit.timestamp(),
                authorId,
                author == null ? null : author.name(),
                author == null ? null : author.email(),
                committerId,
                committer == null ? null : committer.name(),
                committer == null ? null : committer.email(),
                commit.url());
    }
}
