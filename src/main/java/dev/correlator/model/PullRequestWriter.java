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

/** Writes pull requests and which commits they hold. */
final class PullRequestWriter {

    private PullRequestWriter() {}

    // An older delivery arriving late must not roll the pull request back.
    private static final String UPSERT = """
            insert into pull_request (id, repository_id, number, title, state, draft, author_id, head_ref, head_sha,
                                      head_repository_id, head_repository_full_name, base_ref, base_sha,
                                      merge_commit_sha, html_url, created_at, updated_at, closed_at, merged_at)
            select id, r, n, t, s, dr, %s, hr, hs, hri, hrn, br, bs, mcs, url, ca, ua, cla, ma
              from unnest(?::bigint[], ?::bigint[], ?::integer[], ?::text[], ?::text[], ?::boolean[],
                          ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[],
                          ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[],
                          ?::timestamptz[], ?::timestamptz[])
                   as u(id, r, n, t, s, dr, ag, al, am, hr, hs, hri, hrn, br, bs, mcs, url, ca, ua, cla, ma)
            on conflict (id) do update
               set title = excluded.title, state = excluded.state, draft = excluded.draft,
                   author_id = coalesce(excluded.author_id, pull_request.author_id), head_ref = excluded.head_ref,
                   head_sha = excluded.head_sha, head_repository_id = excluded.head_repository_id,
                   head_repository_full_name = excluded.head_repository_full_name, base_ref = excluded.base_ref,
                   base_sha = excluded.base_sha, merge_commit_sha = excluded.merge_commit_sha,
                   html_url = excluded.html_url, updated_at = excluded.updated_at, closed_at = excluded.closed_at,
                   merged_at = excluded.merged_at
             where pull_request.updated_at <= excluded.updated_at""".formatted(DeveloperWriter.resolve("ag", "al", "am"));

    private static final String IN_PULL_REQUEST = """
            insert into pull_request_commit (pull_request_id, sha, added_at)
            select * from unnest(?::bigint[], ?::text[], ?::timestamptz[])
            on conflict (pull_request_id, sha) do update set left_at = null
             where pull_request_commit.left_at is not null""";

    // The push that moved the head branch to the pull request's head, if it reached us first.
    private static final String OF_PUSH = """
            insert into pull_request_commit (pull_request_id, sha, added_at)
            select distinct on (u.pr, c.sha) u.pr, c.sha, u.at
              from unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[], ?::timestamptz[]) as u(pr, r, ref, head, at)
              join push p on p.repository_id = u.r and p.ref_type = 'branch' and p.ref_name = u.ref
                         and p.after_sha = u.head
             cross join lateral unnest(p.commit_shas) as c(sha)
            on conflict (pull_request_id, sha) do update set left_at = null
             where pull_request_commit.left_at is not null""";

    // A force push to the head branch replaces the pull request's commits too.
    private static final String OFF_BRANCH = """
            update pull_request_commit prc set left_at = u.at
              from unnest(?::bigint[], ?::bigint[], ?::text[], ?::timestamptz[]) as u(pr, r, ref, at)
             where prc.pull_request_id = u.pr and prc.left_at is null
               and exists (select 1 from branch_commit b
                            where b.repository_id = u.r and b.branch = u.ref and b.sha = prc.sha
                              and b.left_at is not null)""";

    private static final String LISTED = """
            update pull_request_commit set left_at = ?
             where pull_request_id = ? and left_at is null and not (sha = any (?))""";

    static void write(Connection connection, ModelRows rows, Pipeline trip) throws SQLException {
        // Deliveries of one pull request never share a batch: two rows of one are a backfill's.
        Map<Long, Rows.PullRequest> pullRequests = new TreeMap<>();
        rows.pullRequests().forEach(pr -> pullRequests.put(pr.id(), pr));
        if (!pullRequests.isEmpty()) {
            trip.update(
                    UPSERT,
                    Columns.of(connection, pullRequests.values())
                            .bigint(Rows.PullRequest::id)
                            .bigint(Rows.PullRequest::repositoryId)
                            .integer(Rows.PullRequest::number)
                            .text(Rows.PullRequest::title)
                            .text(Rows.PullRequest::state)
                            .bool(Rows.PullRequest::draft)
                            .bigint(pr -> githubIdOf(pr.author()))
                            .text(pr -> loginOf(pr.author()))
                            .text(pr -> emailOf(pr.author()))
                            .text(Rows.PullRequest::headRef)
                            .text(Rows.PullRequest::headSha)
                            .bigint(Rows.PullRequest::headRepositoryId)
                            .text(Rows.PullRequest::headRepositoryFullName)
                            .text(Rows.PullRequest::baseRef)
                            .text(Rows.PullRequest::baseSha)
                            .text(Rows.PullRequest::mergeCommitSha)
                            .text(Rows.PullRequest::htmlUrl)
                            .timestamptz(Rows.PullRequest::createdAt)
                            .timestamptz(Rows.PullRequest::updatedAt)
                            .timestamptz(Rows.PullRequest::closedAt)
                            .timestamptz(Rows.PullRequest::mergedAt)
                            .parameters());
        }
        Map<String, Rows.PullRequestCommit> commits = new TreeMap<>();
        rows.pullRequestCommits().forEach(c -> commits.putIfAbsent(c.pullRequestId() + ":" + c.sha(), c));
        if (!commits.isEmpty()) {
            trip.update(
                    IN_PULL_REQUEST,
                    Columns.of(connection, commits.values())
                            .bigint(Rows.PullRequestCommit::pullRequestId)
                            .text(Rows.PullRequestCommit::sha)
                            .timestamptz(Rows.PullRequestCommit::addedAt)
                            .parameters());
        }
        if (!rows.pullRequestCommitsOfPushes().isEmpty()) {
            trip.update(
                    OF_PUSH,
                    Columns.of(connection, rows.pullRequestCommitsOfPushes())
                            .bigint(Rows.PullRequestCommitsOfPush::pullRequestId)
                            .bigint(Rows.PullRequestCommitsOfPush::repositoryId)
                            .text(Rows.PullRequestCommitsOfPush::headRef)
                            .text(Rows.PullRequestCommitsOfPush::headSha)
                            .timestamptz(Rows.PullRequestCommitsOfPush::addedAt)
                            .parameters());
        }
        if (!rows.pullRequestCommitsOffBranch().isEmpty()) {
            trip.update(
                    OFF_BRANCH,
                    Columns.of(connection, rows.pullRequestCommitsOffBranch())
                            .bigint(Rows.PullRequestCommitsOffBranch::pullRequestId)
                            .bigint(Rows.PullRequestCommitsOffBranch::repositoryId)
                            .text(Rows.PullRequestCommitsOffBranch::headRef)
                            .timestamptz(Rows.PullRequestCommitsOffBranch::leftAt)
                            .parameters());
        }
        for (Rows.PullRequestCommitsListed listed : rows.pullRequestCommitsListed()) {
            if (listed.shas().isEmpty()) {
                continue; // a pull request always has a commit: an empty answer says nothing
            }
            trip.update(
                    LISTED,
                    listed.at(),
                    listed.pullRequestId(),
                    connection.createArrayOf("text", listed.shas().toArray()));
        }
    }
}
