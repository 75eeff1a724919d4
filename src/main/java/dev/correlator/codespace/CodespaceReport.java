package dev.correlator.codespace;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import dev.correlator.change.GitRef;

/** One event as the reporter inside a Codespace sends it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CodespaceReport(String eventId, String type, String codespace, String repository, String branch,
        String sha, List<String> commits, Instant occurredAt) {

    static final Set<String> TYPES = Set.of("started", "commit", "push", "head");
    static final int MAX_COMMITS = 1000;
    // GitHub's Codespace names: letters, digits and dashes (e.g. "mona-lisa-fluffy-space-xyz9").
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,99}");
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}");

    /** Why the report cannot be taken, or null when it can. */
    String problem() {
        if (eventId == null) {
            return "eventId is required";
        }
        try {
            UUID.fromString(eventId);
        } catch (IllegalArgumentException e) {
            return "eventId must be a UUID";
        }
        if (type == null || !TYPES.contains(type)) {
            return "type must be one of " + String.join(", ", new java.util.TreeSet<>(TYPES));
        }
        if (codespace == null || !NAME.matcher(codespace).matches()) {
            return "codespace must be a Codespace name";
        }
        if (repository == null || !REPOSITORY.matcher(repository).matches()) {
            return "repository must be \"owner/name\"";
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
