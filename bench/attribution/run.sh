#!/usr/bin/env bash
# Attribution simulation: how well the packaged App links commits to the Codespaces they were
# made in. Builds the App of this repository (or takes APP_JAR), starts a fake GitHub (inside
# AttributionSimulation.java) and the App in prod mode against it on a fresh database
# correlator_sim, replays a seeded scenario in compressed real time, asks the App about every
# pushed commit and writes bench/attribution/RESULTS.md. See bench/attribution/README.md.
#
#   bench/attribution/run.sh                       # about 5 to 7 minutes with the defaults
#   SEED=7 DURATION=300 APP_JAR=/path/to/target/quarkus-app/quarkus-run.jar bench/attribution/run.sh
#
# Exit status: 0 every requirement met, 1 one missed (RESULTS.md is still written), 2 the run
# could not be done.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

SEED="${SEED:-1}"
DEVELOPERS="${DEVELOPERS:-60}"
CODESPACES="${CODESPACES:-180}"
REPOSITORIES="${REPOSITORIES:-8}"
POLLING_REPOSITORIES="${POLLING_REPOSITORIES:-3}"
ADVERSARIES="${ADVERSARIES:-3}"
DURATION="${DURATION:-240}"             # real seconds of scenario
SCALE="${SCALE:-2}"                     # real seconds per simulated minute
POLL_INTERVAL="${POLL_INTERVAL:-10}"    # seconds between the App's polls
INFERENCE_WINDOW="${INFERENCE_WINDOW:-30s}"
EVENTS_PER_MINUTE="${EVENTS_PER_MINUTE:-120}"
GITHUB_OUTAGE="${GITHUB_OUTAGE:-20}"    # seconds of 503 from GitHub's Codespaces and /user endpoints; 0: none
APP_PORT="${APP_PORT:-8095}"
GITHUB_PORT="${GITHUB_PORT:-0}"         # 0: any free port
APP_JAVA_OPTS="${APP_JAVA_OPTS:--Xms128m -Xmx256m}"
OUT="${OUT:-/tmp/attribution-sim/$(date +%Y%m%d-%H%M%S)}"
DB=correlator_sim

log() { printf 'attribution: %s\n' "$*" >&2; }
die() { printf 'attribution: error: %s\n' "$*" >&2; exit 2; }

RUN_STARTED=$(date +%s)
mkdir -p "$OUT"
log "output in $OUT"

APP_PID=""
SIM_PID=""
stop_all() {
    for pid in "$APP_PID" "$SIM_PID"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
        fi
    done
    for pid in "$APP_PID" "$SIM_PID"; do
        [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
    done
}
trap stop_all EXIT
trap 'exit 2' INT TERM

curl_ok() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }
curl_ok "http://127.0.0.1:$APP_PORT/q/health/ready" && die "port $APP_PORT is taken (set APP_PORT)"

# ---- PostgreSQL and a fresh database -------------------------------------------------------
CORRELATOR_DB_NAME="$DB" bash "$ROOT/deploy/run-local.sh" --db-only > "$OUT/postgres.log" 2>&1 \
    || die "PostgreSQL is not available (see $OUT/postgres.log)"
psql -w -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d postgres \
    -c "drop database if exists $DB with (force)" -c "create database $DB" \
    || die "could not recreate $DB"

# ---- the App ---------------------------------------------------------------------------------
BUILD_SECONDS=-1
if [ -n "${APP_JAR:-}" ]; then
    JAR="$(cd "$(dirname "$APP_JAR")" && pwd)/$(basename "$APP_JAR")"
    [ -f "$JAR" ] || die "APP_JAR $APP_JAR does not exist"
    APP_ROOT="$(cd "$(dirname "$JAR")/../.." && pwd)"
else
    log "building the App in $ROOT (mvn -B -q package -DskipTests)"
    b0=$(date +%s)
    (cd "$ROOT" && mvn -B -q package -DskipTests) > "$OUT/build.log" 2>&1 || die "the build failed (see $OUT/build.log)"
    BUILD_SECONDS=$(( $(date +%s) - b0 ))
    JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
    APP_ROOT="$ROOT"
fi
APP_COMMIT="$(git -C "$APP_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ "$APP_COMMIT" != unknown ] && ! git -C "$APP_ROOT" diff --quiet HEAD -- src pom.xml 2>/dev/null; then
    APP_COMMIT="$APP_COMMIT (with uncommitted changes)"
fi

# ---- the simulation and its fake GitHub ------------------------------------------------------
javac -d "$OUT/classes" "$HERE/AttributionSimulation.java" 2> "$OUT/javac.log" || die "javac failed (see $OUT/javac.log)"

