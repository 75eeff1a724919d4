package dev.correlator.support;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * GitHub faked at the HTTP level: the App's JWT and installation-token exchange, and whatever
 * each test stubs. The App's private key is generated for the run and never written to disk.
 */
public class FakeGitHub implements QuarkusTestResourceLifecycleManager {

    public static final long APP_ID = 314159;
    public static final long INSTALLATION_ID = 48151623;

    private static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        stubAppAuthentication();
        return Map.of(
                "quarkus.github-app.app-id", String.valueOf(APP_ID),
                "quarkus.github-app.private-key", throwawayKey(),
                "quarkus.github-app.instance-endpoint", server.baseUrl(),
                "quarkus.github-app.rest-api-endpoint", server.baseUrl());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    public static WireMockServer server() {
        return server;
    }

    /** Forgets every stub and request, then answers the App's authentication again. */
    public static void reset() {
        server.resetAll();
        stubAppAuthentication();
    }

    private static void stubAppAuthentication() {
        server.stubFor(get(urlPathMatching("/app")).willReturn(json("""
                {"id": 314159, "slug": "change-correlator", "name": "Change Correlator",
                 "owner": {"login": "acme-corp", "id": 9919001, "type": "Organization"}}""")));
        server.stubFor(get(urlPathMatching("/app/installations/\\d+")).willReturn(json("""
                {"id": 48151623, "app_id": 314159, "target_type": "Organization",
                 "account": {"login": "acme-corp", "id": 9919001, "type": "Organization"}}""")));
        server.stubFor(post(urlPathMatching("/app/installations/\\d+/access_tokens"))
                .willReturn(json("""
                {"token": "ghs_fakeInstallationToken", "expires_at": "2099-01-01T00:00:00Z",
                 "permissions": {"contents": "read", "pull_requests": "write"}}""").withStatus(201)));
    }

    public static ResponseDefinitionBuilder json(String body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    static String throwawayKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            byte[] pkcs8 = generator.generateKeyPair().getPrivate().getEncoded();
            return "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8)
                    + "\n-----END PRIVATE KEY-----\n";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
