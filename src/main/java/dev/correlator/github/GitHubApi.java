package dev.correlator.github;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JavaType;
import io.quarkiverse.githubapp.InstallationTokenProvider;
import io.quarkiverse.githubapp.runtime.signing.JwtTokenCreator;
import io.quarkiverse.githubapp.runtime.signing.PrivateKeyUtil;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.correlator.outbox.GiveUp;
import dev.correlator.outbox.RetryLater;
import dev.correlator.payload.MalformedPayloadException;
import dev.correlator.payload.WebhookPayloadReader;

/**
 * GitHub's REST API as the App uses it: an installation token from the extension (or the App's
 * own JWT), the configured endpoint (GitHub Enterprise Server, a fake GitHub in tests), and every
 * failure turned into what the queue should do about it. The App's one client for its own calls;
 * only the extension's reader of {@code .github/correlator.yml} goes through hub4j. Writes go
 * through {@link GitHubWrites}.
 */
@ApplicationScoped
public class GitHubApi {

    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");

    @Inject
    InstallationTokenProvider tokens;

    @Inject
    WebhookPayloadReader reader;

    @Inject
    Clock clock;

    @ConfigProperty(name = "quarkus.github-app.rest-api-endpoint")
    String endpoint;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL) // renamed repositories answer 301
            .build();

    // Where a redirect is itself the answer (organization membership).
    private final HttpClient withoutRedirects = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /** GETs every page of a list endpoint (following Link: rel="next"), up to maxPages. */
    public <T> List<T> list(long installationId, String path, Class<T> itemType, int maxPages) {
        List<T> items = new ArrayList<>();
        String next = path;
        for (int page = 0; page < maxPages && next != null; page++) {
            Page<List<T>> answer = listPage(installationId, next, itemType);
            items.addAll(answer.value());
            next = answer.next();
        }
        return items;
    }

    /** GETs one page and reads it as the given type, returning the next page's URL too. */
    public <T> Page<T> page(long installationId, String pathOrUrl, Class<T> type) {
        return page(installationId, pathOrUrl, reader.mapper().getTypeFactory().constructType(type));
    }

    /** GETs one page of a list endpoint. */
    public <T> Page<List<T>> listPage(long installationId, String pathOrUrl, Class<T> itemType) {
        return page(
                installationId,
                pathOrUrl,
                reader.mapper().getTypeFactory().constructCollectionType(List.class, itemType));
    }

    private <T> Page<T> page(long installationId, String pathOrUrl, JavaType type) {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : endpoint.replaceAll("/+$", "") + pathOrUrl;
        HttpResponse<byte[]> response = get(installationId, url);
        T value = read(response.body(), type, pathOrUrl);
        return new Page<>(value, nextPage(response).orElse(null), rate(response));
    }

    /**
     * One answer, the URL of the next page if there is one, and what GitHub said of the
     * allowance left (x-ratelimit-remaining and -reset; null when it did not say).
     */
    public record Page<T>(T value, String next, Rate rate) {}

    public record Rate(Integer remaining, Instant reset) {}

    /** A 4xx answer other than a rate limit: asking again would get the same answer. */
    public static class Refused extends GiveUp {

        private final int status;

        Refused(String reason, int status) {
            super(reason);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** 404 or 410: what was asked about is not there (any more). */
    public static class Gone extends Refused {

        Gone(String reason, int status) {
            super(reason, status);
        }
    }

    /**
     * Sends a JSON body ({@code POST}, {@code PATCH}) as the installation and reads the answer;
     * GitHub's answer is judged as for a GET. Writes go through {@link GitHubWrites}.
     */
    <T> T send(long installationId, String method, String path, Object body, Class<T> answerType) {
        String url = endpoint.replaceAll("/+$", "") + path;
        byte[] json;
        try {
            json = reader.mapper().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new GiveUp("cannot write the body of " + method + " " + path + ": " + e.getMessage());
        }
        String token = tokens.getInstallationToken(installationId).token();
        HttpRequest request = request(url, token, Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        HttpResponse<byte[]> response = exchange(request);
        remember(installationId, response);
        judge(response, url);
        return read(response.body(), reader.mapper().getTypeFactory().constructType(answerType), method + " " + path);
    }

    /** DELETEs as the installation (GitHub answers 204); its answer is judged as for a GET. */
    void delete(long installationId, String path) {
        String url = endpoint.replaceAll("/+$", "") + path;
        String token = tokens.getInstallationToken(installationId).token();
        HttpRequest request =
                request(url, token, Duration.ofSeconds(30)).DELETE().build();
        HttpResponse<byte[]> response = exchange(request);
        remember(installationId, response);
        judge(response, url);
    }

    /** GETs one page as the App itself (a JWT), for the App's own endpoints such as its delivery log. */
    public <T> Page<T> appPage(String pathOrUrl, Class<T> type) {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : endpoint.replaceAll("/+$", "") + pathOrUrl;
        HttpResponse<byte[]> response = send(url, appJwt(), Duration.ofSeconds(30));
        judge(response, url);
        T value = read(response.body(), reader.mapper().getTypeFactory().constructType(type), pathOrUrl);
        return new Page<>(value, nextPage(response).orElse(null), rate(response));
    }

    /** The App as GitHub describes it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record App(String slug) {}

    /** The App itself ({@code GET /app}, as the App). */
    public App app() {
        return appPage("/app", App.class).value();
    }

    /** POSTs an empty body as the App itself; GitHub's answer is judged as for a GET. */
    int appPost(String path) {
        String url = endpoint.replaceAll("/+$", "") + path;
        HttpRequest request = request(url, appJwt(), Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<byte[]> response = exchange(request);
        judge(response, url);
        return response.statusCode();
    }

    private volatile String jwt;
    private volatile Instant jwtUntil = Instant.EPOCH;

    /**
     * A JWT for the App, signed the way the extension signs its own (its key loader and token
     * creator), valid ten minutes and reused for eight.
     */
    private String appJwt() {
        Instant now = clock.instant();
        if (jwt == null || now.isAfter(jwtUntil)) {
            try {
                if (appId.isEmpty() || privateKey.isEmpty()) {
                    throw new GiveUp("no App id and private key to sign a JWT with");
                }
                jwt = new JwtTokenCreator().createJwtToken(appId.get(), PrivateKeyUtil.loadKey(privateKey.get()), 600);
            } catch (GeneralSecurityException | IOException e) {
                throw new GiveUp("cannot sign a JWT for the App: " + e.getMessage());
            }
            jwtUntil = now.plus(Duration.ofMinutes(8));
        }
        return jwt;
    }

    @ConfigProperty(name = "quarkus.github-app.app-id")
    Optional<String> appId;

    @ConfigProperty(name = "quarkus.github-app.private-key")
    Optional<String> privateKey;

    /** The account a user's (or a Codespace's) token belongs to. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record User(long id, String login) {}

    /**
     * Asks GitHub whose token this is ({@code GET /user}). Empty only when GitHub answers 401 (it
     * does not know the token); {@link RetryLater} when GitHub cannot answer now or rate-limits
     * the token, {@link Refused} for any other 4xx, which names no owner either way (a 403 without
     * rate-limit headers can be a secondary rate limit). The token is sent and forgotten.
     */
    public Optional<User> user(String token) {
        String url = endpoint.replaceAll("/+$", "") + "/user";
        // Short: a Codespace's reporter is waiting on the answer, unlike the queue's workers.
        HttpResponse<byte[]> response = send(url, token, Duration.ofSeconds(10));
        if (response.statusCode() == 401) {
            return Optional.empty();
        }
        judge(response, url);
        return Optional.of(
                read(response.body(), reader.mapper().getTypeFactory().constructType(User.class), url));
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record RepositoryId(Long id) {}

    /**
     * Whether the token can read the repository with this id ({@code GET /repositories/{id}}
     * answers 200 with that id; GitHub answers 404 to a private repository the token cannot see).
     * Asked by id, not by name: a name can since belong to another repository (renamed, or deleted
     * and created again), which the token may well read. {@link RetryLater} when GitHub cannot say.
     */
    public boolean canRead(String token, long repositoryId) {
        String url = endpoint.replaceAll("/+$", "") + "/repositories/" + repositoryId;
        HttpResponse<byte[]> response = send(url, token, Duration.ofSeconds(10));
        if (response.statusCode() >= 500) {
            throw new RetryLater("GET " + url + " answered " + response.statusCode(), null);
        }
        if (response.statusCode() != 200) {
            return false;
        }
        RepositoryId answer =
                read(response.body(), reader.mapper().getTypeFactory().constructType(RepositoryId.class), url);
        return answer.id() != null && answer.id() == repositoryId;
    }

    /** What GitHub says of a login's membership of an organization, asked as an installation. */
    public enum Membership {
        MEMBER,
        NOT_MEMBER,
        /** The installation has not been granted the organization's {@code members: read}. */
        NOT_PERMITTED
    }

    /**
     * Whether the login is a member of the organization ({@code GET /orgs/{org}/members/{username}}
     * as the installation: 204 a member, 404 not; 302, which sends a requester that is not a member
     * to the public members, is not followed and counts as not a member; 403 without a rate limit:
     * the installation may not ask). {@link RetryLater} when GitHub cannot say.
     */
    public Membership membership(long installationId, String organization, String login) {
        String url = endpoint.replaceAll("/+$", "") + "/orgs/" + segment(organization) + "/members/" + segment(login);
        String token = tokens.getInstallationToken(installationId).token();
        HttpRequest request = request(url, token, Duration.ofSeconds(10)).GET().build();
        HttpResponse<byte[]> response = exchange(withoutRedirects, request);
        remember(installationId, response);
        int status = response.statusCode();
        if (status == 204) {
            return Membership.MEMBER;
        }
        if (status == 404 || status == 302) {
            return Membership.NOT_MEMBER;
        }
        try {
            judge(response, url);
        } catch (Refused e) {
            if (status == 403) {
                return Membership.NOT_PERMITTED;
            }
            throw e;
        }
        throw new RetryLater("GET " + url + " answered " + status, null);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpResponse<byte[]> get(long installationId, String url) {
        HttpResponse<byte[]> response =
                send(url, tokens.getInstallationToken(installationId).token(), Duration.ofSeconds(30));
        remember(installationId, response);
        judge(response, url);
        return response;
    }

    private final Map<Long, Rate> rates = new ConcurrentHashMap<>();

    /**
     * What GitHub last said of the installation's allowance, on this replica (any call made as
     * it); empty-handed when nothing was asked yet.
     */
    public Rate lastRate(long installationId) {
        return rates.get(installationId);
    }

    private void remember(long installationId, HttpResponse<?> response) {
        Rate rate = rate(response);
        if (rate.remaining() != null) {
            rates.put(installationId, rate);
        }
    }

    /** One GET with a bearer token; no answer at all is {@link RetryLater}. */
    private HttpResponse<byte[]> send(String url, String token, Duration timeout) {
        HttpRequest request = request(url, token, timeout).GET().build();
        return exchange(request);
    }

    /** A request to GitHub's REST API as the given bearer token, in the API version the App reads. */
    private static HttpRequest.Builder request(String url, String token, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(timeout)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("Authorization", "Bearer " + token);
    }

    private HttpResponse<byte[]> exchange(HttpRequest request) {
        return exchange(http, request);
    }

    private HttpResponse<byte[]> exchange(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new RetryLater("GitHub unreachable: " + e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryLater("interrupted", null);
        }
    }

    /**
     * GitHub's answers, by what to do: a rate limit waits for its reset or Retry-After; 5xx and
     * 401 (a token that just expired) are retried; 404 and 410 end the work; other 4xx too.
     */
    void judge(HttpResponse<?> response, String url) {
        int status = response.statusCode();
        if (status < 300) {
            return;
        }
        Optional<Instant> retryAfter = retryAfter(response);
        boolean rateLimited = status == 429
                || (status == 403
                        && (retryAfter.isPresent()
                                || response.headers()
                                        .firstValue("x-ratelimit-remaining")
                                        .filter("0"::equals)
                                        .isPresent()));
        String what = response.request().method() + " " + url + " answered " + status;
        if (status == 404 || status == 410) {
            throw new Gone(what, status);
        }
        if (rateLimited) {
            throw new RetryLater(what + " (rate limited)", retryAfter.orElse(null), true);
        }
        if (status >= 500 || status == 401 || status == 408) {
            throw new RetryLater(what, retryAfter.orElse(null));
        }
        throw new Refused(what, status);
    }

    private Optional<Instant> retryAfter(HttpResponse<?> response) {
        Optional<String> seconds = response.headers().firstValue("retry-after");
        if (seconds.isPresent()) {
            try {
                return Optional.of(
                        clock.instant().plusSeconds(Long.parseLong(seconds.get().trim())));
            } catch (NumberFormatException ignored) {
                // An HTTP date: GitHub sends seconds, so treat it as unknown.
            }
        }
        if (response.headers()
                .firstValue("x-ratelimit-remaining")
                .filter("0"::equals)
                .isPresent()) {
            return response.headers()
                    .firstValue("x-ratelimit-reset")
                    .map(reset -> Instant.ofEpochSecond(Long.parseLong(reset.trim())));
        }
        return Optional.empty();
    }

    private <T> T read(byte[] body, JavaType type, String what) {
        try {
            return reader.mapper().readValue(body, type);
        } catch (IOException | MalformedPayloadException e) {
            throw new RetryLater("unreadable answer from " + what + ": " + e.getMessage(), null);
        }
    }

    private static Rate rate(HttpResponse<?> response) {
        try {
            Integer remaining = response.headers()
                    .firstValue("x-ratelimit-remaining")
                    .map(value -> Integer.valueOf(value.trim()))
                    .orElse(null);
            Instant reset = response.headers()
                    .firstValue("x-ratelimit-reset")
                    .map(value -> Instant.ofEpochSecond(Long.parseLong(value.trim())))
                    .orElse(null);
            return new Rate(remaining, reset);
        } catch (NumberFormatException e) {
            return new Rate(null, null);
        }
    }

    private static Optional<String> nextPage(HttpResponse<?> response) {
        return response.headers()
                .firstValue("link")
                .map(NEXT_LINK::matcher)
                .filter(Matcher::find)
                .map(m -> m.group(1));
    }
}
