-- A report whose token or Codespace GitHub cannot confirm is now refused (503, or 429 when GitHub
-- rate-limits the token) and the reporter sends it again later; none is stored `unverified` any
-- more. Anyone could send one while GitHub was down, naming someone else's Codespace.
--
-- Corroboration was stored, not derived: a poll set verification = 'corroborated' and the owner's
-- login on a kept report whose Codespace it saw on that repository, running when the report was
-- made. Those stay (the link rule still reads them). Reports still unverified go, with the spans
-- of theirs not yet exported (an exported span is at the backend already; a done row only keeps
-- its id from being exported twice).
delete from codespace_event where verification = 'unverified';

delete from span_outbox s
 where s.status <> 'done'
   and s.span like '%"github.codespace.confidence":"unverified"%'
   and not exists (select 1 from codespace_event e
                    where e.event_id::text = lower(s.span::jsonb -> 'attributes' ->> 'github.codespace.event_id'));

drop index codespace_event_unverified;

alter table codespace_event
    drop constraint codespace_event_check,
    drop constraint codespace_event_verification_check,
    add constraint codespace_event_verification_check check (verification in ('verified', 'corroborated')),
    alter column login set not null;
