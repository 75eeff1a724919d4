package dev.correlator.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

/** An API token of one installation: only its hash is kept, and its first characters to tell it apart. */
@Entity
@Table(name = "api_token")
public class ApiToken extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public long installationId;
    public String name;
    public String tokenSha256;
    public String prefix;
    public Instant createdAt;
    public Instant revokedAt;

    public static List<ApiToken> ofInstallation(long installationId) {
        return list("installationId", Sort.by("id"), installationId);
    }

    /**
     * The token if it is live, locked until the transaction ends: a revocation running meanwhile
     * is waited for, and the token is then no longer live.
     */
    public static Optional<ApiToken> liveForUpdate(long id) {
        return find("id = ?1 and revokedAt is null", id)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }
}
