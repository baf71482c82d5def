#!/usr/bin/env bash
# Cluster benchmark (docs/BENCHMARKS.md, "Cluster"): one process versus scripts/cluster.sh's cluster (3 NATS nodes,
# PostgreSQL, core, 2 pipelines, 2 edges) with one and with three copies of the stream, on this machine in the same run — HTTP and MQTT QoS 1 publish rates,
# publish-to-stored p50/p99 — and the publishing stall when the NATS node leading the message stream is killed.
# On one machine the ratio shows the cost of splitting (more processes, 3 copies of every message), not scale.
# Usage: tests/benchmarks/bench-cluster.sh [build-dir]   (needs mainflux-backend, the mosquitto plugin and
# bench_e2e_latency built; wrk, mosquitto_pub, PostgreSQL and python3-paho-mqtt installed).
# Env: BENCH_SECONDS (10 s per rate measurement), BENCH_MQTT_COUNT (5000 QoS 1 messages), BENCH_ONLY_KILL=1 (only the
# stream leader kill: repeat it, the stall varies with the election).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start"
/usr/bin/python3 "$root/tests/benchmarks/bench_cluster.py" "$root" "$build"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
