package dev.correlator.api;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.correlator.change.PullRequest;
import dev.correlator.change.Repository;

@Path("/api/v1/repos/{owner}/{repo}/pulls/{number}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "pull requests")
@SecurityRequirement(name = "bearer")
public class PullRequestResource {

    @Inject
    MappingReadModel model;

    @Inject
    TraceLinks traces;

    @Inject
    ApiCaller caller;

    @Inject
    CodespaceVisibility visibility;

    @GET
    @Operation(summary = "A pull request and its commits with their authors")
    public ApiViews.PullRequest pullRequest(
            @PathParam("owner") String owner, @PathParam("repo") String repo, @PathParam("number") String numberText) {
        int number = number(numberText);
        Repository repository = repository(owner, repo);
        PullRequest pr = PullRequest.byNumber(repository.id, number)
                .orElseThrow(() -> ApiError.notFound("no pull request #" + number + " in " + repository.fullName));
        List<ApiViews.CommitSummary> commits = visibility.shown(model.pullRequestCommits(pr.id));
        return new ApiViews.PullRequest(
                pr.number,
                repository.fullName,
                pr.title,
                pr.state,
                pr.draft,
                pr.htmlUrl,
                pr.authorId == null ? null : model.developer(pr.authorId),
                new ApiViews.BranchRef(
                        pr.headRef,
                        pr.headSha,
                        pr.headRepositoryFullName != null ? pr.headRepositoryFullName : repository.fullName),
                new ApiViews.BranchRef(pr.baseRef, pr.baseSha, repository.fullName),
                pr.mergeCommitSha,
                pr.createdAt,
                pr.updatedAt,
                pr.closedAt,
                pr.mergedAt,
                commits,
                ApiViews.CodespaceRef.best(commits),
                traces.pullRequest(repository.id, pr.number, pr.createdAt));
    }

    private static int number(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("a pull request number is a whole number");
        }
    }

    private Repository repository(String owner, String repo) {
        return Repository.byFullName(owner, repo)
                .filter(caller::sees)
                .orElseThrow(() -> ApiError.notFound("no repository " + owner + "/" + repo));
    }
}
