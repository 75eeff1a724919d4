package dev.correlator.codespace;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.correlator.payload.GitRef;

/** One event as the reporter inside a Codespace sends it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CodespaceReport(
        String eventId,
        String type,
        String codespace,
        String repository,
        String branch,
        String sha,
        List<String> commits,
        Instant occurredAt) {

    static final Set<String> TYPES = Set.of("started", "commit", "push", "head");
    static final int MAX_COMMITS = 1000;
    // GitHub's Codespace names: letters, digits and dashes (e.g. "mona-lisa-fluffy-space-xyz9"),
    // starting and ending with a letter or digit.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,98}[A-Za-z0-9])?");
    // GitHub's account logins: alphanumerics and single hyphens, not at either end, 1 to 39 long.
    private static final Pattern OWNER = Pattern.compile("(?=.{1,39}$)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*");
    private static final Pattern REPOSITORY_NAME = Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9._-]{1,100}");
    // The canonical form only: UUID.fromString also takes "1-2-3-4-5", which PostgreSQL refuses.
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Why the report cannot be taken, or null when it can. */
    String problem() {
        if (eventId == null) {
            return "eventId is required";
        }
        if (!UUID_TEXT.matcher(eventId).matches()) {
            return "eventId must be a UUID";
        }
        if (type == null || !TYPES.contains(type)) {
            return "type must be one of " + String.join(", ", new TreeSet<>(TYPES));
        }
        if (codespace == null || !NAME.matcher(codespace).matches()) {
            return "codespace must be a Codespace name: letters, digits and '-', at most 100, not starting or"
                    + " ending with '-'";
        }
        int slash = repository == null ? -1 : repository.indexOf('/');
        if (slash < 0) {
            return "repository must be \"owner/name\"";
        }
        if (!OWNER.matcher(repository.substring(0, slash)).matches()) {
            return "repository's owner must be a GitHub login: letters, digits and single '-' between them,"
                    + " at most 39";
        }
        if (!REPOSITORY_NAME.matcher(repository.substring(slash + 1)).matches()) {
            return "repository's name must be 1 to 100 of letters, digits, '.', '_' and '-', and not '.' or '..'";
        }
        String branchProblem = branch == null ? null : GitRef.branchNameProblem(branch);
        if (branchProblem != null) {
            return "branch must be a git branch name; this one " + branchProblem;
        }
        if (sha != null && !GitRef.isSha(sha)) {
            return "sha must be a 40-character lowercase hex sha";
        }
        if (("commit".equals(type) || "push".equals(type) || "head".equals(type)) && sha == null) {
            return "sha is required for a " + type + " event";
        }
        if (commits != null) {
            if (commits.size() > MAX_COMMITS) {
                return "at most " + MAX_COMMITS + " commits per event";
            }
            for (String commit : commits) {
                if (!GitRef.isSha(commit)) {
                    return "commits must be 40-character lowercase hex shas";
                }
            }
        }
        if (occurredAt == null) {
            return "occurredAt is required";
        }
        return null;
    }

    String organization() {
        return repository.substring(0, repository.indexOf('/'));
    }
}
