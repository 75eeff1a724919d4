package dev.correlator.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.correlator.db.DatabaseOutage;
import dev.correlator.http.Problem;

/** Every error the API answers is application/problem+json. */
public class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);

    @ServerExceptionMapper
    public Response apiError(ApiError error) {
        return error.problem().response();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return Problem.of(status, e.getResponse().getStatusInfo().getReasonPhrase(), e.getMessage())
                .response();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (DatabaseOutage.causedBy(e)) {
            LOG.warnf("Database unavailable: %s", e.getMessage());
            return Problem.of(503, "Database unavailable", "Try again shortly")
                    .builder()
                    .header("Retry-After", "30")
                    .build();
        }
        LOG.error("Unexpected failure", e);
        return Problem.of(500, "Internal error", "The failure was logged").response();
    }
}
