package dev.correlator.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.correlator.CorrelatorConfig;
import dev.correlator.github.GitHubApi;
import dev.correlator.outbox.RetryLater;

/**
 * A person may call the API with their own GitHub token: GitHub says whose it is and whether it
 * can read a repository ({@code GET /repos/{owner}/{repo}}: 200 or not), so access follows
 * GitHub's own permissions. Answers are remembered for {@code correlator.api.user-token-cache}
 * under a SHA-256 of the token; the token itself is kept only for the request.
 */
@ApplicationScoped
public class GitHubUserAccess {

    private record Remembered<T>(T value, Instant until) {
    }

    @Inject
    GitHubApi github;

    @Inject
    CorrelatorConfig config;

    @Inject
    Clock clock;

    @ConfigProperty(name = "quarkus.github-app.rest-api-endpoint")
    String endpoint;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final Map<String, Remembered<Optional<String>>> logins = new ConcurrentHashMap<>();
    private final Map<String, Remembered<Boolean>> reads = new ConcurrentHashMap<>();

    /** The login the token belongs to; empty when GitHub rejects it. {@link RetryLater} when GitHub cannot say. */
    public Optional<String> login(String token) {
        String key = ApiTokens.sha256(token);
        Remembered<Optional<String>> known = logins.get(key);
        if (known != null && known.until().isAfter(clock.instant())) {
            return known.value();
        }
        Optional<String> login;
        try {
            login = github.user(token).map(GitHubApi.User::login);
        } catch (dev.correlator.outbox.GiveUp e) {
            login = Optional.empty(); // GitHub refuses to say: not a token of a person
        }
        remember(logins, key, login);
        return login;
    }

    /** Whether the token can read the repository. */
    public boolean canRead(String token, String fullName) {
        String key = ApiTokens.sha256(token) + ":" + fullName.toLowerCase(java.util.Locale.ROOT);
        Remembered<Boolean> known = reads.get(key);
        if (known != null && known.until().isAfter(clock.instant())) {
            return known.value();
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.replaceAll("/+$", "") + "/repos/" + fullName))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/vnd.github+json")
                .header("Authorization", "Bearer " + token)
                .GET().build();
        int status;
        try {
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            throw new RetryLater("GitHub unreachable: " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryLater("interrupted", null);
        }
        if (status >= 500) {
            throw new RetryLater("GET /repos/" + fullName + " answered " + status, null);
        }
        boolean readable = status == 200;
        remember(reads, key, readable);
        return readable;
    }

    private <T> void remember(Map<String, Remembered<T>> cache, String key, T value) {
        Instant now = clock.instant();
        if (cache.size() > 10_000) {
            cache.values().removeIf(r -> !r.until().isAfter(now));
        }
        cache.put(key, new Remembered<>(value, now.plus(config.api().userTokenCache())));
    }
}
