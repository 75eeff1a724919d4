package dev.correlator.api;

import jakarta.enterprise.context.RequestScoped;

import dev.correlator.change.Repository;

/**
 * Who is calling the API in this request: an administrator (a token of correlator.api.tokens),
 * who sees everything, or the holder of an installation's token, who sees that installation's
 * repositories only. What they may not see answers 404, exactly like what does not exist.
 */
@RequestScoped
public class ApiCaller {

    private Long installationId;

    void installation(Long installationId) {
        this.installationId = installationId;
    }

    public boolean admin() {
        return installationId == null;
    }

    /** The installation the caller is limited to, or null for an administrator. */
    public Long installationId() {
        return installationId;
    }

    public boolean sees(Repository repository) {
        return admin() || installationId.equals(repository.installationId);
    }

    public boolean sees(Long repositoryInstallationId) {
        return admin() || installationId.equals(repositoryInstallationId);
    }
}
