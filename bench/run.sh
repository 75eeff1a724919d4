#!/usr/bin/env bash
# The benchmark, end to end: builds the App and the do-nothing App, measures webhook intake at
# 1, 16 and 64 connections against both, runs the pgbench baseline, loads the App's database
# to 1,000,000 commits, measures the lookups, samples the App's memory, and writes
# bench/RESULTS.md. Raw RESULT lines and logs go to bench/out/ (git-ignored).
#
#   bench/run.sh
#   DURATION=20 WARMUP=5 COMMITS=1000000 CONCURRENCIES="1 16 64" bench/run.sh
#
# Needs: PostgreSQL on 127.0.0.1:5432 (user postgres, no password; deploy/run-local.sh
# --db-only starts or installs it), JDK 17, Maven, pgbench, openssl, curl. Ports 8089 (App)
# and 8090 (do-nothing App) must be free. All load goes to 127.0.0.1.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
OUT="$BENCH/out"

DURATION="${DURATION:-20}"
WARMUP="${WARMUP:-10}"
COMMITS="${COMMITS:-1000000}"
CONCURRENCIES="${CONCURRENCIES:-1 16 64}"
LOOKUP_CONCURRENCY="${LOOKUP_CONCURRENCY:-16}"
# Requests per second offered by the 16 connections in the paced sha lookup run: latency at a
# known load, rather than at the saturation the other runs measure.
LOOKUP_RATE="${LOOKUP_RATE:-400}"
PGBENCH_CLIENTS="${PGBENCH_CLIENTS:-16}"
PR_SHARE="${PR_SHARE:-0.1}"
# The App's fresh bodies are made before each run and each is sent once; the pool holds
# POOL_RATE deliveries per second of warm-up and measurement (at 1 connection, half).
POOL_RATE="${POOL_RATE:-1600}"
# The JVM options the App ships with (deploy/run-local.sh, the container image).
APP_JAVA_OPTS="${APP_JAVA_OPTS:--Xms128m -Xmx256m}"
# The JIT needs a while on two cores: each server is warmed up this long before it is measured.
JIT_WARMUP="${JIT_WARMUP:-45}"
APP_PORT=8089
NOOP_PORT=8090
APP_DB=correlator_bench
PGBENCH_DB=correlator_pgbench
SECRET=bench-secret
TOKEN=bench-token
APP_URL="http://127.0.0.1:$APP_PORT"
NOOP_URL="http://127.0.0.1:$NOOP_PORT"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

for tool in java javac mvn psql pgbench openssl curl awk; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool not found"
done

rm -rf "$OUT"
mkdir -p "$OUT"
exec > >(tee "$OUT/run.log") 2>&1
RUN_STARTED=$(date +%s)
log "repository $ROOT; DURATION=$DURATION WARMUP=$WARMUP COMMITS=$COMMITS CONCURRENCIES=\"$CONCURRENCIES\""

# ---- processes this script starts, and their clean-up ------------------------------------
SERVER_PID=""
SAMPLER_PID=""
stop_sampler() {
    if [ -n "$SAMPLER_PID" ]; then
        kill "$SAMPLER_PID" 2>/dev/null || true
        wait "$SAMPLER_PID" 2>/dev/null || true
        SAMPLER_PID=""
    fi
}
stop_server() {
    stop_sampler
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.2
        done
        kill -9 "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

port_free() { ! curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/"; }
port_free "$APP_PORT" || die "port $APP_PORT is in use; stop what runs there first"
port_free "$NOOP_PORT" || die "port $NOOP_PORT is in use; stop what runs there first"

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
                case "$cmd" in *" $APP_DB "*|*" $PGBENCH_DB "*) ;; *) continue ;; esac ;;
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
for db in "$APP_DB" "$PGBENCH_DB"; do
    "${PSQL[@]}" -d postgres -c "drop database if exists $db with (force)" -c "create database $db"
done

