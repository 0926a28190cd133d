#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for Sonae under <repo>/var/pg.
#
# usage: backend/scripts/localdb.sh start|stop|status|url
#
#   start   initdb (first time only), start the server, create database `sonae`
#           if missing. If already running it only re-checks that `sonae` exists.
#           Safe to call repeatedly and concurrently (flock on var/pg/.localdb.lock).
#   stop    fast shutdown if running.
#   status  prints "running" (exit 0) or "stopped" (exit 3).
#   url     prints only the SQLAlchemy URL on stdout.
#
# Layout:  var/pg/data (PGDATA), var/pg/run (unix socket), var/pg/log/postgres.log
# Listens: the unix socket in var/pg/run only, so several checkouts never collide; with
#          SONAE_LOCALDB_TCP=1 also on 127.0.0.1:$SONAE_LOCALDB_PORT (default 55432) for desktop GIS.
# As root, the server runs as the OS user `postgres` (initdb refuses root).
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
PG_OS_USER=postgres
DB_NAME=sonae
DB_USER=postgres
PORT=${SONAE_LOCALDB_PORT:-55432}
TCP=${SONAE_LOCALDB_TCP:-0}

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
ROOT=$(cd -- "$SCRIPT_DIR/../.." && pwd -P)
PG_ROOT=$ROOT/var/pg
PGDATA_DIR=$PG_ROOT/data
RUN_DIR=$PG_ROOT/run
LOG_DIR=$PG_ROOT/log
LOG_FILE=$LOG_DIR/postgres.log

say() { printf 'localdb: %s\n' "$*" >&2; }
die() {
    say "$*"
    exit 1
}

usage() {
    say "usage: $0 start|stop|status|url"
    exit 2
}

IS_ROOT=0
[[ $(id -u) -eq 0 ]] && IS_ROOT=1

# Run a server-side command as the right OS user (postgres when we are root).
# cd / first so the unprivileged user never trips over an unreadable cwd.
# fd 9 (our lock) is closed so a started postmaster does not inherit and hold it.
as_pg() {
    if [[ $IS_ROOT -eq 1 ]]; then
        (cd / && runuser -u "$PG_OS_USER" -- "$@") 9>&-
    else
        "$@" 9>&-
    fi
}

pg_tool() { # pg_tool <name> -> absolute path (PG 15 bin dir first, then PATH)
    if [[ -x $PG_BIN/$1 ]]; then
        printf '%s\n' "$PG_BIN/$1"
    elif command -v "$1" >/dev/null 2>&1; then
        command -v "$1"
    else
        die "'$1' not found; run backend/scripts/os-deps.sh runtime"
    fi
}

check_port() {
    if ! [[ $PORT =~ ^[1-9][0-9]{0,4}$ ]] || ((PORT > 65535)); then
        die "SONAE_LOCALDB_PORT='$PORT' is not a valid TCP port"
    fi
}

check_binaries() {
    [[ -x $PG_BIN/initdb && -x $PG_BIN/pg_ctl ]] ||
        die "PostgreSQL 15 server binaries not found in $PG_BIN; run backend/scripts/os-deps.sh runtime"
}

