#!/usr/bin/env bash
# Shows the Change Correlator working without a real GitHub App: sends a few
# signed webhook deliveries (installation created, a push of two commits to a
# feature branch, a pull request for that branch) to a running instance, then
# queries the REST API for what it recorded, and shows that a delivery with a
# wrong signature is refused.
#
#   deploy/run-local.sh &      # or: docker compose up --build
#   deploy/demo.sh
#
# Settings (environment):
#   CORRELATOR_URL                     default http://localhost:8080
#   QUARKUS_GITHUB_APP_WEBHOOK_SECRET  default local-webhook-secret
#   CORRELATOR_API_TOKENS              the first token is used; default local-api-token
#   CORRELATOR_WEBHOOK_PATH            default /webhooks/github
#
# Every run uses fresh commit shas, a fresh branch and pull request number, and
# fresh delivery ids, so it can be repeated against the same database.
set -euo pipefail

URL="${CORRELATOR_URL:-http://localhost:8080}"
URL="${URL%/}"
WEBHOOK_PATH="${CORRELATOR_WEBHOOK_PATH:-/webhooks/github}"
SECRET="${QUARKUS_GITHUB_APP_WEBHOOK_SECRET:-local-webhook-secret}"
TOKEN="${CORRELATOR_API_TOKENS:-local-api-token}"
TOKEN="${TOKEN%%,*}"
TOKEN="$(printf '%s' "$TOKEN" | tr -d '[:space:]')"
APP_ID="${QUARKUS_GITHUB_APP_APP_ID:-1}"

for tool in curl openssl; do
    command -v "$tool" >/dev/null 2>&1 || { echo "demo: $tool is required" >&2; exit 1; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
PROBLEMS=0

# ---------------------------------------------------------------- helpers ---

new_uuid() { cat /proc/sys/kernel/random/uuid; }
new_sha() { openssl rand -hex 20; }
now() { date -u +%Y-%m-%dT%H:%M:%SZ; }
section() { printf '\n== %s\n' "$*"; }

# HMAC-SHA256 (hex) of the exact bytes of file $1 with secret $2.
sign() { openssl dgst -sha256 -hmac "$2" "$1" | awk '{print $NF}'; }

pretty() {
    local file="$1"
    if [ ! -s "$file" ]; then
        echo "(empty body)"
    elif command -v jq >/dev/null 2>&1 && jq . "$file" 2>/dev/null; then
        :
    elif command -v python3 >/dev/null 2>&1 && python3 -m json.tool "$file" 2>/dev/null; then
        :
    else
        cat "$file"; echo
    fi
}

# deliver EVENT BODY_FILE [SECRET] -> prints and returns (in $STATUS) the HTTP status.
deliver() {
    local event="$1" body="$2" secret="${3:-$SECRET}" delivery signature
    delivery="$(new_uuid)"
    signature="$(sign "$body" "$secret")"
    STATUS="$(curl -sS -o "$WORK/response" -w '%{http_code}' --max-time 30 \
        -X POST "$URL$WEBHOOK_PATH" \
        -H 'Content-Type: application/json' \
        -H "X-GitHub-Event: $event" \
        -H "X-GitHub-Delivery: $delivery" \
        -H "X-Hub-Signature-256: sha256=$signature" \
        -H 'User-Agent: GitHub-Hookshot/demo' \
        --data-binary "@$body")" || STATUS=000
    printf 'POST %s  X-GitHub-Event: %-13s delivery %s -> HTTP %s\n' "$WEBHOOK_PATH" "$event" "$delivery" "$STATUS"
}

# get PATH -> prints status and pretty body; status in $STATUS.
get() {
    STATUS="$(curl -sS -o "$WORK/response" -w '%{http_code}' --max-time 30 \
        -H "Authorization: Bearer $TOKEN" -H 'Accept: application/json' \
        "$URL$1")" || STATUS=000
    printf '\nGET %s -> HTTP %s\n' "$1" "$STATUS"
    pretty "$WORK/response"
    if [ "$STATUS" != 200 ]; then PROBLEMS=$((PROBLEMS + 1)); fi
}

# -------------------------------------------------------- reachability ---

if ! code="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "$URL/q/health/ready" 2>"$WORK/curl-error")"; then
    echo "demo: the App is not reachable at $URL ($(tr -d '\n' < "$WORK/curl-error"))" >&2
    echo "demo: start it first, e.g. deploy/run-local.sh (or set CORRELATOR_URL)" >&2
    exit 1
fi
echo "App at $URL (readiness: HTTP $code)"

# ------------------------------------------------------------- the data ---

OWNER=acme-corp
OWNER_ID=1000001
REPO=widgets
REPO_ID=2000001
FULL_NAME="$OWNER/$REPO"
INSTALLATION_ID=4000001
DEV_LOGIN=ada-dev
DEV_ID=3000001
DEV_NAME="Ada Lovelace"
DEV_EMAIL="ada@example.com"

RUN="$(openssl rand -hex 3)"
BRANCH="feature/demo-$RUN"
BASE_SHA="$(new_sha)"
SHA1="$(new_sha)"
SHA2="$(new_sha)"
TREE1="$(new_sha)"
TREE2="$(new_sha)"
PR_NUMBER=$(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 9000 + 100 ))
PR_ID=$(( $(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % 900000000 + 100000000 ))
T1="$(date -u -d '-10 minutes' +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || now)"
T2="$(date -u -d '-5 minutes' +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || now)"
NOW="$(now)"

SENDER="{\"login\": \"$DEV_LOGIN\", \"id\": $DEV_ID, \"type\": \"User\", \"html_url\": \"https://github.com/$DEV_LOGIN\"}"
OWNER_JSON="{\"login\": \"$OWNER\", \"id\": $OWNER_ID, \"type\": \"Organization\"}"
REPOSITORY="{
    \"id\": $REPO_ID,
    \"name\": \"$REPO\",
    \"full_name\": \"$FULL_NAME\",
    \"owner\": $OWNER_JSON,
    \"html_url\": \"https://github.com/$FULL_NAME\",
    \"default_branch\": \"main\",
    \"private\": true,
    \"pushed_at\": \"$NOW\"
  }"
