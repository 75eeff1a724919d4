package dev.correlator.webhook;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.ext.web.RoutingContext;

import dev.correlator.CorrelatorConfig;
import dev.correlator.http.EarlyAnswer;
import dev.correlator.http.Problem;
import dev.correlator.http.RequestBodies;

/**
 * A delivery without a signature, or with a header that cannot be one, is answered 401 from its
 * headers: its body is never read, let alone hashed. Whether a well-formed signature matches is
 * for the intake to say once the body is in. Without a secret nothing is checked, as there.
 */
public class UnsignedDeliveryGuard {

    static final String HEADER = "X-Hub-Signature-256";

    @Inject
    CorrelatorConfig config;

    @Inject
    ObjectMapper json;

    @RouteFilter(RequestBodies.PRIORITY + 1)
    void refuse(RoutingContext context) {
        if (config.webhook().secret().isEmpty()
                || !EarlyAnswer.routePath(context).equals(WebhookIntakeResource.PATH)) {
            context.next();
            return;
        }
        String signature = context.request().getHeader(HEADER);
        if (signature == null || signature.isBlank()) {
            EarlyAnswer.send(context, json, Problem.of(401, "Missing signature", HEADER + " is required"), null);
        } else if (!WebhookSignature.wellFormed(signature)) {
            EarlyAnswer.send(
                    context,
                    json,
                    Problem.of(401, "Bad signature", HEADER + " must be sha256= and 64 hexadecimal digits"),
                    null);
        } else {
            context.next();
        }
    }
}
