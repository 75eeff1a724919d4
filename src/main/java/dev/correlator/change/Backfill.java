package dev.correlator.change;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import org.jboss.logging.Logger;

import dev.correlator.CorrelatorConfig;
import dev.correlator.db.Sql;
import dev.correlator.github.GitHubApi;
import dev.correlator.identity.DeveloperDirectory;
import dev.correlator.model.DeveloperKey;
import dev.correlator.model.ModelRows;
import dev.correlator.model.ModelWriter;
import dev.correlator.model.Rows;
import dev.correlator.outbox.GiveUp;
import dev.correlator.outbox.Outbox;
import dev.correlator.outbox.OutboxHandler;
import dev.correlator.outbox.OutboxTask;
import dev.correlator.outbox.QueueRequest;
import dev.correlator.payload.GitHubPayloads;
import dev.correlator.telemetry.ChangeSpans;
import dev.correlator.telemetry.SpanQueue;

/**
 * What happened before the App was installed on a repository: its open pull requests with
 * their commits, and the recent history of its default branch. Each page GitHub is asked for is
 * one step on the queue, written when it completes, so a restart, an outage or a rate limit
 * repeats at most one page. Steps leave {@code correlator.backfill.rate-limit-reserve} of the
 * installation's hourly allowance to live work: below it the next step waits for the reset.
 */
@ApplicationScoped
public class Backfill implements OutboxHandler {

    public static final String KIND = "backfill";

    private static final Logger LOG = Logger.getLogger(Backfill.class);

    /** The steps, in the order they follow each other. */
    static final String INSTALLATION = "installation";

    static final String REPOSITORY = "repository";
    static final String HISTORY = "history";
    static final String PULLS = "pulls";

    /**
     * One step's payload: which page of what. {@code url} is the page to ask for (GitHub's
     * next link after the first), {@code page} counts the default branch's history pages.
     */
    public record Step(String step, Long repositoryId, String repository, String branch, String url, int page) {}

    @Inject
    GitHubApi github;

    @Inject
    Outbox outbox;

    @Inject
    SpanQueue spans;

    @Inject
    CorrelatorConfig config;

    @Inject
    Clock clock;

    @Inject
    ObjectMapper json;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ModelWriter model;

    @Override
    public String kind() {
        return KIND;
    }

    /** Every repository the installation reaches (it was installed, or unsuspended). */
    public void installation(ModelRows rows, long installationId) {
        if (config.backfill().enabled()) {
            Step first = firstInstallationStep();
            rows.add(new QueueRequest(KIND, key(first, installationId), installationId, first));
        }
    }

    /** The same, asked for by an operator (after a long outage, say): on the caller's transaction. */
    public void installation(Connection connection, long installationId) throws SQLException {
        queue(connection, installationId, firstInstallationStep(), Duration.ZERO);
    }

    private static Step firstInstallationStep() {
        return new Step(INSTALLATION, null, null, null, "/installation/repositories?per_page=100", 1);
    }

    /** One repository added to the installation. */
    public void repository(ModelRows rows, long installationId, GitHubPayloads.Repository repository) {
        if (config.backfill().enabled()) {
            Step first = new Step(
                    REPOSITORY, repository.id(), repository.fullName(), null, "/repos/" + repository.fullName(), 1);
            rows.add(new QueueRequest(KIND, key(first, installationId), installationId, first));
        }
    }

    @Override
    public Completion perform(OutboxTask task) {
        long installationId = task.requireInstallation();
        Step step = json.convertValue(task.payload(), Step.class);
        Instant now = clock.instant();
        String state = Sql.withConnection(
                dataSource,
                connection -> Sql.one(
                                connection,
                                "select state from installation where id = ?",
                                row -> row.getString(1),
                                installationId)
                        .orElse("unknown"));
        if (!"active".equals(state)) {
            // Uninstalled or suspended meanwhile: its token is refused, and what it had is going.
            LOG.infof(
                    "Backfill %s of installation %d dropped: the installation is %s",
                    step.step(), installationId, state);
            return Completion.NOTHING;
        }
        Duration wait = waitFor(github.lastRate(installationId), 1, now);
        if (!wait.isZero()) {
            // Asked for nothing: the same step waits for the allowance to reset.
            LOG.infof(
                    "Backfill %s of %s waits %s for GitHub's rate limit to reset",
                    step.step(),
                    step.repository() == null ? "installation " + installationId : step.repository(),
                    wait);
            return connection -> queue(connection, installationId, step, wait);
        }
        return switch (step.step()) {
            case INSTALLATION -> repositories(installationId, step, now);
            case REPOSITORY -> repository(installationId, step, now);
            case HISTORY -> history(installationId, step, now);
            case PULLS -> pulls(installationId, step, now);
            default -> throw new GiveUp("unknown backfill step '" + step.step() + "'");
        };
    }

