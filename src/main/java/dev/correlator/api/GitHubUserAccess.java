package dev.correlator.api;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.correlator.CorrelatorConfig;
import dev.correlator.Sha256;
import dev.correlator.github.GitHubApi;
import dev.correlator.outbox.GiveUp;

/**
 * A person may call the API with their own GitHub token: GitHub says whose it is and whether it
 * can read a repository ({@code GET /repositories/{id}}: 200 with that id or not), so access follows
 * GitHub's own permissions. Answers are remembered for {@code correlator.api.user-token-cache}
 * under a SHA-256 of the token; the token itself is kept only for the request.
 *
 * <p>Tokens nobody knows are looked up within {@link UnknownTokenLookups}' limits. A token GitHub
 * confirmed is not unknown: used near the end of its remembered answer
 * ({@code correlator.api.user-token-refresh-before}), or again after it, it is looked up outside
 * those limits, so a flood of guesses cannot lock out the people already using the API.
 */
@ApplicationScoped
public class GitHubUserAccess {

    private static final Logger LOG = Logger.getLogger(GitHubUserAccess.class);

    private record Remembered<T>(T value, Instant refreshFrom, Instant until) {}

    @Inject
    GitHubApi github;

    @Inject
    CorrelatorConfig config;

    @Inject
    Clock clock;

    @Inject
    UnknownTokenLookups lookups;

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

    private final Map<String, Remembered<Optional<String>>> logins = new ConcurrentHashMap<>();
    private final Map<String, Remembered<Boolean>> reads = new ConcurrentHashMap<>();
    private final Map<String, Remembered<Boolean>> memberships = new ConcurrentHashMap<>();

    /**
     * The login the token belongs to; empty when GitHub rejects it. {@link dev.correlator.outbox.RetryLater}
     * when GitHub cannot say, {@link TooManyLookups} when an unknown token may not be looked up now.
     */
    public Optional<String> login(String token) {
        String key = Sha256.hex(token);
        Remembered<Optional<String>> known = logins.get(key);
        Instant now = clock.instant();
        if (known != null && known.until().isAfter(now)) {
            if (known.value().isPresent()
                    && !now.isBefore(known.refreshFrom())
                    // One request refreshes; the others meanwhile use the answer still remembered.
                    && logins.replace(key, known, new Remembered<>(known.value(), known.until(), known.until()))) {
                try {
                    return lookUp(key, token);
                } catch (RuntimeException e) {
                    return known.value(); // GitHub cannot say now; the answer holds until it expires
                }
            }
            return known.value();
        }
        if (!UnknownTokenLookups.hasGitHubShape(token)) {
            return Optional.empty();
        }
        if ((known == null || known.value().isEmpty()) && !lookups.allowOne()) {
            throw new TooManyLookups(lookups.retryAfterSeconds());
        }
        return lookUp(key, token);
    }

    private Optional<String> lookUp(String key, String token) {
        Optional<String> login;
        try {
            login = github.user(token).map(GitHubApi.User::login);
        } catch (GiveUp e) {
            login = Optional.empty(); // GitHub refuses to say: not a token of a person
        }
        remember(logins, key, login);
        return login;
    }

    /** Whether the token can read the repository with this id (remembered by id: names move). */
    public boolean canRead(String token, long repositoryId) {
        String key = Sha256.hex(token) + ":" + repositoryId;
        Remembered<Boolean> known = reads.get(key);
        if (known != null && known.until().isAfter(clock.instant())) {
            return known.value();
        }
        boolean readable = github.canRead(token, repositoryId);
        remember(reads, key, readable);
        return readable;
    }

    /**
     * Whether the login is a member of the organization, as the organization's installation asks
     * GitHub; remembered like the other answers, under the organization and login (the answer is
     * about the login, not about the token that asked). An installation that has not approved
     * {@code members: read} yet learns nothing, so its answer is "not a member"; when GitHub cannot
     * answer now it is "not a member" too, and not remembered: Codespace details fail closed.
     */
    public boolean isMember(long installationId, String organization, String login) {
        String key =
                installationId + ":" + organization.toLowerCase(Locale.ROOT) + ":" + login.toLowerCase(Locale.ROOT);
        Remembered<Boolean> known = memberships.get(key);
        if (known != null && known.until().isAfter(clock.instant())) {
            return known.value();
        }
        GitHubApi.Membership membership;
        try {
            membership = github.membership(installationId, organization, login);
        } catch (RuntimeException e) {
            LOG.warnf("Could not ask whether %s is a member of %s: %s", login, organization, e.getMessage());
            return false;
        }
        if (membership == GitHubApi.Membership.NOT_PERMITTED) {
            LOG.warnf(
                    "The installation on %s has not approved members: read; Codespace details go to its "
                            + "members only once it has",
                    organization);
        }
        boolean member = membership == GitHubApi.Membership.MEMBER;
        remember(memberships, key, member);
        return member;
    }

    /** Forgets every answer and this minute's count (tests). */
    void forget() {
        logins.clear();
        reads.clear();
        memberships.clear();
        lookups.reset();
    }

    private <T> void remember(Map<String, Remembered<T>> cache, String key, T value) {
        Instant now = clock.instant();
        if (cache.size() > 10_000) {
            cache.values().removeIf(r -> !r.until().isAfter(now));
        }
        Instant until = now.plus(config.api().userTokenCache());
        cache.put(key, new Remembered<>(value, until.minus(config.api().userTokenRefreshBefore()), until));
    }
}
