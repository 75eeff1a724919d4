package dev.correlator.model;

import java.util.ArrayList;
import java.util.List;

import dev.correlator.outbox.QueueRequest;
import dev.correlator.outbox.QueueRequestPerRow;
import dev.correlator.telemetry.QueuedSpan;

/**
 * What a projection produced: typed rows per table, in the order they were produced. A batch's
 * rows are gathered into one instance and written together by {@link ModelWriter}, which owns
 * the SQL. Nothing here touches a database.
 */
public final class ModelRows {

    private final List<Rows.DeveloperAccount> accounts = new ArrayList<>();
    private final List<Rows.DeveloperLogin> logins = new ArrayList<>();
    private final List<Rows.DeveloperEmail> emails = new ArrayList<>();
    private final List<Rows.Commit> commits = new ArrayList<>();
    private final List<Rows.CoAuthor> coAuthors = new ArrayList<>();
    private final List<Rows.Push> pushes = new ArrayList<>();
    private final List<Rows.PushCommitsAdded> pushCommitsAdded = new ArrayList<>();
    private final List<Rows.BranchCommit> branchCommits = new ArrayList<>();
    private final List<Rows.BranchCommitTime> branchCommitTimes = new ArrayList<>();
    private final List<Rows.BranchCommitForced> branchCommitsForced = new ArrayList<>();
    private final List<Rows.BranchCommitsForced> branchCommitsForcedListed = new ArrayList<>();
    private final List<Rows.BranchDeleted> branchesDeleted = new ArrayList<>();
    private final List<Rows.PullRequest> pullRequests = new ArrayList<>();
    private final List<Rows.PullRequestCommit> pullRequestCommits = new ArrayList<>();
    private final List<Rows.PullRequestCommitsOfPush> pullRequestCommitsOfPushes = new ArrayList<>();
    private final List<Rows.PullRequestCommitsOffBranch> pullRequestCommitsOffBranch = new ArrayList<>();
    private final List<Rows.PullRequestCommitsListed> pullRequestCommitsListed = new ArrayList<>();
    private final List<Rows.Installation> installations = new ArrayList<>();
    private final List<Rows.InstallationAccountRenamed> installationRenames = new ArrayList<>();
    /** Repository and RepositoryRemoved rows in order: the last change of a repository wins. */
    private final List<Record> repositories = new ArrayList<>();

    private final List<Rows.RepositoryOwnerRenamed> ownerRenames = new ArrayList<>();
    private final List<Rows.RepositorySettingsChanged> settingsChanged = new ArrayList<>();
    private final List<QueueRequest> queueRequests = new ArrayList<>();
    private final List<QueueRequestPerRow> queueRequestsPerRow = new ArrayList<>();
    private final List<QueuedSpan> spans = new ArrayList<>();

    public ModelRows add(Rows.DeveloperAccount row) {
        accounts.add(row);
        return this;
    }

    public ModelRows add(Rows.DeveloperLogin row) {
        logins.add(row);
        return this;
    }

    public ModelRows add(Rows.DeveloperEmail row) {
        emails.add(row);
        return this;
    }

    public ModelRows add(Rows.Commit row) {
        commits.add(row);
        return this;
    }

    public ModelRows add(Rows.CoAuthor row) {
        coAuthors.add(row);
        return this;
    }

    public ModelRows add(Rows.Push row) {
        pushes.add(row);
        return this;
    }

    public ModelRows add(Rows.PushCommitsAdded row) {
        pushCommitsAdded.add(row);
        return this;
    }

    public ModelRows add(Rows.BranchCommit row) {
        branchCommits.add(row);
        return this;
    }

    public ModelRows add(Rows.BranchCommitTime row) {
        branchCommitTimes.add(row);
        return this;
    }

    public ModelRows add(Rows.BranchCommitForced row) {
        branchCommitsForced.add(row);
        return this;
    }

    public ModelRows add(Rows.BranchCommitsForced row) {
        branchCommitsForcedListed.add(row);
        return this;
    }

    public ModelRows add(Rows.BranchDeleted row) {
        branchesDeleted.add(row);
        return this;
    }

    public ModelRows add(Rows.PullRequest row) {
        pullRequests.add(row);
        return this;
    }

    public ModelRows add(Rows.PullRequestCommit row) {
        pullRequestCommits.add(row);
        return this;
    }

    public ModelRows add(Rows.PullRequestCommitsOfPush row) {
        pullRequestCommitsOfPushes.add(row);
        return this;
    }

    public ModelRows add(Rows.PullRequestCommitsOffBranch row) {
        pullRequestCommitsOffBranch.add(row);
        return this;
    }

    public ModelRows add(Rows.PullRequestCommitsListed row) {
        pullRequestCommitsListed.add(row);
        return this;
    }

    public ModelRows add(Rows.Installation row) {
        installations.add(row);
        return this;
    }

    public ModelRows add(Rows.InstallationAccountRenamed row) {
        installationRenames.add(row);
        return this;
    }

    public ModelRows add(Rows.Repository row) {
        repositories.add(row);
        return this;
    }

    public ModelRows add(Rows.RepositoryRemoved row) {
        repositories.add(row);
        return this;
    }

    public ModelRows add(Rows.RepositoryOwnerRenamed row) {
        ownerRenames.add(row);
        return this;
    }

