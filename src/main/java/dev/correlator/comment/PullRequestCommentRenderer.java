package dev.correlator.comment;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

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
 * mention, link, embed or format anything. The layout is the template's; this class only
 * gathers what it shows.
 */
@ApplicationScoped
public class PullRequestCommentRenderer {

    /** Hidden in the comment; with the App as author, it is how the App recognises its comment. */
    public static final String MARKER = "<!-- change-correlator:pull-request-comment -->";

    @Inject
    MappingReadModel model;

    @Inject
    TraceLinks traces;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CorrelatorConfig config;

    /**
     * The comment: the template {@code templates/pull-request-comment.md} and what it shows, as
     * stored. What commits and people say of themselves reaches the Markdown only through the
     * template's extensions ({@link CommentMarkdown}).
     */
    @CheckedTemplate(basePath = "", defaultName = CheckedTemplate.HYPHENATED_ELEMENT_NAME)
    record PullRequestComment(
            int commits, int developers, int codespaces, ApiViews.Trace trace, List<Row> rows, int hidden, String host)
            implements TemplateInstance {}

    /** One commit of the table; {@code pushedAt} and {@code trace} are null when no push here brought it. */
    record Row(
            String sha,
            String url,
            String message,
            Person author,
            List<Person> coAuthors,
            List<ApiViews.CodespaceRef> codespaces,
            Instant pushedAt,
            ApiViews.Trace trace) {

        Row {
            message = message == null ? "" : message; // the template's extensions see no null
        }

        public String shortSha() {
            return sha.substring(0, 7);
        }
    }

    /** An author as the comment may show them: never their e-mail address. */
    record Person(String login, String name, boolean bot) {

        static Person of(ApiViews.DeveloperRef developer) {
            return developer == null ? null : new Person(developer.login(), developer.name(), developer.bot());
        }
    }

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
                    .map(c -> c.withCodespaces(ApiViews.CodespaceRef.unnamed(c.codespaces())))
                    .toList();
        }
        Map<String, Push> pushes = firstPushes(subject.repositoryId(), newest);

        List<Row> rows = new ArrayList<>(newest.size());
        for (ApiViews.CommitSummary commit : newest) {
            Push push = pushes.get(commit.sha());
            rows.add(new Row(
                    commit.sha(),
                    commit.url() != null ? commit.url() : subject.repositoryUrl() + "/commit/" + commit.sha(),
                    commit.message(),
                    Person.of(commit.author()),
                    commit.coAuthors().stream().map(Person::of).toList(),
                    commit.codespaces(),
                    push == null ? null : push.pushedAt(),
                    push == null
                            ? null
                            : traces.push(push.deliveryId(), push.pushedAt(), settings.lightstepProject())));
        }
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
        URI repository = URI.create(subject.repositoryUrl());
        return new PullRequestComment(
                        commits.size(),
                        people.size(),
                        codespaces.size(),
                        traces.pullRequest(
                                subject.repositoryId(),
                                subject.number(),
                                subject.createdAt(),
                                settings.lightstepProject()),
                        rows,
                        commits.size() - shown,
                        repository.getScheme() + "://" + repository.getAuthority())
                .render();
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
