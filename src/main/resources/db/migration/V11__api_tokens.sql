-- API tokens that belong to one installation (an organization): only a hash is kept; the token
-- itself is shown once, when it is made.
create table api_token (
    id              bigint generated always as identity primary key,
    installation_id bigint not null,
    name            text   not null,
    token_sha256    text   not null unique,
    -- The first characters, so that people can tell their tokens apart.
    prefix          text   not null,
    created_at      timestamptz not null,
    revoked_at      timestamptz
);
create index api_token_installation on api_token (installation_id);
