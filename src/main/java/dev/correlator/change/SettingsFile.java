package dev.correlator.change;

/**
 * The file in which a repository tells the App what it wants of it, {@code .github/correlator.yml}.
 * The comment package reads it and keeps a copy (comment.RepositorySettingsStore); a push to the
 * default branch that changes the file drops the copy, so the next read fetches it again.
 */
public final class SettingsFile {

    /** Its name in the repository's {@code .github} directory, where the extension's reader looks. */
    public static final String NAME = "correlator.yml";

    /** Its path in the repository, as a push lists the files it changed. */
    public static final String PATH = ".github/" + NAME;

    private SettingsFile() {}
}