    public ModelRows add(Rows.RepositorySettingsChanged row) {
        settingsChanged.add(row);
        return this;
    }

    public ModelRows add(QueueRequest row) {
        queueRequests.add(row);
        return this;
    }

    public ModelRows add(QueueRequestPerRow row) {
        queueRequestsPerRow.add(row);
        return this;
    }

    public ModelRows add(QueuedSpan span) {
        spans.add(span);
        return this;
    }

    /** Appends another projection's rows after these (a batch gathers its deliveries' rows in order). */
    public ModelRows addAll(ModelRows other) {
        accounts.addAll(other.accounts);
        logins.addAll(other.logins);
        emails.addAll(other.emails);
        commits.addAll(other.commits);
        coAuthors.addAll(other.coAuthors);
        pushes.addAll(other.pushes);
        pushCommitsAdded.addAll(other.pushCommitsAdded);
        branchCommits.addAll(other.branchCommits);
        branchCommitTimes.addAll(other.branchCommitTimes);
        branchCommitsForced.addAll(other.branchCommitsForced);
        branchCommitsForcedListed.addAll(other.branchCommitsForcedListed);
        branchesDeleted.addAll(other.branchesDeleted);
        pullRequests.addAll(other.pullRequests);
        pullRequestCommits.addAll(other.pullRequestCommits);
        pullRequestCommitsOfPushes.addAll(other.pullRequestCommitsOfPushes);
        pullRequestCommitsOffBranch.addAll(other.pullRequestCommitsOffBranch);
        pullRequestCommitsListed.addAll(other.pullRequestCommitsListed);
        installations.addAll(other.installations);
        installationRenames.addAll(other.installationRenames);
        repositories.addAll(other.repositories);
        ownerRenames.addAll(other.ownerRenames);
        settingsChanged.addAll(other.settingsChanged);
        queueRequests.addAll(other.queueRequests);
        queueRequestsPerRow.addAll(other.queueRequestsPerRow);
        spans.addAll(other.spans);
        return this;
    }

    private List<List<?>> all() {
        return List.of(
                accounts,
                logins,
                emails,
                commits,
                coAuthors,
                pushes,
                pushCommitsAdded,
                branchCommits,
                branchCommitTimes,
                branchCommitsForced,
                branchCommitsForcedListed,
                branchesDeleted,
                pullRequests,
                pullRequestCommits,
                pullRequestCommitsOfPushes,
                pullRequestCommitsOffBranch,
                pullRequestCommitsListed,
                installations,
                installationRenames,
                repositories,
                ownerRenames,
                settingsChanged,
                queueRequests,
                queueRequestsPerRow,
                spans);
    }

    public boolean isEmpty() {
        return all().stream().allMatch(List::isEmpty);
    }

    /** Forgets the rows (once written). */
    public void clear() {
        all().forEach(List::clear);
    }

    public List<Rows.DeveloperAccount> accounts() {
        return accounts;
    }

    public List<Rows.DeveloperLogin> logins() {
        return logins;
    }

    public List<Rows.DeveloperEmail> emails() {
        return emails;
    }

    public List<Rows.Commit> commits() {
        return commits;
    }

    public List<Rows.CoAuthor> coAuthors() {
        return coAuthors;
    }

    public List<Rows.Push> pushes() {
        return pushes;
    }

    public List<Rows.PushCommitsAdded> pushCommitsAdded() {
        return pushCommitsAdded;
    }

    public List<Rows.BranchCommit> branchCommits() {
        return branchCommits;
    }

    public List<Rows.BranchCommitTime> branchCommitTimes() {
        return branchCommitTimes;
    }

    public List<Rows.BranchCommitForced> branchCommitsForced() {
        return branchCommitsForced;
    }

    public List<Rows.BranchCommitsForced> branchCommitsForcedListed() {
        return branchCommitsForcedListed;
    }

    public List<Rows.BranchDeleted> branchesDeleted() {
        return branchesDeleted;
    }

    public List<Rows.PullRequest> pullRequests() {
        return pullRequests;
    }

    public List<Rows.PullRequestCommit> pullRequestCommits() {
        return pullRequestCommits;
    }

    public List<Rows.PullRequestCommitsOfPush> pullRequestCommitsOfPushes() {
        return pullRequestCommitsOfPushes;
    }

    public List<Rows.PullRequestCommitsOffBranch> pullRequestCommitsOffBranch() {
        return pullRequestCommitsOffBranch;
    }

    public List<Rows.PullRequestCommitsListed> pullRequestCommitsListed() {
        return pullRequestCommitsListed;
    }

    public List<Rows.Installation> installations() {
        return installations;
    }

    public List<Rows.InstallationAccountRenamed> installationRenames() {
        return installationRenames;
    }

    /** {@link Rows.Repository} and {@link Rows.RepositoryRemoved} rows, in the order they were produced. */
    public List<Record> repositories() {
        return repositories;
    }

    public List<Rows.RepositoryOwnerRenamed> ownerRenames() {
        return ownerRenames;
    }

    public List<Rows.RepositorySettingsChanged> settingsChanged() {
        return settingsChanged;
    }

    public List<QueueRequest> queueRequests() {
        return queueRequests;
    }

    public List<QueueRequestPerRow> queueRequestsPerRow() {
        return queueRequestsPerRow;
    }

    public List<QueuedSpan> spans() {
        return spans;
    }
}
