package dev.correlator.preview;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.correlator.api.ApiCaller;
import dev.correlator.api.ApiError;
import dev.correlator.api.CodespaceVisibility;
import dev.correlator.change.Repository;
import dev.correlator.comment.PullRequestCommentRenderer;
import dev.correlator.comment.RepositorySettingsStore;

/**
 * The pull request comment as the API previews it. It stands above both the API and the comment
 * (which renders from the API's read model), so that neither depends on the other both ways.
 */
@Path("/api/v1/repos/{owner}/{repo}/pulls/{number}/comment")
@Tag(name = "pull requests")
@SecurityRequirement(name = "bearer")
public class CommentPreviewResource {

    @Inject
    PullRequestCommentRenderer comments;

    @Inject
    RepositorySettingsStore settings;

    @Inject
    ApiCaller caller;

    @Inject
    CodespaceVisibility visibility;

    @GET
    @Produces("text/markdown; charset=utf-8")
    @Operation(summary = "The Markdown of the comment the App keeps on this pull request, from what it has stored")
    public String comment(
            @PathParam("owner") String owner, @PathParam("repo") String repo, @PathParam("number") String numberText) {
        int number = number(numberText);
        Repository repository = Repository.byFullName(owner, repo)
                .filter(caller::sees)
                .orElseThrow(() -> ApiError.notFound("no repository " + owner + "/" + repo));
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
}