# ---- builds ------------------------------------------------------------------------------
log "building the App (mvn -B -q clean package -DskipTests)"
t=$(date +%s)
(cd "$ROOT" && mvn -B -q clean package -DskipTests) > "$OUT/build-app.log" 2>&1 || { tail -n 50 "$OUT/build-app.log"; die "App build failed"; }
log "building the do-nothing App"
(cd "$BENCH/noop-app" && mvn -B -q package -DskipTests) > "$OUT/build-noop.log" 2>&1 || { tail -n 50 "$OUT/build-noop.log"; die "noop build failed"; }
mkdir -p "$OUT/classes"
javac -d "$OUT/classes" "$BENCH/load/LoadGenerator.java"
BUILD_SECONDS=$(( $(date +%s) - t ))
# Parallel GC: the pool of pre-generated bodies (up to a few hundred MB) stays put instead of
# being marked concurrently on the cores the servers need.
GEN=(java -XX:+UseParallelGC -Xmn256m -Xms512m -Xmx3g -cp "$OUT/classes" LoadGenerator)

# A throwaway App key, in memory only.
KEY="$(openssl genrsa 2048 2>/dev/null)"
[ -n "$KEY" ] || die "openssl genrsa failed"

wait_for() { # URL SECONDS [any]: until the URL answers 200 (or anything, with "any")
    local i code
    for i in $(seq 1 $(( $2 * 5 ))); do
        code="$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$1" || true)"
        if [ "$code" = 200 ] || { [ "${3:-}" = any ] && [ "$code" != 000 ]; }; then return 0; fi
        kill -0 "$SERVER_PID" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}

# Signed and wrongly signed deliveries: URL EXPECTED_BAD_STATUSES
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

# run_intake NAME URL PATH CONCURRENCY [extra args]: one measured intake run
run_intake() {
    local name="$1" url="$2" path="$3" c="$4"
    shift 4
    start_sampler "$SERVER_PID" "$OUT/rss-$name.txt"
    "${GEN[@]}" intake --url "$url" --path "$path" --secret "$SECRET" --concurrency "$c" \
        --duration "$DURATION" --warmup "$WARMUP" --pr-share "$PR_SHARE" --seed "$RANDOM$c" --label "$name" \
        --server-pid "$SERVER_PID" --databases "$APP_DB" "$@" \
        > "$OUT/$name.txt" 2> "$OUT/$name.err" || die "$name: the generator failed (see $OUT/$name.err)"
    stop_sampler
    grep '^RESULT ' "$OUT/$name.txt" | sed 's/^RESULT //' > "$OUT/$name.result"
    cpu_from_result "$name"
    log "$(head -n 2 "$OUT/$name.txt" | tr '\n' ' ')"
}

json_field() { # FILE FIELD: a number or string field of a RESULT line
    sed -n 's/.*"'"$2"'":"\{0,1\}\([^,}"]*\).*/\1/p' "$1" | head -n 1
}

# ---- 1. the do-nothing App (framework ceiling) -------------------------------------------
log "starting the do-nothing App on :$NOOP_PORT"
env QUARKUS_GITHUB_APP_APP_ID=1 QUARKUS_GITHUB_APP_PRIVATE_KEY="$KEY" QUARKUS_GITHUB_APP_WEBHOOK_SECRET="$SECRET" \
    QUARKUS_HTTP_PORT="$NOOP_PORT" QUARKUS_HTTP_HOST=127.0.0.1 \
    java $APP_JAVA_OPTS -jar "$BENCH/noop-app/target/quarkus-app/quarkus-run.jar" > "$OUT/noop-app.log" 2>&1 &
SERVER_PID=$!
wait_for "$NOOP_URL/" 60 any || die "the do-nothing App did not start (see $OUT/noop-app.log)"
NOOP_CHECK="$(check_signatures "$NOOP_URL/")"
NOOP_RSS_START="$(rss_at_rest "$SERVER_PID")"
log "warming the do-nothing App up ($JIT_WARMUP s at 16 connections, not measured)"
"${GEN[@]}" intake --url "$NOOP_URL" --path / --secret "$SECRET" --concurrency 16 --duration "$JIT_WARMUP" \
    --pr-share "$PR_SHARE" --recycle --label warm-up > "$OUT/intake-noop-warmup.txt" 2> "$OUT/intake-noop-warmup.err" \
    || die "warm-up failed"
for c in $CONCURRENCIES; do
    run_intake "intake-noop-c$c" "$NOOP_URL" / "$c" --recycle
done
NOOP_RSS_MAX="$(cat "$OUT"/rss-intake-noop-c*.txt | sort -n | tail -n 1)"
stop_server

