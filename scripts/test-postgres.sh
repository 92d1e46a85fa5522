#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: initdb into a directory,
# pg_ctl on a free loopback port, trust authentication, the role `ledger`.
# PostgreSQL refuses to run as root, so as root the cluster runs as `nobody`.
#
#   scripts/test-postgres.sh start DIR    prints the cluster's URL
#   scripts/test-postgres.sh stop DIR     stops it and removes DIR
#   scripts/test-postgres.sh run CMD...   runs CMD with SCHOOLLEDGER_TEST_POSTGRES
#                                         set to a new cluster, then stops it
set -euo pipefail

BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
    echo "test-postgres: no PostgreSQL server under /usr/lib/postgresql: install Debian's postgresql (make deps does)" >&2
    exit 1
fi
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
    DIR=$2
    mkdir -p "$DIR"
    if [ "$(id -u)" = 0 ]; then chown nobody:nogroup "$DIR"; fi
    as_owner "$BIN/initdb" -D "$DIR/data" -U ledger --auth=trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 || {
        cat "$DIR/initdb.log" >&2
        exit 1
    }
    PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # fsync off: a throwaway cluster; the tests kill clients, never this server.
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=400 -c shared_buffers=64MB" \
        start >/dev/null || {
        cat "$DIR/server.log" >&2
        exit 1
    }
    echo "postgres://ledger@127.0.0.1:$PORT/postgres"
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
    echo "test-postgres: a throwaway cluster at $URL (in $DIR)"
    SCHOOLLEDGER_TEST_POSTGRES=$URL "$@"
    ;;
*)
    echo "usage: $0 start DIR | stop DIR | run CMD..." >&2
    exit 2
    ;;
esac
