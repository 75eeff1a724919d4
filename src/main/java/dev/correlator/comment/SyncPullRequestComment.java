package dev.correlator.comment;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import org.jboss.logging.Logger;

import dev.correlator.CorrelatorConfig;
import dev.correlator.Sha256;
import dev.correlator.change.CommentUpdate;
import dev.correlator.change.PullRequestWork;
import dev.correlator.change.RepositoryNames;
import dev.correlator.db.Sql;
import dev.correlator.github.GitHubApi;
import dev.correlator.github.GitHubWrites;
import dev.correlator.outbox.GiveUp;
import dev.correlator.outbox.OutboxHandler;
import dev.correlator.outbox.OutboxTask;
import dev.correlator.outbox.RetryLater;

/**
 * Keeps the one comment on a pull request in step with what the App knows: created once, edited
 * in place, and not sent at all when its text would not change. The comment is found again by
 * its id, or by its marker when the App itself wrote it; a comment by anyone else carrying the
 * marker is never touched.
 */
@ApplicationScoped
public class SyncPullRequestComment implements OutboxHandler {

    public static final String KIND = CommentUpdate.KIND;

    private static final Logger LOG = Logger.getLogger(SyncPullRequestComment.class);

    /** Pages of 100 comments read when looking for the App's own. */
    private static final int MAX_PAGES = 10;

    @JsonIgnoreProperties(ignoreUnknown = true)
    record IssueComment(long id, String body, GitHubApi.User user) {}

    /** The App's comment as last sent, and whether a version of it was written while the repository was private. */
    private record Posted(Long commentId, String bodySha256, boolean writtenPrivate) {}

    @Inject
    RepositoryNames names;

    @Inject
    GitHubApi github;

    @Inject
    GitHubWrites writes;

    @Inject
    PullRequestCommentRenderer renderer;

    @Inject
    RepositorySettingsStore settings;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CorrelatorConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    private volatile String appLogin;

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Completion perform(OutboxTask task) {
        long installationId = task.requireInstallation();
        PullRequestWork request = json.convertValue(task.payload(), PullRequestWork.class);
        if (!config.comments().enabled()) {
            return Completion.NOTHING;
        }
        Optional<Posted> posted = posted(request.pullRequestId());
        String repository = names.current(request.repositoryId());
        RepositorySettings repositorySettings = settings.current(installationId, request.repositoryId(), repository);
        if (!repositorySettings.comments()) {
            return record(
                    request,
                    posted.map(Posted::commentId).orElse(null),
                    posted.map(Posted::bodySha256).orElse(null),
                    "disabled",
                    posted.map(Posted::writtenPrivate).orElse(false));
        }
        PullRequestCommentRenderer.Subject subject = renderer.subject(request.repositoryId(), request.number())
                .orElseThrow(() ->
                        new GiveUp("pull request " + request.repository() + "#" + request.number() + " is not known"));
        if (posted.isEmpty() && !subject.open()) {
            return Completion.NOTHING; // no first comment on a closed pull request
        }
        String body = renderer.render(subject, repositorySettings);
        String sha256 = Sha256.hex(body);
        if (posted.isPresent() && sha256.equals(posted.get().bodySha256())) {
            return Completion.NOTHING;
        }
        Long commentId = posted.map(Posted::commentId).orElse(null);
        boolean writtenPrivate = posted.map(Posted::writtenPrivate).orElse(false);
        if (commentId != null && subject.publicRepository() && writtenPrivate) {
            // Its earlier versions, readable by anyone now, may name Codespaces: start afresh.
            try {
                writes.deleteComment(installationId, repository, commentId);
            } catch (GitHubApi.Gone alreadyGone) {
                // deleted on GitHub already
            }
            commentId = null;
            writtenPrivate = false;
        } else if (commentId == null && !writes.dryRun()) {
            // Also after a timeout that may have created it: find it before creating another (a
            // dry run creates none to find).
            commentId = own(installationId, repository, request.number()).orElse(null);
        }
        if (commentId == null) {
            long created = writes.createComment(installationId, repository, request.number(), body);
            return written(request, posted, created, sha256, "created", !subject.publicRepository());
        }
        try {
            writes.editComment(installationId, repository, commentId, body);
        } catch (GitHubApi.Gone gone) {
            // The comment was deleted, or the pull request or repository is gone: forget the id
            // (the next change looks again, and creates one if the pull request is still there).
            forget(request, gone.getMessage());
            throw gone;
        }
        return written(request, posted, commentId, sha256, "edited", writtenPrivate || !subject.publicRepository());
    }

