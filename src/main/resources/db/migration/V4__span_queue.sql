-- Change-event spans waiting for (or done with) export over OTLP. A span is written in the
-- transaction of the fact it describes, with ids derived from that fact (telemetry.SpanIds),
-- so the span id is the key: the same fact can never be queued as two spans.
--
-- A separate queue from `outbox`: spans are exported many to a request, and one delivery
-- makes one row here, so the generic queue's per-row work and dedup index are not needed.
create table span_outbox (
    span_id       text        collate "C" primary key,
    trace_id      text        collate "C" not null,
    -- The span as telemetry.QueuedSpan writes it (JSON): name, times, attributes, links, resource.
    span          text        compression lz4 not null,
    status        text        not null default 'pending' check (status in ('pending', 'done', 'dead')),
    attempts      integer     not null default 0,
    available_at  timestamptz not null,
    claimed_by    text,
    claimed_until timestamptz,
    last_error    text,
    created_at    timestamptz not null,
    exported_at   timestamptz
);
-- Workers claim the oldest ready rows.
create index span_outbox_ready on span_outbox (available_at) where status = 'pending';

-- A push span links to the open pull requests whose head is the pushed branch.
create index pull_request_open_head on pull_request (head_repository_id, head_ref) where state = 'open';
