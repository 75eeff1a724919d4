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

import dev.correlator.change.Repository;

@Path("/api/v1/codespaces/{name}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "codespaces")
@SecurityRequirement(name = "bearer")
public class CodespaceResource {

    @Inject
    MappingReadModel model;

    @Inject
    ApiCaller caller;

    @Inject
    CodespaceVisibility visibility;

    @GET
    @Operation(
            summary = "A Codespace: owner, repository, state, times, branches, and its commits with confidence",
            description = "For the organization's tokens, and for a person's own GitHub token when it is the "
                    + "Codespace owner's or a member's of the organization; 404 for anyone else.")
    public ApiViews.Codespace codespace(@PathParam("name") String name) {
        return model.codespace(name)
                .filter(codespace -> caller.admin()
                        || codespace.repositoryId() != null
                                && Repository.<Repository>findByIdOptional(codespace.repositoryId())
                                        .filter(repository -> repository.removedAt == null)
                                        .filter(caller::sees)
                                        .filter(repository -> visibility.showsDetails(repository, codespace.owner()))
                                        .isPresent())
                .orElseThrow(() -> ApiError.notFound("no Codespace " + name));
    }
}
