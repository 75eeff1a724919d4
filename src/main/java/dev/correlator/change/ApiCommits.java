package dev.correlator.change;

import java.sql.SQLException;

import dev.correlator.identity.DeveloperDirectory;
import dev.correlator.webhook.GitHubPayloads;

/** Commits as GitHub's REST API returns them carry the accounts' numeric ids: the best identity. */
final class ApiCommits {

    private ApiCommits() {}

    static CommitFact fact(DeveloperDirectory developers, GitHubPayloads.ApiCommit commit) throws SQLException {
        GitHubPayloads.ApiCommitDetail detail = commit.commit();
        GitHubPayloads.CommitPerson author = detail == null ? null : detail.author();
        GitHubPayloads.CommitPerson committer = detail == null ? null : detail.committer();
        Long authorId = developer(developers, commit.author(), author);
        Long committerId = developer(developers, commit.committer(), committer);
        return new CommitFact(
                commit.sha(),
                detail == null || detail.message() == null ? "" : detail.message(),
                author == null ? null : author.date(),
                committer == null ? null : committer.date(),
                authorId,
                author == null ? null : author.name(),
                author == null ? null : author.email(),
                committerId,
                committer == null ? null : committer.name(),
                committer == null ? null : committer.email(),
                commit.htmlUrl());
    }

    private static Long developer(
            DeveloperDirectory developers, GitHubPayloads.Account account, GitHubPayloads.CommitPerson person)
            throws SQLException {
        if (account != null && account.id() != null && account.login() != null) {
            if (DeveloperDirectory.WEB_FLOW.equals(account.login())) {
                return null;
            }
            Long id = developers.account(account.id(), account.login(), null, account.bot());
            if (person != null) {
                if (id == null) {
                    // An erased account: its e-mail on this commit goes with it.
                    developers.tombstones().person(account.id(), account.login(), person.email());
                }
                developers.tieEmail(id, person.email());
            }
            return id;
        }
        return person == null ? null : developers.person(null, person.name(), person.email());
    }
}
