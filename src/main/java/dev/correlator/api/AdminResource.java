package dev.correlator.api;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.agroal.api.AgroalDataSource;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.correlator.CorrelatorConfig;
import dev.correlator.change.Backfill;
import dev.correlator.db.Sql;
import dev.correlator.outbox.QueueAdmin;
import dev.correlator.retention.DeveloperErasure;
import dev.correlator.webhook.DeliveryReplay;

/** Operations for the people who run the App (the tokens in correlator.api.tokens). */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
@SecurityRequirement(name = "bearer")
@AdminOnly
public class AdminResource {

    @Inject
    DeveloperErasure erasure;

    @Inject
    QueueAdmin queue;

    @Inject
    ApiTokens tokens;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    DeliveryReplay replay;

    @Inject
    Backfill backfill;

    @Inject
    CorrelatorConfig config;

    /** What a new token is for. */
    public record TokenRequest(String name) {}

    /** What an erasure removed, by kind of row. */
    public record Erased(String login, Map<String, Integer> rows) {}

    @DELETE
    @Path("/developers/{login}")
    @Operation(summary = "Erase everything the App holds about one developer login")
    public Erased erase(@PathParam("login") String login) {
        return erasure.erase(login)
                .map(rows -> new Erased(login, rows))
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
    public List<QueueAdmin.DeadRow> dead(
            @QueryParam("kind") String kind, @QueryParam("limit") @DefaultValue("100") int limit) {
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

    @POST
    @Path("/installations/{installation}/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Make an API token for one installation; its value is shown this once")
    public Response createToken(@PathParam("installation") long installation, TokenRequest request) {
        String name =
                request == null || request.name() == null || request.name().isBlank()
                        ? null
                        : request.name().strip();
        if (name == null || name.length() > 100) {
            throw ApiError.badRequest("a token needs a name of 1 to 100 characters, e.g. {\"name\": \"grafana\"}");
        }
        requireInstallation(installation);
        return Response.status(201).entity(tokens.create(installation, name)).build();
    }

    @GET
    @Path("/installations/{installation}/tokens")
    @Operation(summary = "An installation's API tokens (never their values)")
    public List<ApiTokens.Listed> listTokens(@PathParam("installation") long installation) {
        requireInstallation(installation);
        return tokens.list(installation);
    }

    @POST
    @Path("/tokens/{id}/rotate")
    @Operation(summary = "Revoke a token and make a new one of the same name; the new value is shown this once")
    public Response rotateToken(@PathParam("id") long id) {
        return Response.status(201)
                .entity(tokens.rotate(id).orElseThrow(() -> ApiError.notFound("no live token " + id)))
                .build();
    }

    @DELETE
    @Path("/tokens/{id}")
    @Operation(summary = "Revoke a token")
    public Response revokeToken(@PathParam("id") long id) {
        if (!tokens.revoke(id)) {
            throw ApiError.notFound("no live token " + id);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("/deliveries/{id}/replay")
    @Operation(summary = "Run a stored delivery through the projectors again, as if it had just arrived")
    public DeliveryReplay.Replayed replay(@PathParam("id") String id) {
        try {
            return replay.replay(id).orElseThrow(() -> ApiError.notFound("no stored delivery " + id));
        } catch (DeliveryReplay.NotReplayable e) {
            throw ApiError.conflict(e.getMessage());
        }
    }

    /** What was put on the queue. */
    public record BackfillQueued(long installation, String state) {}

    @POST
    @Path("/installations/{installation}/backfill")
    @Operation(summary = "Fetch an installation's open pull requests and recent default-branch history again")
    public Response backfill(@PathParam("installation") long installation) {
        if (!config.backfill().enabled()) {
            throw ApiError.conflict("the backfill is off (correlator.backfill.enabled=false)");
        }
        return Sql.withConnection(dataSource, connection -> {
            String state = Sql.one(
                            connection,
                            "select state from installation where id = ?",
                            row -> row.getString(1),
                            installation)
                    .orElseThrow(() -> ApiError.notFound("no installation " + installation));
            if (!"active".equals(state)) {
                throw ApiError.conflict("installation " + installation + " is " + state);
            }
            backfill.installation(connection, installation);
            return Response.accepted(new BackfillQueued(installation, "queued")).build();
        });
    }

    private void requireInstallation(long installation) {
        try (Connection connection = dataSource.getConnection()) {
            if (Sql.one(connection, "select 1 from installation where id = ?", row -> 1, installation)
                    .isEmpty()) {
                throw ApiError.notFound("no installation " + installation);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
