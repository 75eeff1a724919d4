package dev.correlator.codespace;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

import com.fasterxml.jackson.databind.ObjectMapper;
import org.jboss.logging.Logger;

import dev.correlator.CorrelatorConfig;
import dev.correlator.api.UnknownTokenLookups;
import dev.correlator.http.OwnCredentials;
import dev.correlator.http.Problem;
import dev.correlator.http.Routes;

/**
 * The reporter's endpoint. It is the one API path not guarded by the API tokens: a report is
 * authenticated by the Codespace's own GITHUB_TOKEN, which GitHub is asked about and which is
 * then forgotten (never stored, never logged).
 */
@Path(CodespaceEventResource.PATH)
@OwnCredentials
public class CodespaceEventResource {

    public static final String PATH = Routes.CODESPACE_EVENTS;

    // GitHub's primary rate limit resets within the hour; a later time is not believed.
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

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

    @Inject
    CorrelatorConfig config;

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response report(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        String token = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim()
                : "";
        if (token.isEmpty()) {
            return Problem.of(401, "Unauthorized", "Authorization: Bearer <the Codespace's GITHUB_TOKEN> is required")
                    .builder()
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"change-correlator\"")
                    .build();
        }
        if (!UnknownTokenLookups.hasGitHubShape(token)) {
            return Problem.of(401, "Unauthorized", "the bearer token is not a GitHub token")
                    .builder()
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"change-correlator\"")
                    .build();
        }
        CodespaceReport report;
        try {
            report = json.readValue(body, CodespaceReport.class);
        } catch (IOException e) {
            return Problem.of(400, "Bad Request", "the body is not a Codespace event: " + firstLine(e.getMessage()))
                    .builder()
                    .build();
        }
        String problem = report == null ? "the body is empty" : report.problem();
        if (problem != null) {
            return Problem.of(400, "Bad Request", problem).builder().build();
        }
        if (!rateLimit.allow(report.codespace(), token)) {
            return Problem.of(429, "Too Many Requests", "too many events from " + report.codespace() + " this minute")
                    .builder()
                    .header("Retry-After", rateLimit.retryAfterSeconds())
                    .build();
        }
        if (!verifier.remembers(token, report) && !lookups.allowOne()) {
            return Problem.of(429, "Too Many Requests", "too many unknown tokens this minute")
                    .builder()
                    .header("Retry-After", lookups.retryAfterSeconds())
                    .build();
        }
        if (events.exists(report.eventId())) {
            return Response.ok(Map.of("eventId", report.eventId(), "outcome", "duplicate"))
                    .build();
        }

        CodespaceVerifier.Outcome outcome = verifier.check(token, report);
        if (outcome instanceof CodespaceVerifier.Rejected) {
            return Problem.of(401, "Unauthorized", "GitHub does not accept this token")
                    .builder()
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"change-correlator\"")
                    .build();
        }
        if (outcome instanceof CodespaceVerifier.NotTheirs notTheirs) {
            LOG.warnf("Refused a report for Codespace %s: %s", report.codespace(), notTheirs.reason());
            return Problem.of(403, "Forbidden", notTheirs.reason()).builder().build();
        }
        if (outcome instanceof CodespaceVerifier.Unavailable unavailable) {
            // Fail closed: a report GitHub cannot vouch for now is not taken at all. The reporter
            // keeps it and sends it again after Retry-After, when it can be verified.
            LOG.infof(
                    "Codespace %s report %s refused for now: %s",
                    report.codespace(), report.eventId(), unavailable.reason());
            long seconds = retryAfterSeconds(unavailable.notBefore());
            return (unavailable.rateLimited()
                            ? Problem.of(
                                    429,
                                    "Too Many Requests",
                                    "GitHub rate-limits this token; nothing was stored, send the"
                                            + " report again after " + seconds + " s")
                            : Problem.of(
                                    503,
                                    "Service Unavailable",
                                    "GitHub cannot confirm now whose token this is or who owns " + report.codespace()
                                            + "; nothing was stored, send the report again after " + seconds + " s"))
                    .builder()
                    .header("Retry-After", seconds)
                    .build();
        }
        CodespaceVerifier.Verified verified = (CodespaceVerifier.Verified) outcome;
        return switch (events.store(report, verified, clock.instant())) {
            case STORED ->
                Response.accepted(Map.of("eventId", report.eventId(), "verification", "verified"))
                        .build();
            case DUPLICATE ->
                Response.ok(Map.of("eventId", report.eventId(), "outcome", "duplicate"))
                        .build();
            // Taken, so the reporter does not send it again, and not recorded: its owner was erased.
            case ERASED ->
                Response.accepted(Map.of("eventId", report.eventId(), "outcome", "not-recorded"))
                        .build();
        };
    }

    /** Until GitHub's reset or Retry-After when it named one, else the configured wait; at least 1 s. */
    private long retryAfterSeconds(Instant notBefore) {
        long seconds = notBefore == null
                ? config.codespaces().verificationRetryAfter().toSeconds()
                : Duration.between(clock.instant(), notBefore).toSeconds() + 1;
        return Math.max(1, Math.min(seconds, MAX_RETRY_AFTER.toSeconds()));
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }
}
