package dev.correlator.change;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A repository the App has seen, keyed by GitHub's id; its names follow renames and transfers. */
@Entity
@Table(name = "repository")
public class Repository extends PanacheEntityBase {

    @Id
    public Long id;

    public Long installationId;
    public Long ownerId;
    public String ownerLogin;
    public String name;
    public String fullName;
    public String htmlUrl;
    public String defaultBranch;

    @Column(name = "private")
    public boolean isPrivate;

    public Instant removedAt;
    public Instant updatedAt;

    /** The repository that holds the name now; one removed (or retired by a newer one) never answers. */
    public static Optional<Repository> byFullName(String owner, String name) {
        return find("lower(fullName) = ?1 and removedAt is null", (owner + "/" + name).toLowerCase(Locale.ROOT))
                .firstResultOptional();
    }
}
