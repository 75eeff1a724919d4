-- When the App was uninstalled from an installation: its data is deleted a grace period later,
-- unless it is installed again before (which clears this).
alter table installation add column deleted_at timestamptz;
update installation set deleted_at = updated_at where state = 'deleted';
create index installation_deleted on installation (deleted_at) where deleted_at is not null;
-- Retention reads by age.
create index codespace_event_received on codespace_event (received_at);
create index developer_email_seen on developer_email (seen_at);
