package dev.correlator.model;

/**
 * A developer as a projector names one: by GitHub's numeric id, by a login that no id is known
 * for yet, or by an e-mail address (whoever it is tied to, if anyone). Never a database id: the
 * writer resolves keys to ids in the statements that write the rows naming them, after the
 * batch's own developer rows, so a projector reads and writes no developer itself.
 */
public record DeveloperKey(Long githubId, String login, String email) {

    public static DeveloperKey account(long githubId) {
        return new DeveloperKey(githubId, null, null);
    }

    public static DeveloperKey login(String login) {
        return new DeveloperKey(null, login, null);
    }

    /** The developer this e-mail (normalised: trimmed, lower-cased) is tied to, if any. */
    public static DeveloperKey email(String email) {
        return new DeveloperKey(null, null, email);
    }

    static Long githubIdOf(DeveloperKey key) {
        return key == null ? null : key.githubId();
    }

    static String loginOf(DeveloperKey key) {
        return key == null ? null : key.login();
    }

    static String emailOf(DeveloperKey key) {
        return key == null ? null : key.email();
    }
}
