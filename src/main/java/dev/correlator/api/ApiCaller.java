package dev.correlator.api;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotAuthorizedException;

import dev.correlator.change.Repository;

/**
 * Who is calling the API in this request: an administrator (a token of correlator.api.tokens),
 * who sees everything; the holder of an installation's token, who sees that installation's
 * repositories; or a person with their own GitHub token, who sees the repositories GitHub lets
 * them read. What they may not see answers 404, exactly like what does not exist.
 *
 * <p>Only {@link ApiTokenFilter} says who it is. Until it has, the caller is nobody: asking
 * anything of it answers 401, so a request that reached a resource without passing the filter
 * gets nothing, and above all is not an administrator.
 */
@RequestScoped
public class ApiCaller {

    /** The kinds of caller, each set only from the token it presented. */
    public enum Kind {
        ADMINISTRATOR,
        INSTALLATION,
        PERSON
    }

    @Inject
    GitHubUserAccess access;

    private Kind kind;

    private Long installationId;

    // Held for this request only, to ask GitHub what it may read; never stored or logged.
    private String userToken;

    private String userLogin;

    void administrator() {
        this.kind = Kind.ADMINISTRATOR;
    }

    void installation(long installationId) {
        this.kind = Kind.INSTALLATION;
        this.installationId = installationId;
    }

    void user(String login, String token) {
        this.kind = Kind.PERSON;
        this.userLogin = login;
        this.userToken = token;
    }

    /** Which kind of caller this is; 401 when none was set. */
    public Kind kind() {
        if (kind == null) {
            throw new NotAuthorizedException(
                    "no caller was established for this request", "Bearer realm=\"change-correlator\"");
        }
        return kind;
    }

    public boolean admin() {
        return kind() == Kind.ADMINISTRATOR;
    }

    /** A person calling with their own GitHub token (their login), or null. */
    public String userLogin() {
        kind();
        return userLogin;
    }

    /** The installation the caller is limited to (filtered in SQL), or null. */
    public Long installationId() {
        kind();
        return installationId;
    }

    public boolean sees(Repository repository) {
        return sees(repository.installationId, repository.id);
    }

    /** Asked by the repository's id: its name may since belong to another repository. */
    public boolean sees(Long repositoryInstallationId, long repositoryId) {
        if (userToken != null) {
            return access.canRead(userToken, repositoryId);
        }
        return admin() || installationId.equals(repositoryInstallationId);
    }
}
