-- A commit lookup finds the pull requests that merged it by this column.
create index pull_request_merge_commit on pull_request (merge_commit_sha);
