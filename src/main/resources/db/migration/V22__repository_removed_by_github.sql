-- A repository row is removed for two reasons: GitHub said so (deleted, or removed from the
-- installation), or another repository arrived under its name and retired it. Only the first is
-- purged after the grace: a retired row can be the live holder retired by a late or replayed
-- delivery that still carried an old name, and its history must not go with it. Rows removed
-- before this column are not purged by that step (an uninstall still purges them).
alter table repository add column removed_by_github boolean not null default false;
