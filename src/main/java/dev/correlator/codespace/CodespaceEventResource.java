package dev.correlator.codespace;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.correlator.api.OwnCredentials;
import dev.correlator.api.Problem;
import dev.correlator.api.UnknownTokenLookups;

/**
 * The reporter's endpoint. It is the one API path not guarded by the API tokens: a report is
 * authenticated by the Codespace's own GITHUB_TOKEN, which GitHub is asked about and which is
 * then forgotten (never stored, never logged).
 */
@Path(CodespaceEventResource.PATH)
@OwnCredentials
public class CodespaceEventResource {

    public static final String PATH = "/api/v1/codespaces/events";

    private static final Logger LOG = Logger.getLogger(CodespaceEventResource.class);

    @Inject
    ObjectMapper json;

    @Inject
    CodespaceVerifier verifier;

    @Inject
    CodespaceEvents events;

    @Inject
    ReportRateLimit rateLimit;

    @Inject
    UnknownTokenLookups lookups;

    @Inject
    Clock clock;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response report(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : "";
        if (token.isEmpty()) {
            return Problem.of(401, "Unauthorized", "Authorization: Bearer <the Codespace's GITHUB_TOKEN> is required")
                    .builder().header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"change-correlator\"").build();
        }
        if (!UnknownTokenLookups.hasGitHubShape(token)) {
            return Problem.of(401, "Unauthorized", "the bearer token is not a GitHub token")
                    .builder().header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"change-correlator\"").build();
        }
        CodespaceReport report;
        try {
            report = json.readValue(body, CodespaceReport.class);
        } catch (IOException e) {
            return Problem.of(400, "Bad Request", "the body is not a Codespace event: " + firstLine(e.getMessage()))
                    .builder().build();
        }
        String problem = report == null ? "the body is empty" : report.problem();
        if (problem != null) {
            return Problem.of(400, "Bad Request", problem).builder().build();
        }
        if (!rateLimit.allow(report.codespace(), token)) {
            return Problem.of(429, "Too Many Requests", "too many events from " + report.codespace() + " this minute")
                    .builder().header("Retry-After", rateLimit.retryAfterSeconds()).build();
        }
        if (!verifier.remembers(token, report) && !lookups.allowOne()) {
            return Problem.of(429, "Too Many Requests", "too many unknown tokens this minute")
                    .builder().header("Retry-After", lookups.retryAfterSeconds()).build();
        }
        if (events.exists(report.eventId())) {
            return Response.ok(Map.of("eventId", report.eventId(), "outcome", "duplicate")).build();
        }

        CodespaceVerifier.Outcome outcome = verifier.check(token, report);
        if (outcome instanceof CodespaceVerifier.Rejected) {
            return Problem.of(401, "Unauthorized", "GitHub does not accept this token").builder()
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"change-correlator\"").build();
        }
        if (outcome instanceof CodespaceVerifier.NotTheirs notTheirs) {
            LOG.warnf("Refused a report for Codespace %s: %s", report.codespace(), notTheirs.reason());
            return Problem.of(403, "Forbidden", notTheirs.reason()).builder().build();
        }
        CodespaceVerifier.Verified verified = outcome instanceof CodespaceVerifier.Verified v ? v : null;
        if (outcome instanceof CodespaceVerifier.Unreachable unreachable) {
            // Kept, so nothing is lost; the token is not, so it can later be corroborated at most.
            LOG.infof("Codespace %s report %s kept unverified: %s", report.codespace(), report.eventId(),
                    unreachable.reason());
        }
        String verification = verified != null ? "verified" : "unverified";
        if (!events.store(report, verification, verified, clock.instant())) {
            return Response.ok(Map.of("eventId", report.eventId(), "outcome", "duplicate")).build();
        }
        return Response.accepted(Map.of("eventId", report.eventId(), "verification", verification)).build();
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
