package dev.correlator.api;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

import dev.correlator.Sha256;
import dev.correlator.db.Sql;

/**
 * API tokens owned by an installation. A token is 32 random bytes, shown once; PostgreSQL keeps
 * its SHA-256 (a token is random and long, so a plain hash is enough to look it up safely).
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

    public Made create(long installationId, String name) {
        String token = PREFIX + HexFormat.of().formatHex(randomBytes());
        String prefix = token.substring(0, 10);
        long id = read(connection -> Sql.one(
                        connection,
                        """
                insert into api_token (installation_id, name, token_sha256, prefix, created_at)
                values (?, ?, ?, ?, ?) returning id""",
                        row -> row.getLong(1),
                        installationId,
                        name,
                        Sha256.hex(token),
                        prefix,
                        clock.instant())
                .orElseThrow());
        return new Made(id, installationId, name, prefix, token);
    }

    public List<Listed> list(long installationId) {
        return read(connection -> Sql.list(
                connection,
                """
                select id, installation_id, name, prefix, created_at, revoked_at from api_token
                 where installation_id = ? order by id""",
                row -> new Listed(
                        row.getLong(1),
                        row.getLong(2),
                        row.getString(3),
                        row.getString(4),
                        Sql.instant(row, "created_at"),
                        Sql.instant(row, "revoked_at")),
                installationId));
    }

    /** Revokes the token and makes a new one of the same name; empty when there is no live token of that id. */
    public Optional<Made> rotate(long id) {
        Optional<Listed> old = revokeAndGet(id);
        return old.map(token -> create(token.installationId(), token.name()));
    }

    public boolean revoke(long id) {
        return revokeAndGet(id).isPresent();
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
        return read(connection ->
                Sql.one(connection, """
                select t.installation_id, coalesce(i.state, 'deleted') from api_token t
                  left join installation i on i.id = t.installation_id
                 where t.token_sha256 = ? and t.revoked_at is null""", row -> new Owner(row.getLong(1), row.getString(2)), Sha256.hex(token)));
    }

    private Optional<Listed> revokeAndGet(long id) {
        return read(connection -> Sql.one(
                connection,
                """
                update api_token set revoked_at = ? where id = ? and revoked_at is null
                returning id, installation_id, name, prefix, created_at, revoked_at""",
                row -> new Listed(
                        row.getLong(1),
                        row.getLong(2),
                        row.getString(3),
                        row.getString(4),
                        Sql.instant(row, "created_at"),
                        Sql.instant(row, "revoked_at")),
                clock.instant(),
                id));
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return bytes;
    }

    private <T> T read(Sql.Work<T> work) {
        return Sql.withConnection(dataSource, work);
    }
}