REPO_REF="{\"id\": $REPO_ID, \"name\": \"$REPO\", \"full_name\": \"$FULL_NAME\", \"owner\": $OWNER_JSON, \"private\": true}"
PERSON="\"name\": \"$DEV_NAME\", \"email\": \"$DEV_EMAIL\", \"username\": \"$DEV_LOGIN\""

commit_json() { # sha tree message timestamp added modified
    cat <<JSON
{
      "id": "$1",
      "tree_id": "$2",
      "distinct": true,
      "message": "$3",
      "timestamp": "$4",
      "url": "https://github.com/$FULL_NAME/commit/$1",
      "author": {$PERSON},
      "committer": {$PERSON},
      "added": [$5],
      "removed": [],
      "modified": [$6]
    }
JSON
}
COMMIT1="$(commit_json "$SHA1" "$TREE1" "Add widget price calculator" "$T1" '"src/price.py"' '')"
COMMIT2="$(commit_json "$SHA2" "$TREE2" "Round prices to cents" "$T2" '' '"src/price.py", "tests/test_price.py"')"

cat > "$WORK/installation.json" <<JSON
{
  "action": "created",
  "installation": {
    "id": $INSTALLATION_ID,
    "account": $OWNER_JSON,
    "app_id": $APP_ID,
    "app_slug": "change-correlator",
    "target_id": $OWNER_ID,
    "target_type": "Organization",
    "repository_selection": "selected",
    "permissions": {"contents": "read", "metadata": "read", "pull_requests": "write", "issues": "write"},
    "events": ["push", "pull_request", "repository", "create", "delete"],
    "created_at": "$NOW",
    "updated_at": "$NOW"
  },
  "repositories": [
    {"id": $REPO_ID, "name": "$REPO", "full_name": "$FULL_NAME", "private": true}
  ],
  "requester": null,
  "sender": $SENDER
}
JSON

