package dev.correlator.api;

import java.time.Duration;

/**
 * Which Codespaces a commit was made in, and how sure the App is: one SQL rule, read wherever a
 * commit is shown, so that a commit, a pull request, a developer and a Codespace always agree.
 * Links are computed when read rather than stored, because the facts behind them arrive in any
 * order (a report before or after its push, a poll minutes later) and a stored link would have
 * to be revisited by each of them.
 *
 * <p>
 * The rows come from four sources, strongest first:
 * <ul>
 * <li>{@code verified}/{@code reporter}: the Codespace's reporter named the sha, with a token
 * GitHub confirmed as the Codespace owner's ({@code corroborated}: a report stored before
 * migration V13 while GitHub could not be asked, which a later poll confirmed; no new ones are
 * made, since a report GitHub cannot check now is refused and sent again);</li>
 * <li>{@code corroborated}/{@code trailer}: a {@code Codespace: <name>} line in the message;</li>
 * <li>{@code corroborated}/{@code poll}: the last poll before a push saw exactly one of the
 * pusher's Codespaces on that branch with unpushed commits, and the next poll saw none;</li>
 * <li>{@code inferred}/{@code inference}: the pusher had exactly one Codespace on that repository
 * and branch in use within the window before the push, and it does not run the reporter (one
 * that does would have reported the push itself).</li>
 * </ul>
 * Polls and inference speak only for commits their pusher wrote or committed: a push may carry a
 * colleague's commits, made wherever the colleague works.
 * <ul>
 * </ul>
 * Whatever the source, a link names only a Codespace owned by the commit's author, or by its
 * committer when the committer also pushed it (a rebase or cherry-pick in the Codespace): never a
 * Codespace of someone who merely pushed a colleague's commit, whatever their reports claim. An
 * inference is dropped when the commit has a firmer link.
 */
final class CodespaceLinks {

    private CodespaceLinks() {}

    /**
     * Rows (name, owner_login, confidence, source), best per Codespace, for the commit {@code c}
     * (git_commit) of the repository {@code r}, both bound by the enclosing query.
     */
    static String rows(Duration window) {
        return ROWS.replace("$WINDOW", "interval '" + window.toSeconds() + " seconds'");
    }

    /**
     * The same rows as one JSON array, in name order, for a commit's answer. Every link names a
     * Codespace of the commit's author or committer, so for a commit whose author and committer
     * own none (most commits; two index probes) the rules are not evaluated at all.
     */
    static String json(Duration window) {
        return """
                (case when exists (select 1 from developer d
                                    join codespace cs on lower(cs.owner_login) = lower(d.login)
                                   where d.id = c.author_id)
                        or exists (select 1 from developer d
                                    join codespace cs on lower(cs.owner_login) = lower(d.login)
                                   where d.id = c.committer_id)
                      then (select coalesce(json_agg(json_build_object('name', x.name, 'owner', x.owner_login,
                                                                       'confidence', x.confidence, 'source', x.source)
                                                     order by x.name), '[]')
                              from (%s) x)
                      else '[]'::json end)""".formatted(rows(window));
    }

