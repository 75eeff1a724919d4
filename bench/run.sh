#!/usr/bin/env bash
# The benchmark, end to end: builds the App, the do-nothing App and the peer (a Probot app a
# team would write instead), measures webhook intake of the App and the peer in alternating
# runs on two workloads with the App's change-event spans exported to a local sink, runs the
# pgbench baseline, loads the App's database to 1,000,000 commits, measures the lookups, samples
# the servers' memory, and writes bench/RESULTS.md. Raw RESULT lines and logs go to bench/out/
# (git-ignored). About 15 minutes with the defaults.
#
#   bench/run.sh
#   DURATION=10 WARMUP=5 PAIRS=2 WORKLOADS="mixed small" SPANS=on COMMITS=1000000 bench/run.sh
#
# Needs: PostgreSQL on 127.0.0.1:5432 (user postgres, no password; deploy/run-local.sh
# --db-only starts or installs it), JDK 17, Maven, Node.js 20 with npm, pgbench, openssl,
# curl. Ports 8089 (App), 8090 (do-nothing App), 8091 (peer) and 8092 (span sink) must be
# free. All load goes to 127.0.0.1.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out"

# Intake: PAIRS alternating runs (App, then peer) per workload, each WARMUP s, then DURATION s.
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-5}"
PAIRS="${PAIRS:-2}"
CONCURRENCY="${CONCURRENCY:-16}"
WORKLOADS="${WORKLOADS:-mixed small}"
# on: the App exports its change-event spans (OTLP/HTTP) to bench/OtlpSink.java; off: no export.
SPANS="${SPANS:-on}"
NOOP_CONCURRENCIES="${NOOP_CONCURRENCIES:-16}"
COMMITS="${COMMITS:-1000000}"
LOOKUP_CONCURRENCY="${LOOKUP_CONCURRENCY:-16}"
LOOKUP_DURATION="${LOOKUP_DURATION:-15}"
LOOKUP_WARMUP="${LOOKUP_WARMUP:-10}"
# Requests per second offered in the paced lookups: latency at a known load, rather than at the
# saturation the closed-loop runs measure. The paced sha run is repeated LOOKUP_REPEATS times.
LOOKUP_RATE="${LOOKUP_RATE:-500}"
LOOKUP_REPEATS="${LOOKUP_REPEATS:-3}"
BRANCH_RATE="${BRANCH_RATE:-100}"
PGBENCH="${PGBENCH:-on}"
PGBENCH_CLIENTS="${PGBENCH_CLIENTS:-16}"
PR_SHARE="${PR_SHARE:-0.1}"
# Fresh bodies are made before each run and each is sent once; the pool holds POOL_RATE
# deliveries per second of warm-up and measurement.
POOL_RATE="${POOL_RATE:-1600}"
# The JVM options the App ships with (deploy/run-local.sh, the container image).
APP_JAVA_OPTS="${APP_JAVA_OPTS:--Xms128m -Xmx256m}"
# The JIT needs a while on two cores: each JVM server is warmed up this long before it is
# measured (after one measured "first run after start"); the peer (Node.js) PEER_WARMUP s.
JIT_WARMUP="${JIT_WARMUP:-45}"
PEER_WARMUP="${PEER_WARMUP:-15}"
PEER_POOL="${PEER_POOL:-16}"
# Extra options for node running the peer, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
PEER_NODE_OPTS="${PEER_NODE_OPTS:-}"
APP_PORT=8089
NOOP_PORT=8090
PEER_PORT=8091
SINK_PORT=8092
APP_DB=correlator_bench
PEER_DB=correlator_bench_peer
PGBENCH_DB=correlator_pgbench
SECRET=bench-secret
TOKEN=bench-token
APP_URL="http://127.0.0.1:$APP_PORT"
NOOP_URL="http://127.0.0.1:$NOOP_PORT"
PEER_URL="http://127.0.0.1:$PEER_PORT"
SINK_URL="http://127.0.0.1:$SINK_PORT"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

for tool in java javac mvn node npm psql pgbench openssl curl awk; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done
case "$SPANS" in on|off) ;; *) die "SPANS is on or off" ;; esac

rm -rf "$OUT"
mkdir -p "$OUT"
exec > >(tee "$OUT/run.log") 2>&1
RUN_STARTED=$(date +%s)
log "repository $ROOT; DURATION=$DURATION WARMUP=$WARMUP PAIRS=$PAIRS WORKLOADS=\"$WORKLOADS\" SPANS=$SPANS COMMITS=$COMMITS"

# ---- processes this script starts, and their clean-up ------------------------------------
APP_PID=""
NOOP_PID=""
PEER_PID=""
SINK_PID=""
SAMPLER_PID=""
stop_sampler() {
    if [ -n "$SAMPLER_PID" ]; then
        kill "$SAMPLER_PID" 2>/dev/null || true
        wait "$SAMPLER_PID" 2>/dev/null || true
        SAMPLER_PID=""
    fi
}
stop_pid() { # PID: TERM, up to 10 s, then KILL
    local pid="$1"
    [ -n "$pid" ] || return 0
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
stop_all() {
    stop_sampler
    stop_pid "$APP_PID"; APP_PID=""
    stop_pid "$NOOP_PID"; NOOP_PID=""
    stop_pid "$PEER_PID"; PEER_PID=""
    stop_pid "$SINK_PID"; SINK_PID=""
}
trap stop_all EXIT
trap 'exit 130' INT TERM

port_free() { ! curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/"; }
for port in "$APP_PORT" "$NOOP_PORT" "$PEER_PORT" "$SINK_PORT"; do
    port_free "$port" || die "port $port is in use; stop what runs there first"
done

# ---- CPU and memory accounting -----------------------------------------------------------
# The load generator accounts for the CPU of its measured phases itself (--server-pid,
# --databases). For pgbench and the idle check: one line of jiffies: the machine's total and
# idle, and PostgreSQL's (this run's backends plus the shared processes' own time; backends of
# other databases, and backends that exit during the phase, count as "other").
cpu_snapshot() { # [PID of the load generator, e.g. pgbench]: "total idle generator", then "pid ticks" lines
    local total idle irq gen=0 p stat rest fields cmd
    read -r _ a b c d e f g h _ < /proc/stat
    total=$((a + b + c + d + e + f + g + h))
    idle=$((d + e))
    irq=$((f + g))
    # Builtins only (no process per /proc entry), so that a snapshot is quick and light.
    if [ -n "${1:-}" ] && read -r stat 2>/dev/null < "/proc/$1/stat"; then
        rest="${stat##*) }"
        read -r -a fields <<< "$rest"
        gen=$((fields[11] + fields[12]))
    fi
    echo "$total $idle $gen $irq"
    for p in /proc/[0-9]*; do
        read -r stat 2>/dev/null < "$p/stat" || continue
        case "$stat" in *" (postgres) "*) ;; *) continue ;; esac
        rest="${stat##*) }"
        read -r -a fields <<< "$rest"
        cmd=""
        IFS= read -r -d '' cmd 2>/dev/null < "$p/cmdline" || true
        case "$cmd" in
            "postgres: "*"("[0-9]*")"*) # a client backend: only this run's databases
                case "$cmd" in *" $APP_DB "*|*" $PGBENCH_DB "*|*" $PEER_DB "*) ;; *) continue ;; esac ;;
        esac
        echo "${p#/proc/} $((fields[11] + fields[12]))"
    done
}

