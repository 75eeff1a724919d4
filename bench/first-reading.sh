#!/usr/bin/env bash
# A first reading of intake and lookup latency on the packaged App, on a scratch database.
# Usage: bench/first-reading.sh   (builds, starts the App on :8089, measures, stops it)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export CORRELATOR_DB_NAME=correlator_bench
bash deploy/run-local.sh --db-only
psql -w -q -h 127.0.0.1 -U postgres -c "drop database if exists correlator_bench" -c "create database correlator_bench"
mvn -B -q package -DskipTests
mkdir -p bench/out
QUARKUS_GITHUB_APP_APP_ID=1 \
QUARKUS_GITHUB_APP_PRIVATE_KEY="$(openssl genrsa 2048 2>/dev/null)" \
QUARKUS_GITHUB_APP_WEBHOOK_SECRET=bench-secret \
CORRELATOR_API_TOKENS=bench-token \
CORRELATOR_OUTBOX_ENABLED=false \
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/correlator_bench \
QUARKUS_HTTP_PORT=8089 \
QUARKUS_LOG_LEVEL=WARN \
    java -jar target/quarkus-app/quarkus-run.jar > bench/out/app.log 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
    curl -sf -o /dev/null http://localhost:8089/q/health/ready && break
    sleep 1
done
java bench/FirstReading.java http://localhost:8089 bench-secret bench-token "${PUSHES:-1000}" "${COMMITS:-100000}"
