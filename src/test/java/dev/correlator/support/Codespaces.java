package dev.correlator.support;

/**
 * Sets the stage for tests that need a Codespace without going through the reporter: rows as
 * the App stores them for a report GitHub verified.
 */
public final class Codespaces {

    /** mona-lisa's Codespace on acme-corp/payments-api, as its reporter names it. */
    public static final String MONAS = "mona-lisa-payments-api-7q9wxr5v2f4x56";

    private Codespaces() {}

    /** mona-lisa's reporter said she made the commit in her Codespace on feature/retry-logic. */
    public static void monaMade(String sha) {
        Database.execute("""
                insert into codespace (name, owner_login, owner_github_id, repository_full_name, first_seen_at,
                                       last_seen_at, repository_id)
                values ('%1$s', 'mona-lisa', 583231, 'acme-corp/payments-api', now(), now(), 702938101)
                on conflict (name) do nothing;
                insert into codespace_event (event_id, codespace_name, type, repository_full_name, branch, sha, commits,
                                             occurred_at, received_at, verification, login, github_id, repository_id)
                values (gen_random_uuid(), '%1$s', 'commit', 'acme-corp/payments-api', 'feature/retry-logic', '%2$s',
                        array['%2$s'], now(), now(), 'verified', 'mona-lisa', 583231, 702938101)""".formatted(MONAS, sha));
    }

    /** A poll saw mona-lisa's Codespace running on feature/retry-logic. */
    public static void monasObserved() {
        Database.execute("""
                insert into codespace_observation (codespace_name, observed_from, observed_until, state, git_ref,
                                                   ref_since)
                values ('%s', now(), now(), 'Available', 'feature/retry-logic', now())""".formatted(MONAS));
    }
}
