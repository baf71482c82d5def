#!/usr/bin/env bash
# A whole cluster on this machine, for demos, tests and benchmarks (docs/cluster.md):
#   cluster.sh up [dir]       3 nats-server nodes (JetStream cluster), a PostgreSQL cluster, and mainflux-backend
#                             processes in split roles: core (users, things, reader, REST), two pipelines
#                             (normalizer, writer) and two edges (HTTP, WebSocket, CoAP, MQTT) — all on free
#                             127.0.0.1 ports; prints where each listens (also in <dir>/cluster.env)
#   cluster.sh status [dir]   which processes run and what their /health says
#   cluster.sh down [dir]     stops everything and removes <dir>
# dir defaults to $MF_CLUSTER_DIR or build/cluster. The backend is $MF_BACKEND, else the build tree's, else PATH's.
# MF_NATS_REPLICAS (default auto: 3) sets the copies of the message stream (1: no replication, for benchmarks).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmd=${1:-}
dir=${2:-${MF_CLUSTER_DIR:-$root/build/cluster}}
usage() { echo "usage: cluster.sh up|status|down [dir]" >&2; exit 2; }
[ -n "$cmd" ] || usage

backend=${MF_BACKEND:-}
if [ -z "$backend" ]; then
  if [ -x "$root/build/app/backend/mainflux-backend" ]; then backend=$root/build/app/backend/mainflux-backend
  else backend=$(command -v mainflux-backend || true); fi
fi
nats=$(command -v nats-server || echo /usr/sbin/nats-server)

# free_ports N: N distinct free ports, chosen while all N sockets are open (one at a time, the kernel may hand the same
# port out twice: a nats-server node then fails to listen and a 3-copy stream finds no place).
free_ports() {
  python3 -c 'import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1"
}
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# start_backend <name> <services> [KEY=VALUE...]: starts one process and waits for its ready line.
start_backend() {
  local name=$1 services=$2; shift 2
  mkdir -p "$dir/$name"
  env -i PATH="$PATH" HOME="$HOME" MF_DATA_DIR="$dir/$name" MF_SERVICES="$services" MF_NATS_URL="$nats_urls" \
    MF_DB_URL="$db_url" MF_JWT_SECRET="$secret" MF_NATS_REPLICAS="${MF_NATS_REPLICAS:-auto}" MF_HTTP_PORT=0 MF_WS_PORT=0 MF_COAP_PORT=0 MF_MQTT_PORT=0 \
    MF_MQTT_WS_PORT=0 "$@" nohup "$backend" >"$dir/$name.out" 2>"$dir/$name.log" </dev/null &
  echo $! >"$dir/$name.pid"
  for _ in $(seq 1 300); do
    if grep -q '"event":"ready"' "$dir/$name.out" 2>/dev/null; then return 0; fi
    if ! alive "$dir/$name.pid"; then break; fi
    sleep 0.1
  done
  echo "cluster: $name did not start; its log:" >&2
  tail -n 20 "$dir/$name.log" >&2
  exit 1
}

ports_of() { # ports_of <name>: "http=… ws=…" from its ready line
  python3 -c 'import json,sys; p=json.loads(open(sys.argv[1]).readline())["ports"]; print(" ".join(f"{k}={v}" for k,v in sorted(p.items())))' "$dir/$1.out"
}

