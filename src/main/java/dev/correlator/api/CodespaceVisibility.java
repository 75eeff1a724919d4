package dev.correlator.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import dev.correlator.api.ApiViews.CodespaceRef;
import dev.correlator.api.ApiViews.Commit;
import dev.correlator.api.ApiViews.CommitSummary;
import dev.correlator.change.Repository;

/**
 * Who may see a Codespace's name and details (owner, machine, state, git status, branches): the
 * organization (administrators and the holders of its installation's tokens, who reach only its
 * repositories anyway), and, with a person's own token, the Codespace's owner and the members of
 * the organization that owns its repository. Being able to read a repository is not enough: on a
 * public repository that is anyone with a GitHub account.
 *
 * <p>Anyone else still learns what the pull request comment on a public repository says: that a
 * commit was made in a Codespace and how sure that is (its confidence), and nothing that names or
 * describes the Codespace.
 */
@RequestScoped
public class CodespaceVisibility {

    @Inject
    ApiCaller caller;

    @Inject
    GitHubUserAccess access;

    // For this request, by repository id: a page of commits names few repositories.
    private final Map<Long, Optional<Repository>> repositories = new HashMap<>();
    private final Map<Long, Boolean> memberOf = new HashMap<>();

    /** Whether the caller may see the details of a Codespace of this owner on this repository. */
    public boolean showsDetails(Repository repository, String ownerLogin) {
        String login = caller.userLogin();
        if (login == null) {
            return caller.admin() || Objects.equals(caller.installationId(), repository.installationId);
        }
        return login.equalsIgnoreCase(ownerLogin) || member(repository);
    }

    /** The commit as this caller may see it. */
    public Commit shown(Commit commit) {
        List<CodespaceRef> links = shown(commit.repositoryId(), commit.codespaces());
        if (links == commit.codespaces()) {
            return commit;
        }
        return new Commit(
                commit.sha(),
                commit.repository(),
                commit.message(),
                commit.authoredAt(),
                commit.committedAt(),
                commit.url(),
                commit.author(),
                commit.committer(),
                commit.coAuthors(),
                commit.branches(),
                commit.formerBranches(),
                commit.pushes(),
                commit.pullRequests(),
                links,
                commit.trace(),
                commit.repositoryId());
    }

    /**
     * The commits as this caller may see them. An organization's caller reads only its own
     * repositories' commits, so only a person's answer changes.
     */
    public List<CommitSummary> shown(List<CommitSummary> commits) {
        if (caller.userLogin() == null) {
            return commits;
        }
        List<CommitSummary> shown = new ArrayList<>(commits.size());
        for (CommitSummary c : commits) {
            List<CodespaceRef> links = shown(c.repositoryId(), c.codespaces());
            shown.add(c.withCodespaces(links));
        }
        return shown;
    }

    /**
     * A commit's links: the Codespaces the caller may see by name, and for the others one link
     * that says only how sure the surest of them is.
     */
    private List<CodespaceRef> shown(long repository, List<CodespaceRef> links) {
        if (caller.userLogin() == null || links.isEmpty()) {
            return links;
        }
        Optional<Repository> found = repository(repository);
        List<CodespaceRef> named = new ArrayList<>(links.size());
        List<CodespaceRef> hidden = new ArrayList<>();
        for (CodespaceRef link : links) {
            if (found.isPresent() && showsDetails(found.get(), link.owner())) {
                named.add(link);
            } else {
                hidden.add(link);
            }
        }
        if (hidden.isEmpty()) {
            return links;
        }
        named.addAll(CodespaceRef.unnamed(hidden));
        return List.copyOf(named);
    }

    private boolean member(Repository repository) {
        if (repository.installationId == null || repository.ownerLogin == null) {
            return false;
        }
        return memberOf.computeIfAbsent(
                repository.id,
                k -> access.isMember(repository.installationId, repository.ownerLogin, caller.userLogin()));
    }

    private Optional<Repository> repository(long id) {
        return repositories.computeIfAbsent(
                id,
                k -> Repository.<Repository>findByIdOptional(id).filter(repository -> repository.removedAt == null));
    }
}