# ---- 2. the App --------------------------------------------------------------------------
start_app() {
    env QUARKUS_GITHUB_APP_APP_ID=1 QUARKUS_GITHUB_APP_PRIVATE_KEY="$KEY" QUARKUS_GITHUB_APP_WEBHOOK_SECRET="$SECRET" \
        CORRELATOR_API_TOKENS="$TOKEN" CORRELATOR_OUTBOX_ENABLED=false QUARKUS_LOG_LEVEL=WARN \
        QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/$APP_DB" QUARKUS_DATASOURCE_USERNAME=postgres \
        QUARKUS_HTTP_PORT="$APP_PORT" QUARKUS_HTTP_HOST=127.0.0.1 \
        java $APP_JAVA_OPTS -jar "$ROOT/target/quarkus-app/quarkus-run.jar" >> "$OUT/app.log" 2>&1 &
    SERVER_PID=$!
    wait_for "$APP_URL/q/health/ready" 90 || die "the App did not start (see $OUT/app.log)"
}
log "starting the App on :$APP_PORT"
start_app
APP_CHECK="$(check_signatures "$APP_URL/webhooks/github")"
APP_RSS_START="$(rss_at_rest "$SERVER_PID")"
log "warming the App up ($JIT_WARMUP s at 16 connections, not measured)"
"${GEN[@]}" intake --url "$APP_URL" --secret "$SECRET" --concurrency 16 --duration "$JIT_WARMUP" \
    --pr-share "$PR_SHARE" --label warm-up > "$OUT/intake-app-warmup.txt" 2> "$OUT/intake-app-warmup.err" \
    || die "warm-up failed"
sleep 3
APP_RSS_REST="$(rss_at_rest "$SERVER_PID")"
deadlocks() { "${PSQL[@]}" -At -d postgres -c "select deadlocks from pg_stat_database where datname = '$APP_DB'"; }
for c in $CONCURRENCIES; do
    d0="$(deadlocks)"
    pool=$(( POOL_RATE * (WARMUP + DURATION) ))
    [ "$c" -gt 1 ] || pool=$(( pool / 2 ))
    run_intake "intake-app-c$c" "$APP_URL" /webhooks/github "$c" --pool "$pool"
    sleep 1 # the statistics collector reports with a short delay
    echo "intake-app-c$c $(( $(deadlocks) - d0 ))" >> "$OUT/deadlocks.txt"
done
APP_INTAKE_COMMITS="$("${PSQL[@]}" -At -d "$APP_DB" -c "select count(*) from git_commit")"
APP_INTAKE_DELIVERIES="$("${PSQL[@]}" -At -d "$APP_DB" -c "select count(*) from delivery")"
# Leave out the startup notice and the refusal of the wrongly signed delivery the check sent.
grep -E ' (ERROR|WARN) ' "$OUT/app.log" | grep -v -e 'outbox worker is off' -e 'Refused delivery' \
    > "$OUT/app-warnings.txt" || true
APP_FAILED_LOGS="$(wc -l < "$OUT/app-warnings.txt")"
stop_server

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
APP_RSS_REST_1M="$(rss_at_rest "$SERVER_PID")"
for kind in sha prefix branch; do
    input="$OUT/lookup-shas.txt"
    [ "$kind" = branch ] && input="$OUT/lookup-branches.txt"
    name="lookup-$kind-c$LOOKUP_CONCURRENCY"
    start_sampler "$SERVER_PID" "$OUT/rss-$name.txt"
    "${GEN[@]}" lookup --url "$APP_URL" --token "$TOKEN" --concurrency "$LOOKUP_CONCURRENCY" --kind "$kind" \
        --input "$input" --duration "$DURATION" --warmup "$WARMUP" --server-pid "$SERVER_PID" --databases "$APP_DB" \
        > "$OUT/$name.txt" 2> "$OUT/$name.err" || die "$name failed (see $OUT/$name.err)"
    stop_sampler
    grep '^RESULT ' "$OUT/$name.txt" | sed 's/^RESULT //' > "$OUT/$name.result"
    cpu_from_result "$name"
    log "$(head -n 2 "$OUT/$name.txt" | tr '\n' ' ')"
done
name="lookup-sha-paced"
log "sha lookups at $LOOKUP_RATE/s over $LOOKUP_CONCURRENCY connections"
"${GEN[@]}" lookup --url "$APP_URL" --token "$TOKEN" --concurrency "$LOOKUP_CONCURRENCY" --kind sha \
    --rate "$LOOKUP_RATE" --input "$OUT/lookup-shas.txt" --duration "$DURATION" --warmup "$WARMUP" \
    --server-pid "$SERVER_PID" --databases "$APP_DB" > "$OUT/$name.txt" 2> "$OUT/$name.err" \
    || die "$name failed (see $OUT/$name.err)"
