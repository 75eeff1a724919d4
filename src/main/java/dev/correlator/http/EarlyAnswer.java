package dev.correlator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/**
 * An answer given from a request's headers, before its body is read (or while it is read). The
 * connection is closed after it: keeping it open would mean reading the rest of a body that
 * was refused in order to reach the next request.
 */
public final class EarlyAnswer {

    private EarlyAnswer() {}

    /** The path as routes see it: normalized, without matrix parameters or a trailing slash. */
    public static String routePath(RoutingContext context) {
        String path = context.normalizedPath();
        int matrix = path.indexOf(';');
        if (matrix >= 0) {
            path = path.substring(0, matrix);
        }
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    public static void send(RoutingContext context, ObjectMapper json, Problem problem, String retryAfter) {
        HttpServerResponse response = context.response();
        if (response.headWritten()) {
            context.request().connection().close();
            return;
        }
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem detail could not be written", e);
        }
        response.setStatusCode(problem.status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        if (retryAfter != null) {
            response.putHeader(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        response.end(body).onComplete(done -> context.request().connection().close());
    }
}
