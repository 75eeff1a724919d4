package dev.correlator.comment;

import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a repository says about the App in {@code .github/correlator.yml}:
 *
 * <pre>
 * comments: true            # keep a comment on each pull request
 * show-bots: true           # list commits by bots (shown as bots)
 * lightstep-project: payments   # the Lightstep project trace links open in
 * </pre>
 *
 * Without the file, the defaults below. A lightstep-project that is not a project name is
 * ignored (null: the configured project), wherever it comes from.
 */
public record RepositorySettings(boolean comments, boolean showBots, String lightstepProject, boolean fromFile) {

    /** What a Lightstep project name may hold; it goes into every trace link. */
    static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9_-]+");

    public static final RepositorySettings DEFAULTS = new RepositorySettings(true, true, null, false);

    public RepositorySettings {
        lightstepProject =
                lightstepProject != null && PROJECT.matcher(lightstepProject).matches() ? lightstepProject : null;
    }

    /** The file as written; absent keys keep their defaults. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record File(
            Boolean comments,
            @JsonProperty("show-bots") Boolean showBots,
            @JsonProperty("lightstep-project") String lightstepProject) {

        RepositorySettings settings() {
            return new RepositorySettings(comments == null || comments, showBots == null || showBots, project(), true);
        }

        /** A lightstep-project the file names but that is not a project name, so is ignored. */
        Optional<String> ignoredProject() {
            return Optional.ofNullable(project())
                    .filter(project -> !PROJECT.matcher(project).matches());
        }

        private String project() {
            return lightstepProject == null || lightstepProject.isBlank() ? null : lightstepProject.trim();
        }
    }
}
