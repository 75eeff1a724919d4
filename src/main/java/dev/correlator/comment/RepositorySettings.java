package dev.correlator.comment;

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
 * Without the file, the defaults below.
 */
public record RepositorySettings(boolean comments, boolean showBots, String lightstepProject, boolean fromFile) {

    public static final String FILE = "correlator.yml";

    public static final RepositorySettings DEFAULTS = new RepositorySettings(true, true, null, false);

    /** The file as written; absent keys keep their defaults. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record File(Boolean comments, @JsonProperty("show-bots") Boolean showBots,
            @JsonProperty("lightstep-project") String lightstepProject) {

        RepositorySettings settings() {
            String project = lightstepProject == null || lightstepProject.isBlank() ? null : lightstepProject.trim();
            return new RepositorySettings(comments == null || comments, showBots == null || showBots, project, true);
        }
    }
}
