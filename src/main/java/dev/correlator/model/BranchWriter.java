package dev.correlator.model;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

import dev.correlator.db.Columns;
import dev.correlator.db.Pipeline;

import static dev.correlator.model.DeveloperKey.emailOf;
import static dev.correlator.model.DeveloperKey.githubIdOf;
import static dev.correlator.model.DeveloperKey.loginOf;

/** Writes pushes and which branch holds which commit. */
final class BranchWriter {

    private BranchWriter() {}

    // The commit list travels as one comma-joined string per push (shas have no commas).
    private static final String INSERT_PUSH =
            """
            insert into push (delivery_id, repository_id, ref, ref_type, ref_name, before_sha, after_sha, created,
                              deleted, forced, base_ref, pusher_id, pusher_name, sender_id, commit_count, truncated,
                              pushed_at, received_at, commit_shas)
            select d, r, ref, rt, rn, b, a, c, del, f, br, %s, pn, %s, n, t, pa, ra, string_to_array(shas, ',')
              from unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                          ?::boolean[], ?::boolean[], ?::boolean[], ?::text[],
                          ?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[],
                          ?::integer[], ?::boolean[], ?::timestamptz[], ?::timestamptz[], ?::text[])
                   as u(d, r, ref, rt, rn, b, a, c, del, f, br, pg, pl, pm, pn, sg, sl, sm, n, t, pa, ra, shas)
            on conflict (delivery_id) do nothing""".formatted(DeveloperWriter.resolve("pg", "pl", "pm"), DeveloperWriter.resolve("sg", "sl", "sm"));

    // The payload listed the first 2048; the push's list gets the rest, in compare order.
    private static final String PUSH_COMMITS_ADDED = """
            update push set commit_shas = commit_shas
                   || array(select s from unnest(?::text[]) with ordinality u(s, n)
                             where s <> all (commit_shas) order by n)
             where delivery_id = ?""";

    // added_delivery_id is how a commit's pushes are found: a commit that comes back to a
    // branch it left names the push that brought it back.
    private static final String ON_BRANCH = """
            insert into branch_commit (repository_id, branch, sha, added_delivery_id, added_at, authored_at)
            select * from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[])
            on conflict (repository_id, branch, sha) do update
               set left_at = null, left_reason = null, left_delivery_id = null,
                   added_delivery_id = excluded.added_delivery_id, added_at = excluded.added_at
             where branch_commit.left_at is not null""";

    private static final String TIME_FROM_COMMIT = """
            update branch_commit b set authored_at = c.authored_at
              from unnest(?::bigint[], ?::text[], ?::text[]) as u(r, br, s), git_commit c
             where b.repository_id = u.r and b.branch = u.br and b.sha = u.s and b.authored_at is null
               and c.sha = u.s and c.repository_id = u.r""";

    private static final String FORCED = """
            update branch_commit b set left_at = u.at, left_reason = 'forced', left_delivery_id = u.d
              from unnest(?::bigint[], ?::text[], ?::text[], ?::timestamptz[], ?::text[]) as u(r, br, s, at, d)
             where b.repository_id = u.r and b.branch = u.br and b.sha = u.s and b.left_at is null""";

    // Only what was on the branch when that push happened; a later push may have brought a
    // commit back.
    private static final String FORCED_LISTED = """
            update branch_commit b set left_at = p.received_at, left_reason = 'forced', left_delivery_id = p.delivery_id
              from push p
             where p.delivery_id = ? and b.repository_id = ? and b.branch = ? and b.sha = any (?)
               and b.left_at is null and b.added_at <= p.received_at""";

    private static final String DELETED = """
            update branch_commit b set left_at = u.at, left_reason = 'deleted', left_delivery_id = u.d
              from unnest(?::bigint[], ?::text[], ?::timestamptz[], ?::text[]) as u(r, br, at, d)
             where b.repository_id = u.r and b.branch = u.br and b.left_at is null""";