# cpu_line NAME BEFORE AFTER: "name busy server postgres generator other" (cores) into cpu.txt.
# PostgreSQL's time is summed per process over those alive at the end (a process that exited
# during the phase is not counted; one that started counts from zero).
cpu_line() {
    { echo "$2"; echo "--"; echo "$3"; } | awk -v name="$1" -v cores="$(nproc)" '
        $0 == "--" { after = 1; line = 0; next }
        { line++ }
        !after && line == 1 { t0 = $1; i0 = $2; g0 = $3; k0 = $4; next }
        !after { before[$1] = $2; next }
        after && line == 1 { t1 = $1; i1 = $2; g1 = $3; k1 = $4; next }
        after { d = $2 - ($1 in before ? before[$1] : 0); if (d < 0) d = $2; pg += d }
        END {
            t = t1 - t0; if (t <= 0) t = 1
            busy = (t - (i1 - i0)) / t * cores; p = pg / t * cores; gen = (g1 - g0) / t * cores
            other = busy - p - gen - (k1 - k0) / t * cores; if (other < 0) other = 0
            printf "%s %.2f 0.00 %.2f %.2f %.2f\n", name, busy, p, gen, other
        }' >> "$OUT/cpu.txt"
}

# cpu_from_result NAME: the same line from a RESULT
cpu_from_result() {
    local n="$1"
    echo "$n $(json_field "$OUT/$n.result" cpuBusy) $(json_field "$OUT/$n.result" cpuServer)" \
        "$(json_field "$OUT/$n.result" cpuPostgres) $(json_field "$OUT/$n.result" cpuGenerator)" \
        "$(json_field "$OUT/$n.result" cpuOther)" >> "$OUT/cpu.txt"
}

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

start_sampler() { # PID FILE: VmRSS every 200 ms
    local pid="$1" file="$2"
    ( while kill -0 "$pid" 2>/dev/null; do rss_kb "$pid"; sleep 0.2; done ) > "$file" &
    SAMPLER_PID=$!
}
max_of() { sort -n "$1" | tail -n 1; }
rss_at_rest() { # PID: the highest of five samples over one second, in kB
    local pid="$1" best=0 v
    for _ in 1 2 3 4 5; do
        v="$(rss_kb "$pid")"
        [ "$v" -gt "$best" ] && best="$v"
        sleep 0.2
    done
    echo "$best"
}
mb() { awk -v kb="$1" 'BEGIN { printf "%.0f", kb / 1024 }'; }

# Is anything else busy on the machine? Three seconds before we start.
before="$(cpu_snapshot)"
sleep 3
after="$(cpu_snapshot)"
cpu_line idle-before-run "$before" "$after"
log "machine before the run: $(tail -n 1 "$OUT/cpu.txt")"


# ---- PostgreSQL and the scratch databases ------------------------------------------------
CORRELATOR_DB_NAME="$APP_DB" bash "$ROOT/deploy/run-local.sh" --db-only
PSQL=(psql -w -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p 5432 -U postgres)
for db in "$APP_DB" "$PEER_DB" "$PGBENCH_DB"; do
    "${PSQL[@]}" -d postgres -c "drop database if exists $db with (force)" -c "create database $db"
done

# ---- builds ------------------------------------------------------------------------------
log "building the App (mvn -B -q clean package -DskipTests)"
t=$(date +%s)
(cd "$ROOT" && mvn -B -q clean package -DskipTests) > "$OUT/build-app.log" 2>&1 || { tail -n 50 "$OUT/build-app.log"; die "App build failed"; }
log "building the do-nothing App"
(cd "$BENCH/noop-app" && mvn -B -q package -DskipTests) > "$OUT/build-noop.log" 2>&1 || { tail -n 50 "$OUT/build-noop.log"; die "noop build failed"; }
log "installing the peer's packages (npm ci in bench/peer)"
(cd "$BENCH/peer" && npm ci --no-audit --no-fund) > "$OUT/build-peer.log" 2>&1 || { tail -n 50 "$OUT/build-peer.log"; die "npm ci failed"; }
mkdir -p "$OUT/classes"
javac -d "$OUT/classes" "$BENCH/load/LoadGenerator.java" "$BENCH/OtlpSink.java"
BUILD_SECONDS=$(( $(date +%s) - t ))
# Parallel GC: the pool of pre-generated bodies (up to a few hundred MB) stays put instead of
# being marked concurrently on the cores the servers need.
GEN=(java -XX:+UseParallelGC -Xmn256m -Xms512m -Xmx3g -cp "$OUT/classes" LoadGenerator)

# A throwaway App key, in memory only.
KEY="$(openssl genrsa 2048 2>/dev/null)"
[ -n "$KEY" ] || die "openssl genrsa failed"

wait_for() { # URL SECONDS PID [any]: until the URL answers 200 (or anything, with "any")
    local i code
    for i in $(seq 1 $(( $2 * 5 ))); do
        code="$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$1" || true)"
        if [ "$code" = 200 ] || { [ "${4:-}" = any ] && [ "$code" != 000 ]; }; then return 0; fi
        kill -0 "$3" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}

# Signed and wrongly signed deliveries: URL; prints "GOOD BAD"
check_signatures() {
    local url="$1" good bad
    "${GEN[@]}" sample --event push --commits 2 --secret "$SECRET" > "$OUT/sample-push.json" 2> "$OUT/sample-push.sig"
    good=$(curl -s -o "$OUT/check-good.txt" -w '%{http_code}' -X POST "$url" -H 'Content-Type: application/json' \
        -H 'X-GitHub-Event: push' -H "X-GitHub-Delivery: $(cat /proc/sys/kernel/random/uuid)" \
        -H "X-Hub-Signature-256: $(cat "$OUT/sample-push.sig")" --data-binary @"$OUT/sample-push.json")
    bad=$(curl -s -o "$OUT/check-bad.txt" -w '%{http_code}' -X POST "$url" -H 'Content-Type: application/json' \
        -H 'X-GitHub-Event: push' -H "X-GitHub-Delivery: $(cat /proc/sys/kernel/random/uuid)" \
        -H "X-Hub-Signature-256: sha256=$(printf '0%.0s' $(seq 1 64))" --data-binary @"$OUT/sample-push.json")
    log "$url: signed delivery -> $good, wrongly signed -> $bad"
    [ "$good" = 200 ] || die "$url answered $good to a signed delivery: $(cat "$OUT/check-good.txt")"
    case "$bad" in 400|401) ;; *) die "$url answered $bad to a wrongly signed delivery" ;; esac
    echo "$good $bad"
}