    /**
     * Records what GitHub now shows. In a dry run GitHub shows what it showed before: only the
     * text is remembered (as "logged"), so that an unchanged comment is not logged again.
     */
    private Completion written(
            PullRequestWork request,
            Optional<Posted> posted,
            long commentId,
            String sha256,
            String outcome,
            boolean writtenPrivate) {
        if (writes.dryRun()) {
            return record(
                    request,
                    posted.map(Posted::commentId).orElse(null),
                    sha256,
                    "logged",
                    posted.map(Posted::writtenPrivate).orElse(false));
        }
        return record(request, commentId, sha256, outcome, writtenPrivate);
    }

    /** The App's own comment on the pull request: the marker, written by the App's bot account. */
    private Optional<Long> own(long installationId, String repository, int number) {
        String login = appLogin();
        List<IssueComment> comments = github.list(
                installationId,
                "/repos/" + repository + "/issues/" + number + "/comments?per_page=100",
                IssueComment.class,
                MAX_PAGES);
        return comments.stream()
                .filter(c -> c.body() != null && c.body().contains(PullRequestCommentRenderer.MARKER))
                .filter(c -> c.user() != null && login.equalsIgnoreCase(c.user().login()))
                .map(IssueComment::id)
                .findFirst();
    }

    /** The login GitHub gives the App's comments: its slug and "[bot]". */
    private String appLogin() {
        String login = appLogin;
        if (login == null) {
            try {
                login = github.app().slug() + "[bot]";
            } catch (RetryLater e) {
                throw e;
            } catch (RuntimeException e) {
                throw new RetryLater("GET /app: " + e.getMessage(), null);
            }
            appLogin = login;
        }
        return login;
    }

    private Optional<Posted> posted(long pullRequestId) {
        try (Connection connection = dataSource.getConnection()) {
            return Sql.one(
                    connection,
                    """
                    select comment_id, body_sha256, written_private from pull_request_comment
                     where pull_request_id = ?""",
                    row -> new Posted(Sql.nullableLong(row, "comment_id"), row.getString(2), row.getBoolean(3)),
                    pullRequestId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Completion record(
            PullRequestWork request, Long commentId, String sha256, String outcome, boolean writtenPrivate) {
        Instant now = clock.instant();
        return connection ->
                Sql.update(connection, """
                insert into pull_request_comment (pull_request_id, comment_id, body_sha256, last_outcome, updated_at,
                                                  written_private)
                values (?, ?, ?, ?, ?, ?)
                on conflict (pull_request_id) do update
                   set comment_id = excluded.comment_id, body_sha256 = excluded.body_sha256,
                       last_outcome = excluded.last_outcome, updated_at = excluded.updated_at,
                       written_private = excluded.written_private""", request.pullRequestId(), commentId, sha256, outcome, now, writtenPrivate);
    }

    private void forget(PullRequestWork request, String reason) {
        try (Connection connection = dataSource.getConnection()) {
            record(request, null, null, "gone", false).apply(connection);
        } catch (SQLException e) {
            LOG.warnf(
                    "Could not record that the comment on %s#%d is gone (%s): %s",
                    request.repository(), request.number(), reason, e.getMessage());
        }
    }
}
