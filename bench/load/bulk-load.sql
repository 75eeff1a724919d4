-- Fills the App's database up to :target commits (psql -v target=1000000), in bulk. Run in
-- the same psql session right after the output of `LoadGenerator world-sql`, which makes sure
-- the bench world's repositories and developers exist and fills the temp table bench_branch.
--
-- Each new commit gets one branch (default branches hold about half of them), an author
-- among the stored developers, a realistic message and a time in the last two years, and a
-- branch_commit row. Commits that came in through the App keep their pushes; bulk commits
-- have none (no push or delivery rows).
\set ON_ERROR_STOP 1
set synchronous_commit = off;
set maintenance_work_mem = '256MB';
set work_mem = '64MB';

select greatest(0, :target - (select count(*) from git_commit)) as missing \gset
\echo bulk: adding :missing commits

-- Branches to draw from: a default branch counts six times, any other branch once.
create temp table bench_pick as
select row_number() over () as i, b.repository_id, b.full_name, b.branch
  from bench_branch b
  cross join lateral generate_series(1, case when b.branch = 'main' then 6 else 1 end);
select count(*) as picks from bench_pick \gset

create temp table bench_author as
select row_number() over (order by d.id) as i, d.id, coalesce(d.name, d.login) as name,
       coalesce((select e.email from developer_email e where e.developer_id = d.id order by e.email limit 1),
                d.login || '@bench-corp.example') as email
  from developer d
 where d.login is not null and not d.bot;
select count(*) as authors from bench_author \gset

create temp table bench_new as
select md5(random()::text) || substr(md5(random()::text), 1, 8) as sha,
       1 + floor(random() * :picks)::int as pick,
       1 + floor(random() * :authors)::int as author,
       now() - random() * interval '730 days' as at,
       (g % 8) as m
  from generate_series(1, :missing) g;

insert into git_commit (repository_id, sha, message, authored_at, committed_at, author_id, author_name, author_email,
                        committer_id, committer_name, committer_email, url, first_seen_at)
select p.repository_id, n.sha,
       (array['Add retry policy to capture client', 'Fix currency rounding in refund path',
              'Refactor webhook handler', 'Bump config loader from 1.4.0 to 1.5.1',
              'Handle empty page in pagination cursor', 'Document the export job',
              'Speed up search index rebuild', 'Validate token refresh'])[n.m + 1]
       || case when n.m % 3 = 0 then '' else E'\n\nThe previous version retried on every 4xx, which hid real errors.\nThis keeps the public API unchanged and only touches the internal client.' end,
       n.at, n.at, a.id, a.name, a.email, a.id, a.name, a.email,
       'https://github.com/' || p.full_name || '/commit/' || n.sha, n.at
  from bench_new n
  join bench_pick p on p.i = n.pick
  join bench_author a on a.i = n.author
on conflict do nothing;

insert into branch_commit (repository_id, branch, sha, added_delivery_id, added_at, authored_at)
select p.repository_id, p.branch, n.sha, null, n.at, n.at
  from bench_new n
  join bench_pick p on p.i = n.pick
on conflict do nothing;

-- So that the lookups run on fresh statistics and a vacuumed table, not while autovacuum
-- catches up with a million new rows.
vacuum (analyze) git_commit;
vacuum (analyze) branch_commit;
analyze;
select count(*) as commits from git_commit \gset
\echo bulk: git_commit holds :commits commits