    static void write(Connection connection, ModelRows rows, Pipeline trip) throws SQLException {
        Map<String, Rows.Push> pushes = new TreeMap<>();
        rows.pushes().forEach(p -> pushes.putIfAbsent(p.deliveryId(), p));
        if (!pushes.isEmpty()) {
            trip.update(
                    INSERT_PUSH,
                    Columns.of(connection, pushes.values())
                            .text(Rows.Push::deliveryId)
                            .bigint(Rows.Push::repositoryId)
                            .text(Rows.Push::ref)
                            .text(Rows.Push::refType)
                            .text(Rows.Push::refName)
                            .text(Rows.Push::beforeSha)
                            .text(Rows.Push::afterSha)
                            .bool(Rows.Push::created)
                            .bool(Rows.Push::deleted)
                            .bool(Rows.Push::forced)
                            .text(Rows.Push::baseRef)
                            .bigint(p -> githubIdOf(p.pusher()))
                            .text(p -> loginOf(p.pusher()))
                            .text(p -> emailOf(p.pusher()))
                            .text(Rows.Push::pusherName)
                            .bigint(p -> githubIdOf(p.sender()))
                            .text(p -> loginOf(p.sender()))
                            .text(p -> emailOf(p.sender()))
                            .integer(Rows.Push::commitCount)
                            .bool(Rows.Push::truncated)
                            .timestamptz(Rows.Push::pushedAt)
                            .timestamptz(Rows.Push::receivedAt)
                            .text(p -> String.join(",", p.commitShas()))
                            .parameters());
        }
        for (Rows.PushCommitsAdded added : rows.pushCommitsAdded()) {
            trip.update(
                    PUSH_COMMITS_ADDED,
                    connection.createArrayOf("text", added.shas().toArray()),
                    added.deliveryId());
        }
        Map<String, Rows.BranchCommit> onBranch = new TreeMap<>();
        rows.branchCommits().forEach(b -> onBranch.putIfAbsent(b.repositoryId() + ":" + b.branch() + ":" + b.sha(), b));
        if (!onBranch.isEmpty()) {
            trip.update(
                    ON_BRANCH,
                    Columns.of(connection, onBranch.values())
                            .bigint(Rows.BranchCommit::repositoryId)
                            .text(Rows.BranchCommit::branch)
                            .text(Rows.BranchCommit::sha)
                            .text(Rows.BranchCommit::addedDeliveryId)
                            .timestamptz(Rows.BranchCommit::addedAt)
                            .timestamptz(Rows.BranchCommit::authoredAt)
                            .parameters());
        }
        Map<String, Rows.BranchCommitTime> times = new TreeMap<>();
        rows.branchCommitTimes()
                .forEach(b -> times.putIfAbsent(b.repositoryId() + ":" + b.branch() + ":" + b.sha(), b));
        if (!times.isEmpty()) {
            trip.update(
                    TIME_FROM_COMMIT,
                    Columns.of(connection, times.values())
                            .bigint(Rows.BranchCommitTime::repositoryId)
                            .text(Rows.BranchCommitTime::branch)
                            .text(Rows.BranchCommitTime::sha)
                            .parameters());
        }
        Map<String, Rows.BranchCommitForced> forced = new TreeMap<>();
        rows.branchCommitsForced()
                .forEach(b -> forced.putIfAbsent(b.repositoryId() + ":" + b.branch() + ":" + b.sha(), b));
        if (!forced.isEmpty()) {
            trip.update(
                    FORCED,
                    Columns.of(connection, forced.values())
                            .bigint(Rows.BranchCommitForced::repositoryId)
                            .text(Rows.BranchCommitForced::branch)
                            .text(Rows.BranchCommitForced::sha)
                            .timestamptz(Rows.BranchCommitForced::leftAt)
                            .text(Rows.BranchCommitForced::deliveryId)
                            .parameters());
        }
        for (Rows.BranchCommitsForced listed : rows.branchCommitsForcedListed()) {
            trip.update(
                    FORCED_LISTED,
                    listed.deliveryId(),
                    listed.repositoryId(),
                    listed.branch(),
                    connection.createArrayOf("text", listed.shas().toArray()));
        }
        Map<String, Rows.BranchDeleted> deleted = new TreeMap<>();
        rows.branchesDeleted().forEach(b -> deleted.putIfAbsent(b.repositoryId() + ":" + b.branch(), b));
        if (!deleted.isEmpty()) {
            trip.update(
                    DELETED,
                    Columns.of(connection, deleted.values())
                            .bigint(Rows.BranchDeleted::repositoryId)
                            .text(Rows.BranchDeleted::branch)
                            .timestamptz(Rows.BranchDeleted::leftAt)
                            .text(Rows.BranchDeleted::deliveryId)
                            .parameters());
        }
    }
}
