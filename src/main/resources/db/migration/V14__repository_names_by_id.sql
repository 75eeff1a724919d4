-- A name belongs to one repository at a time. A name can be reused (a repository renamed or
-- deleted, another created under the old name) and GitHub may not tell the App about the old
-- one, so rows that are not removed may share a name today: the most recently written keeps it,
-- the others are retired (removed_at), as the upsert does from now on.
update repository r
   set removed_at = now()
 where r.removed_at is null
   and exists (select 1 from repository newer
                where newer.removed_at is null and lower(newer.full_name) = lower(r.full_name)
                  and (newer.updated_at, newer.id) > (r.updated_at, r.id));

drop index repository_full_name;
create unique index repository_live_full_name on repository (lower(full_name)) where removed_at is null;

-- Codespaces and their reports are read with the commits of a repository by its id: a name they
-- stored may since have been renamed, or taken by another repository.
alter table codespace add column repository_id bigint;
alter table codespace_event add column repository_id bigint;

update codespace cs
   set repository_id = r.id
  from repository r
 where r.removed_at is null and lower(r.full_name) = lower(cs.repository_full_name);

update codespace_event e
   set repository_id = coalesce(
           (select cs.repository_id from codespace cs where cs.name = e.codespace_name
               and lower(cs.repository_full_name) = lower(e.repository_full_name)),
           (select r.id from repository r
             where r.removed_at is null and lower(r.full_name) = lower(e.repository_full_name)));

create index codespace_repository on codespace (repository_id);
