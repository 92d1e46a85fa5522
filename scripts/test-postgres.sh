#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: initdb into a directory,
# pg_ctl on a free loopback port, trust authentication, the role `ledger`.
# PostgreSQL refuses to run as root, so as root the cluster runs as `nobody`.
#
#   scripts/test-postgres.sh start DIR    prints the cluster's URL
#   scripts/test-postgres.sh stop DIR     stops it and removes DIR
#   scripts/test-postgres.sh run CMD...   runs CMD with SCHOOLLEDGER_TEST_POSTGRES
#                                         set to a new cluster, then stops it
#   scripts/test-postgres.sh pair DIR     a primary in DIR/primary and a synchronous
#                                         streaming replica in DIR/replica; prints
#                                         the primary's URL and the replica's
#   scripts/test-postgres.sh kill-primary DIR   SIGKILLs the primary's postmaster
#   scripts/test-postgres.sh promote DIR  promotes the replica
#   scripts/test-postgres.sh stop-pair DIR
set -euo pipefail

BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
    echo "test-postgres: no PostgreSQL server under /usr/lib/postgresql: install Debian's postgresql (make deps does)" >&2
    exit 1
fi
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# start_server DATA PORT SOCKETDIR LOG OPTIONS...
start_server() {
    local data=$1 port=$2 sockets=$3 log=$4
    shift 4
    as_owner "$BIN/pg_ctl" -D "$data" -l "$log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $sockets -c max_connections=400 -c shared_buffers=64MB $*" \
        start >/dev/null || {
        cat "$log" >&2
        exit 1
    }
}
new_cluster() {
    local dir=$1 data=$2
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown nobody:nogroup "$dir"; fi
    as_owner "$BIN/initdb" -D "$data" -U ledger --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
}

case "${1:-}" in
start)
    DIR=$2
    new_cluster "$DIR" "$DIR/data"
    PORT=$(free_port)
    # fsync off: a throwaway cluster; the tests kill clients, never this
    # server. SCHOOLLEDGER_PG_DURABLE=1 keeps it on (the benchmarks).
    if [ "${SCHOOLLEDGER_PG_DURABLE:-}" = 1 ]; then
        start_server "$DIR/data" "$PORT" "$DIR" "$DIR/server.log"
    else
        start_server "$DIR/data" "$PORT" "$DIR" "$DIR/server.log" -c fsync=off
    fi
    echo "postgres://ledger@127.0.0.1:$PORT/postgres"
    ;;
pair)
    # Durable on purpose (fsync on): the replica test kills the primary.
    DIR=$2
    new_cluster "$DIR" "$DIR/primary"
    PRIMARY=$(free_port)
    start_server "$DIR/primary" "$PRIMARY" "$DIR" "$DIR/primary.log" \
        -c wal_level=replica -c max_wal_senders=4 -c "synchronous_standby_names=replica" -c synchronous_commit=on
    as_owner "$BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY" -U ledger -D "$DIR/replica" -X stream >"$DIR/basebackup.log" 2>&1 || {
        cat "$DIR/basebackup.log" >&2
        exit 1
    }
    echo "primary_conninfo = 'host=127.0.0.1 port=$PRIMARY user=ledger application_name=replica'" |
        as_owner tee -a "$DIR/replica/postgresql.auto.conf" >/dev/null
    as_owner touch "$DIR/replica/standby.signal"
    REPLICA=$(free_port)
    start_server "$DIR/replica" "$REPLICA" "$DIR" "$DIR/replica.log"
    # Wait until the primary counts the replica as synchronous.
    for _ in $(seq 1 100); do
        state=$(as_owner "$BIN/psql" -h 127.0.0.1 -p "$PRIMARY" -U ledger -d postgres -Atc \
            "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'replica'" 2>/dev/null || true)
        [ "$state" = sync ] && break
        sleep 0.1
    done
    if [ "$state" != sync ]; then
        echo "test-postgres: the replica did not become synchronous" >&2
        exit 1
    fi
    echo "postgres://ledger@127.0.0.1:$PRIMARY/postgres postgres://ledger@127.0.0.1:$REPLICA/postgres"
    ;;
kill-primary)
    kill -9 "$(head -1 "$2/primary/postmaster.pid")"
    ;;
promote)
    as_owner "$BIN/pg_ctl" -D "$2/replica" -w -t 60 promote >/dev/null
    ;;
stop-pair)
    DIR=$2
    for data in "$DIR/primary" "$DIR/replica"; do
        if [ -f "$data/postmaster.pid" ]; then as_owner "$BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    done
    rm -rf "$DIR"
    ;;
stop)
    DIR=$2
    if [ -d "$DIR/data" ]; then as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$DIR"
    ;;
run)
    shift
    DIR=$(mktemp -d /tmp/schoolledger-postgres.XXXXXX)
    trap '"$0" stop "$DIR"' EXIT
    URL=$("$0" start "$DIR")
    [ "${SCHOOLLEDGER_PG_DURABLE:-}" = 1 ] || echo "test-postgres: fsync off (a throwaway cluster)"
    echo "test-postgres: a throwaway cluster at $URL (in $DIR)"
    SCHOOLLEDGER_TEST_POSTGRES=$URL "$@"
    ;;
*)
    echo "usage: $0 start DIR | stop DIR | run CMD..." >&2
    exit 2
    ;;
esac
