-- Less written per pushed commit. Profiling intake at 16 connections (bench/README.md) showed
-- PostgreSQL spending its time on index entries and foreign-key checks, per commit: a
-- push_commit row with two index entries and a key check, and a second index on branch_commit.

-- A push's commits, in payload order, now live on the push row itself. Which pushes brought a
-- commit is answered by branch_commit.added_delivery_id, which already names the push that
-- put the commit on each branch; push_commit's index by sha only repeated that.
alter table push add column commit_shas text[] collate "C" not null default '{}';
update push p
   set commit_shas = pc.shas
  from (select delivery_id, array_agg(sha order by position) as shas from push_commit group by delivery_id) pc
 where pc.delivery_id = p.delivery_id;
drop table push_commit;

-- Keyed sha first, so that "which branches hold this commit" reads the key itself and the
-- separate (repository_id, sha) index goes. ON CONFLICT (repository_id, branch, sha) still
-- finds this key: it matches a unique index by its set of columns.
alter table branch_commit drop constraint branch_commit_pkey;
alter table branch_commit add primary key (repository_id, sha, branch);
drop index branch_commit_sha;

-- The developer keys on git_commit and push stay, although each is a query per row at
-- intake: they are what makes a merge of two developer rows safe while another writer is
-- storing commits for the row being merged away (one of the two transactions fails and is
-- retried; without them the commits would keep the id of a deleted developer).
