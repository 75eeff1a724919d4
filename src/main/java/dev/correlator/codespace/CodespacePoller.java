package dev.correlator.codespace;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import org.jboss.logging.Logger;

import dev.correlator.CorrelatorConfig;
import dev.correlator.db.ClusterJob;
import dev.correlator.db.Pipeline;
import dev.correlator.db.Sql;
import dev.correlator.github.GitHubApi;
import dev.correlator.identity.Tombstones;
import dev.correlator.outbox.GiveUp;
import dev.correlator.outbox.RetryLater;

/**
 * Lists the Codespaces of every organization the App is installed on
 * ({@code GET /orgs/{org}/codespaces}, all pages) and records each: owner, repository, machine,
 * state, times and git status. The API lists only the Codespaces the organization pays for.
 */
@ApplicationScoped
public class CodespacePoller {

    private static final Logger LOG = Logger.getLogger(CodespacePoller.class);

    private static final String RECORD = """
            insert into codespace (name, owner_login, owner_github_id, repository_full_name, first_seen_at, last_seen_at,
                                   installation_id, machine, state, created_at, updated_at, last_used_at, git_ref,
                                   git_ahead, git_behind, polled_at, repository_id)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (name) do update
               set owner_login = excluded.owner_login, owner_github_id = excluded.owner_github_id,
                   repository_full_name = excluded.repository_full_name,
                   repository_id = coalesce(excluded.repository_id, codespace.repository_id),
                   last_seen_at = greatest(codespace.last_seen_at, excluded.last_seen_at),
                   installation_id = excluded.installation_id, machine = excluded.machine, state = excluded.state,
                   created_at = excluded.created_at, updated_at = excluded.updated_at,
                   last_used_at = excluded.last_used_at, git_ref = excluded.git_ref, git_ahead = excluded.git_ahead,
                   git_behind = excluded.git_behind, polled_at = excluded.polled_at""";

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Listing(List<Listed> codespaces) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Listed(
            String name,
            GitHubApi.User owner,
            CodespaceVerifier.RepositoryRef repository,
            Machine machine,
            String state,
            Instant createdAt,
            Instant updatedAt,
            Instant lastUsedAt,
            GitStatus gitStatus) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Machine(String name) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    record GitStatus(String ref, Integer ahead, Integer behind) {}

    private record Organization(long installationId, String login) {}

    @Inject
    GitHubApi github;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CorrelatorConfig config;

    @Inject
    Clock clock;

