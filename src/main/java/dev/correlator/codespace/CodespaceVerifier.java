package dev.correlator.codespace;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.agroal.api.AgroalDataSource;

import dev.correlator.CorrelatorConfig;
import dev.correlator.Sha256;
import dev.correlator.db.Sql;
import dev.correlator.github.GitHubApi;
import dev.correlator.outbox.GiveUp;
import dev.correlator.outbox.RetryLater;

/**
 * Decides whether a report comes from the Codespace it names: GitHub says whose token it is
 * ({@code GET /user}), and the organization's Codespaces API, asked with the App's installation
 * token, shows a Codespace of that name owned by that login on that repository. The token is
 * used for the one call and dropped; a successful check is remembered for a few minutes under a
 * hash of the token, the Codespace and the repository.
 */
@ApplicationScoped
public class CodespaceVerifier {

    /** What the check found. */
    sealed interface Outcome {}

    /** The repository is GitHub's id for it now, not whatever row the App stores under its name. */
    record Verified(String login, long githubId, Long repositoryId) implements Outcome {}

    /** GitHub rejected the token. */
    record Rejected() implements Outcome {}

    /** The token is good, but its owner does not own that Codespace on that repository. */
    record NotTheirs(String reason) implements Outcome {}

    /**
     * Whose token it is, or who owns the Codespace, cannot be established now (GitHub down, slow,
     * rate limited or answering an unexpected 4xx). Nothing may be stored: the reporter keeps the
     * report and sends it again after {@code notBefore} (null when GitHub named no time).
     * {@code rateLimited}: GitHub rate-limits the caller's own token.
     */
    record Unavailable(String reason, boolean rateLimited, Instant notBefore) implements Outcome {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record OrgCodespaces(List<OrgCodespace> codespaces) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record OrgCodespace(String name, GitHubApi.User owner, RepositoryRef repository) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RepositoryRef(Long id, String fullName) {}

    private record Remembered(Verified verified, Instant until) {}

    private static final int MAX_PAGES = 10;

    @Inject
    GitHubApi github;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CorrelatorConfig config;

    @Inject
    Clock clock;

    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    Outcome check(String token, CodespaceReport report) {
        String key = key(token, report);
        Remembered known = remembered.get(key);
        if (known != null && known.until().isAfter(clock.instant())) {
            return known.verified();
        }
        Optional<GitHubApi.User> user;
        try {
            user = github.user(token);
        } catch (RetryLater e) {
            return new Unavailable("GET /user: " + e.getMessage(), e.rateLimited(), e.notBefore());
        } catch (GiveUp e) {
            // A 4xx other than 401 says nothing about whose token it is: refuse for now.
            return new Unavailable("GET /user: " + e.getMessage(), false, null);
        }
        if (user.isEmpty()) {
            return new Rejected();
        }
        if (user.get().login() == null) {
            return new Unavailable("GET /user named no login", false, null);
        }
        Long installation = installationOf(report.organization());
        if (installation == null) {
            return new NotTheirs("the App is not installed on " + report.organization());
        }
        String login = user.get().login();
        String next = "/orgs/" + report.organization() + "/members/" + login + "/codespaces?per_page=100";
        try {
            for (int page = 0; page < MAX_PAGES && next != null; page++) {
                GitHubApi.Page<OrgCodespaces> answer = github.page(installation, next, OrgCodespaces.class);
                for (OrgCodespace codespace : answer.value().codespaces() == null
                        ? List.<OrgCodespace>of()
                        : answer.value().codespaces()) {
                    if (report.codespace().equals(codespace.name())) {
                        return owns(login, codespace, report)
                                ? remember(
                                        key,
                                        new Verified(
                                                login,
                                                user.get().id(),
                                                codespace.repository().id()))
                                : new NotTheirs(
                                        login + " does not own " + report.codespace() + " on " + report.repository());
                    }
                }
                next = answer.next();
            }
        } catch (GitHubApi.Gone e) {
            // 404: not a member of the organization (or no such organization for the App).
            return new NotTheirs(login + " has no Codespaces in " + report.organization());
        } catch (RetryLater e) {
            // The App's own allowance, not the caller's: a 503, whatever GitHub's reason.
            return new Unavailable("the organization's Codespaces: " + e.getMessage(), false, e.notBefore());
        } catch (RuntimeException e) {
            // Another 4xx, or no installation token to ask with.
            return new Unavailable("the organization's Codespaces: " + e.getMessage(), false, null);
        }
        return new NotTheirs(login + " has no Codespace named " + report.codespace() + " in " + report.organization());
    }

    /** Whether a successful check of this token for this report is remembered: checking it asks GitHub nothing. */
    boolean remembers(String token, CodespaceReport report) {
        Remembered known = remembered.get(key(token, report));
        return known != null && known.until().isAfter(clock.instant());
    }

    private static String key(String token, CodespaceReport report) {
        return Sha256.hex(token, report.codespace(), report.repository().toLowerCase(Locale.ROOT));
    }

    /** Forgets every remembered check (tests). */
    void forget() {
        remembered.clear();
    }

    private static boolean owns(String login, OrgCodespace codespace, CodespaceReport report) {
        return codespace.owner() != null
                && login.equalsIgnoreCase(codespace.owner().login())
                && codespace.repository() != null
                && report.repository().equalsIgnoreCase(codespace.repository().fullName());
    }

    private Verified remember(String key, Verified verified) {
        Instant now = clock.instant();
        if (remembered.size() > 10_000) {
            remembered.values().removeIf(r -> !r.until().isAfter(now));
        }
        remembered.put(
                key, new Remembered(verified, now.plus(config.codespaces().verificationCache())));
        return verified;
    }

    private Long installationOf(String organization) {
        try (Connection connection = dataSource.getConnection()) {
            return Sql.one(connection, """
                    select id from installation where lower(account_login) = lower(?) and state = 'active'
                     order by updated_at desc limit 1""", row -> row.getLong(1), organization).orElse(null);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