json_field() { # FILE FIELD: a number or string field of a RESULT line
    sed -n 's/.*"'"$2"'":"\{0,1\}\([^,}"]*\).*/\1/p' "$1" | head -n 1
}

# run_intake NAME URL PATH CONCURRENCY PID DATABASE [extra args]: one measured intake run
run_intake() {
    local name="$1" url="$2" path="$3" c="$4" pid="$5" db="$6"
    shift 6
    start_sampler "$pid" "$OUT/rss-$name.txt"
    "${GEN[@]}" intake --url "$url" --path "$path" --secret "$SECRET" --concurrency "$c" \
        --duration "$DURATION" --warmup "$WARMUP" --pr-share "$PR_SHARE" --seed "$RANDOM$c" --label "$name" \
        --server-pid "$pid" --databases "$db" "$@" \
        > "$OUT/$name.txt" 2> "$OUT/$name.err" || die "$name: the generator failed (see $OUT/$name.err)"
    stop_sampler
    grep '^RESULT ' "$OUT/$name.txt" | sed 's/^RESULT //' > "$OUT/$name.result"
    cpu_from_result "$name"
    log "$(head -n 2 "$OUT/$name.txt" | tr '\n' ' ')"
}

# Rows and index entries written, from PostgreSQL's statistics: per table (a TOAST table as
# TABLE.toast) "name inserted updated hot_updated indexes" (a HOT update adds no index entry).
table_writes() { # DATABASE
    sleep 2 # backends report their counts when idle, with a short delay
    "${PSQL[@]}" -At -F ' ' -d "$1" -c "select coalesce(t.relname || '.toast', s.relname), s.n_tup_ins, s.n_tup_upd,
            s.n_tup_hot_upd, (select count(*) from pg_index i where i.indrelid = s.relid)
       from pg_stat_all_tables s
       left join pg_class t on t.reltoastrelid = s.relid
      where s.schemaname = 'public' or t.relnamespace = 'public'::regnamespace"
}
# write_counts NAME BEFORE AFTER: per delivery (inserts into "delivery"), "NAME table inserted
# updated hot_updated index_entries indexes" for each table written, and "NAME total ... deliveries"
write_counts() {
    { echo "$2"; echo "--"; echo "$3"; } | awk -v name="$1" '
        $0 == "--" { after = 1; next }
        !after { ins0[$1] = $2; upd0[$1] = $3; hot0[$1] = $4; next }
        { i = $2 - ins0[$1]; u = $3 - upd0[$1]; h = $4 - hot0[$1]
          if (i + u > 0) { ins[$1] = i; upd[$1] = u - h; hot[$1] = h; e[$1] = (i + u - h) * $5; x[$1] = $5 } }
        $1 == "delivery" { d = $2 - ins0[$1] }
        END {
            if (d <= 0) d = 1
            for (t in ins) {
                printf "%s %s %.2f %.2f %.2f %.2f %d\n", name, t, ins[t] / d, upd[t] / d, hot[t] / d, e[t] / d, x[t]
                ti += ins[t]; tu += upd[t]; th += hot[t]; te += e[t]
            }
            printf "%s total %.2f %.2f %.2f %.2f %d\n", name, ti / d, tu / d, th / d, te / d, d
        }' | sort -k2,2 >> "$OUT/writes.txt"
}

# ---- 1. the do-nothing App (framework ceiling) -------------------------------------------
log "starting the do-nothing App on :$NOOP_PORT"
env QUARKUS_GITHUB_APP_APP_ID=1 QUARKUS_GITHUB_APP_PRIVATE_KEY="$KEY" QUARKUS_GITHUB_APP_WEBHOOK_SECRET="$SECRET" \
    QUARKUS_HTTP_PORT="$NOOP_PORT" QUARKUS_HTTP_HOST=127.0.0.1 \
    java $APP_JAVA_OPTS -jar "$BENCH/noop-app/target/quarkus-app/quarkus-run.jar" > "$OUT/noop-app.log" 2>&1 &
NOOP_PID=$!
wait_for "$NOOP_URL/" 60 "$NOOP_PID" any || die "the do-nothing App did not start (see $OUT/noop-app.log)"
NOOP_CHECK="$(check_signatures "$NOOP_URL/")"
NOOP_RSS_START="$(rss_at_rest "$NOOP_PID")"
log "warming the do-nothing App up ($JIT_WARMUP s at 16 connections, not measured)"
"${GEN[@]}" intake --url "$NOOP_URL" --path / --secret "$SECRET" --concurrency 16 --duration "$JIT_WARMUP" \
    --pr-share "$PR_SHARE" --recycle --label warm-up > "$OUT/intake-noop-warmup.txt" 2> "$OUT/intake-noop-warmup.err" \
    || die "warm-up failed"
for c in $NOOP_CONCURRENCIES; do
    run_intake "intake-noop-c$c" "$NOOP_URL" / "$c" "$NOOP_PID" "$APP_DB" --recycle
done
NOOP_RSS_MAX="$(cat "$OUT"/rss-intake-noop-c*.txt | sort -n | tail -n 1)"
stop_pid "$NOOP_PID"; NOOP_PID=""

# ---- 2. the App and the peer, alternating --------------------------------------------------
log "starting the span sink on :$SINK_PORT"
java -cp "$OUT/classes" OtlpSink "$SINK_PORT" > "$OUT/sink.log" 2>&1 &
SINK_PID=$!
wait_for "$SINK_URL/stats" 30 "$SINK_PID" || die "the span sink did not start (see $OUT/sink.log)"

# The App as deployed, with its change-event spans exported to the sink (SPANS=on). The
# exporter runs only where the queue workers are on, so they are on; GitHub's endpoints point
# at the sink, which answers 404, so that nothing leaves the machine. The GitHub queue worker
# polls once an hour: its jobs (a pull request's commits from GitHub, comments) are stored at
# intake as always, but their calls are not intake work and here could only fail and retry
# (a profile showed the retries taking 30% of the App's CPU).
start_app() {
    local spans=(CORRELATOR_OUTBOX_ENABLED=false)
    if [ "$SPANS" = on ]; then
        spans=(CORRELATOR_OUTBOX_ENABLED=true CORRELATOR_OUTBOX_POLL_INTERVAL=1h
               CORRELATOR_TELEMETRY_ENDPOINT="$SINK_URL/v1/traces")
    fi
    env QUARKUS_GITHUB_APP_APP_ID=1 QUARKUS_GITHUB_APP_PRIVATE_KEY="$KEY" QUARKUS_GITHUB_APP_WEBHOOK_SECRET="$SECRET" \
        QUARKUS_GITHUB_APP_INSTANCE_ENDPOINT="$SINK_URL" QUARKUS_GITHUB_APP_REST_API_ENDPOINT="$SINK_URL" \
        CORRELATOR_API_TOKENS="$TOKEN" QUARKUS_LOG_LEVEL=WARN "${spans[@]}" \
        QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$APP_DB" QUARKUS_DATASOURCE_USERNAME=postgres \
        QUARKUS_HTTP_PORT="$APP_PORT" QUARKUS_HTTP_HOST=127.0.0.1 \
        java $APP_JAVA_OPTS -jar "$ROOT/target/quarkus-app/quarkus-run.jar" >> "$OUT/app.log" 2>&1 &
    APP_PID=$!
    wait_for "$APP_URL/q/health/ready" 90 "$APP_PID" || die "the App did not start (see $OUT/app.log)"
}
start_peer() {
    (cd "$BENCH/peer" && exec env APP_ID=1 PRIVATE_KEY="$KEY" WEBHOOK_SECRET="$SECRET" PORT="$PEER_PORT" HOST=127.0.0.1 \
        PGHOST=127.0.0.1 PGPORT=5432 PGUSER=postgres PGDATABASE="$PEER_DB" POOL_SIZE="$PEER_POOL" LOG_LEVEL=warn \
        node $PEER_NODE_OPTS server.js) >> "$OUT/peer.log" 2>&1 &
    PEER_PID=$!
    wait_for "$PEER_URL/" 60 "$PEER_PID" any || die "the peer did not start (see $OUT/peer.log)"
}
pool_for() { echo $(( POOL_RATE * (WARMUP + DURATION) )); }

