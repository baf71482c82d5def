#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for tests and benchmarks.
#   pg-cluster.sh start <dir>   initdb into <dir>, start on a free 127.0.0.1 port, create database "mainflux",
#                               write the connection URL to <dir>/url and print it
#   pg-cluster.sh restart <dir> stop the server (fast: clients are cut off) and start it again on the same port
#   pg-cluster.sh stop <dir>    stop the cluster and remove <dir>
# PostgreSQL refuses to run as root, so as root the cluster belongs to the "postgres" user.
set -euo pipefail
cmd=${1:?usage: pg-cluster.sh start|restart|stop <dir>}
dir=${2:?usage: pg-cluster.sh start|restart|stop <dir>}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "pg-cluster: PostgreSQL server binaries not found (apt install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || shuf -i 20000-60000 -n 1
}

case "$cmd" in
start)
  "$0" stop "$dir" >/dev/null 2>&1 || true
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  as_owner "'$bin/initdb' -D '$dir/data' -A trust -U postgres --no-sync -E UTF8 >'$dir/initdb.log' 2>&1" \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if as_owner "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -t 30 \
        -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200\" start" >/dev/null; then
      break
    fi
    [ "$attempt" -eq 5 ] && { tail -n 20 "$dir/server.log" >&2; exit 1; }
  done
  "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -q -c "CREATE DATABASE mainflux" >/dev/null
  url="postgres://postgres@127.0.0.1:$port/mainflux"
  echo "$url" > "$dir/url"
  echo "$url"
  ;;
restart)
  as_owner "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -m fast -w -t 30 restart" >/dev/null
  ;;
stop)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "'$bin/pg_ctl' -D '$dir/data' -m immediate -w stop" >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*) echo "usage: pg-cluster.sh start|restart|stop <dir>" >&2; exit 2 ;;
esac
