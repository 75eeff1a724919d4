#!/usr/bin/env bash
# Run the Change Correlator App locally against PostgreSQL on 127.0.0.1:5432.
#
#   deploy/run-local.sh            build (mvn package) and run the prod jar on :8080
#   deploy/run-local.sh --dev      run Quarkus dev mode (mvn quarkus:dev, live reload)
#   deploy/run-local.sh --db-only  only make sure PostgreSQL runs and the database exists
#
# Without GitHub credentials it uses local defaults: a throwaway RSA key kept
# outside the repository, App id 1, webhook secret "local-webhook-secret" and
# API token "local-api-token". Webhooks can then be simulated with deploy/demo.sh;
# anything that calls the GitHub API will fail, because the key is not a real App key.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

DB_HOST=127.0.0.1
DB_PORT=5432
DB_USER=postgres
DB_NAME="${CORRELATOR_DB_NAME:-correlator}"
KEY_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/change-correlator"
KEY_FILE="$KEY_DIR/throwaway-app-key.pem"

log() { printf 'run-local: %s\n' "$*" >&2; }
die() { printf 'run-local: error: %s\n' "$*" >&2; exit 1; }

usage() {
    sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# Runs a command as root (directly, or through sudo when available).
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

pg_answering() {
    pg_isready -q -h "$DB_HOST" -p "$DB_PORT" >/dev/null 2>&1
}

psql_admin() {
    # -w: never prompt; with trust auth no password is needed, otherwise PGPASSWORD
    # (taken from QUARKUS_DATASOURCE_PASSWORD when set) is used.
    psql -w -X -q -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" "$@"
}

install_postgres() {
    command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is not installed and apt-get is not available; install PostgreSQL yourself"
    log "PostgreSQL is not installed; installing it with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    if ! as_root apt-get install -y postgresql; then
        as_root apt-get update
        as_root apt-get install -y postgresql
    fi
    INSTALLED_POSTGRES=1
}

start_postgres() {
    local version
    version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1 || true)"
    [ -n "$version" ] || die "no cluster found under /etc/postgresql"
    log "starting PostgreSQL $version/main"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
}

# After a fresh apt-get install, Debian asks for a password on TCP connections
# (scram-sha-256 for 127.0.0.1). Allow passwordless local TCP connections, like
# the development machines this script is written for.
trust_local_tcp() {
    local version hba
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    log "allowing passwordless connections from 127.0.0.1/::1 in $hba (local development only)"
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
}

ensure_postgres() {
    INSTALLED_POSTGRES=0
    if ! pg_answering; then
        if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! command -v psql >/dev/null 2>&1 \
            || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
            install_postgres
        fi
        start_postgres
        local waited=0
        until pg_isready -q -h "$DB_HOST" -p "$DB_PORT" >/dev/null 2>&1; do
            [ "$waited" -lt 60 ] || die "PostgreSQL did not answer on $DB_HOST:$DB_PORT within 60s"
            sleep 1
            waited=$((waited + 1))
        done
    fi
    log "PostgreSQL answers on $DB_HOST:$DB_PORT"

    if [ -n "${QUARKUS_DATASOURCE_PASSWORD:-}" ] && [ -z "${PGPASSWORD:-}" ]; then
        export PGPASSWORD="$QUARKUS_DATASOURCE_PASSWORD"
    fi
    if ! psql_admin -d postgres -c 'SELECT 1' >/dev/null 2>&1; then
        if [ "$INSTALLED_POSTGRES" -eq 1 ]; then
            trust_local_tcp
        else
            die "cannot connect as $DB_USER to $DB_HOST:$DB_PORT without a password; set QUARKUS_DATASOURCE_PASSWORD (or PGPASSWORD)"
        fi
    fi
}

ensure_database() {
    if [ "$(psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" = "1" ]; then
        log "database $DB_NAME exists"
    else
        log "creating database $DB_NAME"
        psql_admin -d postgres -c "CREATE DATABASE $DB_NAME"
    fi
}