# Per run, kept in memory and in the processes' environment only: never written to the repository.
APP_KEY="$(openssl genrsa 2048 2>/dev/null)"
WEBHOOK_SECRET="$(openssl rand -hex 20)"
API_TOKEN="$(openssl rand -hex 20)"

RERUN="SEED=$SEED DEVELOPERS=$DEVELOPERS CODESPACES=$CODESPACES REPOSITORIES=$REPOSITORIES POLLING_REPOSITORIES=$POLLING_REPOSITORIES ADVERSARIES=$ADVERSARIES DURATION=$DURATION SCALE=$SCALE POLL_INTERVAL=$POLL_INTERVAL INFERENCE_WINDOW=$INFERENCE_WINDOW EVENTS_PER_MINUTE=$EVENTS_PER_MINUTE GITHUB_OUTAGE=$GITHUB_OUTAGE bench/attribution/run.sh"

rm -f "$OUT/github.port"
java -cp "$OUT/classes" AttributionSimulation --out "$OUT" --port-file "$OUT/github.port" \
    --github-port "$GITHUB_PORT" --app-url "http://127.0.0.1:$APP_PORT" --secret "$WEBHOOK_SECRET" \
    --api-token "$API_TOKEN" --seed "$SEED" --developers "$DEVELOPERS" --codespaces "$CODESPACES" \
    --repositories "$REPOSITORIES" --polling-repositories "$POLLING_REPOSITORIES" --adversaries "$ADVERSARIES" \
    --duration "$DURATION" --scale "$SCALE" --poll-interval "$POLL_INTERVAL" --inference-window "$INFERENCE_WINDOW" \
    --events-per-minute "$EVENTS_PER_MINUTE" --outage "$GITHUB_OUTAGE" --app-log "$OUT/app.log" \
    --results "$HERE/RESULTS.md" --rerun "$RERUN" --app-commit "$APP_COMMIT" --build-seconds "$BUILD_SECONDS" \
    > "$OUT/simulation.log" 2>&1 &
SIM_PID=$!
for _ in $(seq 1 120); do
    [ -s "$OUT/github.port" ] && break
    kill -0 "$SIM_PID" 2>/dev/null || die "the simulation stopped early (see $OUT/simulation.log)"
    sleep 0.5
done
[ -s "$OUT/github.port" ] || die "the fake GitHub did not start (see $OUT/simulation.log)"
GITHUB_URL="http://127.0.0.1:$(cat "$OUT/github.port")"
log "fake GitHub at $GITHUB_URL; starting the App on :$APP_PORT ($JAR)"

env QUARKUS_GITHUB_APP_APP_ID=1 QUARKUS_GITHUB_APP_PRIVATE_KEY="$APP_KEY" \
    QUARKUS_GITHUB_APP_WEBHOOK_SECRET="$WEBHOOK_SECRET" \
    QUARKUS_GITHUB_APP_REST_API_ENDPOINT="$GITHUB_URL" QUARKUS_GITHUB_APP_INSTANCE_ENDPOINT="$GITHUB_URL" \
    CORRELATOR_API_TOKENS="$API_TOKEN" \
    QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$DB" QUARKUS_DATASOURCE_USERNAME=postgres \
    QUARKUS_HTTP_PORT="$APP_PORT" QUARKUS_HTTP_HOST=127.0.0.1 \
    CORRELATOR_CODESPACES_POLL_INTERVAL="${POLL_INTERVAL}s" CORRELATOR_CODESPACES_POLL_DELAY=2s \
    CORRELATOR_CODESPACES_INFERENCE_WINDOW="$INFERENCE_WINDOW" \
    CORRELATOR_CODESPACES_EVENTS_PER_MINUTE="$EVENTS_PER_MINUTE" \
    java $APP_JAVA_OPTS -jar "$JAR" > "$OUT/app.log" 2>&1 &
APP_PID=$!
unset APP_KEY

# The simulation waits for the App, runs the scenario, evaluates and writes RESULTS.md.
tail -n +1 -f "$OUT/simulation.log" --pid "$SIM_PID" >&2 &
SIM_STATUS=0
wait "$SIM_PID" || SIM_STATUS=$?
SIM_PID=""
if ! kill -0 "$APP_PID" 2>/dev/null; then
    log "the App is not running any more (see $OUT/app.log)"
fi
stop_all
APP_PID=""
log "the whole run took $(( $(date +%s) - RUN_STARTED )) s; RESULTS.md: $HERE/RESULTS.md; raw files: $OUT"
case "$SIM_STATUS" in
    0) log "every requirement met" ;;
    1) log "a requirement was missed (see RESULTS.md)" ;;
    *) log "the simulation failed (status $SIM_STATUS, see $OUT/simulation.log and $OUT/app.log)"; SIM_STATUS=2 ;;
esac
exit "$SIM_STATUS"
