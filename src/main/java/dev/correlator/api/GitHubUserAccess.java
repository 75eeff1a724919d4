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
 * can read a repository ({@code GET /repositories/{id}}: 200 with that id or not), so access follows
 * GitHub's own permissions. Answers are remembered for {@code correlator.api.user-token-cache}
 * under a SHA-256 of the token; the token itself is kept only for the request.
 *
 * <p>A bearer token nobody knows costs a call to GitHub, and GitHub answers a stream of bad
 * credentials from one address by locking it out, which would refuse every person's token. So a
 * token that cannot be a GitHub token is refused without asking, and at most
 * {@code correlator.api.user-token-lookups-per-minute} tokens not already remembered are looked
 * up per minute (per instance); beyond that the caller is told to come back
 * ({@link TooManyLookups}), while tokens already remembered keep working.
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

    /**
     * The shapes of GitHub's tokens: ghp_ (classic), github_pat_ (fine-grained), gho_ (OAuth, as
     * from {@code gh auth token}), ghu_ and ghs_ (GitHub Apps, Codespaces), or 40 hex digits (old).
     */
    private static final java.util.regex.Pattern GITHUB_TOKEN = java.util.regex.Pattern.compile(
            "(gh[opsu]_|github_pat_)[A-Za-z0-9_]{1,250}|[0-9a-f]{40}");

    /** Too many unknown tokens this minute; come back after the given seconds. */
    public static class TooManyLookups extends RuntimeException {
        private final long retryAfterSeconds;

        TooManyLookups(long retryAfterSeconds) {
            super("too many unknown tokens to look up this minute");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private dev.correlator.MinuteWindows lookups;

    @jakarta.annotation.PostConstruct
    void start() {
        lookups = new dev.correlator.MinuteWindows(clock);
    }

    private final Map<String, Remembered<Optional<String>>> logins = new ConcurrentHashMap<>();
    private final Map<String, Remembered<Boolean>> reads = new ConcurrentHashMap<>();

    /** The login the token belongs to; empty when GitHub rejects it. {@link dev.correlator.outbox.RetryLater} when GitHub cannot say. */
    public Optional<String> login(String token) {
        String key = dev.correlator.Sha256.hex(token);
        Remembered<Optional<String>> known = logins.get(key);
        if (known != null && known.until().isAfter(clock.instant())) {
            return known.value();
        }
        if (!GITHUB_TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        if (!lookups.allow("lookups", config.api().userTokenLookupsPerMinute())) {
            throw new TooManyLookups(lookups.retryAfterSeconds());
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

    /** Whether the token can read the repository with this id (remembered by id: names move). */
    public boolean canRead(String token, long repositoryId) {
        String key = dev.correlator.Sha256.hex(token) + ":" + repositoryId;
        Remembered<Boolean> known = reads.get(key);
        if (known != null && known.until().isAfter(clock.instant())) {
            return known.value();
        }
        boolean readable = github.canRead(token, repositoryId);
        remember(reads, key, readable);
        return readable;
    }

    /** Forgets every answer and this minute's count (tests). */
    void forget() {
        logins.clear();
        reads.clear();
        lookups.reset();
    }

    private <T> void remember(Map<String, Remembered<T>> cache, String key, T value) {
        Instant now = clock.instant();
        if (cache.size() > 10_000) {
            cache.values().removeIf(r -> !r.until().isAfter(now));
        }
        cache.put(key, new Remembered<>(value, now.plus(config.api().userTokenCache())));
    }
}
