package dev.correlator.webhook;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.vertx.web.RouteFilter;
import io.vertx.ext.web.RoutingContext;

/**
 * The extension's own webhook route answers 200 before anything is stored, and nothing listens
 * behind it here. A GitHub App pointed at it by mistake would lose every delivery while looking
 * healthy, so it answers 404 and names the right path.
 */
public class ExtensionRouteGuard {

    @ConfigProperty(name = "quarkus.github-app.webhook-url-path")
    String extensionPath;

    @RouteFilter(RouteFilter.DEFAULT_PRIORITY + 10)
    void refuse(RoutingContext context) {
        if (context.normalizedPath().equals(extensionPath)) {
            context.response().setStatusCode(404).putHeader("Content-Type", "application/problem+json")
                    .end("{\"type\":\"about:blank\",\"title\":\"Not found\",\"status\":404,"
                            + "\"detail\":\"GitHub deliveries go to /webhooks/github\"}");
            return;
        }
        context.next();
    }
}