    @Scheduled(
            every = "${correlator.codespaces.poll-interval}",
            delayed = "${correlator.codespaces.poll-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (!config.outbox().enabled()) {
            return; // replicas that only take deliveries do not call GitHub
        }
        ClusterJob.run(dataSource, LOG, "Codespaces poll", this::pollAll);
    }

    /** Polls every installed organization once; returns how many Codespaces were recorded. */
    public int pollAll() {
        int recorded = 0;
        for (Organization organization : organizations()) {
            recorded += poll(organization);
        }
        return recorded;
    }

    private int poll(Organization organization) {
        List<Listed> seen = new ArrayList<>();
        String next = "/orgs/" + organization.login() + "/codespaces?per_page=100";
        try {
            for (int page = 0; page < config.codespaces().maxPages() && next != null; page++) {
                GitHubApi.Page<Listing> answer = github.page(organization.installationId(), next, Listing.class);
                if (answer.value().codespaces() != null) {
                    seen.addAll(answer.value().codespaces());
                }
                next = answer.next();
            }
        } catch (RetryLater e) {
            // A rate limit or an outage: what was read is kept, the rest waits for the next poll.
            LOG.infof("Codespaces of %s: stopped after %d (%s)", organization.login(), seen.size(), e.getMessage());
        } catch (GiveUp e) {
            LOG.warnf("Codespaces of %s cannot be listed: %s", organization.login(), e.getMessage());
        }
        record(organization, seen);
        return seen.size();
    }

    private void record(Organization organization, List<Listed> codespaces) {
        if (codespaces.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        // A Codespace created while the pages were read can appear on two of them: record it once.
        Map<String, Listed> byName = new LinkedHashMap<>();
        codespaces.forEach(c -> byName.put(c.name(), c));
        withoutErasedOwners(byName);
        List<Object[]> rows = new ArrayList<>();
        for (Listed c : byName.values()) {
            if (c.name() == null || c.owner() == null || c.owner().login() == null || c.repository() == null) {
                continue;
            }
            rows.add(new Object[] {
                c.name(),
                c.owner().login(),
                c.owner().id(),
                c.repository().fullName(),
                now,
                now,
                organization.installationId(),
                c.machine() == null ? null : c.machine().name(),
                c.state(),
                c.createdAt(),
                c.updatedAt(),
                c.lastUsedAt(),
                c.gitStatus() == null ? null : c.gitStatus().ref(),
                c.gitStatus() == null ? null : c.gitStatus().ahead(),
                c.gitStatus() == null ? null : c.gitStatus().behind(),
                now,
                c.repository().id()
            });
        }
        try (Connection connection = dataSource.getConnection()) {
            Sql.batch(connection, RECORD, rows);
            observe(connection, now, byName.values());
            // A report made before the App knew its repository: a Codespace belongs to one repository.
            Sql.update(
                    connection,
                    """
                    update codespace_event e set repository_id = cs.repository_id
                      from codespace cs
                     where cs.name = any (?) and e.codespace_name = cs.name and e.repository_id is null
                       and lower(e.repository_full_name) = lower(cs.repository_full_name)""",
                    connection.createArrayOf("text", byName.keySet().toArray()));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An erased person's Codespaces are not recorded again: the next poll would bring them back. */
    private void withoutErasedOwners(Map<String, Listed> byName) {
        try (Connection connection = dataSource.getConnection()) {
            Tombstones erased = new Tombstones(connection);
            for (Listed c : byName.values()) {
                if (c.owner() != null) {
                    erased.wantLogins(
                            c.owner().login() == null
                                    ? List.of()
                                    : List.of(c.owner().login()));
                    erased.wantAccounts(List.of(c.owner().id()));
                }
            }
            Pipeline reads = new Pipeline();
            erased.prefetch(reads);
            reads.run(connection);
            for (Iterator<Listed> listed = byName.values().iterator(); listed.hasNext(); ) {
                Listed c = listed.next();
                if (c.owner() != null
                        && erased.account(c.owner().id(), c.owner().login())) {
                    listed.remove();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Run(
            String name,
            Instant observedFrom,
            Instant observedUntil,
            String state,
            String ref,
            Integer ahead,
            Integer behind,
            Instant startedAt,
            Instant refSince) {

        boolean sameAs(Listed c) {
            GitStatus git = c.gitStatus() == null ? new GitStatus(null, null, null) : c.gitStatus();
            return Objects.equals(state, c.state())
                    && Objects.equals(ref, git.ref())
                    && Objects.equals(ahead, git.ahead())
                    && Objects.equals(behind, git.behind())
                    && Objects.equals(startedAt, c.lastUsedAt());
        }
    }

    /**
     * Extends each Codespace's latest run of observations when it looks the same as at the last
     * poll, or starts a new run. Links made by polling and inference read these runs, so they do
     * not change when a Codespace moves on after a push.
     */
    private void observe(Connection connection, Instant now, Collection<Listed> codespaces) throws SQLException {
        Map<String, Run> latest = new HashMap<>();
        Sql.list(
                connection,
                """
                select distinct on (codespace_name) codespace_name, observed_from, observed_until, state, git_ref,
                       git_ahead, git_behind, started_at, ref_since
                  from codespace_observation where codespace_name = any (?)
                 order by codespace_name, observed_from desc""",
                row -> latest.put(
                        row.getString(1),
                        new Run(
                                row.getString(1),
                                Sql.instant(row, "observed_from"),
                                Sql.instant(row, "observed_until"),
                                row.getString(4),
                                row.getString(5),
                                (Integer) row.getObject(6),
                                (Integer) row.getObject(7),
                                Sql.instant(row, "started_at"),
                                Sql.instant(row, "ref_since"))),
                connection.createArrayOf(
                        "text", codespaces.stream().map(Listed::name).toArray()));
        List<Object[]> extended = new ArrayList<>();
        List<Object[]> started = new ArrayList<>();
        for (Listed c : codespaces) {
            if (c.name() == null || c.owner() == null || c.repository() == null) {
                continue;
            }
            Run last = latest.get(c.name());
            if (last != null && last.sameAs(c)) {
                extended.add(new Object[] {now, c.updatedAt(), c.name(), last.observedFrom()});
                continue;
            }
            GitStatus git = c.gitStatus() == null ? new GitStatus(null, null, null) : c.gitStatus();
            boolean sameSession = last != null && Objects.equals(last.startedAt(), c.lastUsedAt());
            Instant refSince;
            if (sameSession && Objects.equals(last.ref(), git.ref())) {
                refSince = last.refSince();
            } else if (sameSession) {
                refSince = last.observedUntil(); // switched some time after the last poll
            } else {
                refSince = c.lastUsedAt() != null && c.lastUsedAt().isBefore(now) ? c.lastUsedAt() : now;
            }
            started.add(new Object[] {
                c.name(),
                now,
                now,
                c.state(),
                git.ref(),
                git.ahead(),
                git.behind(),
                c.lastUsedAt(),
                c.updatedAt(),
                refSince
            });
        }
        Sql.batch(connection, """
                update codespace_observation set observed_until = ?, updated_at = ?
                 where codespace_name = ? and observed_from = ?""", extended);
        Sql.batch(connection, """
                insert into codespace_observation (codespace_name, observed_from, observed_until, state, git_ref,
                                                   git_ahead, git_behind, started_at, updated_at, ref_since)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""", started);
    }

    private List<Organization> organizations() {
        try (Connection connection = dataSource.getConnection()) {
            return Sql.list(connection, """
                    select id, account_login from installation
                     where state = 'active' and account_type = 'Organization' order by id""", row -> new Organization(row.getLong(1), row.getString(2)));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
