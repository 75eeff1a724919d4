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

import dev.correlator.identity.Developer;

@Path("/api/v1/developers/{login}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "developers")
@SecurityRequirement(name = "bearer")
public class DeveloperResource {

    private static final int RECENT = 20;

    @Inject
    MappingReadModel model;

    @Inject
    ApiCaller caller;

    @Inject
    CodespaceVisibility visibility;

    @GET
    @Operation(summary = "A developer, their known e-mails and their most recent commits")
    public ApiViews.Developer developer(@PathParam("login") String login) {
        Developer developer = Developer.byLogin(login).orElseThrow(() -> ApiError.notFound("no developer " + login));
        List<ApiViews.CommitSummary> recent = model.developerCommits(developer.id, caller.installationId(), RECENT);
        if (caller.userLogin() != null) {
            recent = visibility.shown(recent.stream()
                    .filter(c -> caller.sees(null, c.repositoryId()))
                    .toList());
        }
        if (!caller.admin() && recent.isEmpty()) {
            // Someone the caller's organization has no commit of is not theirs to look up.
            throw ApiError.notFound("no developer " + login);
        }
        return new ApiViews.Developer(
                developer.login,
                developer.githubId,
                developer.name,
                developer.bot,
                // A person's own token reads commits, not other people's addresses.
                caller.userLogin() != null ? List.of() : model.emails(developer.id, caller.installationId()),
                recent,
                ApiViews.CodespaceRef.best(recent));
    }
}