log "starting the App on :$APP_PORT (spans $SPANS)"
start_app
APP_CHECK="$(check_signatures "$APP_URL/webhooks/github")"
APP_RSS_START="$(rss_at_rest "$APP_PID")"
log "starting the peer on :$PEER_PORT"
start_peer
PEER_CHECK="$(check_signatures "$PEER_URL/")"
PEER_RSS_START="$(rss_at_rest "$PEER_PID")"

# The first run after start, measured from the first request (no warm-up), then the warm-up
# that the compared runs get.
FIRST_WORKLOAD="${WORKLOADS%% *}"
w0="$WARMUP"; WARMUP=0
run_intake "first-app" "$APP_URL" /webhooks/github "$CONCURRENCY" "$APP_PID" "$APP_DB" --workload "$FIRST_WORKLOAD" --pool "$(pool_for)"
run_intake "first-peer" "$PEER_URL" / "$CONCURRENCY" "$PEER_PID" "$PEER_DB" --workload "$FIRST_WORKLOAD" --pool "$(pool_for)"
WARMUP="$w0"
log "warming the App up ($JIT_WARMUP s) and the peer ($PEER_WARMUP s) at $CONCURRENCY connections, not measured"
"${GEN[@]}" intake --url "$APP_URL" --secret "$SECRET" --concurrency "$CONCURRENCY" --duration "$JIT_WARMUP" \
    --pr-share "$PR_SHARE" --label warm-up > "$OUT/intake-app-warmup.txt" 2> "$OUT/intake-app-warmup.err" \
    || die "warm-up failed"
"${GEN[@]}" intake --url "$PEER_URL" --path / --secret "$SECRET" --concurrency "$CONCURRENCY" --duration "$PEER_WARMUP" \
    --pr-share "$PR_SHARE" --label warm-up > "$OUT/intake-peer-warmup.txt" 2> "$OUT/intake-peer-warmup.err" \
    || die "warm-up failed"
sleep 3
APP_RSS_REST="$(rss_at_rest "$APP_PID")"

deadlocks() { "${PSQL[@]}" -At -d postgres -c "select deadlocks from pg_stat_database where datname = '$APP_DB'"; }
sink_field() { curl -s --max-time 5 "$SINK_URL/stats" | sed -n 's/.*"'"$1"'":\([0-9]*\).*/\1/p'; }
SINK_REQUESTS0="$(sink_field requests)"
SINK_BYTES0="$(sink_field bytes)"
: > "$OUT/writes.txt"
for w in $WORKLOADS; do
    app_before="$(table_writes "$APP_DB")"
    peer_before="$(table_writes "$PEER_DB")"
    for i in $(seq 1 "$PAIRS"); do
        d0="$(deadlocks)"
        run_intake "intake-$w-app-$i" "$APP_URL" /webhooks/github "$CONCURRENCY" "$APP_PID" "$APP_DB" --workload "$w" --pool "$(pool_for)"
        sleep 1 # the statistics collector reports with a short delay
        echo "intake-$w-app-$i $(( $(deadlocks) - d0 ))" >> "$OUT/deadlocks.txt"
        run_intake "intake-$w-peer-$i" "$PEER_URL" / "$CONCURRENCY" "$PEER_PID" "$PEER_DB" --workload "$w" --pool "$(pool_for)"
    done
    write_counts "app-$w" "$app_before" "$(table_writes "$APP_DB")"
    write_counts "peer-$w" "$peer_before" "$(table_writes "$PEER_DB")"
done
# What the exporter sent while the compared runs went on, and what it still had to send after.
sleep 5
SINK_REQUESTS=$(( $(sink_field requests) - SINK_REQUESTS0 ))
SINK_BYTES=$(( $(sink_field bytes) - SINK_BYTES0 ))
SINK_REFUSED="$(sink_field refused)"
SPAN_STATES="$("${PSQL[@]}" -At -F ' ' -d "$APP_DB" -c "select status, count(*) from span_outbox group by 1 order by 1" | tr '\n' ';')"
APP_INTAKE_COMMITS="$("${PSQL[@]}" -At -d "$APP_DB" -c "select count(*) from git_commit")"
APP_INTAKE_DELIVERIES="$("${PSQL[@]}" -At -d "$APP_DB" -c "select count(*) from delivery")"
PEER_INTAKE_DELIVERIES="$("${PSQL[@]}" -At -d "$PEER_DB" -c "select count(*) from delivery")"
# Leave out the startup notice and the refusal of the check's wrongly signed delivery.
# The queue workers' failed calls to GitHub (the sink answers 404) are counted apart.
grep -E ' (ERROR|WARN) ' "$OUT/app.log" | grep -v -e 'outbox worker is off' -e 'Refused delivery' \
    -e 'OutboxWorker' > "$OUT/app-warnings.txt" || true
APP_FAILED_LOGS="$(wc -l < "$OUT/app-warnings.txt")"
APP_GITHUB_FAILURES="$(grep -c 'OutboxWorker' "$OUT/app.log" || true)"
stop_pid "$APP_PID"; APP_PID=""
stop_pid "$PEER_PID"; PEER_PID=""

if [ "$PGBENCH" = on ]; then
# ---- 3. PostgreSQL alone (database ceiling) ----------------------------------------------
log "pgbench: preparing $PGBENCH_DB"
# The App's migrations in Flyway's order (V1, V2, ...), then the bench tables.
MIGRATIONS=()
while IFS= read -r m; do MIGRATIONS+=(-f "$m"); done < <(ls "$ROOT"/src/main/resources/db/migration/V*__*.sql | sort -V)
"${PSQL[@]}" -d "$PGBENCH_DB" "${MIGRATIONS[@]}" -f "$BENCH/pgbench/setup.sql" > "$OUT/pgbench-setup.log"
"${GEN[@]}" payloads --count 200 --commits 10 --out "$OUT/pgbench-payloads.sql" 2>> "$OUT/pgbench-setup.log"
"${PSQL[@]}" -d "$PGBENCH_DB" -f "$OUT/pgbench-payloads.sql" >> "$OUT/pgbench-setup.log"
PGB=(pgbench -h 127.0.0.1 -p 5432 -U postgres -n -M prepared -D payloads=200 -c "$PGBENCH_CLIENTS" -j 2
     -f "$BENCH/pgbench/intake.sql")
