package dev.correlator.comment;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

import dev.correlator.CorrelatorConfig;
import dev.correlator.api.ApiViews;
import dev.correlator.api.MappingReadModel;
import dev.correlator.api.TraceLinks;
import dev.correlator.db.Sql;

/**
 * The Markdown of a pull request's comment, from PostgreSQL alone: the same text is posted to
 * GitHub and served by the preview endpoint. No e-mail address ever appears in it, and people are
 * linked rather than @-mentioned, so that editing the comment notifies nobody. What commits and
 * people say of themselves is shown as code ({@link CommentMarkdown}): a fork's commit cannot
 * mention, link, embed or format anything.
 */
@ApplicationScoped
public class PullRequestCommentRenderer {

    /** Hidden in the comment; with the App as author, it is how the App recognises its comment. */
    public static final String MARKER = "<!-- change-correlator:pull-request-comment -->";

    private static final DateTimeFormatter PUSHED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private static final int TITLE_LENGTH = 72;

    @Inject
    @Location("pull-request-comment.md")
    Template template;

    @Inject
    MappingReadModel model;

    @Inject
    TraceLinks traces;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CorrelatorConfig config;

    /** What the template shows of one commit, already made inert Markdown for a table cell. */
    public record Row(
            String shortSha,
            String url,
            String title,
            String authors,
            String codespaces,
            String pushedAt,
            String trace) {}

    /**
     * The pull request the comment is about. On a public repository anyone reads the comment, so it
     * says how sure the App is that a commit was made in a Codespace, never which one: the name
     * is the owner's login and the repository's (see api.CodespaceVisibility).
     */
    public record Subject(
            long pullRequestId,
            long repositoryId,
            String repositoryUrl,
            int number,
            Instant createdAt,
            boolean open,
            boolean publicRepository) {}

    /** The pull request's comment, or empty when the App does not know the pull request. */
    public Optional<String> render(long repositoryId, int number, RepositorySettings settings) {
        return subject(repositoryId, number).map(subject -> render(subject, settings));
    }

    /**
     * The comment as someone who may not see the organization's Codespaces reads it (an outside
     * collaborator on a private repository): as on a public repository, without Codespace names.
     */
    public Optional<String> renderWithoutCodespaceNames(long repositoryId, int number, RepositorySettings settings) {
        return subject(repositoryId, number)
                .map(s -> render(
                        new Subject(
                                s.pullRequestId(),
                                s.repositoryId(),
                                s.repositoryUrl(),
                                s.number(),
                                s.createdAt(),
                                s.open(),
                                true),
                        settings));
    }

    String render(Subject subject, RepositorySettings settings) {
        List<ApiViews.CommitSummary> commits = model.pullRequestCommits(subject.pullRequestId());
        if (!settings.showBots()) {
            commits = commits.stream()
                    .filter(c -> c.author() == null || !c.author().bot())
                    .toList();
        }
        int shown = Math.min(commits.size(), config.comments().maxCommits());
        List<ApiViews.CommitSummary> newest = commits.subList(commits.size() - shown, commits.size());
        if (subject.publicRepository()) {
            newest = newest.stream()
                    .map(c -> new ApiViews.CommitSummary(
                            c.sha(),
                            c.repository(),
                            c.message(),
                            c.authoredAt(),
                            c.url(),
                            c.author(),
                            c.coAuthors(),
                            ApiViews.CodespaceRef.unnamed(c.codespaces()),
                            c.repositoryId()))
                    .toList();
        }
        Map<String, Push> pushes = firstPushes(subject.repositoryId(), newest);
        String host = host(subject.repositoryUrl());

        List<Row> rows = new ArrayList<>(newest.size());
        for (ApiViews.CommitSummary commit : newest) {
            Push push = pushes.get(commit.sha());
            ApiViews.Trace trace =
                    push == null ? null : traces.push(push.deliveryId(), push.pushedAt(), settings.lightstepProject());
            rows.add(new Row(
                    commit.sha().substring(0, 7),
                    CommentMarkdown.destination(
                            commit.url() != null ? commit.url() : subject.repositoryUrl() + "/commit/" + commit.sha()),
                    CommentMarkdown.code(title(commit.message()), "–"),
                    authors(commit, host),
                    codespaces(commit.codespaces()),
                    push == null ? "not pushed here" : PUSHED.format(push.pushedAt()),
                    trace == null ? "–" : "[trace](" + CommentMarkdown.destination(trace.url()) + ")"));
        }
        ApiViews.Trace pullRequestTrace = traces.pullRequest(
                subject.repositoryId(), subject.number(), subject.createdAt(), settings.lightstepProject());
        return template.data("summary", summary(commits, pullRequestTrace))
                .data("rows", rows)
                .data("hidden", commits.size() - shown)
                .render();
    }

