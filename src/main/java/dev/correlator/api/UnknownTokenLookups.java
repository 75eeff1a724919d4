package dev.correlator.api;

import java.time.Clock;
import java.util.regex.Pattern;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.vertx.core.http.HttpServerRequest;

import dev.correlator.CorrelatorConfig;
import dev.correlator.MinuteWindows;

/**
 * Decides whether a bearer token nobody knows yet may be looked up at GitHub: a person's token on
 * the API, a Codespace's on the reporter endpoint. Each lookup costs a call from the App's
 * address, and GitHub answers a stream of bad credentials from one address by locking it out,
 * which would refuse every person's and every Codespace's token. So a token without the shape of
 * a GitHub token is never looked up, and lookups are limited per minute for each client address
 * ({@link ClientAddress}) and in total; beyond either the caller is told to come back
 * (429). One client's flood uses up its own share, not everyone's.
 */
@ApplicationScoped
public class UnknownTokenLookups {

    /**
     * The shapes of GitHub's tokens: ghp_ (classic), github_pat_ (fine-grained), gho_ (OAuth, as
     * from {@code gh auth token}), ghu_ and ghs_ (GitHub Apps, Codespaces), or 40 hex digits (old).
     */
    private static final Pattern GITHUB_TOKEN =
            Pattern.compile("(gh[opsu]_|github_pat_)[A-Za-z0-9_]{1,250}|[0-9a-f]{40}");

    @Inject
    CorrelatorConfig config;

    @Inject
    Clock clock;

    @Inject
    ClientAddress clients;

    @Inject
    HttpServerRequest request;

    private MinuteWindows windows;

    @PostConstruct
    void start() {
        windows = new MinuteWindows(clock);
    }

    /** Whether the token could be a GitHub token at all; one that cannot is refused without asking. */
    public static boolean hasGitHubShape(String token) {
        return GITHUB_TOKEN.matcher(token).matches();
    }

    /**
     * Whether one more unknown token may be looked up for this request's client; counts it if so.
     * A client over its own limit does not count against the total.
     */
    public boolean allowOne() {
        return windows.allow("client " + clients.key(request), config.api().userTokenLookupsPerAddressPerMinute())
                && windows.allow("total", config.api().userTokenLookupsPerMinute());
    }

    /** Seconds until the limits start again (for Retry-After). */
    public long retryAfterSeconds() {
        return windows.retryAfterSeconds();
    }

    /** Forgets every count (tests). */
    public void reset() {
        windows.reset();
    }
}
