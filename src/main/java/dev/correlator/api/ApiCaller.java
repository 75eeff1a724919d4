package dev.correlator.api;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import dev.correlator.change.Repository;

/**
 * Who is calling the API in this request: an administrator (a token of correlator.api.tokens),
 * who sees everything; the holder of an installation's token, who sees that installation's
 * repositories; or a person with their own GitHub token, who sees the repositories GitHub lets
 * them read. What they may not see answers 404, exactly like what does not exist.
 */
@RequestScoped
public class ApiCaller {

    @Inject
    GitHubUserAccess access;

    private Long installationId;

    // Held for this request only, to ask GitHub what it may read; never stored or logged.
    private String userToken;

    private String userLogin;

    void installation(Long installationId) {
        this.installationId = installationId;
    }

    void user(String login, String token) {
        this.userLogin = login;
        this.userToken = token;
    }

    public boolean admin() {
        return installationId == null && userToken == null;
    }

    /** A person calling with their own GitHub token (their login), or null. */
    public String userLogin() {
        return userLogin;
    }

    /** The installation the caller is limited to (filtered in SQL), or null. */
    public Long installationId() {
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
