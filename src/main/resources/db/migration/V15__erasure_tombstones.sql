-- What identified an erased person, as SHA-256 hashes only (of the lower-cased login, of the
-- GitHub id's decimal digits, of each lower-cased e-mail): enough to recognise them when a
-- redelivery, a replay or a backfill names them again, never the erased values themselves.
create table erasure_tombstone (
    sha256    text        not null check (sha256 ~ '^[0-9a-f]{64}$'),
    kind      text        not null check (kind in ('login', 'github_id', 'email')),
    erased_at timestamptz not null,
    primary key (sha256, kind)
);

-- Repositories removed from an installation are purged after the uninstall grace.
create index repository_removed on repository (removed_at) where removed_at is not null;
