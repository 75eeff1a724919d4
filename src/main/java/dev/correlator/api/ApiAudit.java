package dev.correlator.api;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;

import io.agroal.api.AgroalDataSource;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import dev.correlator.Sha256;
import dev.correlator.db.Sql;
import dev.correlator.http.Routes;

/**
 * Writes every answered API read of developer data to {@code api_audit}: who (the first 16 hex
 * digits of the SHA-256 of their bearer token, so tokens can be told apart without being kept),
 * what (method, path, query), when and the status. A failure to write is logged, not answered:
 * the read itself already happened.
 */
public class ApiAudit {

    private static final Logger LOG = Logger.getLogger(ApiAudit.class);

    /** AdminResource's erasure of a login: {@code DELETE /api/v1/admin/developers/{login}}. */
    private static final String ERASURE = "/api/v1/admin/developers/";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    @ServerResponseFilter
    public void audit(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        String normalised = path.startsWith("/") ? path : "/" + path;
        if (!normalised.startsWith("/api/") || normalised.startsWith(Routes.CODESPACE_EVENTS)) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String caller = header == null
                ? "anonymous"
                : "token:" + Sha256.hex(header.trim()).substring(0, 16);
        String query = request.getUriInfo().getRequestUri().getRawQuery();
        if (normalised.startsWith(ERASURE) && "DELETE".equals(request.getMethod())) {
            normalised = ERASURE + "{erased}"; // the erasure of a login must not itself record the login
        }
        try (Connection connection = dataSource.getConnection()) {
            Sql.update(
                    connection,
                    """
                    insert into api_audit (at, caller, method, path, query, status) values (?, ?, ?, ?, ?, ?)""",
                    clock.instant(),
                    caller,
                    request.getMethod(),
                    normalised,
                    query,
                    response.getStatus());
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("API read not audited (%s %s): %s", request.getMethod(), normalised, e.getMessage());
        }
    }
}