    private Completion repositories(long installationId, Step step, Instant now) {
        GitHubApi.Page<GitHubPayloads.InstallationRepositories> page =
                github.page(installationId, step.url(), GitHubPayloads.InstallationRepositories.class);
        List<GitHubPayloads.Repository> repositories =
                page.value().repositories() == null ? List.of() : page.value().repositories();
        Duration wait = waitFor(page.rate(), 2 * repositories.size(), now);
        return connection -> {
            ModelRows rows = new ModelRows();
            RepositoryDirectory directory = new RepositoryDirectory();
            for (GitHubPayloads.Repository repository : repositories) {
                directory.record(rows, repository, installationId);
            }
            model.writeNow(connection, rows);
            for (GitHubPayloads.Repository repository : repositories) {
                start(connection, installationId, repository, now, wait);
            }
            if (page.next() != null) {
                queue(
                        connection,
                        installationId,
                        new Step(INSTALLATION, null, null, null, page.next(), step.page() + 1),
                        wait);
            }
        };
    }

    private Completion repository(long installationId, Step step, Instant now) {
        GitHubApi.Page<GitHubPayloads.Repository> page =
                github.page(installationId, step.url(), GitHubPayloads.Repository.class);
        GitHubPayloads.Repository repository = page.value();
        Duration wait = waitFor(page.rate(), 2, now);
        return connection -> {
            ModelRows rows = new ModelRows();
            new RepositoryDirectory().record(rows, repository, installationId);
            model.writeNow(connection, rows);
            start(connection, installationId, repository, now, wait);
        };
    }

    /** The first page of a repository's open pull requests and of its default branch's history. */
    private void start(
            Connection connection,
            long installationId,
            GitHubPayloads.Repository repository,
            Instant now,
            Duration wait)
            throws SQLException {
        String name = repository.fullName();
        queue(
                connection,
                installationId,
                new Step(PULLS, repository.id(), name, null, "/repos/" + name + "/pulls?state=open&per_page=100", 1),
                wait);
        if (repository.defaultBranch() == null) {
            return; // an empty repository has no branch yet
        }
        String since = now.minus(config.backfill().history()).toString();
        queue(
                connection,
                installationId,
                new Step(
                        HISTORY,
                        repository.id(),
                        name,
                        repository.defaultBranch(),
                        "/repos/" + name + "/commits?sha=" + encode(repository.defaultBranch()) + "&since="
                                + encode(since) + "&per_page=100",
                        1),
                wait);
    }

    private Completion history(long installationId, Step step, Instant now) {
        GitHubApi.Page<List<GitHubPayloads.ApiCommit>> page;
        try {
            page = github.listPage(installationId, step.url(), GitHubPayloads.ApiCommit.class);
        } catch (GitHubApi.Refused e) {
            if (!(e instanceof GitHubApi.Gone) && e.status() != 409) {
                throw e;
            }
            // Removed or renamed since (404), or still empty (409 "Git Repository is empty"):
            // the next push brings what matters.
            LOG.infof("Backfill of %s's history ends: %s", step.repository(), e.getMessage());
            return Completion.NOTHING;
        }
        List<GitHubPayloads.ApiCommit> commits = page.value();
        Duration wait = waitFor(page.rate(), 1, now);
        boolean more = page.next() != null && step.page() < config.backfill().maxHistoryPages();
        return connection -> {
            BatchReads reads = new BatchReads(connection);
            ApiCommits.want(reads, commits);
            reads.run();
            DeveloperDirectory developers = reads.developers().directory();
            ModelRows rows = new ModelRows();
            List<CommitFact> facts = new ArrayList<>(commits.size());
            for (GitHubPayloads.ApiCommit commit : commits) {
                facts.add(ApiCommits.fact(rows, developers, commit));
            }
            CommitRows.add(rows, developers, step.repositoryId(), facts, now);
            for (CommitFact fact : facts) {
                // When it reached the branch is not known: its commit time is the closest guess.
                rows.add(new Rows.BranchCommit(
                        step.repositoryId(),
                        step.branch(),
                        fact.sha(),
                        null,
                        fact.committedAt() != null ? fact.committedAt() : now,
                        fact.authoredAt() != null ? fact.authoredAt() : now));
            }
            model.writeNow(connection, rows);
            if (more) {
                queue(
                        connection,
                        installationId,
                        new Step(
                                HISTORY,
                                step.repositoryId(),
                                step.repository(),
                                step.branch(),
                                page.next(),
                                step.page() + 1),
                        wait);
            }
        };
    }

