package dev.correlator.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.correlator.CorrelatorConfig;
import dev.correlator.http.OwnCredentials;
import dev.correlator.http.Problem;
import dev.correlator.outbox.RetryLater;

/**
 * Every request to a resource needs a bearer token: one of correlator.api.tokens (an
 * administrator), an installation's token (see {@link ApiTokens}), which reaches only that
 * installation's data and no {@link AdminOnly} endpoint, or a person's GitHub token. The filter
 * runs after routing and decides by the resource the request reached, not by its path, so no
 * spelling of a path gets past it; the exceptions are the resources marked {@link OwnCredentials}
 * (the webhook, the Codespace reporter's endpoint).
 */
public class ApiTokenFilter {

    // Filters are built while the REST layer starts, before runtime configuration exists.
    @Inject
    Instance<CorrelatorConfig> config;

    @Inject
    Instance<ApiTokens> tokens;

    @Inject
    Instance<ApiCaller> caller;

    @Inject
    Instance<GitHubUserAccess> users;

    @ServerRequestFilter
    public Response authenticate(ContainerRequestContext request, ResourceInfo resource) {
        Class<?> reached = resource.getResourceClass();
        if (reached != null && reached.isAnnotationPresent(OwnCredentials.class)) {
            return null;
        }
        boolean adminOnly = reached != null && reached.isAnnotationPresent(AdminOnly.class);
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).trim();
            if (accepted(token)) {
                caller.get().administrator();
                return null;
            }
            Optional<ApiTokens.Owner> installation = tokens.get().installationOf(token);
            if (installation.isPresent()) {
                if (adminOnly) {
                    return Problem.of(403, "Forbidden", "an installation's token cannot use the admin endpoints")
                            .builder()
                            .build();
                }
                if (!installation.get().active()) {
                    // What GitHub no longer lets the App see, its token does not read either.
                    return Problem.of(
                                    403,
                                    "Forbidden",
                                    "installation " + installation.get().installationId() + " is "
                                            + ("suspended"
                                                            .equals(installation
                                                                    .get()
                                                                    .state())
                                                    ? "suspended"
                                                    : "uninstalled"))
                            .builder()
                            .build();
                }
                caller.get().installation(installation.get().installationId());
                return null;
            }
            // A person's own GitHub token: access follows what GitHub lets them read.
            Optional<String> login;
            try {
                login = users.get().login(token);
            } catch (RetryLater e) {
                return Problem.of(503, "GitHub unavailable", "GitHub could not say whose token this is; try again")
                        .builder()
                        .header("Retry-After", "30")
                        .build();
            } catch (GitHubUserAccess.TooManyLookups e) {
                return Problem.of(
                                429,
                                "Too Many Requests",
                                "too many unknown tokens this minute; a token GitHub confirmed recently is not affected")
                        .builder()
                        .header("Retry-After", String.valueOf(e.retryAfterSeconds()))
                        .build();
            }
            if (login.isPresent()) {
                if (adminOnly) {
                    return Problem.of(403, "Forbidden", "a GitHub user's token cannot use the admin endpoints")
                            .builder()
                            .build();
                }
                caller.get().user(login.get(), token);
                return null;
            }
        }
        return Problem.of(
                        401,
                        "Unauthorized",
                        header == null ? "Authorization: Bearer <token> is required" : "the bearer token is not valid")
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