grep '^RESULT ' "$OUT/$name.txt" | sed 's/^RESULT //' > "$OUT/$name.result"
cpu_from_result "$name"
APP_RSS_LOOKUP_MAX="$(cat "$OUT"/rss-lookup-*.txt | sort -n | tail -n 1)"
stop_server

# ---- RESULTS.md --------------------------------------------------------------------------
RUN_SECONDS=$(( $(date +%s) - RUN_STARTED ))
f() { json_field "$OUT/$1.result" "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }
cpu_of() { awk -v n="$1" '$1 == n { printf "%s cores total: server %s, PostgreSQL %s, generator %s, other %s", $2, $3, $4, $5, $6 }' "$OUT/cpu.txt"; }
cpu_col() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$OUT/cpu.txt"; }
per_delivery_ms() { # cores, rate -> CPU milliseconds per request
    awk -v c="$1" -v r="$2" 'BEGIN { if (r > 0) printf "%.2f", c / r * 1000; else print "n/a" }'; }
yes_no() { if [ "$1" = 1 ]; then echo "**met**"; else echo "**missed**"; fi; }

row() { # NAME LABEL
    local n="$1"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$2" "$(f "$n" concurrency)" "$(f "$n" perSecond)" \
        "$(f "$n" p50)" "$(f "$n" p90)" "$(f "$n" p99)" "$(f "$n" max)" "$(f "$n" errors)" "$(f "$n" count)"
}

RESULTS="$BENCH/RESULTS.md"
{
    echo "# Benchmark results"
    echo
    echo "Written by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), commit \`$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)\`$(git -C "$ROOT" diff --quiet -- . ':!bench/RESULTS.md' 2>/dev/null || echo ' (with uncommitted changes)'). The whole run took $((RUN_SECONDS / 60)) min $((RUN_SECONDS % 60)) s (builds ${BUILD_SECONDS} s, bulk load ${BULK_SECONDS} s)."
    echo
    echo "**Rerun:** \`DURATION=$DURATION WARMUP=$WARMUP COMMITS=$COMMITS CONCURRENCIES=\"$CONCURRENCIES\" bench/run.sh\`"
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
    echo "| App JVM options | \`${APP_JAVA_OPTS:-none (JVM defaults: max heap 1/4 of RAM)}\` |"
    echo "| PostgreSQL | $("${PSQL[@]}" -At -d postgres -c "select version()" | cut -d, -f1); shared_buffers $("${PSQL[@]}" -At -d postgres -c "show shared_buffers"), synchronous_commit $("${PSQL[@]}" -At -d postgres -c "show synchronous_commit"), max_connections $("${PSQL[@]}" -At -d postgres -c "show max_connections") |"
    echo "| psql | $(psql --version) |"
    echo "| machine busy before the run | $(cpu_col idle-before-run 2) of $(nproc) cores (3 s sample, before anything of this run started) |"
    echo
    echo "Everything runs on this one machine: the load generator, the App or the do-nothing App, and"
    echo "PostgreSQL share its $(nproc) cores. The CPU columns below say who used them during each measurement."
    echo
    echo "## Webhook intake"
    echo
    echo "Signed deliveries from \`bench/load/LoadGenerator.java\`: $(awk -v s="$PR_SHARE" 'BEGIN { printf "%.0f", (1 - s) * 100 }')% push (1 to 20 commits, fresh random shas,"
    echo "about 400 developers on 300 branches of 40 repositories), $(awk -v s="$PR_SHARE" 'BEGIN { printf "%.0f", s * 100 }')% pull_request (opened, synchronize). Each run:"
    echo "$WARMUP s warm-up, then $DURATION s measured; latency is request to 2xx, in ms."
    echo
    echo "Checks first: the do-nothing App answered \`${NOOP_CHECK% *}\` to a signed delivery and \`${NOOP_CHECK#* }\` to a wrongly signed one;"
    echo "the App \`${APP_CHECK% *}\` and \`${APP_CHECK#* }\`."
    echo
    echo "### (a) Do-nothing GitHub App (\`bench/noop-app\`, quarkus-github-app 2.13.0, route \`/\`)"
    echo
    echo "| run | connections | deliveries/s | p50 | p90 | p99 | max | errors | deliveries |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for c in $CONCURRENCIES; do row "intake-noop-c$c" "noop"; done
    echo
    echo "The do-nothing App is sent a pool of pre-generated bodies in a cycle (\`--recycle\`: it"
    echo "discards them); every request still has a new delivery id."
    echo
    echo "### The App (\`POST /webhooks/github\`, stored and projected before the answer)"
    echo
    echo "| run | connections | deliveries/s | p50 | p90 | p99 | max | errors | deliveries |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for c in $CONCURRENCIES; do row "intake-app-c$c" "App"; done
    echo
    echo "| connections | push p50 | push p99 | pull_request p50 | pull_request p99 | mean commits per push | mean body bytes | errors by status |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    for c in $CONCURRENCIES; do
        n="intake-app-c$c"
        printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$c" "$(f "$n" pushP50)" "$(f "$n" pushP99)" \
            "$(f "$n" pullRequestP50)" "$(f "$n" pullRequestP99)" "$(f "$n" meanCommitsPerPush)" \
            "$(f "$n" meanBodyBytes)" "$(sed -n 's/.*"errorsByStatus":\({[^}]*}\).*/\1/p' "$OUT/$n.result")"
    done
    echo
    echo "The App's database held $APP_INTAKE_COMMITS commits from $APP_INTAKE_DELIVERIES deliveries after these runs"
    echo "(warm-up included). WARN/ERROR lines in the App's log during intake (besides the notice that the"
    echo "outbox worker is off and the refusal of the check's wrongly signed delivery): $APP_FAILED_LOGS$( [ "$APP_FAILED_LOGS" -gt 0 ] && echo "; the first: \`$(head -n 1 "$OUT/app-warnings.txt" | cut -c1-200)\`")."
    echo
    echo "### (b) PostgreSQL alone: pgbench"
    echo
    echo "\`bench/pgbench/intake.sql\`: per transaction the App's statements for one push of 10 commits"
    echo "(delivery row with a generated $(sed -n 's/.*mean \([0-9]*\) bytes.*/\1/p' "$OUT/pgbench-setup.log")-byte body, repository upsert,"
    echo "developer lookup, e-mail tie, 10 git_commit upserts and 10 branch_commit upserts as column arrays, push with its commit list),"
    echo "one transaction, \`-M prepared\`, batches as pipelines. $PGBENCH_CLIENTS clients, $WARMUP s warm-up, then $DURATION s."
    echo "This is one delivery per transaction; the App commits deliveries that arrive together in one"
    echo "transaction (group commit), so it is not bound by this figure."
    echo
    echo "| run | clients | transactions/s | avg | stddev | p50 | p90 | p99 | max | failed | transactions |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    echo "| pgbench | $PGBENCH_CLIENTS | $PGB_TPS | $PGB_AVG | $PGB_SD | $PGB_P50 | $PGB_P90 | $PGB_P99 | $PGB_MAX | $PGB_FAILED | $PGB_N |"
    echo
    echo "### Ratios"
    echo
    echo "| | ratio |"
    echo "| --- | ---: |"
    for c in $CONCURRENCIES; do
        echo "| App / do-nothing App, deliveries/s at $c | $(ratio "$(f "intake-app-c$c" perSecond)" "$(f "intake-noop-c$c" perSecond)") |"
    done
    if [[ " $CONCURRENCIES " == *" $PGBENCH_CLIENTS "* ]]; then
        echo "| App / pgbench, deliveries/s ÷ transactions/s at $PGBENCH_CLIENTS | $(ratio "$(f "intake-app-c$PGBENCH_CLIENTS" perSecond)" "$PGB_TPS") |"
    fi
    echo
    echo "### Where the CPU went"
    echo
    echo "Cores used during each measured phase (of $(nproc)), from /proc: the server process (App or"
    echo "do-nothing App), this run's PostgreSQL backends and PostgreSQL's shared processes, the load"
    echo "generator (its own process CPU time; for pgbench, the pgbench client), and everything else on"
    echo "the machine (\"other\"; interrupt handling, which the kernel charges to no process, is left out"
    echo "of it but counts in \"busy\"). pgbench's figures are sampled from 2 s into its run to 3 s before its end."
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
    echo "JIT compilation inside those phases (a server or generator still compiling was not warmed up"
    echo "long enough; its compiler threads take cores from the others): the server's compiler threads"
    echo "in cores, and the generator's own compile time in ms (the generator is a new JVM for every phase)."
    echo
    echo "| phase | server JIT, cores | generator JIT, ms |"
    echo "| --- | ---: | ---: |"
    for r in "$OUT"/intake-*-c*.result "$OUT"/lookup-*.result; do
        [ -f "$r" ] || continue
        n="$(basename "$r" .result)"
        echo "| $n | $(f "$n" cpuServerJit) | $(f "$n" generatorJitMs) |"
    done
    echo
    echo "## Lookups at $STORED_COMMITS commits"
    echo
    echo "The App's database after the intake runs, filled in bulk (\`bench/load/bulk-load.sql\`) to"
    echo "$STORED_COMMITS commits and $STORED_BRANCH_ROWS branch rows ($DB_SIZE), vacuumed and analyzed; the App was"
    echo "restarted. Inputs: 10,000 shas drawn at random from the table (prefix: their first 12"
    echo "characters) and the $(wc -l < "$OUT/lookup-branches.txt") branches (commits on a branch: median ${BRANCH_SIZES##* }, largest default"
    echo "branch $(echo "$BRANCH_SIZES" | cut -d' ' -f1), largest other branch $(echo "$BRANCH_SIZES" | cut -d' ' -f2)). A branch listing is \`limit=100\` and follows"
    echo "\`nextCursor\` for up to 3 pages; each page is one request. $LOOKUP_CONCURRENCY connections, $WARMUP s warm-up, then $DURATION s."
    echo
    echo "| request | connections | requests/s | p50 | p90 | p99 | max | errors | requests |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    row "lookup-sha-c$LOOKUP_CONCURRENCY" "GET /api/v1/commits/{sha}"
    row "lookup-prefix-c$LOOKUP_CONCURRENCY" "GET /api/v1/commits/{12-char prefix}"
    row "lookup-branch-c$LOOKUP_CONCURRENCY" "GET /api/v1/repos/{o}/{r}/commits?branch=…&limit=100"
    row "lookup-sha-paced" "GET /api/v1/commits/{sha} at $LOOKUP_RATE/s offered"
    echo
    echo "The first three rows are closed loops: each connection sends its next request as soon as"
    echo "the last is answered, so they measure the most the machine serves and the latency at that"
    echo "saturation (Little's law: latency ≈ connections ÷ rate). The last row offers a fixed"
    echo "$LOOKUP_RATE requests/s spread over the same connections and measures latency at that load."
    echo
    echo "## Memory (resident set, VmRSS)"
    echo
    if [ -z "$APP_JAVA_OPTS" ]; then
        heap="$(java -XX:+PrintFlagsFinal -version 2>/dev/null | awk '$2 == "InitialHeapSize" { i = $4 } $2 == "MaxHeapSize" { m = $4 }
            END { printf "initial heap %.0f MB, maximum %.0f MB", i / 1048576, m / 1048576 }')"
        echo "Both Apps run with the JVM's default heap settings (here: $heap), so their resident size"
        echo "follows the garbage collector's sizing more than need, and can differ between runs."
        echo "\`APP_JAVA_OPTS=-Xmx...\` bounds it."
        echo
    fi
    echo "| | MB |"
    echo "| --- | ---: |"
    echo "| do-nothing App, after start | $(mb "$NOOP_RSS_START") |"
    echo "| do-nothing App, highest during its intake runs | $(mb "$NOOP_RSS_MAX") |"
    echo "| App, after start | $(mb "$APP_RSS_START") |"
    echo "| App, at rest after a $WARMUP s warm-up | $(mb "$APP_RSS_REST") |"
    for c in $CONCURRENCIES; do
        echo "| App, highest during intake at $c connections (200 ms samples) | $(mb "$(max_of "$OUT/rss-intake-app-c$c.txt")") |"
    done
    echo "| App, after restart with $STORED_COMMITS commits stored | $(mb "$APP_RSS_REST_1M") |"
    echo "| App, highest during the lookups | $(mb "$APP_RSS_LOOKUP_MAX") |"
    echo
    echo "## Targets"
    echo
    c16_rate="$(f intake-app-c16 perSecond)"; n16_rate="$(f intake-noop-c16 perSecond)"
    c16_p99="$(f intake-app-c16 p99)"; c16_err="$(f intake-app-c16 errors)"
    sha_p99="$(f "lookup-sha-paced" p99)"
    rss64="$(mb "$(max_of "$OUT/rss-intake-app-c64.txt" 2>/dev/null || echo 0)")"
    t1=$(awk -v a="$c16_rate" -v b="$n16_rate" 'BEGIN { print (a >= 0.25 * b) ? 1 : 0 }')
    t2=$(awk -v p="$c16_p99" 'BEGIN { print (p < 25) ? 1 : 0 }')
    t3=$([ "${c16_err:-1}" = 0 ] && echo 1 || echo 0)
    t4=$(awk -v p="$sha_p99" -v n="$STORED_COMMITS" 'BEGIN { print (p < 5 && n >= 1000000) ? 1 : 0 }')
    t5=$(awk -v r="$rss64" 'BEGIN { print (r > 0 && r < 400) ? 1 : 0 }')
    echo "| target | measured | |"
    echo "| --- | --- | --- |"
    echo "| intake at 16 connections ≥ 0.25 × the do-nothing App's rate | $c16_rate/s vs 0.25 × $n16_rate/s = $(awk -v b="$n16_rate" 'BEGIN { printf "%.1f", 0.25 * b }')/s (ratio $(ratio "$c16_rate" "$n16_rate")) | $(yes_no "$t1") |"
    echo "| intake at 16 connections: p99 < 25 ms | $c16_p99 ms | $(yes_no "$t2") |"
    echo "| intake at 16 connections: no error | $c16_err errors | $(yes_no "$t3") |"
    echo "| lookup by full sha at 1,000,000 commits, 16 connections: p99 < 5 ms | $sha_p99 ms at $STORED_COMMITS commits, $LOOKUP_RATE/s offered (saturated: $(f "lookup-sha-c$LOOKUP_CONCURRENCY" p99) ms at $(f "lookup-sha-c$LOOKUP_CONCURRENCY" perSecond)/s) | $(yes_no "$t4") |"
    echo "| RSS under the 64-connection intake load < 400 MB | $rss64 MB | $(yes_no "$t5") |"
    echo
    echo "Intake figures are for the mix above (pushes and pull requests); the push-only"
    echo "percentiles are in the second intake table."
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
        if awk -v o="$other" 'BEGIN { exit !(o > 0.2) }'; then
            note "During \`$name\`, $other cores went to processes this benchmark does not account for: other load on the machine (then that measurement was disturbed), or short-lived processes such as PostgreSQL's parallel query workers, which exit before they can be counted."
        fi
        case "$name" in intake-noop-*)
            if awk -v b="$busy" -v g="$gen" -v s="$server" -v n="$(nproc)" 'BEGIN { exit !(b >= 0.9 * n && g >= 0.75 * s) }'; then
                note "During \`$name\` the machine was saturated ($busy of $(nproc) cores) and the load generator used $gen cores against the do-nothing App's $server: the generator (java.net.http.HttpClient, on the same cores) limits that rate, so the framework's real ceiling is higher and the App/do-nothing ratios are flattering."
            fi ;;
        esac
    done < "$OUT/cpu.txt"
    while read -r name count; do
        if [ "${count:-0}" -gt 0 ]; then
            note "PostgreSQL detected $count deadlocks in \`$APP_DB\` during \`$name\` (pg_stat_database); each costs deadlock_timeout ($("${PSQL[@]}" -At -d postgres -c "show deadlock_timeout")) before one transaction is cancelled."
        fi
    done < "$OUT/deadlocks.txt"
    for n in $(cd "$OUT" && ls -- *.result | sed 's/\.result$//'); do
        stalls="$(f "$n" generatorStalls)"
        if [ "${stalls:-0}" != 0 ]; then
            note "\`$n\` used up its pool of pre-generated bodies: $stalls bodies were made during the run ($(f "$n" generatorStallMs) ms of generator time on the same cores). Raise POOL_RATE."
        fi
        e="$(f "$n" errors)"
        if [ "${e:-0}" != 0 ]; then
            note "\`$n\` had $e errors: $(sed -n 's/.*"errorsByStatus":\({[^}]*}\).*/\1/p' "$OUT/$n.result") (see \`bench/out/$n.err\`)."
        fi
    done
    [ "$notes" -gt 0 ] || echo "- Nothing unusual: no errors, no deadlocks, no other load on the machine."
} > "$RESULTS"
log "wrote $RESULTS (run took ${RUN_SECONDS}s)"
