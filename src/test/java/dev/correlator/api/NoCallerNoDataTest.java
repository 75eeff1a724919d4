package dev.correlator.api;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.correlator.support.AppTest;
import dev.correlator.support.Fixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API's caller is deny-by-default: a resource reached without the token filter having said who
 * calls gets nothing (401), is never an administrator, and no spelling of a path reaches a resource
 * without a token.
 */
@QuarkusTest
class NoCallerNoDataTest extends AppTest {

    @Inject
    CommitLookupResource commits;

    @Inject
    DeveloperResource developers;

    @Inject
    RepositoryCommitsResource repositoryCommits;

    @Inject
    AdminResource admin;

    @BeforeEach
    void twoOrganizations() {
        ScopedTokensTest.deliverBoth();
    }

    @Test
    void aResourceReachedWithNoCallerAnswers401AndNoData() {
        List<Supplier<Object>> calls = List.of(
                () -> commits.commit(Fixtures.A1, null),
                () -> developers.developer("mona-lisa"),
                () -> repositoryCommits.commits("acme-corp", "payments-api", null, null, null, null, null, null),
                () -> admin.queue());
        ManagedContext request = Arc.container().requestContext();
        for (Supplier<Object> call : calls) {
            request.activate();
            try {
                WebApplicationException refused = assertThrows(WebApplicationException.class, call::get);
                assertEquals(401, refused.getResponse().getStatus());
            } finally {
                request.terminate();
            }
        }
    }

    @Test
    void noSpellingOfAPathReachesAResourceWithoutAToken() throws IOException {
        String acme = api().contentType("application/json")
                .body("{\"name\": \"grafana\"}")
                .post("/api/v1/admin/installations/48151623/tokens")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("token");
        for (String path : List.of(
                "/api/v1/admin/queue",
                "//api/v1/admin/queue",
                "/api//v1/admin/queue",
                "/api/v1/./admin/queue",
                "/x/../api/v1/admin/queue",
                "/%61pi/v1/adm%69n/queue",
                "/api;x=1/v1/admin/queue",
                "/api/v1/admin;x/queue",
                "/api/v1/admin/queue/",
                "/api/v1/admin/queue;",
                "/API/v1/admin/queue",
                "/api%2Fv1/admin/queue",
                "/api/v1/codespaces/events/../../admin/queue",
                "/api/v1/codespaces/events;/../../admin/queue",
                "/api/v1/codespaces/events%2F..%2F..%2Fadmin/queue",
                "/api/v1/commits/" + Fixtures.A1,
                "/api;/v1/commits/" + Fixtures.A1,
                "/api/v1/codespaces/events",
                "/api/v1/codespaces/events%3Bx",
                "/api/v1/developers/mona-lisa;x")) {
            String anonymous = statusLine(path, null);
            assertTrue(anonymous.matches("HTTP/1.1 (401|404|405) .*"), path + " without a token: " + anonymous);
            if (path.contains("admin")) {
                String installation = statusLine(path, acme);
                assertTrue(
                        installation.matches("HTTP/1.1 (403|404) .*"),
                        path + " with an installation's token: " + installation);
            }
        }
    }

    /** A raw request, so that the path reaches the App exactly as written. */
    private static String statusLine(String path, String token) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                                    + (token == null ? "" : "Authorization: Bearer " + token + "\r\n") + "\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\r\n", 2)[0];
        }
    }
}
