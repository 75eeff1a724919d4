package dev.correlator.api;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.correlator.CorrelatorConfig;
import dev.correlator.github.GitHubApi;

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

    private final Map<String, Remembered<Optional<String>>> logins = new ConcurrentHashMap<>();
    private final Map<String, Remembered<Boolean>> reads = new ConcurrentHashMap<>();

    /** The login the token belongs to; empty when GitHub rejects it. {@link dev.correlator.outbox.RetryLater} when GitHub cannot say. */
    public Optional<String> login(String token) {
        String key = dev.correlator.Sha256.hex(token);
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
        String key = dev.correlator.Sha256.hex(token) + ":" + fullName.toLowerCase(java.util.Locale.ROOT);
        Remembered<Boolean> known = reads.get(key);
        if (known != null && known.until().isAfter(clock.instant())) {
            return known.value();
        }
        boolean readable = github.canRead(token, fullName);
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
