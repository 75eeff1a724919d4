package dev.correlator.api;

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
    dev.correlator.telemetry.TraceLinks traces;

    @Inject
    dev.correlator.comment.PullRequestCommentRenderer comments;

    @Inject
    dev.correlator.comment.RepositorySettingsStore settings;

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
        java.util.List<ApiViews.CommitSummary> commits = visibility.shown(model.pullRequestCommits(pr.id));
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

    @GET
    @Path("/comment")
    @Produces("text/markdown; charset=utf-8")
    @Operation(summary = "The Markdown of the comment the App keeps on this pull request, from what it has stored")
    public String comment(
            @PathParam("owner") String owner, @PathParam("repo") String repo, @PathParam("number") String numberText) {
        int number = number(numberText);
        Repository repository = repository(owner, repo);
        // Codespace names only to those who may see the organization's Codespaces (an owner sees
        // their own in the JSON answer; the preview is for the whole table).
        return (visibility.showsDetails(repository, null)
                        ? comments.render(repository.id, number, settings.stored(repository.id))
                        : comments.renderWithoutCodespaceNames(repository.id, number, settings.stored(repository.id)))
                .orElseThrow(() -> ApiError.notFound("no pull request #" + number + " in " + repository.fullName));
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
