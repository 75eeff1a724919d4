package dev.correlator.identity;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import dev.correlator.db.Pipeline;

/**
 * What a batch's projections will ask about developers, read at once: the accounts by GitHub id,
 * the logins, the e-mails tied already and the tombstones of all of them, in the batch's read
 * round trip. What they find goes to the batch's {@link DeveloperDirectory}.
 */
public final class DeveloperReads {

    private final Connection connection;
    private final Tombstones tombstones;
    private final DeveloperDirectory directory;
    private final Set<Long> accounts = new HashSet<>();
    private final Set<String> logins = new TreeSet<>();
    private final Set<String> emails = new TreeSet<>();

    public DeveloperReads(Connection connection) {
        this.connection = connection;
        this.tombstones = new Tombstones(connection);
        this.directory = new DeveloperDirectory(tombstones.prefetched());
    }

    /** The batch's developers; complete once the reads have run. */
    public DeveloperDirectory directory() {
        return directory;
    }

    /** Accounts by numeric id (and whether they are erased). */
    public void wantAccounts(Collection<Long> githubIds) {
        for (Long id : githubIds) {
            if (id != null) {
                accounts.add(id);
            }
        }
        tombstones.wantAccounts(githubIds);
    }

    /** Logins (and whether they are erased). */
    public void wantLogins(Collection<String> wanted) {
        for (String login : wanted) {
            if (login != null && !login.isBlank() && !DeveloperDirectory.WEB_FLOW.equals(login)) {
                logins.add(login.toLowerCase(Locale.ROOT));
            }
        }
        tombstones.wantLogins(withoutNulls(wanted));
    }

    /**
     * E-mails: whether they are tied already and whether they are erased; for a noreply address,
     * also the account it names, which decides whether it counts.
     */
    public void wantEmails(Collection<String> wanted) {
        for (String email : wanted) {
            if (email != null && !email.isBlank()) {
                emails.add(DeveloperDirectory.normalise(email));
                NoreplyAddress.parse(email).map(NoreplyAddress::githubId).ifPresent(accounts::add);
            }
        }
        tombstones.wantEmails(withoutNulls(wanted));
    }

    /** Only whether these logins are erased (people named in spans, say). */
    public void wantErasedLogins(Collection<String> wanted) {
        tombstones.wantLogins(withoutNulls(wanted));
    }

    /** Only whether these e-mails are erased (trailers in commit messages). */
    public void wantErasedEmails(Collection<String> wanted) {
        tombstones.wantEmails(withoutNulls(wanted));
    }

    /** Queues the reads on the batch's read pipeline; the directory is complete once it has run. */
    public void queue(Pipeline reads) throws SQLException {
        if (!accounts.isEmpty()) {
            accounts.forEach(directory::noAccount);
            reads.query(
                    "select github_id, login from developer where github_id = any (?)",
                    rows -> {
                        while (rows.next()) {
                            directory.storedAccount(rows.getLong(1), rows.getString(2));
                        }
                    },
                    connection.createArrayOf("bigint", accounts.toArray()));
            accounts.clear();
        }
        if (!logins.isEmpty()) {
            reads.query(
                    "select lower(login), github_id from developer where lower(login) = any (?)",
                    rows -> {
                        while (rows.next()) {
                            String login = rows.getString(1);
                            long githubId = rows.getLong(2);
                            directory.storedLogin(login, rows.wasNull() ? null : githubId);
                        }
                    },
                    connection.createArrayOf("text", logins.toArray()));
            logins.clear();
        }
        if (!emails.isEmpty()) {
            reads.query(
                    "select email from developer_email where email = any (?)",
                    rows -> {
                        while (rows.next()) {
                            directory.tiedEmail(rows.getString(1));
                        }
                    },
                    connection.createArrayOf("text", emails.toArray()));
            emails.clear();
        }
        tombstones.prefetch(reads);
    }

    private static Collection<String> withoutNulls(Collection<String> values) {
        Set<String> kept = new HashSet<>(values);
        kept.remove(null);
        return kept;
    }
}
