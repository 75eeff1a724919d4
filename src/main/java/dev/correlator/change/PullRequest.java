package dev.correlator.change;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A pull request, keyed by GitHub's id; state is open, closed or merged. */
@Entity
@Table(name = "pull_request")
public class PullRequest extends PanacheEntityBase {

    @Id
    public Long id;

    public long repositoryId;
    public int number;
    public String title;
    public String state;
    public boolean draft;
    public Long authorId;
    public String headRef;
    public String headSha;
    public Long headRepositoryId;
    public String headRepositoryFullName;
    public String baseRef;
    public String baseSha;
    public String mergeCommitSha;
    public String htmlUrl;
    public Instant createdAt;
    public Instant updatedAt;
    public Instant closedAt;
    public Instant mergedAt;

    public static Optional<PullRequest> byNumber(long repositoryId, int number) {
        return find("repositoryId = ?1 and number = ?2", repositoryId, number).firstResultOptional();
    }
}