ensure_local_settings() {
    local defaults=()

    if [ -z "${QUARKUS_GITHUB_APP_PRIVATE_KEY:-}" ]; then
        case "$KEY_FILE" in
            "$REPO_ROOT"/*) die "refusing to write a key inside the repository ($KEY_FILE); set XDG_CACHE_HOME elsewhere" ;;
        esac
        if [ -s "$KEY_FILE" ] && openssl pkey -in "$KEY_FILE" -noout >/dev/null 2>&1; then
            :
        else
            mkdir -p "$KEY_DIR"
            (umask 077 && openssl genrsa -out "$KEY_FILE.tmp" 2048 >/dev/null 2>&1)
            mv -f "$KEY_FILE.tmp" "$KEY_FILE"
        fi
        chmod 600 "$KEY_FILE"
        QUARKUS_GITHUB_APP_PRIVATE_KEY="$(cat "$KEY_FILE")"
        export QUARKUS_GITHUB_APP_PRIVATE_KEY
        defaults+=("QUARKUS_GITHUB_APP_PRIVATE_KEY=<throwaway key $KEY_FILE>")
        # GitHub does not know this key: keep the queue of GitHub calls off instead of
        # letting it retry against api.github.com for hours.
        if [ -z "${CORRELATOR_OUTBOX_ENABLED:-}" ]; then
            export CORRELATOR_OUTBOX_ENABLED=false
            defaults+=("CORRELATOR_OUTBOX_ENABLED=false")
        fi
    fi
    if [ -z "${QUARKUS_GITHUB_APP_APP_ID:-}" ]; then
        export QUARKUS_GITHUB_APP_APP_ID=1
        defaults+=("QUARKUS_GITHUB_APP_APP_ID=1")
    fi
    if [ -z "${QUARKUS_GITHUB_APP_WEBHOOK_SECRET:-}" ]; then
        export QUARKUS_GITHUB_APP_WEBHOOK_SECRET=local-webhook-secret
        defaults+=("QUARKUS_GITHUB_APP_WEBHOOK_SECRET=local-webhook-secret")
    fi
    if [ -z "${CORRELATOR_API_TOKENS:-}" ]; then
        export CORRELATOR_API_TOKENS=local-api-token
        defaults+=("CORRELATOR_API_TOKENS=local-api-token")
    fi
    # Point the App at the database prepared above (also keeps dev mode from
    # trying to start a PostgreSQL container through Dev Services).
    export QUARKUS_DATASOURCE_JDBC_URL="${QUARKUS_DATASOURCE_JDBC_URL:-jdbc:postgresql://$DB_HOST:$DB_PORT/$DB_NAME}"
    export QUARKUS_DATASOURCE_USERNAME="${QUARKUS_DATASOURCE_USERNAME:-$DB_USER}"

    if [ "${#defaults[@]}" -gt 0 ]; then
        local IFS=' '
        log "local defaults in use (not for production): ${defaults[*]}"
    fi
}

# Quarkus dev mode needs Maven 3.9 or newer; Debian 12 ships 3.8. Fetch Maven 3.9 from Maven
# Central (as an ordinary artifact, through the Maven already here) into the cache, once.
MAVEN_FOR_DEV_VERSION=3.9.9
maven_for_dev() {
    local version
    version="$(mvn -B -v 2>/dev/null | sed -n 's/^Apache Maven \([0-9.]*\).*/\1/p' | head -n 1)"
    if [ -n "$version" ] && [ "$(printf '%s\n3.9.0\n' "$version" | sort -V | head -n 1)" = "3.9.0" ]; then
        echo mvn
        return
    fi
    local home="$KEY_DIR/apache-maven-$MAVEN_FOR_DEV_VERSION"
    if [ ! -x "$home/bin/mvn" ]; then
        log "dev mode needs Maven 3.9+ (found ${version:-none}); fetching Maven $MAVEN_FOR_DEV_VERSION from Maven Central"
        mkdir -p "$KEY_DIR"
        mvn -B -q dependency:copy -Dartifact="org.apache.maven:apache-maven:$MAVEN_FOR_DEV_VERSION:tar.gz:bin" \
            -DoutputDirectory="$KEY_DIR" >&2
        tar -xzf "$KEY_DIR/apache-maven-$MAVEN_FOR_DEV_VERSION-bin.tar.gz" -C "$KEY_DIR"
    fi
    echo "$home/bin/mvn"
}

main() {
    local mode=prod
    case "${1:-}" in
        "") ;;
        --dev) mode=dev ;;
        --db-only) mode=db ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument: $1" ;;
    esac
    [ "$#" -le 1 ] || die "expected at most one argument"

    ensure_postgres
    ensure_database
    [ "$mode" != db ] || exit 0

    command -v mvn >/dev/null 2>&1 || die "mvn not found; install Maven"
    command -v java >/dev/null 2>&1 || die "java not found; install a JDK 17+"
    command -v openssl >/dev/null 2>&1 || die "openssl not found"
    ensure_local_settings

    cd "$REPO_ROOT"
    if [ "$mode" = dev ]; then
        local dev_mvn
        dev_mvn="$(maven_for_dev)"
        log "starting dev mode ($dev_mvn quarkus:dev)"
        exec "$dev_mvn" quarkus:dev
    fi
    log "building (mvn -B -q package -DskipTests)"
    mvn -B -q package -DskipTests
    log "starting the App on http://localhost:8080"
    # A bounded heap keeps the resident size under 400 MB under load (bench/RESULTS.md).
    exec java ${JAVA_OPTS:--Xms128m -Xmx256m} -jar target/quarkus-app/quarkus-run.jar
}

main "$@"
