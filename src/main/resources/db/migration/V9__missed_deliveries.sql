-- Recovery of deliveries GitHub failed to make (it never retries by itself).
-- How far the last scan of GitHub's delivery log got, so that a restart resumes from there.
create table job_checkpoint (
    name       text primary key,
    position   timestamptz not null,
    updated_at timestamptz not null
);

-- Each delivery (by GitHub's guid, our delivery id) the App asked GitHub to deliver again: once.
create table redelivery (
    guid         text primary key,
    attempt_id   bigint not null,
    event        text,
    requested_at timestamptz not null,
    answer       integer not null
);