check_socket_path() {
    local sock="$RUN_DIR/.s.PGSQL.$PORT"
    if ((${#sock} > 107)); then
        die "unix socket path too long (${#sock} > 107 bytes): $sock
localdb: move the checkout to a shorter path, or point the app at another server with SONAE_DATABASE_URL"
    fi
    # pg_ctl passes -o through /bin/sh; we single-quote the path there.
    [[ $RUN_DIR != *"'"* ]] || die "project path contains a single quote, unsupported: $RUN_DIR"
}

# Is the server for our PGDATA running? (pg_ctl status: 0 running, 3 stopped, 4 no/invalid dir)
is_running() {
    [[ -f $PGDATA_DIR/PG_VERSION ]] || return 1
    as_pg "$(pg_tool pg_ctl)" -D "$PGDATA_DIR" status >/dev/null 2>&1
}

# Port the running server actually uses (line 4 of postmaster.pid), if readable.
running_port() {
    local p
    p=$(sed -n '4p' "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)
    [[ $p =~ ^[0-9]+$ ]] && printf '%s\n' "$p"
}

tcp_port_in_use() {
    # A successful connect means somebody already listens there.
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null
}

prepare_dirs() {
    mkdir -p "$PGDATA_DIR" "$RUN_DIR" "$LOG_DIR" ||
        die "cannot create $PG_ROOT/{data,run,log}"
    if [[ $IS_ROOT -eq 1 ]]; then
        chmod 700 "$PGDATA_DIR"
        getent passwd "$PG_OS_USER" >/dev/null ||
            die "running as root but OS user '$PG_OS_USER' does not exist (it comes with Debian's postgresql-common); run backend/scripts/os-deps.sh runtime"
        command -v runuser >/dev/null 2>&1 || die "running as root but 'runuser' (util-linux) is not available"
        chown -R "$PG_OS_USER": "$PG_ROOT"
        if ! runuser -u "$PG_OS_USER" -- test -x "$PG_ROOT" -a -w "$PGDATA_DIR"; then
            # Find the first directory on the way that the user cannot traverse.
            local d="" part bad="$PG_ROOT" parts
            IFS=/ read -r -a parts <<<"${PG_ROOT#/}"
            for part in "${parts[@]}"; do
                d="$d/$part"
                if ! runuser -u "$PG_OS_USER" -- test -x "$d"; then
                    bad=$d
                    break
                fi
            done
            die "OS user '$PG_OS_USER' cannot reach $PG_ROOT (blocked at $bad).
localdb: give it search permission (e.g. chmod o+x $bad) or move the checkout, then retry"
        fi
    else
        [[ -w $PGDATA_DIR && -w $RUN_DIR && -w $LOG_DIR ]] ||
            die "$PG_ROOT is not writable by $(id -un) (created by root earlier?); fix ownership, e.g. sudo chown -R $(id -un) $PG_ROOT"
        chmod 700 "$PGDATA_DIR"
    fi
}

init_cluster() {
    [[ -f $PGDATA_DIR/PG_VERSION ]] && return 0
    local initdb initlog="$LOG_DIR/initdb.log"
    initdb=$(pg_tool initdb)
    # A previous failed attempt may have left junk behind; initdb wants an empty dir.
    find "$PGDATA_DIR" -mindepth 1 -delete
    say "initialising cluster in $PGDATA_DIR"
    if ! as_pg "$initdb" -D "$PGDATA_DIR" -U "$DB_USER" --auth=trust --encoding=UTF8 \
        --locale=C.UTF-8 >"$initlog" 2>&1; then
        find "$PGDATA_DIR" -mindepth 1 -delete
        if ! as_pg "$initdb" -D "$PGDATA_DIR" -U "$DB_USER" --auth=trust --encoding=UTF8 \
            --locale=C >"$initlog" 2>&1; then
            cat "$initlog" >&2
            die "initdb failed (log: $initlog)"
        fi
    fi
}

ensure_database() {
    local psql createdb exists
    psql=$(pg_tool psql)
    createdb=$(pg_tool createdb)
    exists=$(as_pg "$psql" -X -A -t -q -h "$RUN_DIR" -p "$PORT" -U "$DB_USER" -d postgres \
        -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")
    if [[ $exists != 1 ]]; then
        as_pg "$createdb" -h "$RUN_DIR" -p "$PORT" -U "$DB_USER" "$DB_NAME" ||
            die "createdb $DB_NAME failed"
        say "created database $DB_NAME"
    fi
}

cmd_start() {
    check_binaries
    check_port
    check_socket_path
    if is_running; then
        local rp
        rp=$(running_port || true)
        if [[ -n $rp && $rp != "$PORT" ]]; then
            say "already running on port $rp (not $PORT); run '$0 stop' first to change SONAE_LOCALDB_PORT"
            PORT=$rp
        fi
        ensure_database
        say "running on $RUN_DIR port $PORT"
        return 0
    fi
    local listen="''"
    if [[ $TCP == 1 ]]; then
        listen=127.0.0.1
        if tcp_port_in_use; then
            die "TCP port 127.0.0.1:$PORT is already in use by another program; set SONAE_LOCALDB_PORT to a free port"
        fi
    fi
    prepare_dirs
    init_cluster
    local pg_ctl
    pg_ctl=$(pg_tool pg_ctl)
    if ! as_pg "$pg_ctl" -D "$PGDATA_DIR" -l "$LOG_FILE" -w -t 60 \
        -o "-k '$RUN_DIR' -p $PORT -c listen_addresses=$listen" start >/dev/null; then
        if tail -n 20 "$LOG_FILE" 2>/dev/null | grep -q 'could not bind\|Address already in use'; then
            die "TCP port 127.0.0.1:$PORT is already in use; set SONAE_LOCALDB_PORT to a free port"
        fi
        tail -n 20 "$LOG_FILE" >&2 2>/dev/null || true
        die "server failed to start (log: $LOG_FILE)"
    fi
    ensure_database
    say "running on $RUN_DIR port $PORT"
}

cmd_stop() {
    if is_running; then
        check_binaries
        as_pg "$(pg_tool pg_ctl)" -D "$PGDATA_DIR" -m fast -w -t 60 stop >/dev/null
        say "stopped"
    fi
}

cmd_status() {
    if is_running; then
        echo running
        return 0
    fi
    echo stopped
    return 3
}

cmd_url() {
    check_port
    check_socket_path
    local port=$PORT rp
    # If the server is up on another port (env changed since start), point at it.
    if is_running; then
        rp=$(running_port || true)
        [[ -n $rp ]] && port=$rp
    fi
    printf 'postgresql+psycopg://%s@/%s?host=%s&port=%s\n' "$DB_USER" "$DB_NAME" "$RUN_DIR" "$port"
}

[[ $# -eq 1 ]] || usage

# Serialise concurrent start/stop calls (e.g. make demo and make test in parallel).
with_lock() {
    if command -v flock >/dev/null 2>&1; then
        mkdir -p "$PG_ROOT" || die "cannot create $PG_ROOT"
        if ! { exec 9>>"$PG_ROOT/.localdb.lock"; } 2>/dev/null; then
            die "cannot open $PG_ROOT/.localdb.lock as $(id -un) (var/pg owned by another user?); fix ownership, e.g. sudo chown -R $(id -un) $PG_ROOT"
        fi
        flock -w 120 9 || die "timed out waiting for $PG_ROOT/.localdb.lock"
    fi
    "$@"
}

case "$1" in
    start) with_lock cmd_start ;;
    stop) with_lock cmd_stop ;;
    status) cmd_status ;;
    url) cmd_url ;;
    *) usage ;;
esac
