package dev.correlator.api;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.correlator.outbox.QueueAdmin;
import dev.correlator.retention.DeveloperErasure;

/** Operations for the people who run the App (the tokens in correlator.api.tokens). */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = "bearer")
public class AdminResource {

    @Inject
    DeveloperErasure erasure;

    @Inject
    QueueAdmin queue;

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

    @GET
    @Path("/queue")
    @Operation(summary = "Rows of the durable queues by kind and state, with the oldest of each")
    public List<QueueAdmin.Depth> queue() {
        return queue.depths();
    }

    @GET
    @Path("/queue/dead")
    @Operation(summary = "Work the queue gave up on, newest first, with GitHub's last answer")
    public List<QueueAdmin.DeadRow> dead(@QueryParam("kind") String kind,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ApiError.badRequest("limit is between 1 and 1000");
        }
        return queue.dead(kind, limit);
    }

    @POST
    @Path("/queue/dead/{id}/requeue")
    @Operation(summary = "Put a dead row back on the queue, its attempts reset")
    public QueueAdmin.Requeued requeue(@PathParam("id") long id) {
        QueueAdmin.Requeue result = queue.requeue(id);
        if (result instanceof QueueAdmin.Requeued requeued) {
            return requeued;
        }
        if (result instanceof QueueAdmin.AlreadyWaiting waiting) {
            throw ApiError.conflict("the same work (" + waiting.kind() + " " + waiting.key() + ") is already waiting");
        }
        throw ApiError.notFound("no dead row " + id);
    }
}
