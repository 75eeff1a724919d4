-- When an operator last ran a stored delivery through the projectors again (admin replay).
alter table delivery add column replayed_at timestamptz;