log "pgbench: warm-up $WARMUP s, then $DURATION s at $PGBENCH_CLIENTS clients"
"${PGB[@]}" -T "$WARMUP" "$PGBENCH_DB" > "$OUT/pgbench-warmup.txt" 2>&1
# CPU is sampled inside the run (from 2 s in to 3 s before the end), while pgbench's backends exist.
"${PGB[@]}" -T "$DURATION" -l --log-prefix="$OUT/pgbench-log" "$PGBENCH_DB" > "$OUT/pgbench.txt" 2>&1 &
PGB_PID=$!
sleep 2
before="$(cpu_snapshot "$PGB_PID")"
sleep "$(( DURATION > 6 ? DURATION - 5 : 1 ))"
after="$(cpu_snapshot "$PGB_PID")"
wait "$PGB_PID" || die "pgbench failed (see $OUT/pgbench.txt)"
cpu_line pgbench-c"$PGBENCH_CLIENTS" "$before" "$after"
grep -E 'tps|latency|failed|processed' "$OUT/pgbench.txt" >&2
PGB_TPS="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$OUT/pgbench.txt" | awk '{ printf "%.1f", $1 }')"
PGB_FAILED="$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$OUT/pgbench.txt")"
# Per-transaction latencies (microseconds, third column) from the logs.
cat "$OUT"/pgbench-log.* | awk '{print $3}' | sort -n > "$OUT/pgbench-latencies.txt"
read -r PGB_N PGB_AVG PGB_SD PGB_P50 PGB_P90 PGB_P99 PGB_MAX < <(awk '
    { v[NR] = $1; s += $1; ss += $1 * $1 }
    function p(q,  i) { i = int(q * NR + 0.999999); if (i < 1) i = 1; return v[i] / 1000 }
    END { m = s / NR; printf "%d %.3f %.3f %.3f %.3f %.3f %.3f\n", NR, m / 1000, sqrt(ss / NR - m * m) / 1000,
          p(0.50), p(0.90), p(0.99), v[NR] / 1000 }' "$OUT/pgbench-latencies.txt")
rm -f "$OUT"/pgbench-log.*

fi

# ---- 4. 1,000,000 commits, then lookups --------------------------------------------------
log "bulk-loading $APP_DB to $COMMITS commits"
t=$(date +%s)
"${GEN[@]}" world-sql --out "$OUT/world.sql"
"${PSQL[@]}" -d "$APP_DB" -v target="$COMMITS" -f "$OUT/world.sql" -f "$BENCH/load/bulk-load.sql" > "$OUT/bulk-load.log" 2>&1 \
    || { cat "$OUT/bulk-load.log"; die "bulk load failed"; }
BULK_SECONDS=$(( $(date +%s) - t ))
STORED_COMMITS="$("${PSQL[@]}" -At -d "$APP_DB" -c "select count(*) from git_commit")"
STORED_BRANCH_ROWS="$("${PSQL[@]}" -At -d "$APP_DB" -c "select count(*) from branch_commit")"
BRANCH_SIZES="$("${PSQL[@]}" -At -F ' ' -d "$APP_DB" -c "select max(n) filter (where branch = 'main'),
      max(n) filter (where branch <> 'main'), percentile_disc(0.5) within group (order by n)
      from (select branch, count(*) as n from branch_commit where left_at is null group by repository_id, branch) x")"
DB_SIZE="$("${PSQL[@]}" -At -d "$APP_DB" -c "select pg_size_pretty(pg_database_size(current_database()))")"
"${PSQL[@]}" -At -d "$APP_DB" -c "select sha from git_commit order by random() limit 10000" > "$OUT/lookup-shas.txt"
"${PSQL[@]}" -At -d "$APP_DB" -c "select r.full_name || ' ' || b.branch
      from (select distinct repository_id, branch from branch_commit where left_at is null) b
      join repository r on r.id = b.repository_id order by 1" > "$OUT/lookup-branches.txt"
log "stored $STORED_COMMITS commits in ${BULK_SECONDS}s; $(wc -l < "$OUT/lookup-branches.txt") branches"

log "restarting the App"
start_app
APP_RSS_REST_1M="$(rss_at_rest "$APP_PID")"
run_lookup() { # NAME KIND RATE [extra args]: RATE 0 is a closed loop
    local name="$1" kind="$2" rate="$3" input="$OUT/lookup-shas.txt"
    shift 3
    [ "$kind" = branch ] && input="$OUT/lookup-branches.txt"
    start_sampler "$APP_PID" "$OUT/rss-$name.txt"
    "${GEN[@]}" lookup --url "$APP_URL" --token "$TOKEN" --concurrency "$LOOKUP_CONCURRENCY" --kind "$kind" \
        --input "$input" --duration "$LOOKUP_DURATION" --warmup "$WARMUP" --rate "$rate" \
        --server-pid "$APP_PID" --databases "$APP_DB" "$@" \
        > "$OUT/$name.txt" 2> "$OUT/$name.err" || die "$name failed (see $OUT/$name.err)"
    stop_sampler
    grep '^RESULT ' "$OUT/$name.txt" | sed 's/^RESULT //' > "$OUT/$name.result"
    cpu_from_result "$name"
    log "$(head -n 2 "$OUT/$name.txt" | tr '\n' ' ')"
}
# The restarted App compiles its read paths and its connections prepare their statements
# first: without this the first measured kind pays for it and the others look cheaper.
log "warming the lookups up ($LOOKUP_WARMUP s for each kind, not measured)"
for kind in sha prefix branch; do
    input="$OUT/lookup-shas.txt"
    [ "$kind" = branch ] && input="$OUT/lookup-branches.txt"
    "${GEN[@]}" lookup --url "$APP_URL" --token "$TOKEN" --concurrency "$LOOKUP_CONCURRENCY" --kind "$kind" \
        --input "$input" --duration "$LOOKUP_WARMUP" > "$OUT/lookup-$kind-warmup.txt" 2>&1 || die "lookup warm-up failed"
done
for kind in sha prefix branch; do
    run_lookup "lookup-$kind-c$LOOKUP_CONCURRENCY" "$kind" 0
done
for i in $(seq 1 "$LOOKUP_REPEATS"); do
    run_lookup "lookup-sha-paced-$i" sha "$LOOKUP_RATE"
done
run_lookup "lookup-prefix-paced" prefix "$LOOKUP_RATE"
run_lookup "lookup-branch-paced" branch "$BRANCH_RATE" --pages 1
APP_RSS_LOOKUP_MAX="$(cat "$OUT"/rss-lookup-*.txt | sort -n | tail -n 1)"
stop_pid "$APP_PID"; APP_PID=""
stop_pid "$SINK_PID"; SINK_PID=""

# ---- RESULTS.md --------------------------------------------------------------------------
RUN_SECONDS=$(( $(date +%s) - RUN_STARTED ))
f() { json_field "$OUT/$1.result" "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
cpu_col() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$OUT/cpu.txt"; }
per_delivery_ms() { # cores, rate -> CPU milliseconds per request
    awk -v c="$1" -v r="$2" 'BEGIN { if (r > 0) printf "%.2f", c / r * 1000; else print "n/a" }'; }
yes_no() { if [ "$1" = 1 ]; then echo "**met**"; else echo "**missed**"; fi; }
mean_of() { # FIELD NAME...: the mean of a field over runs
    local field="$1" n v sum=0 count=0
    shift
    for n in "$@"; do
        v="$(f "$n" "$field")"
        [ -n "$v" ] || continue
        sum="$(awk -v s="$sum" -v v="$v" 'BEGIN { print s + v }')"
        count=$((count + 1))
    done
    awk -v s="$sum" -v c="$count" 'BEGIN { if (c > 0) printf "%.1f", s / c; else print "n/a" }'
}
sum_of() { local field="$1" n s=0; shift; for n in "$@"; do s=$(( s + $(f "$n" "$field") )); done; echo "$s"; }
runs_of() { local w="$1" who="$2" i; for i in $(seq 1 "$PAIRS"); do echo "intake-$w-$who-$i"; done; }
median3() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
rss_max() { cat "$@" 2>/dev/null | sort -n | tail -n 1; }

row() { # NAME LABEL
    local n="$1"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$2" "$(f "$n" concurrency)" "$(f "$n" perSecond)" \
        "$(f "$n" p50)" "$(f "$n" p90)" "$(f "$n" p99)" "$(f "$n" max)" "$(f "$n" errors)" "$(f "$n" count)"
}

SHA_P99_MEDIAN="$(for i in $(seq 1 "$LOOKUP_REPEATS"); do f "lookup-sha-paced-$i" p99; done | median3)"
APP_RSS_INTAKE_MAX="$(rss_max "$OUT"/rss-intake-*-app-*.txt "$OUT"/rss-first-app.txt)"
PEER_RSS_INTAKE_MAX="$(rss_max "$OUT"/rss-intake-*-peer-*.txt "$OUT"/rss-first-peer.txt)"

RESULTS="$BENCH/RESULTS.md"
{
    echo "# Benchmark results"
    echo
    echo "Written by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)\`$(git -C "$ROOT" diff --quiet -- . ':!bench/RESULTS.md' 2>/dev/null || echo ' (with uncommitted changes)'). The whole run took $((RUN_SECONDS / 60)) min $((RUN_SECONDS % 60)) s (builds ${BUILD_SECONDS} s, bulk load ${BULK_SECONDS} s)."
    echo
    echo "**Rerun:** \`DURATION=$DURATION WARMUP=$WARMUP PAIRS=$PAIRS CONCURRENCY=$CONCURRENCY WORKLOADS=\"$WORKLOADS\" SPANS=$SPANS COMMITS=$COMMITS LOOKUP_RATE=$LOOKUP_RATE BRANCH_RATE=$BRANCH_RATE bench/run.sh\`"
    echo "(these are the values used; all have defaults, see \`bench/README.md\`). Raw RESULT lines, logs and CPU"
    echo "accounting of this run are in \`bench/out/\`, which git ignores."
    echo
    echo "## Machine"
    echo
    echo "| | |"
    echo "| --- | --- |"
    echo "| CPU | $(nproc) × $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1) |"
    echo "| memory | $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1024 / 1024 }' /proc/meminfo) |"
    echo "| kernel | $(uname -sr) |"
    echo "| OS | $(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") |"
    echo "| Java | $(java -version 2>&1 | head -n 2 | tail -n 1) |"
    echo "| Node.js | $(node --version); probot $(node -p 'require("'"$BENCH"'/peer/node_modules/probot/package.json").version'), pg $(node -p 'require("'"$BENCH"'/peer/node_modules/pg/package.json").version') |"
    echo "| App JVM options | \`${APP_JAVA_OPTS:-none (JVM defaults: max heap 1/4 of RAM)}\` |"
    echo "| PostgreSQL | $("${PSQL[@]}" -At -d postgres -c "select version()" | cut -d, -f1); shared_buffers $("${PSQL[@]}" -At -d postgres -c "show shared_buffers"), synchronous_commit $("${PSQL[@]}" -At -d postgres -c "show synchronous_commit"), max_connections $("${PSQL[@]}" -At -d postgres -c "show max_connections") |"
    echo "| machine busy before the run | $(cpu_col idle-before-run 2) of $(nproc) cores (3 s sample, before anything of this run started) |"
    echo
    echo "Everything runs on this one machine: the load generator, the server measured and PostgreSQL"
    echo "share its $(nproc) cores. The CPU table below says who used them during each measurement."
    echo
    echo "## Webhook intake: the App against the peer"
    echo
    echo "The peer (\`bench/peer\`) is the app a team would write instead: Probot $(node -p 'require("'"$BENCH"'/peer/node_modules/probot/package.json").version') verifies the"
    echo "signature, then one transaction per delivery stores the delivery with its payload as jsonb"
    echo "and one row per commit (node-postgres pool of $PEER_POOL), and only then answers; its own database"
    echo "\`$PEER_DB\` on the same PostgreSQL. The App stores and projects each delivery before it answers"
    if [ "$SPANS" = on ]; then
        echo "and its change-event spans are exported (OTLP/HTTP, protobuf) to \`bench/OtlpSink.java\`, which only counts bytes."
    else
        echo "(span export off: SPANS=off)."
    fi
    echo
    echo "Workloads (\`LoadGenerator intake --workload\`): **mixed**: $(awk -v s="$PR_SHARE" 'BEGIN { printf "%.0f", (1 - s) * 100 }')% push (1 to 20 commits, full GitHub bodies,"
    echo "about 20 KB), $(awk -v s="$PR_SHARE" 'BEGIN { printf "%.0f", s * 100 }')% pull_request; **small**: pushes of 5 commits with one-line messages, about 4 KB."
    echo "Fresh shas and a new delivery id for every request. $CONCURRENCY connections; the runs alternate App, peer,"
    echo "App, peer ($PAIRS pairs per workload), each $WARMUP s warm-up then $DURATION s measured; latency in ms, request to 2xx."
    echo "Both servers were warmed up first (App $JIT_WARMUP s, peer $PEER_WARMUP s; see \"first run after start\" below)."
    echo
    echo "Checks: the App answered \`${APP_CHECK% *}\` to a signed delivery and \`${APP_CHECK#* }\` to a wrongly signed one; the peer \`${PEER_CHECK% *}\` and \`${PEER_CHECK#* }\`."
    echo
    echo "| workload | App deliveries/s | peer deliveries/s | App / peer | App p50 | peer p50 | App p99 | peer p99 | App errors | peer errors |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for w in $WORKLOADS; do
        mapfile -t a < <(runs_of "$w" app)
        mapfile -t p < <(runs_of "$w" peer)
        ar="$(mean_of perSecond "${a[@]}")"; pr="$(mean_of perSecond "${p[@]}")"
        echo "| $w | $ar | $pr | $(ratio "$ar" "$pr") | $(mean_of p50 "${a[@]}") | $(mean_of p50 "${p[@]}") | $(mean_of p99 "${a[@]}") | $(mean_of p99 "${p[@]}") | $(sum_of errors "${a[@]}") | $(sum_of errors "${p[@]}") |"
    done
    echo
    echo "Means over the $PAIRS runs of each. Every run:"
    echo
    echo "| run | connections | deliveries/s | p50 | p90 | p99 | max | errors | deliveries |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for w in $WORKLOADS; do
        for i in $(seq 1 "$PAIRS"); do
            row "intake-$w-app-$i" "$w, App, run $i"
            row "intake-$w-peer-$i" "$w, peer, run $i"
        done
    done
    echo
    echo "### First run after start"
    echo
    echo "Right after start, before any warm-up: $DURATION s of the $FIRST_WORKLOAD workload measured from the first request."
    echo
    echo "| run | connections | deliveries/s | p50 | p90 | p99 | max | errors | deliveries |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    row first-app "App, first $DURATION s"
    row first-peer "peer, first $DURATION s"
    echo
    echo "Server JIT during it (cores): App $(f first-app cpuServerJit), peer $(f first-peer cpuServerJit) (V8 compiles on its own threads; counted only for the JVM)."
    echo
    echo "### Span export"
    echo
    if [ "$SPANS" = on ]; then
        echo "While the compared runs went on, the sink received $SINK_REQUESTS export requests, $SINK_BYTES bytes"
        echo "($(awk -v b="$SINK_BYTES" -v d="$APP_INTAKE_DELIVERIES" 'BEGIN { if (d > 0) printf "%.0f", b / d; else print "n/a" }') bytes per delivery stored in the whole run). The span queue 5 s after the last run (status count;): \`$SPAN_STATES\`."
        echo "Requests to GitHub's endpoints (pointed at the sink, answered 404): $SINK_REFUSED."
    else
        echo "Off (SPANS=off)."
    fi
    echo
    echo "### Rows and index entries per delivery"
    echo
    echo "From PostgreSQL's statistics over the compared runs of each workload, divided by the"
    echo "deliveries stored: rows inserted, rows updated (a HOT update writes no index entry), and index"
    echo "entries: (inserted + non-HOT updated) × the table's indexes, a TOAST table's one index included."
    echo "A partial index gets an entry only for the rows its predicate admits, so for tables with one"
    echo "(git_commit's unresolved author and committer, branch_commit's commits that left, the queues'"
    echo "pending rows) the entry count is an upper bound. Updates include the span exporter's and the"
    echo "queue workers' (claim, then done)."
    echo
    echo "| who, workload | table | inserted | updated (non-HOT) | updated (HOT) | index entries, at most | indexes |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
    awk '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, ($2 == "total" ? "**total** (" $7 " deliveries)" : $2), $3, $4, $5, $6, ($2 == "total" ? "" : $7) }' "$OUT/writes.txt"
    echo
    echo "The App's database held $APP_INTAKE_COMMITS commits from $APP_INTAKE_DELIVERIES deliveries after these runs, the peer's"
    echo "$PEER_INTAKE_DELIVERIES deliveries (warm-ups included). WARN/ERROR lines in the App's log: $APP_FAILED_LOGS, besides $APP_GITHUB_FAILURES failed queue jobs (calls to GitHub, which the sink refuses)$( [ "$APP_FAILED_LOGS" -gt 0 ] && echo "; the first: \`$(head -n 1 "$OUT/app-warnings.txt" | cut -c1-200)\`")."
    echo
    echo "### Baselines"
    echo
    echo "Do-nothing GitHub App (\`bench/noop-app\`, quarkus-github-app, answers before its listener runs;"
    echo "checks: \`${NOOP_CHECK% *}\`/\`${NOOP_CHECK#* }\`; pool of mixed bodies cycled):"
    echo
    echo "| run | connections | deliveries/s | p50 | p90 | p99 | max | errors | deliveries |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for c in $NOOP_CONCURRENCIES; do row "intake-noop-c$c" "noop"; done
    echo
    if [ "$PGBENCH" = on ]; then
        echo "PostgreSQL alone: \`bench/pgbench/intake.sql\`, per transaction the App's statements for one push of 10"
        echo "commits (one delivery per transaction), \`-M prepared\`, $PGBENCH_CLIENTS clients, $WARMUP s warm-up, then $DURATION s."
        echo
        echo "| run | clients | transactions/s | avg | stddev | p50 | p90 | p99 | max | failed | transactions |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        echo "| pgbench | $PGBENCH_CLIENTS | $PGB_TPS | $PGB_AVG | $PGB_SD | $PGB_P50 | $PGB_P90 | $PGB_P99 | $PGB_MAX | $PGB_FAILED | $PGB_N |"
        echo
    fi
    echo "### Where the CPU went"
    echo
    echo "Cores used during each measured phase (of $(nproc)), from /proc: the server process (App, peer"
    echo "or do-nothing App), this run's PostgreSQL backends and shared processes, the load generator,"
    echo "and everything else (\"other\": other work on the machine, or short-lived processes)."
    echo
    echo "| phase | busy | server | PostgreSQL | generator | other | server CPU ms per request | PostgreSQL CPU ms per request |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    while read -r name busy server pg gen other; do
        [ "$name" = idle-before-run ] && continue
        case "$name" in
            pgbench*) rate="$PGB_TPS"; server_ms="n/a" ;;
            *) rate="$(f "$name" perSecond)"; server_ms="$(per_delivery_ms "$server" "${rate:-0}")" ;;
        esac
        printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$busy" "$server" "$pg" "$gen" "$other" \
            "$server_ms" "$(per_delivery_ms "$pg" "${rate:-0}")"
    done < "$OUT/cpu.txt"
    echo
    echo "## Lookups at $STORED_COMMITS commits"
    echo
    echo "The App's database after the intake runs, filled in bulk (\`bench/load/bulk-load.sql\`) to"
    echo "$STORED_COMMITS commits and $STORED_BRANCH_ROWS branch rows ($DB_SIZE), vacuumed and analyzed; the App was"
    echo "restarted. Inputs: 10,000 shas drawn at random from the table (prefix: their first 12"
    echo "characters) and the $(wc -l < "$OUT/lookup-branches.txt") branches (commits on a branch: median ${BRANCH_SIZES##* }, largest default"
    echo "branch $(echo "$BRANCH_SIZES" | cut -d' ' -f1)). A branch page is \`limit=100\`; the closed-loop branch run follows \`nextCursor\` for up"
    echo "to 3 pages, the paced one asks for first pages. $LOOKUP_CONCURRENCY connections, $WARMUP s warm-up, then $LOOKUP_DURATION s."
    echo "Every answered API request also writes its \`api_audit\` row."
    echo
    echo "| request | connections | requests/s | p50 | p90 | p99 | max | errors | requests |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    row "lookup-sha-c$LOOKUP_CONCURRENCY" "GET /api/v1/commits/{sha}, closed loop"
    row "lookup-prefix-c$LOOKUP_CONCURRENCY" "GET /api/v1/commits/{12-char prefix}, closed loop"
    row "lookup-branch-c$LOOKUP_CONCURRENCY" "GET /api/v1/repos/{o}/{r}/commits?branch=…&limit=100, closed loop"
    for i in $(seq 1 "$LOOKUP_REPEATS"); do
        row "lookup-sha-paced-$i" "sha at $LOOKUP_RATE/s offered, run $i"
    done
    row "lookup-prefix-paced" "prefix at $LOOKUP_RATE/s offered"
    row "lookup-branch-paced" "branch page at $BRANCH_RATE/s offered"
    echo
    echo "Closed loops measure the most the machine serves and the latency at that saturation"
    echo "(latency ≈ connections ÷ rate); paced runs offer a fixed rate over the same connections."
    echo
    echo "## Memory (resident set, VmRSS)"
    echo
    echo "| | MB |"
    echo "| --- | ---: |"
    echo "| do-nothing App, after start / highest during its runs | $(mb "$NOOP_RSS_START") / $(mb "$NOOP_RSS_MAX") |"
    echo "| App, after start | $(mb "$APP_RSS_START") |"
    echo "| App, at rest after its warm-up | $(mb "$APP_RSS_REST") |"
    echo "| App, highest during intake (200 ms samples) | $(mb "$APP_RSS_INTAKE_MAX") |"
    echo "| App, after restart with $STORED_COMMITS commits stored / highest during the lookups | $(mb "$APP_RSS_REST_1M") / $(mb "$APP_RSS_LOOKUP_MAX") |"
    echo "| peer, after start / highest during intake | $(mb "$PEER_RSS_START") / $(mb "$PEER_RSS_INTAKE_MAX") |"
    echo
    echo "## Targets"
    echo
    echo "| target | measured | |"
    echo "| --- | --- | --- |"
    for w in $WORKLOADS; do
        mapfile -t a < <(runs_of "$w" app)
        mapfile -t p < <(runs_of "$w" peer)
        ar="$(mean_of perSecond "${a[@]}")"; pr="$(mean_of perSecond "${p[@]}")"
        ap="$(mean_of p99 "${a[@]}")"; pp="$(mean_of p99 "${p[@]}")"; ae="$(sum_of errors "${a[@]}")"
        echo "| $w: App ≥ 1.5 × the peer's deliveries/s at $CONCURRENCY connections | $ar/s vs $pr/s (× $(ratio "$ar" "$pr")) | $(yes_no "$(awk -v a="$ar" -v b="$pr" 'BEGIN { print (b > 0 && a >= 1.5 * b) ? 1 : 0 }')") |"
        echo "| $w: App p99 no worse than the peer's | $ap ms vs $pp ms | $(yes_no "$(awk -v a="$ap" -v b="$pp" 'BEGIN { print (a <= b) ? 1 : 0 }')") |"
        echo "| $w: no error | $ae | $(yes_no "$([ "$ae" = 0 ] && echo 1 || echo 0)") |"
    done
    sr="$(f "lookup-sha-c$LOOKUP_CONCURRENCY" perSecond)"; xr="$(f "lookup-prefix-c$LOOKUP_CONCURRENCY" perSecond)"
    bp="$(f lookup-branch-paced p99)"
    echo "| sha lookup p99 < 5 ms at ≥ 1,000,000 commits, $LOOKUP_RATE/s offered (median of $LOOKUP_REPEATS runs) | $SHA_P99_MEDIAN ms at $STORED_COMMITS commits | $(yes_no "$(awk -v p="$SHA_P99_MEDIAN" -v n="$STORED_COMMITS" 'BEGIN { print (p < 5 && n >= 1000000) ? 1 : 0 }')") |"
    echo "| prefix lookup within 1.5 × a sha lookup (closed loop, requests/s) | $xr/s vs $sr/s (sha / prefix × $(ratio "$sr" "$xr")); paced p99 $(f lookup-prefix-paced p99) vs $SHA_P99_MEDIAN ms | $(yes_no "$(awk -v a="$sr" -v b="$xr" 'BEGIN { print (b > 0 && a <= 1.5 * b) ? 1 : 0 }')") |"
    echo "| branch page p99 < 20 ms at $BRANCH_RATE pages/s offered | $bp ms | $(yes_no "$(awk -v p="$bp" 'BEGIN { print (p != "" && p < 20) ? 1 : 0 }')") |"
    echo "| App RSS < 400 MB (highest during intake and lookups) | $(mb "$(printf '%s\n%s\n' "$APP_RSS_INTAKE_MAX" "$APP_RSS_LOOKUP_MAX" | sort -n | tail -n 1)") MB | $(yes_no "$(awk -v a="$APP_RSS_INTAKE_MAX" -v b="$APP_RSS_LOOKUP_MAX" 'BEGIN { m = a > b ? a : b; print (m > 0 && m < 400 * 1024) ? 1 : 0 }')") |"
    echo
    echo "## Observations (computed by the script)"
    echo
    notes=0
    note() { echo "- $*"; notes=$((notes + 1)); }
    idle_busy="$(cpu_col idle-before-run 2)"
    if awk -v b="$idle_busy" 'BEGIN { exit !(b > 0.2) }'; then
        note "The machine was not idle before the run: $idle_busy cores busy. Other work may have slowed every figure."
    fi
    while read -r name busy server pg gen other; do
        [ "$name" = idle-before-run ] && continue
        if awk -v o="$other" 'BEGIN { exit !(o > 0.3) }'; then
            note "During \`$name\`, $other cores went to processes this benchmark does not account for (other load on the machine, or short-lived processes such as parallel query workers)."
        fi
    done < "$OUT/cpu.txt"
    while read -r name count; do
        if [ "${count:-0}" -gt 0 ]; then
            note "PostgreSQL detected $count deadlocks in \`$APP_DB\` during \`$name\`."
        fi
    done < "$OUT/deadlocks.txt"
    for n in $(cd "$OUT" && ls -- *.result | sed 's/\.result$//'); do
        stalls="$(f "$n" generatorStalls)"
        if [ "${stalls:-0}" != 0 ]; then
            note "\`$n\` used up its pool of pre-generated bodies: $stalls bodies were made during the run. Raise POOL_RATE."
        fi
        e="$(f "$n" errors)"
        if [ "${e:-0}" != 0 ]; then
            note "\`$n\` had $e errors: $(sed -n 's/.*"errorsByStatus":\({[^}]*}\).*/\1/p' "$OUT/$n.result") (see \`bench/out/$n.err\`)."
        fi
    done
    [ "$notes" -gt 0 ] || echo "- Nothing unusual: no errors, no deadlocks, no other load on the machine."
} > "$RESULTS"
log "wrote $RESULTS (run took ${RUN_SECONDS}s)"
