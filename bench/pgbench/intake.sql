-- pgbench custom script: per transaction, the writes the App makes for one push delivery of
-- 10 commits by a known developer (DeliveryIntake, RepositoryDirectory, DeveloperDirectory,
-- CommitWriter, PushProjector), in one transaction. Run with -M prepared (the App's JDBC
-- statements are server-prepared too). Needs the tables of the App's migrations plus
-- bench_payload (push bodies made by LoadGenerator payloads), bench_repo and bench_dev
-- (bench/pgbench/setup.sql).
--
-- What it leaves out: the App's HTTP, signature check and JSON parsing; the first-time work
-- for unknown developers and e-mails; co-author rows. The JDBC batches of the App (one round
-- trip for the rows of one table) are pipelines here; commits and branch rows go as column
-- arrays, as the App sends them.

\set payload random(1, :payloads)
\set r random(0, 39)
\set d random(1, 400)
\set b random(1, 8)

-- Fresh ids and shas for this transaction, and the repository and developer rows the App
-- would have read from the payload (not part of the App's work).
SELECT gen_random_uuid()::text AS did,
       r.id AS rid, r.name AS rname, r.full_name AS rfull, 'https://github.com/' || r.full_name || '/commit/' AS curl,
       'feature/topic-' || :b AS branch,
       v.id AS devid, v.github_id AS dgid, v.login AS dlogin, v.name AS dname, v.email AS demail,
       md5(random()::text) || substr(md5(random()::text), 1, 8) AS before,
       md5(random()::text) || substr(md5(random()::text), 1, 8) AS s1,
       md5(random()::text) || substr(md5(random()::text), 1, 8) AS s2,
       md5(random()::text) || substr(md5(random()::text), 1, 8) AS s3,
       md5(random()::text) || substr(md5(random()::text), 1, 8) AS s4,
       md5(random()::text) || substr(md5(random()::text), 1, 8) AS s5,
       md5(random()::text) || substr(md5(random()::text), 1, 8) AS s6,
       md5(random()::text) || substr(md5(random()::text), 1, 8) AS s7,
       md5(random()::text) || substr(md5(random()::text), 1, 8) AS s8,
       md5(random()::text) || substr(md5(random()::text), 1, 8) AS s9,
       md5(random()::text) || substr(md5(random()::text), 1, 8) AS s10,
       'Add retry policy to capture client' || E'\n\n' || 'The previous version retried on every 4xx, which hid real errors. This keeps the public API unchanged and only touches the internal client.' AS msg
  FROM bench_repo r, bench_dev v WHERE r.idx = :r AND v.idx = :d
\gset

BEGIN;

-- DeliveryIntake.inactiveInstallation
SELECT state FROM installation WHERE id = 1;

-- DeliveryIntake.STORE (the raw body, as bytea)
INSERT INTO delivery (id, event, action, installation_id, repository_id, repository_full_name, outcome, detail, received_at, body)
SELECT :did, 'push', NULL, 1, :rid, :rfull, 'processed', NULL, now(), p.body FROM bench_payload p WHERE p.id = :payload
ON CONFLICT (id) DO UPDATE
   SET event = excluded.event, action = excluded.action, installation_id = excluded.installation_id,
       repository_id = excluded.repository_id, repository_full_name = excluded.repository_full_name,
       outcome = excluded.outcome, detail = excluded.detail, received_at = excluded.received_at,
       body = excluded.body
 WHERE delivery.outcome = 'rejected';

-- RepositoryDirectory.UPSERT (a no-op update once the row is current, as in the App)
INSERT INTO repository (id, installation_id, owner_id, owner_login, name, full_name, html_url,
                        default_branch, private, removed_at, updated_at)
VALUES (:rid, 1, 9919001, 'bench-corp', :rname, :rfull, 'https://github.com/' || :rfull, 'main', coalesce(true, true), NULL, now())
ON CONFLICT (id) DO UPDATE
   SET installation_id = coalesce(excluded.installation_id, repository.installation_id),
       owner_id = coalesce(excluded.owner_id, repository.owner_id),
       owner_login = excluded.owner_login, name = excluded.name, full_name = excluded.full_name,
       html_url = excluded.html_url,
       default_branch = coalesce(excluded.default_branch, repository.default_branch),
       private = excluded.private, removed_at = NULL, updated_at = now()
 WHERE (repository.full_name, repository.installation_id, repository.default_branch,
        repository.private, repository.removed_at IS NULL)
       IS DISTINCT FROM
       (excluded.full_name, coalesce(excluded.installation_id, repository.installation_id),
        coalesce(excluded.default_branch, repository.default_branch), excluded.private, true);

-- DeveloperDirectory.account (the sender), then tieEmail (the pusher's e-mail, already known)
SELECT id, login FROM developer WHERE github_id = :dgid;
INSERT INTO developer_email (email, developer_id, seen_at) VALUES (lower(:demail), :devid, now())
ON CONFLICT (email) DO NOTHING;

-- CommitWriter.UPSERT: the ten commits as column arrays, as the App sends them
INSERT INTO git_commit (repository_id, sha, message, authored_at, committed_at, author_id, author_name, author_email, committer_id, committer_name, committer_email, url, first_seen_at)
SELECT * FROM unnest(array_fill(:rid::bigint, ARRAY[10]), ARRAY[:s1, :s2, :s3, :s4, :s5, :s6, :s7, :s8, :s9, :s10]::text[], array_fill(:msg::text, ARRAY[10]),
                     array_fill(now(), ARRAY[10]), array_fill(now(), ARRAY[10]), array_fill(:devid::bigint, ARRAY[10]),
                     array_fill(:dname::text, ARRAY[10]), array_fill(:demail::text, ARRAY[10]), array_fill(:devid::bigint, ARRAY[10]),
                     array_fill(:dname::text, ARRAY[10]), array_fill(:demail::text, ARRAY[10]), ARRAY[:curl || :s1, :curl || :s2, :curl || :s3, :curl || :s4, :curl || :s5, :curl || :s6, :curl || :s7, :curl || :s8, :curl || :s9, :curl || :s10]::text[],
                     array_fill(now(), ARRAY[10]))
ON CONFLICT (repository_id, sha) DO UPDATE SET author_id = coalesce(git_commit.author_id, excluded.author_id), committer_id = coalesce(git_commit.committer_id, excluded.committer_id)
 WHERE (git_commit.author_id IS NULL AND excluded.author_id IS NOT NULL) OR (git_commit.committer_id IS NULL AND excluded.committer_id IS NOT NULL);

-- PushProjector.INSERT_PUSH
INSERT INTO push (delivery_id, repository_id, ref, ref_type, ref_name, before_sha, after_sha, created, deleted, forced,
                  base_ref, pusher_id, pusher_name, sender_id, commit_count, truncated, pushed_at, received_at,
                  commit_shas)
VALUES (:did, :rid, 'refs/heads/' || :branch, 'branch', :branch, :before, :s10, false, false, false,
        NULL, :devid, :dlogin, :devid, 10, false, now(), now(),
        ARRAY[:s1, :s2, :s3, :s4, :s5, :s6, :s7, :s8, :s9, :s10]::text[])
ON CONFLICT (delivery_id) DO NOTHING;

-- PushProjector.ON_BRANCH: the ten branch rows as column arrays
INSERT INTO branch_commit (repository_id, branch, sha, added_delivery_id, added_at, authored_at)
SELECT * FROM unnest(array_fill(:rid::bigint, ARRAY[10]), array_fill(:branch::text, ARRAY[10]), ARRAY[:s1, :s2, :s3, :s4, :s5, :s6, :s7, :s8, :s9, :s10]::text[],
                     array_fill(:did::text, ARRAY[10]), array_fill(now(), ARRAY[10]), array_fill(now(), ARRAY[10]))
ON CONFLICT (repository_id, branch, sha) DO UPDATE SET left_at = NULL, left_reason = NULL, left_delivery_id = NULL, added_delivery_id = excluded.added_delivery_id, added_at = excluded.added_at WHERE branch_commit.left_at IS NOT NULL;

COMMIT;
