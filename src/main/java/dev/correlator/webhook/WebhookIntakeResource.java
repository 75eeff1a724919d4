package dev.correlator.webhook;

import java.time.Clock;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.correlator.CorrelatorConfig;
import dev.correlator.db.DatabaseOutage;
import dev.correlator.http.OwnCredentials;
import dev.correlator.http.Problem;
import dev.correlator.http.Routes;
import dev.correlator.payload.ReceivedDelivery;

/**
 * GitHub's webhook deliveries. Answers only after the delivery is committed, which the
 * extension's own route cannot do (it dispatches to listeners after answering).
 */
@Path(WebhookIntakeResource.PATH)
@OwnCredentials
@Tag(name = "webhooks")
public class WebhookIntakeResource {

    public static final String PATH = Routes.WEBHOOK;

    private static final Logger LOG = Logger.getLogger(WebhookIntakeResource.class);

    // GitHub's delivery ids are UUIDs; anything printable and short is kept, the rest refused.
    private static final Pattern DELIVERY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
    private static final Pattern EVENT_NAME = Pattern.compile("[a-z0-9_]{1,64}");

    @Inject
    CorrelatorConfig config;

    @Inject
    DeliveryIntake intake;

    @Inject
    Clock clock;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE})
    @Operation(summary = "Receive a GitHub webhook delivery", description = "Stored before it is answered.")
    public Response receive(
            @HeaderParam("X-GitHub-Event") String event,
            @HeaderParam("X-GitHub-Delivery") String deliveryId,
            @HeaderParam("X-Hub-Signature-256") String signature,
            RoutingContext routing) {
        // RequestBodies has read the body into memory; a byte[] parameter would copy it twice more.
        Buffer body = routing.body().buffer();
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        if (config.webhook().secret().isPresent()) {
            if (signature == null || signature.isBlank()) {
                return Problem.of(401, "Missing signature", "X-Hub-Signature-256 is required")
                        .response();
            }
            if (!WebhookSignature.matches(config.webhook().secret().get(), bytes, signature)
                    && config.webhook()
                            .previousSecret()
                            .filter(old -> !old.isBlank())
                            .map(old -> !WebhookSignature.matches(old, bytes, signature))
                            .orElse(true)) {
                LOG.warnf("Refused delivery %s: its signature does not match the webhook secret", deliveryId);
                return Problem.of(401, "Bad signature", "X-Hub-Signature-256 does not match the body")
                        .response();
            }
        }
        if (deliveryId == null || !DELIVERY_ID.matcher(deliveryId).matches()) {
            return Problem.of(400, "Missing delivery id", "X-GitHub-Delivery is required (a UUID)")
                    .response();
        }
        if (event == null || !EVENT_NAME.matcher(event).matches()) {
            return Problem.of(400, "Missing event", "X-GitHub-Event is required")
                    .response();
        }

        MDC.put("delivery", deliveryId);
        try {
            IntakeResult result = intake.receive(new ReceivedDelivery(deliveryId, event, bytes, clock.instant()));
            LOG.debugf("%s delivery: %s", event, result.outcome());
            return answer(result);
        } catch (RuntimeException e) {
            if (DatabaseOutage.causedBy(e)) {
                LOG.errorf("Database unavailable, delivery %s not confirmed as stored: %s", deliveryId, e.getMessage());
                // After a commit timeout the write may still land; a redelivery is then a duplicate.
                return Problem.of(
                                503,
                                "Database unavailable",
                                "The delivery was not confirmed as stored; send it again later")
                        .builder()
                        .header("Retry-After", "30")
                        .build();
            }
            throw e;
        } finally {
            MDC.remove("delivery");
        }
    }

    private static Response answer(IntakeResult result) {
        return switch (result.outcome()) {
            case PROCESSED, DUPLICATE -> Response.ok(result).build();
            case IGNORED -> Response.accepted(result).build();
            case REJECTED ->
                Problem.of(400, "Malformed payload", result.detail())
                        .with("deliveryId", result.deliveryId())
                        .response();
        };
    }
}
