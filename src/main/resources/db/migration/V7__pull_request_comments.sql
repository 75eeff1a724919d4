-- The one comment the App keeps on each pull request: which comment it is on GitHub and a hash
-- of what it says, so that an unchanged comment is never sent again.
create table pull_request_comment (
    pull_request_id bigint primary key,
    comment_id      bigint,
    body_sha256     text,
    -- created, edited, logged (dry run), disabled (by the repository's file) or gone (404/410)
    last_outcome    text   not null,
    updated_at      timestamptz not null
);

-- A repository's .github/correlator.yml as last read (or its absence: from_file false), so that
-- comments and previews need not ask GitHub each time.
create table repository_settings (
    repository_id     bigint primary key,
    comments          boolean not null,
    show_bots         boolean not null,
    lightstep_project text,
    from_file         boolean not null,
    fetched_at        timestamptz not null
);