cat > "$WORK/push.json" <<JSON
{
  "ref": "refs/heads/$BRANCH",
  "before": "0000000000000000000000000000000000000000",
  "after": "$SHA2",
  "created": true,
  "deleted": false,
  "forced": false,
  "base_ref": null,
  "compare": "https://github.com/$FULL_NAME/compare/${BASE_SHA:0:12}...${SHA2:0:12}",
  "commits": [
    $COMMIT1,
    $COMMIT2
  ],
  "head_commit": $COMMIT2,
  "repository": $REPOSITORY,
  "pusher": {"name": "$DEV_LOGIN", "email": "$DEV_EMAIL"},
  "sender": $SENDER,
  "installation": {"id": $INSTALLATION_ID}
}
JSON

cat > "$WORK/pull_request.json" <<JSON
{
  "action": "opened",
  "number": $PR_NUMBER,
  "pull_request": {
    "id": $PR_ID,
    "number": $PR_NUMBER,
    "state": "open",
    "title": "Widget price calculator ($RUN)",
    "body": "Adds a price calculator for widgets.",
    "user": $SENDER,
    "draft": false,
    "html_url": "https://github.com/$FULL_NAME/pull/$PR_NUMBER",
    "head": {"label": "$OWNER:$BRANCH", "ref": "$BRANCH", "sha": "$SHA2", "repo": $REPO_REF},
    "base": {"label": "$OWNER:main", "ref": "main", "sha": "$BASE_SHA", "repo": $REPO_REF},
    "merged": false,
    "merge_commit_sha": null,
    "commits": 2,
    "created_at": "$NOW",
    "updated_at": "$NOW",
    "closed_at": null,
    "merged_at": null
  },
  "repository": $REPOSITORY,
  "sender": $SENDER,
  "installation": {"id": $INSTALLATION_ID}
}
JSON

# ----------------------------------------------------------- deliveries ---

section "Signed webhook deliveries (secret from QUARKUS_GITHUB_APP_WEBHOOK_SECRET or local default)"
echo "repository $FULL_NAME, branch $BRANCH, commits $SHA1 $SHA2, pull request #$PR_NUMBER"
for step in installation:installation push:push pull_request:pull_request; do
    deliver "${step%%:*}" "$WORK/${step#*:}.json"
    case "$STATUS" in
        2??) ;;
        *) PROBLEMS=$((PROBLEMS + 1)); pretty "$WORK/response" ;;
    esac
done

# Deliveries are stored before they are answered; the wait only covers a slow first request.
for _ in $(seq 1 40); do
    code="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 \
        -H "Authorization: Bearer $TOKEN" "$URL/api/v1/commits/$SHA1" 2>/dev/null)" || code=000
    [ "$code" = 200 ] && break
    sleep 0.5
done

# ------------------------------------------------------------ REST API ---

section "What the App recorded (REST API, Authorization: Bearer <first API token>)"
get "/api/v1/commits/$SHA1"
get "/api/v1/repos/$OWNER/$REPO/commits?limit=5"
get "/api/v1/repos/$OWNER/$REPO/pulls/$PR_NUMBER"
get "/api/v1/developers/$DEV_LOGIN"

# -------------------------------------------------- a forged delivery ---

section "A delivery signed with the wrong secret must be refused (expected HTTP 401)"
deliver pull_request "$WORK/pull_request.json" "not-the-webhook-secret"
case "$STATUS" in
    401) echo "refused, as expected" ;;
    4??) echo "refused, but with HTTP $STATUS instead of 401"; pretty "$WORK/response"; PROBLEMS=$((PROBLEMS + 1)) ;;
    2??) echo "ACCEPTED: the signature was not checked (is a webhook secret set?)"; PROBLEMS=$((PROBLEMS + 1)) ;;
    *) pretty "$WORK/response"; PROBLEMS=$((PROBLEMS + 1)) ;;
esac

echo
if [ "$PROBLEMS" -gt 0 ]; then
    echo "demo: finished with $PROBLEMS unexpected response(s)" >&2
    exit 1
fi
echo "demo: all responses as expected"
