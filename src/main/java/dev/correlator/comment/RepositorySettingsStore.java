package dev.correlator.comment;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkiverse.githubapp.ConfigFile;
import io.quarkiverse.githubapp.GitHubClientProvider;
import io.quarkiverse.githubapp.GitHubConfigFileProvider;
import org.jboss.logging.Logger;
import org.kohsuke.github.GHRepository;

import dev.correlator.CorrelatorConfig;
import dev.correlator.change.SettingsFile;
import dev.correlator.db.Sql;
import dev.correlator.outbox.RetryLater;

/**
 * Each repository's {@code .github/correlator.yml}, read with the extension's config file
 * provider (intake runs outside its listeners, so the file is asked for here) and kept in
 * PostgreSQL: previews read only the copy, comments refresh it when it is older than
 * {@code correlator.comments.settings-ttl}, and a push to the default branch that touches the
 * file drops the copy.
 */
@ApplicationScoped
public class RepositorySettingsStore {

    private static final Logger LOG = Logger.getLogger(RepositorySettingsStore.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    GitHubClientProvider clients;

    @Inject
    GitHubConfigFileProvider files;

    @Inject
    CorrelatorConfig config;

    @Inject
    Clock clock;

    private record Cached(RepositorySettings settings, Instant fetchedAt) {}

    /** The stored copy, or the defaults: PostgreSQL alone. */
    public RepositorySettings stored(long repositoryId) {
        return read(repositoryId).map(Cached::settings).orElse(RepositorySettings.DEFAULTS);
    }

    /** The stored copy while fresh, else the file as GitHub has it now (then stored). */
    public RepositorySettings current(long installationId, long repositoryId, String fullName) {
        Optional<Cached> cached = read(repositoryId);
        Instant now = clock.instant();
        if (cached.isPresent()
                && cached.get()
                        .fetchedAt()
                        .plus(config.comments().settingsTtl())
                        .isAfter(now)) {
            return cached.get().settings();
        }
        Optional<RepositorySettings.File> file;
        try {
            GHRepository repository =
                    clients.getInstallationClient(installationId).getRepository(fullName);
            file = files.fetchConfigFile(
                    repository, SettingsFile.NAME, ConfigFile.Source.DEFAULT, RepositorySettings.File.class);
        } catch (IOException | RuntimeException e) {
            // GitHub down, or a file that is not valid YAML: the comment waits rather than
            // going against what the repository may have asked for.
            throw new RetryLater("reading " + SettingsFile.PATH + " of " + fullName + ": " + e.getMessage(), null);
        }
        file.flatMap(RepositorySettings.File::ignoredProject)
                .ifPresent(project -> LOG.warnf(
                        "%s: %s names lightstep-project %s, which is not a Lightstep project name ([A-Za-z0-9_-]+); "
                                + "its trace links open in the configured project %s",
                        fullName,
                        SettingsFile.PATH,
                        printable(project),
                        config.telemetry().project()));
        RepositorySettings settings =
                file.map(RepositorySettings.File::settings).orElse(RepositorySettings.DEFAULTS);
        store(repositoryId, settings, now);
        return settings;
    }

    /** The value quoted for the log, cut short, with what could forge a log line escaped. */
    private static String printable(String value) {
        String cut = value.length() <= 100 ? value : value.substring(0, 100) + "…";
        StringBuilder quoted = new StringBuilder("\"");
        cut.codePoints()
                .forEach(c -> quoted.append(
                        c >= 0x20 && c < 0x7f && c != '"' && c != '\\'
                                ? Character.toString(c)
                                : String.format("\\u%04x", c)));
        return quoted.append('"').toString();
    }

    private Optional<Cached> read(long repositoryId) {
        try (Connection connection = dataSource.getConnection()) {
            return Sql.one(
                    connection,
                    """
                    select comments, show_bots, lightstep_project, from_file, fetched_at
                      from repository_settings where repository_id = ?""",
                    row -> new Cached(
                            new RepositorySettings(
                                    row.getBoolean(1), row.getBoolean(2), row.getString(3), row.getBoolean(4)),
                            Sql.instant(row, "fetched_at")),
                    repositoryId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void store(long repositoryId, RepositorySettings settings, Instant now) {
        try (Connection connection = dataSource.getConnection()) {
            Sql.update(
                    connection,
                    """
                    insert into repository_settings (repository_id, comments, show_bots, lightstep_project, from_file,
                                                     fetched_at)
                    values (?, ?, ?, ?, ?, ?)
                    on conflict (repository_id) do update
                       set comments = excluded.comments, show_bots = excluded.show_bots,
                           lightstep_project = excluded.lightstep_project, from_file = excluded.from_file,
                           fetched_at = excluded.fetched_at""",
                    repositoryId,
                    settings.comments(),
                    settings.showBots(),
                    settings.lightstepProject(),
                    settings.fromFile(),
                    now);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
