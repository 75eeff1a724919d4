-- What Codespaces report about themselves (deploy/codespaces reporter, POST /api/v1/codespaces/events).
-- GitHub sends no webhook about Codespaces; these rows and the organization's Codespaces API are
-- how the App learns about them.
-- A Codespace as a verified report or the organization's Codespaces API last described it.
create table codespace (
    name                 text primary key,   -- GitHub's name for it, unique on GitHub
    owner_login          text   not null,
    owner_github_id      bigint,
    repository_full_name text   not null,
    first_seen_at        timestamptz not null,
    last_seen_at         timestamptz not null,
    -- From the organization's API (null until a poll has seen it).
    installation_id      bigint,
    machine              text,
    state                text,
    created_at           timestamptz,
    updated_at           timestamptz,
    last_used_at         timestamptz,
    git_ref              text,
    git_ahead            integer,
    git_behind           integer,
    polled_at            timestamptz
);
create index codespace_owner on codespace (lower(owner_login));

-- One row per reported event; the reporter's event id makes a resend harmless. The token that
-- came with it is never stored: only what GitHub said about it.
create table codespace_event (
    event_id             uuid primary key,
    codespace_name       text   not null,
    type                 text   not null check (type in ('started', 'commit', 'push', 'head')),
    repository_full_name text   not null,
    branch               text,
    sha                  text collate "C",
    commits              text[] collate "C" not null default '{}',
    occurred_at          timestamptz not null,
    received_at          timestamptz not null,
    -- verified: GitHub named the token's owner, and the organization's API shows that login owns
    -- the Codespace on that repository. unverified: GitHub could not be asked; the owner is not
    -- known yet. corroborated (later): the organization's API confirms the Codespace and owner.
    verification         text   not null check (verification in ('verified', 'unverified', 'corroborated')),
    login                text,
    github_id            bigint,
    check (verification = 'unverified' or login is not null)
);
create index codespace_event_codespace on codespace_event (codespace_name, occurred_at);
create index codespace_event_sha on codespace_event (sha) where sha is not null;
create index codespace_event_unverified on codespace_event (received_at) where verification = 'unverified';
-- A commit's Codespaces: the reports that name its sha in their commit list.
create index codespace_event_commits on codespace_event using gin (commits);