    private Completion pulls(long installationId, Step step, Instant now) {
        GitHubApi.Page<List<GitHubPayloads.PullRequest>> page =
                github.listPage(installationId, step.url(), GitHubPayloads.PullRequest.class);
        List<GitHubPayloads.PullRequest> pulls = page.value();
        // Each pull request's commits are one more request (up to three for 250 commits).
        Duration wait = waitFor(page.rate(), pulls.size() + 1, now);
        return connection -> {
            BatchReads reads = new BatchReads(connection);
            Set<Long> accounts = new HashSet<>();
            Set<String> logins = new HashSet<>();
            for (GitHubPayloads.PullRequest pr : pulls) {
                if (pr.user() != null && pr.user().id() != null) {
                    accounts.add(pr.user().id());
                    logins.add(pr.user().login());
                }
            }
            reads.developers().wantAccounts(accounts);
            reads.developers().wantErasedLogins(logins);
            reads.run();
            DeveloperDirectory developers = reads.developers().directory();
            ModelRows rows = new ModelRows();
            for (GitHubPayloads.PullRequest pr : pulls) {
                if (pr.id() == null || pr.number() == null || pr.head() == null || pr.base() == null) {
                    continue;
                }
                GitHubPayloads.Account user = pr.user();
                DeveloperKey author = user == null || user.id() == null
                        ? null
                        : developers.account(rows, user.id(), user.login(), null, user.bot());
                String state = PullRequestProjector.state(pr);
                rows.add(PullRequestProjector.row(step.repositoryId(), pr, state, author));
                rows.add(new Rows.PullRequestCommit(pr.id(), pr.head().sha(), now));
                if (spans.active()) {
                    rows.add(developers
                            .erased()
                            .withoutErased(ChangeSpans.pullRequest(
                                    new GitHubPayloads.PullRequestEvent(
                                            pr.state(),
                                            pr.number(),
                                            pr,
                                            null,
                                            null,
                                            repositoryOf(step, pr),
                                            null,
                                            new GitHubPayloads.InstallationRef(installationId)),
                                    state)));
                }
                // Its own dedup key: a live request for the same pull request keeps its comment.
                rows.add(new QueueRequest(
                        FetchPullRequestCommits.KIND,
                        pr.id() + ":backfill",
                        installationId,
                        new PullRequestWork(pr.id(), step.repositoryId(), step.repository(), pr.number(), true),
                        wait));
            }
            model.writeNow(connection, rows);
            if (page.next() != null) {
                queue(
                        connection,
                        installationId,
                        new Step(PULLS, step.repositoryId(), step.repository(), null, page.next(), step.page() + 1),
                        wait);
            }
        };
    }

    /**
     * Queues a step. One step of each kind per repository (per installation for the listing)
     * waits at a time: asking again for a repository restarts its pages rather than doubling them.
     */
    private void queue(Connection connection, long installationId, Step step, Duration wait) throws SQLException {
        outbox.enqueue(connection, KIND, key(step, installationId), installationId, step, wait);
    }

    private static String key(Step step, long installationId) {
        return step.step() + ":" + (step.repositoryId() != null ? step.repositoryId() : installationId);
    }

    /** The pull request's base repository as GitHub's answer gives it, or what the step knows. */
    private static GitHubPayloads.Repository repositoryOf(Step step, GitHubPayloads.PullRequest pr) {
        GitHubPayloads.Repository base = pr.base().repo();
        if (base != null && base.id() != null && base.id().equals(step.repositoryId())) {
            return base;
        }
        return new GitHubPayloads.Repository(
                step.repositoryId(),
                null,
                step.repository(),
                null,
                "https://github.com/" + step.repository(),
                null,
                null,
                null);
    }

    /**
     * How long work costing {@code cost} requests waits: nothing while the installation keeps
     * its reserve after it, else until GitHub resets the allowance.
     */
    Duration waitFor(GitHubApi.Rate rate, int cost, Instant now) {
        if (rate == null
                || rate.remaining() == null
                || rate.remaining() - cost >= config.backfill().rateLimitReserve()) {
            return Duration.ZERO;
        }
        if (rate.reset() == null) {
            return Duration.ofMinutes(1);
        }
        // A second past the reset, so the allowance has certainly been renewed.
        return rate.reset().isAfter(now) ? Duration.between(now, rate.reset()).plusSeconds(1) : Duration.ZERO;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
