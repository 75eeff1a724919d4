package dev.correlator.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.correlator.CorrelatorConfig;

/**
 * Every /api/ request needs one of correlator.api.tokens as a bearer token, except the
 * Codespace reporter's, which is authenticated by the Codespace's own token (see
 * {@link dev.correlator.codespace.CodespaceEventResource}).
 */
public class ApiTokenFilter {

    // Filters are built while the REST layer starts, before runtime configuration exists.
    @Inject
    Instance<CorrelatorConfig> config;

    @ServerRequestFilter
    public Response authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!(path.startsWith("/api/") || path.startsWith("api/"))) {
            return null;
        }
        String normalised = (path.startsWith("/") ? path : "/" + path).replaceAll("/+$", "");
        if (normalised.equals(dev.correlator.codespace.CodespaceEventResource.PATH)) {
            return null;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && accepted(header.substring(7).trim())) {
            return null;
        }
        return Problem.of(401, "Unauthorized", header == null ? "Authorization: Bearer <token> is required"
                : "the bearer token is not valid")
                .builder()
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"change-correlator\"")
                .build();
    }

    /** Checks every configured token, in constant time each, so timing reveals nothing. */
    private boolean accepted(String token) {
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (String accepted : config.get().api().tokens().orElse(List.of())) {
            if (!accepted.isBlank()) {
                match |= MessageDigest.isEqual(accepted.trim().getBytes(StandardCharsets.UTF_8), given);
            }
        }
        return match;
    }
}
