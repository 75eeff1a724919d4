-- GitHub keeps every earlier version of an edited comment, readable by whoever reads the
-- repository. A comment written while its repository was private may name Codespaces in one of
-- them, so once the repository is public such a comment is deleted and a new one posted. Comments
-- written before this column are taken to be such (the App named Codespaces everywhere then).
alter table pull_request_comment add column written_private boolean not null default true;
