package dev.correlator.api;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.correlator.change.Repository;
import dev.correlator.http.Problem;

/** "Where did commit abc1234 come from?" */
@Path("/api/v1/commits")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "commits")
@SecurityRequirement(name = "bearer")
public class CommitLookupResource {

    private static final Pattern SHA_OR_PREFIX = Pattern.compile("[0-9a-f]{7,40}");

    @Inject
    MappingReadModel model;

    @Inject
    ApiCaller caller;

    @Inject
    CodespaceVisibility visibility;

    @GET
    @Path("/{sha}")
    @Operation(
            summary = "A commit by full sha or unique prefix of at least 7 hex characters",
            description = "Its repository, author and co-authors, branches, pushes and pull requests. "
                    + "409 when the sha or prefix matches more than one commit; ?repository=owner/name picks one.")
    public ApiViews.Commit commit(@PathParam("sha") String sha, @QueryParam("repository") String repository) {
        String wanted = sha.toLowerCase(Locale.ROOT);
        if (!SHA_OR_PREFIX.matcher(wanted).matches()) {
            throw ApiError.badRequest("a sha is 7 to 40 hexadecimal characters");
        }
        Long repositoryId = null;
        if (repository != null && !repository.isBlank()) {
            String[] parts = repository.split("/", -1);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw ApiError.badRequest("repository is owner/name");
            }
            repositoryId = Repository.byFullName(parts[0], parts[1])
                    .filter(caller::sees)
                    .orElseThrow(() -> ApiError.notFound("no repository " + repository))
                    .id;
        }
        List<ApiViews.Commit> found = model.commits(wanted, repositoryId, caller.installationId(), 20);
        if (caller.userLogin() != null) {
            found = found.stream()
                    .filter(c -> caller.sees(null, c.repositoryId()))
                    .toList();
        }
        if (found.isEmpty()) {
            throw ApiError.notFound("no commit " + sha + (repository == null ? "" : " in " + repository));
        }
        if (found.size() > 1) {
            boolean sameSha =
                    found.stream().map(ApiViews.Commit::sha).distinct().count() == 1;
            throw new ApiError(Problem.of(
                            409,
                            "Ambiguous",
                            sameSha
                                    ? "this commit is in several repositories: add ?repository=owner/name"
                                    : "this prefix matches several commits: give more characters")
                    .with(
                            "repositories",
                            found.stream()
                                    .map(ApiViews.Commit::repository)
                                    .distinct()
                                    .toList())
                    .with(
                            "candidates",
                            found.stream()
                                    .map(c -> new ApiViews.Candidate(c.sha(), c.repository()))
                                    .toList()));
        }
        return visibility.shown(found.get(0));
    }
}
