package dev.correlator.api;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.correlator.retention.DeveloperErasure;

/** Operations for the people who run the App (the tokens in correlator.api.tokens). */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = "bearer")
public class AdminResource {

    @Inject
    DeveloperErasure erasure;

    /** What an erasure removed, by kind of row. */
    public record Erased(String login, Map<String, Integer> rows) {
    }

    @DELETE
    @Path("/developers/{login}")
    @Operation(summary = "Erase everything the App holds about one developer login")
    public Erased erase(@PathParam("login") String login) {
        return erasure.erase(login).map(rows -> new Erased(login, rows))
                .orElseThrow(() -> ApiError.notFound("nothing is known about " + login));
    }
}