    private static final String ROWS = """
            with pushes as (
                 -- The pushes that brought the commit to a branch, with who pushed.
                 select p.delivery_id, p.ref_name, p.pushed_at, p.received_at,
                        lower(coalesce(d.login, p.pusher_name)) as pusher
                   from push p left join developer d on d.id = p.pusher_id
                  where p.delivery_id in (select b.added_delivery_id from branch_commit b
                                           where b.repository_id = c.repository_id and b.sha = c.sha)),
            makers as (
                 -- Who may have made the commit: its author, or its committer (a rebase, a cherry-pick
                 -- or git am keeps the author and names whoever ran git as committer).
                 select lower(d.login) as login from developer d where d.id = c.author_id and d.login is not null
                 union
                 select lower(d.login) from developer d where d.id = c.committer_id and d.login is not null),
            own_pushes as (
                 -- Pushes by someone who made the commit: only these let a poll or an inference speak
                 -- for it (a push may carry a colleague's commits, made wherever the colleague works).
                 -- Commits GitHub itself committed (web-flow: merges, edits and suggestions made on
                 -- github.com) were made in no Codespace.
                 select p.* from pushes p where p.pusher in (select login from makers)
                    and c.committer_email is distinct from 'noreply@github.com'),
            candidates as (
                 -- Reports that this sha was made or pushed there, verified or corroborated, by the
                 -- Codespace's owner. (A start or a branch switch names the sha the Codespace is on,
                 -- which may have been made anywhere.)
                 -- A corroborated report (kept from before V13) counts only if it reached the App before
                 -- the commit's first push did: before that nobody else could know the sha, and a
                 -- reporter always speaks before its push.
                 select cs.name, cs.owner_login, e.verification as confidence, 'reporter' as source
                   from codespace_event e join codespace cs on cs.name = e.codespace_name
                  where e.verification in ('verified', 'corroborated') and e.type in ('commit', 'push')
                    and (e.verification = 'verified' or e.received_at <= (select min(p.received_at) from pushes p))
                    and ((e.type = 'commit' and e.sha = c.sha) or e.commits @> array[c.sha])
                    and e.repository_id = r.id
                    and lower(e.login) = lower(cs.owner_login)
                 union all
                 -- A "Codespace: <name>" trailer naming a Codespace the App knows on this repository.
                 select cs.name, cs.owner_login, 'corroborated', 'trailer'
                   from codespace cs
                  where c.message like '%Codespace:%'
                    and cs.name = (regexp_match(c.message, '(?:^|\n)Codespace:[ \t]*([A-Za-z0-9-]+)[ \t]*(?:\n|$)'))[1]
                    and cs.repository_id = r.id
                 union all
                 -- Polls around a push: exactly one of the pusher's Codespaces on that branch went from
                 -- unpushed commits (last poll before the push) to none (the poll right after it).
                 select min(t.name), min(t.owner_login), 'corroborated', 'poll'
                   from own_pushes p cross join lateral (
                        select cs.name, cs.owner_login from codespace cs
                         where lower(cs.owner_login) = p.pusher
                           and cs.repository_id = r.id
                           and coalesce(c.committed_at, c.authored_at) >= coalesce(cs.created_at, cs.first_seen_at)
                           and exists (
                               select 1 from codespace_observation o1
                                 join codespace_observation o2 on o2.codespace_name = o1.codespace_name
                                where o1.codespace_name = cs.name
                                  and o1.git_ref = p.ref_name and o1.git_ahead > 0
                                  and o1.observed_until between p.pushed_at - $WINDOW and p.pushed_at
                                  and o2.git_ref = p.ref_name and o2.git_ahead = 0
                                  and o2.observed_from between p.pushed_at and p.pushed_at + $WINDOW
                                  and not exists (select 1 from codespace_observation o3
                                                   where o3.codespace_name = o1.codespace_name
                                                     and o3.observed_from > o1.observed_from
                                                     and o3.observed_from < o2.observed_from))) t
                  group by p.delivery_id having count(*) = 1
                 union all
                 -- The pusher's only Codespace on that repository and branch in use shortly before the
                 -- push, as reports or polls show it.
                 select min(t.name), min(t.owner_login), 'inferred', 'inference'
                   from own_pushes p cross join lateral (
                        -- Any report says the reporter runs there: it would have reported this push
                        -- too.
                        select cs.name, cs.owner_login,
                               exists (select 1 from codespace_event e where e.codespace_name = cs.name)
                                   as reports
                          from codespace cs
                         where lower(cs.owner_login) = p.pusher
                           and cs.repository_id = r.id
                           and (exists (select 1 from codespace_event e
                                         where e.codespace_name = cs.name
                                           and e.verification in ('verified', 'corroborated')
                                           and lower(e.login) = lower(cs.owner_login) and e.branch = p.ref_name
                                           and e.occurred_at between p.pushed_at - $WINDOW and p.pushed_at)
                                or exists (select 1 from codespace_observation o
                                            where o.codespace_name = cs.name and o.git_ref = p.ref_name
                                              and o.ref_since <= p.pushed_at
                                              -- made in that session, not before it (yesterday's work
                                              -- pushed from a laptop)
                                              and coalesce(c.committed_at, c.authored_at)
                                                  >= coalesce(o.started_at, o.ref_since)
                                              -- running until the last poll that saw it, or stopped
                                              -- at about its updated_at
                                              and case when o.state = 'Available' then o.observed_until
                                                       else least(o.updated_at, o.observed_from) end
                                                  >= p.pushed_at - $WINDOW))) t
                  group by p.delivery_id having count(*) = 1 and not bool_or(t.reports))
            select name, owner_login, confidence, source from (
                 select distinct on (k.name) k.name, k.owner_login, k.confidence, k.source,
                        bool_or(k.confidence <> 'inferred') over () as firm
                   from candidates k
                  -- The Codespace's owner wrote the commit, or committed it and pushed it.
                  where lower(k.owner_login) in (select lower(a.login) from developer a where a.id = c.author_id
                                                 union all
                                                 select m.login from makers m join pushes p on p.pusher = m.login)
                  order by k.name,
                           case k.confidence when 'verified' then 0 when 'corroborated' then 1 else 2 end,
                           case k.source when 'reporter' then 0 when 'trailer' then 1 when 'poll' then 2 else 3 end) best
             where confidence <> 'inferred' or not firm""";
}
