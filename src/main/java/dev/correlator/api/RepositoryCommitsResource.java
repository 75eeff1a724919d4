package dev.correlator.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.correlator.CorrelatorConfig;
import dev.correlator.change.Repository;
import dev.correlator.identity.Developer;
import dev.correlator.payload.GitRef;

/** A repository's commits, newest first, filtered and paged by cursor. */
@Path("/api/v1/repos/{owner}/{repo}/commits")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "commits")
@SecurityRequirement(name = "bearer")
public class RepositoryCommitsResource {

    @Inject
    MappingReadModel model;

    @Inject
    CorrelatorConfig config;

    @Inject
    ApiCaller caller;

    @Inject
    CodespaceVisibility visibility;

    @GET
    @Operation(
            summary = "A repository's commits, newest first",
            description = "branch: commits on it now; author: a login; since/until: RFC 3339 bounds on authoredAt; "
                    + "limit: 1 to 500 (default 100); cursor: nextCursor of the previous page.")
    public ApiViews.Page<ApiViews.CommitSummary> commits(
            @PathParam("owner") String owner,
            @PathParam("repo") String repo,
            @QueryParam("branch") String branch,
            @QueryParam("author") String author,
            @QueryParam("since") String since,
            @QueryParam("until") String until,
            @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        int size = limit == null || limit.isBlank() ? config.api().defaultLimit() : number(limit);
        if (size < 1 || size > config.api().maxLimit()) {
            throw ApiError.badRequest("limit is between 1 and " + config.api().maxLimit());
        }
        Instant from = time(since, "since");
        Instant to = time(until, "until");
        Cursor after = cursor == null || cursor.isBlank() ? null : Cursor.decode(cursor);
        Repository repository = Repository.byFullName(owner, repo)
                .filter(caller::sees)
                .orElseThrow(() -> ApiError.notFound("no repository " + owner + "/" + repo));
        Long authorId = null;
        if (author != null && !author.isBlank()) {
            authorId = Developer.byLogin(author).map(d -> d.id).orElse(-1L);
        }
        List<ApiViews.CommitSummary> items = model.commits(
                repository.id,
                blankToNull(branch),
                authorId,
                from,
                to,
                after == null ? null : after.authoredAt(),
                after == null ? null : after.sha(),
                size + 1);
        String next = null;
        if (items.size() > size) {
            items = items.subList(0, size);
            ApiViews.CommitSummary last = items.get(size - 1);
            next = new Cursor(last.authoredAt(), last.sha()).encode();
        }
        return new ApiViews.Page<>(visibility.shown(items), next);
    }

    private int number(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("limit is between 1 and " + config.api().maxLimit());
        }
    }

    private static Instant time(String text, String name) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiError.badRequest(name + " is an RFC 3339 time, such as 2026-11-20T13:05:10Z");
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /** Opaque to callers: the last item's authoredAt and sha. */
    record Cursor(Instant authoredAt, String sha) {

        String encode() {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((authoredAt.toString() + "|" + sha).getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\|");
                if (parts.length == 2 && GitRef.isSha(parts[1])) {
                    return new Cursor(Instant.parse(parts[0]), parts[1]);
                }
            } catch (IllegalArgumentException | DateTimeParseException e) {
                // answered below
            }
            throw ApiError.badRequest("cursor is not one this API gave");
        }
    }
}