up() {
  [ -x "$backend" ] || { echo "cluster: mainflux-backend not found (build it with scripts/build.sh or set MF_BACKEND)" >&2; exit 1; }
  if [ -d "$dir" ] && ls "$dir"/*.pid >/dev/null 2>&1; then
    echo "cluster: $dir is in use; run: $0 down $dir" >&2; exit 1
  fi
  mkdir -p "$dir/nats"
  local client=() route=()
  local ports; read -r -a ports <<<"$(free_ports 6)"
  for i in 1 2 3; do client[$i]=${ports[$((i - 1))]}; route[$i]=${ports[$((i + 2))]}; done
  for i in 1 2 3; do
    local routes=""
    for j in 1 2 3; do [ "$j" = "$i" ] || routes+="nats-route://127.0.0.1:${route[$j]}, "; done
    cat >"$dir/nats/n$i.conf" <<EOF
server_name: n$i
listen: 127.0.0.1:${client[$i]}
jetstream { store_dir: "$dir/nats/n$i" }
cluster { name: mainflux, listen: 127.0.0.1:${route[$i]}, routes: [ ${routes%, } ] }
EOF
    nohup "$nats" -c "$dir/nats/n$i.conf" >"$dir/nats-n$i.log" 2>&1 </dev/null &
    echo $! >"$dir/nats-n$i.pid"
  done
  nats_urls="nats://127.0.0.1:${client[1]},nats://127.0.0.1:${client[2]},nats://127.0.0.1:${client[3]}"
  # JetStream needs its cluster to elect a meta leader before streams can be made.
  for _ in $(seq 1 100); do
    if grep -q "JetStream cluster new metadata leader\|Self is new JetStream cluster metadata leader" "$dir"/nats-n*.log; then break; fi
    sleep 0.1
  done

  db_url=$("$root/scripts/pg-cluster.sh" start "$dir/pg")
  secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')

  start_backend core users,things,reader,http,rules
  start_backend pipeline-1 normalizer,writer
  start_backend pipeline-2 normalizer,writer
  start_backend edge-a http,ws,coap,mqtt
  start_backend edge-b http,ws,coap,mqtt

  {
    echo "MF_NATS_URL=$nats_urls"
    echo "MF_DB_URL=$db_url"
    for name in core pipeline-1 pipeline-2 edge-a edge-b; do
      echo "$(echo "$name" | tr 'a-z-' 'A-Z_')_PORTS=\"$(ports_of "$name")\""
    done
  } >"$dir/cluster.env"
  echo "cluster up in $dir"
  echo "  nats nodes   $nats_urls"
  echo "  postgresql   $db_url"
  for name in core pipeline-1 pipeline-2 edge-a edge-b; do
    printf '  %-12s %s\n' "$name" "$(ports_of "$name")"
  done
  echo "REST (users, things, channels, reader): http://127.0.0.1:$(ports_of core | sed -n 's/.*http=\([0-9]*\).*/\1/p')"
  echo "logs: $dir/<name>.log   stop: $0 down $dir"
}

status() {
  [ -d "$dir" ] || { echo "cluster: nothing in $dir"; exit 1; }
  local bad=0
  for pidfile in "$dir"/*.pid; do
    local name
    name=$(basename "$pidfile" .pid)
    if ! alive "$pidfile"; then echo "  $name: stopped"; bad=1; continue; fi
    if [ -f "$dir/$name.out" ]; then
      local port health
      port=$(ports_of "$name" | sed -n 's/.*http=\([0-9]*\).*/\1/p')
      health=$(curl -s --max-time 2 "http://127.0.0.1:$port/health" || echo '{"status":"no answer"}')
      echo "  $name: running, pid $(cat "$pidfile"), $(ports_of "$name"), health $health"
    else
      echo "  $name: running, pid $(cat "$pidfile")"
    fi
  done
  return $bad
}

down() {
  [ -d "$dir" ] || return 0
  for pidfile in "$dir"/core.pid "$dir"/edge-*.pid "$dir"/pipeline-*.pid "$dir"/nats-n*.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  for pidfile in "$dir"/*.pid; do
    for _ in $(seq 1 100); do alive "$pidfile" || break; sleep 0.1; done
    alive "$pidfile" && kill -9 "$(cat "$pidfile")" 2>/dev/null || true
  done
  [ -d "$dir/pg" ] && "$root/scripts/pg-cluster.sh" stop "$dir/pg" >/dev/null 2>&1 || true
  rm -rf "$dir"
  echo "cluster down"
}

case "$cmd" in
up) up ;;
status) status ;;
down) down ;;
*) usage ;;
esac
