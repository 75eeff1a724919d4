package dev.correlator.change;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.correlator.identity.DeveloperDirectory;
import dev.correlator.model.DeveloperKey;
import dev.correlator.model.ModelRows;
import dev.correlator.payload.GitHubPayloads;

/** Commits as GitHub's REST API returns them carry the accounts' numeric ids: the best identity. */
final class ApiCommits {

    private ApiCommits() {}

    /** Asks the reads for everything {@link #fact} will ask the directory about these commits. */
    static void want(BatchReads reads, List<GitHubPayloads.ApiCommit> commits) {
        Set<Long> accounts = new HashSet<>();
        Set<String> logins = new HashSet<>();
        Set<String> emails = new HashSet<>();
        Set<String> trailers = new HashSet<>();
        for (GitHubPayloads.ApiCommit commit : commits) {
            for (GitHubPayloads.Account account : new GitHubPayloads.Account[] {commit.author(), commit.committer()}) {
                if (account != null && account.id() != null) {
                    accounts.add(account.id());
                    logins.add(account.login());
                }
            }
            GitHubPayloads.ApiCommitDetail detail = commit.commit();
            if (detail != null) {
                for (GitHubPayloads.CommitPerson person :
                        new GitHubPayloads.CommitPerson[] {detail.author(), detail.committer()}) {
                    if (person != null) {
                        emails.add(person.email());
                    }
                }
                CommitRows.emailsOf(detail.message(), emails, trailers);
            }
        }
        reads.developers().wantAccounts(accounts);
        reads.developers().wantErasedLogins(logins);
        reads.developers().wantEmails(emails);
        reads.developers().wantErasedEmails(trailers);
    }

    static CommitFact fact(ModelRows rows, DeveloperDirectory developers, GitHubPayloads.ApiCommit commit) {
        GitHubPayloads.ApiCommitDetail detail = commit.commit();
        GitHubPayloads.CommitPerson author = detail == null ? null : detail.author();
        GitHubPayloads.CommitPerson committer = detail == null ? null : detail.committer();
        DeveloperKey authorKey = developer(rows, developers, commit.author(), author);
        DeveloperKey committerKey = developer(rows, developers, commit.committer(), committer);
        return new CommitFact(
                commit.sha(),
                detail == null || detail.message() == null ? "" : detail.message(),
                author == null ? null : author.date(),
                committer == null ? null : committer.date(),
                authorKey,
                author == null ? null : author.name(),
                author == null ? null : author.email(),
                committerKey,
                committer == null ? null : committer.name(),
                committer == null ? null : committer.email(),
                commit.htmlUrl());
    }

    private static DeveloperKey developer(
            ModelRows rows,
            DeveloperDirectory developers,
            GitHubPayloads.Account account,
            GitHubPayloads.CommitPerson person) {
        if (account != null && account.id() != null && account.login() != null) {
            if (DeveloperDirectory.WEB_FLOW.equals(account.login())) {
                return null;
            }
            DeveloperKey key = developers.account(rows, account.id(), account.login(), null, account.bot());
            if (person != null) {
                if (key == null) {
                    // An erased account: its e-mail on this commit goes with it.
                    developers.erased().person(account.id(), account.login(), person.email());
                }
                developers.tieEmail(rows, key, person.email());
            }
            return key;
        }
        return person == null ? null : developers.person(rows, null, person.email());
    }
}
