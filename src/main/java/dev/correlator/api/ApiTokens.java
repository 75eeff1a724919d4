package dev.correlator.api;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;

import dev.correlator.Sha256;
import dev.correlator.db.Sql;

/**
 * API tokens owned by an installation. A token is 32 random bytes, shown once; PostgreSQL keeps
 * its SHA-256 (a token is random and long, so a plain hash is enough to look it up safely).
 * Administrators edit them one at a time, through the {@link ApiToken} entity.
 */
@ApplicationScoped
public class ApiTokens {

    private static final String PREFIX = "cc_";

    private final SecureRandom random = new SecureRandom();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    /** A token as listed: never the token itself. */
    public record Listed(
            long id, long installationId, String name, String prefix, Instant createdAt, Instant revokedAt) {}

    /** A token just made: the only time its value is shown. */
    public record Made(long id, long installationId, String name, String prefix, String token) {}

    @Transactional
    public Made create(long installationId, String name) {
        String value = PREFIX + HexFormat.of().formatHex(randomBytes());
        ApiToken token = new ApiToken();
        token.installationId = installationId;
        token.name = name;
        token.tokenSha256 = Sha256.hex(value);
        token.prefix = value.substring(0, 10);
        token.createdAt = clock.instant();
        token.persist();
        return new Made(token.id, installationId, name, token.prefix, value);
    }

    public List<Listed> list(long installationId) {
        return ApiToken.ofInstallation(installationId).stream()
                .map(ApiTokens::listed)
                .toList();
    }

    /** Revokes the token and makes a new one of the same name; empty when there is no live token of that id. */
    @Transactional // the old token stays live unless the new one is made
    public Optional<Made> rotate(long id) {
        return revoked(id).map(token -> create(token.installationId, token.name));
    }

    @Transactional
    public boolean revoke(long id) {
        return revoked(id).isPresent();
    }

    /** Whose a live token is, and whether that installation may be read now. */
    public record Owner(long installationId, String state) {
        /** Suspended or uninstalled (also once its data was purged): its token reads nothing. */
        public boolean active() {
            return "active".equals(state);
        }
    }

    /** The installation a live token belongs to, with that installation's state. */
    public Optional<Owner> installationOf(String token) {
        if (!token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        // Asked on every API request: one query on the hash's index, with the installation's state.
        return Sql.withConnection(
                dataSource,
                connection -> Sql.one(
                        connection, """
                select t.installation_id, coalesce(i.state, 'deleted') from api_token t
                  left join installation i on i.id = t.installation_id
                 where t.token_sha256 = ? and t.revoked_at is null""", row -> new Owner(row.getLong(1), row.getString(2)), Sha256.hex(token)));
    }

    private Optional<ApiToken> revoked(long id) {
        Optional<ApiToken> live = ApiToken.liveForUpdate(id);
        live.ifPresent(token -> token.revokedAt = clock.instant());
        return live;
    }

    private static Listed listed(ApiToken token) {
        return new Listed(token.id, token.installationId, token.name, token.prefix, token.createdAt, token.revokedAt);
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return bytes;
    }
}
