package dev.correlator.webhook;

import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.correlator.http.EarlyAnswer;
import dev.correlator.http.Problem;

/**
 * The extension's own webhook route answers 200 before anything is stored, and nothing listens
 * behind it here. A GitHub App pointed at it by mistake would lose every delivery while looking
 * healthy, so it answers 404 and names the right path, from the headers: its body is never read.
 */
public class ExtensionRouteGuard {

    @ConfigProperty(name = "quarkus.github-app.webhook-url-path")
    String extensionPath;

    @Inject
    ObjectMapper json;

    @RouteFilter(RouteFilter.DEFAULT_PRIORITY + 10)
    void refuse(RoutingContext context) {
        if (EarlyAnswer.routePath(context).equals(extensionPath)) {
            EarlyAnswer.send(
                    context, json, Problem.of(404, "Not found", "GitHub deliveries go to /webhooks/github"), null);
            return;
        }
        context.next();
    }
}
