package dev.correlator.github;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.StartupEvent;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import dev.correlator.CorrelatorConfig;

/**
 * Every change the App makes on GitHub: the pull request comment it keeps, and the redeliveries
 * it asks for. With {@code correlator.github.dry-run} (on in the dev profile) nothing is sent:
 * each write is logged and answered as GitHub would plausibly have answered, so that nobody
 * writes to a real repository by accident while developing. Reads are not affected.
 */
@ApplicationScoped
public class GitHubWrites {

    private static final Logger LOG = Logger.getLogger(GitHubWrites.class);

    /** The switch's former name, which covered comments only. */
    static final String FORMER_SWITCH = "correlator.comments.dry-run";

    @Inject
    GitHubApi api;

    @Inject
    CorrelatorConfig config;

    /** A comment as GitHub answers it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record IssueComment(long id) {}

    /** Whether writes are only logged. */
    public boolean dryRun() {
        return config.github().dryRun();
    }

    /**
     * Comments on an issue or pull request and returns the comment's id; in a dry run 0, which
     * GitHub gives no comment.
     */
    public long createComment(long installationId, String repository, int number, String body) {
        String path = "/repos/" + repository + "/issues/" + number + "/comments";
        if (dryRun()) {
            LOG.infof("Dry run, not sent: POST %s with body:%n%s", path, body);
            return 0;
        }
        return api.send(installationId, "POST", path, Map.of("body", body), IssueComment.class)
                .id();
    }

    /** Replaces a comment's text. */
    public void editComment(long installationId, String repository, long commentId, String body) {
        String path = "/repos/" + repository + "/issues/comments/" + commentId;
        if (dryRun()) {
            LOG.infof("Dry run, not sent: PATCH %s with body:%n%s", path, body);
            return;
        }
        api.send(installationId, "PATCH", path, Map.of("body", body), IssueComment.class);
    }

    /** Deletes a comment. */
    public void deleteComment(long installationId, String repository, long commentId) {
        String path = "/repos/" + repository + "/issues/comments/" + commentId;
        if (dryRun()) {
            LOG.infof("Dry run, not sent: DELETE %s", path);
            return;
        }
        api.delete(installationId, path);
    }

    /**
     * Asks GitHub, as the App, to make a delivery again and returns GitHub's status; in a dry run
     * 202, what GitHub answers when it accepts.
     */
    public int redeliver(long attemptId) {
        String path = "/app/hook/deliveries/" + attemptId + "/attempts";
        if (dryRun()) {
            LOG.infof("Dry run, not sent: POST %s", path);
            return 202;
        }
        return api.appPost(path);
    }

    /**
     * An instance told to keep its comments to itself under the former name would otherwise
     * post them: it does not start until the switch is given its current name.
     */
    void refuseTheFormerSwitch(@Observes StartupEvent start, Config settings) {
        refuseTheFormerSwitch(settings);
    }

    static void refuseTheFormerSwitch(Config settings) {
        if (settings.getOptionalValue(FORMER_SWITCH, String.class).isPresent()) {
            throw new IllegalStateException(FORMER_SWITCH + " is now correlator.github.dry-run (environment variable "
                    + "CORRELATOR_GITHUB_DRY_RUN), which covers every write to GitHub: rename the setting");
        }
    }
}
