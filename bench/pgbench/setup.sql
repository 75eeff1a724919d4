-- Scratch database for the pgbench baseline, after the App's migrations: the 40
-- repositories and 400 developers (with their e-mails) that intake.sql writes for, as the
-- App's database holds them once the first deliveries came in. bench_payload (the push
-- bodies) is loaded separately from LoadGenerator's payloads mode.
\set ON_ERROR_STOP 1

create table bench_repo as
select g - 1 as idx, 702938101 + (g - 1) * 7919 as id, 'service-' || g as name, 'bench-corp/service-' || g as full_name
  from generate_series(1, 40) g;

insert into repository (id, installation_id, owner_id, owner_login, name, full_name, html_url, default_branch, private, updated_at)
select id, 1, 9919001, 'bench-corp', name, full_name, 'https://github.com/' || full_name, 'main', true, now() from bench_repo;

insert into developer (github_id, login, name, bot, updated_at)
select 500000 + g, 'developer-' || g, 'Developer ' || g, false, now() from generate_series(1, 400) g;

create table bench_dev as
select row_number() over (order by id) as idx, id, github_id, login, name, login || '@bench-corp.example' as email
  from developer;

insert into developer_email (email, developer_id, seen_at) select email, id, now() from bench_dev;

analyze;
