-- Every API read of developer data: who asked (a hash of the token, never the token), what, when,
-- and what was answered. Kept for correlator.retention.developer-data like the data itself.
create table api_audit (
    id          bigint generated always as identity primary key,
    at          timestamptz not null,
    caller      text   not null,
    method      text   not null,
    path        text   not null,
    query       text,
    status      integer not null
);
create index api_audit_at on api_audit (at);