    private static String summary(List<ApiViews.CommitSummary> commits, ApiViews.Trace trace) {
        Set<String> people = new LinkedHashSet<>();
        Set<String> codespaces = new LinkedHashSet<>();
        for (ApiViews.CommitSummary commit : commits) {
            if (commit.author() != null) {
                people.add(
                        commit.author().login() != null
                                ? commit.author().login()
                                : commit.author().name());
            }
            commit.codespaces().forEach(c -> codespaces.add(c.name()));
        }
        StringBuilder line = new StringBuilder("**Change correlator** · ")
                .append(count(commits.size(), "commit"))
                .append(" · ")
                .append(count(people.size(), "developer"))
                .append(" · ")
                .append(count(codespaces.size(), "Codespace"));
        if (trace != null) {
            line.append(" · [trace of this pull request](")
                    .append(CommentMarkdown.destination(trace.url()))
                    .append(')');
        }
        return line.toString();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Author and co-authors: a login links to the profile, a bot says so, a name stands alone (as code). */
    private static String authors(ApiViews.CommitSummary commit, String host) {
        List<String> names = new ArrayList<>();
        if (commit.author() != null) {
            names.add(person(commit.author(), host));
        }
        List<String> coAuthors =
                commit.coAuthors().stream().map(p -> person(p, host)).toList();
        if (names.isEmpty()) {
            names.add("unknown");
        }
        return coAuthors.isEmpty() ? names.get(0) : names.get(0) + " with " + String.join(", ", coAuthors);
    }

    private static String person(ApiViews.DeveloperRef person, String host) {
        if (person.login() == null) {
            return CommentMarkdown.code(person.name(), "unknown");
        }
        if (person.bot()) {
            return CommentMarkdown.code(person.login(), "unknown") + " (bot)";
        }
        if (!CommentMarkdown.login(person.login())) {
            return CommentMarkdown.code(person.login(), "unknown"); // not GitHub's: not linked
        }
        // Link text is not searched for mentions: the profile is linked, its owner not notified.
        return "[@" + person.login() + "](" + CommentMarkdown.destination(host + "/" + person.login()) + ")";
    }

    private static String codespaces(List<ApiViews.CodespaceRef> links) {
        if (links.isEmpty()) {
            return "none";
        }
        return links.stream()
                .map(c -> (c.name() == null ? "a Codespace" : CommentMarkdown.code(c.name(), "unknown")) + " ("
                        + c.confidence() + ")")
                .collect(Collectors.joining("<br>"));
    }

    private static String title(String message) {
        String first =
                message == null ? "" : message.lines().findFirst().orElse("").strip();
        return first.length() <= TITLE_LENGTH ? first : first.substring(0, TITLE_LENGTH - 1) + "…";
    }

    private static String host(String repositoryUrl) {
        URI uri = URI.create(repositoryUrl);
        return uri.getScheme() + "://" + uri.getAuthority();
    }

    private record Push(String deliveryId, Instant pushedAt) {}

    /** The push that first brought each commit to a branch of the repository. */
    private Map<String, Push> firstPushes(long repositoryId, List<ApiViews.CommitSummary> commits) {
        Map<String, Push> first = new HashMap<>();
        if (commits.isEmpty()) {
            return first;
        }
        try (Connection connection = dataSource.getConnection()) {
            Sql.list(
                    connection,
                    """
                    select distinct on (b.sha) b.sha, p.delivery_id, p.pushed_at
                      from branch_commit b join push p on p.delivery_id = b.added_delivery_id
                     where b.repository_id = ? and b.sha = any (?)
                     order by b.sha, p.pushed_at, p.delivery_id""",
                    row -> first.put(row.getString(1), new Push(row.getString(2), Sql.instant(row, "pushed_at"))),
                    repositoryId,
                    connection.createArrayOf(
                            "text",
                            commits.stream().map(ApiViews.CommitSummary::sha).toArray()));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return first;
    }

    Optional<Subject> subject(long repositoryId, int number) {
        try (Connection connection = dataSource.getConnection()) {
            return Sql.one(
                    connection,
                    """
                    select pr.id, r.id, r.html_url, pr.number, pr.created_at, pr.state = 'open', not r.private
                      from pull_request pr join repository r on r.id = pr.repository_id
                     where pr.repository_id = ? and pr.number = ?""",
                    row -> new Subject(
                            row.getLong(1),
                            row.getLong(2),
                            row.getString(3),
                            row.getInt(4),
                            Sql.instant(row, "created_at"),
                            row.getBoolean(6),
                            row.getBoolean(7)),
                    repositoryId,
                    number);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
