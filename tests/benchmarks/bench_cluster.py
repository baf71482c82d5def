#!/usr/bin/env python3
"""One process versus scripts/cluster.sh's cluster on this machine, in the same run (tests/benchmarks/bench-cluster.sh,
docs/BENCHMARKS.md "Cluster"): one process, the cluster with one copy of the stream (MF_NATS_REPLICAS=1: the cost of
splitting alone) and the cluster with three (replication on top). For each, one after the other, each on an idle
pipeline: publish-to-stored p50/p99 (bench_e2e_latency: publish on the edge, poll the reader on the core), HTTP publish
rate (wrk, c=16, 3-record pack), MQTT QoS 1 publish rate (mosquitto_pub -l, every PUBACK awaited). Then, on the
cluster with three copies only, the stall when the node leading the message stream is killed: HTTP and MQTT QoS 1
publishers on one edge, the longest time without an acknowledgement, and whether every acknowledged message was
stored. All use PostgreSQL; the one process runs the bundled nats-server, the clusters three nodes.
Usage: bench_cluster.py <repo root> <build dir>. Env: BENCH_SECONDS (10), BENCH_MQTT_COUNT (5000)."""
import json, os, signal, socket, subprocess, sys, tempfile, time

root, build = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
sys.path.insert(0, os.path.join(root, "tests", "cluster"))
from clustersupport import Cluster, HttpPublisher, MqttPublisher, provision, request, stored_messages

backend = os.path.join(build, "app", "backend", "mainflux-backend")
e2e = os.path.join(build, "tests", "benchmarks", "bench_e2e_latency")
lua = os.path.join(root, "tests", "benchmarks", "pipeline-post.lua")
seconds = int(os.environ.get("BENCH_SECONDS", "10"))
mqtt_count = int(os.environ.get("BENCH_MQTT_COUNT", "5000"))


class Single:
    """One mainflux-backend with every service, the bundled nats-server and its own PostgreSQL."""

    def __init__(self):
        self.work = tempfile.mkdtemp(prefix="mf-bench-single-")
        os.chmod(self.work, 0o755)
        self.pg = os.path.join(self.work, "pg")
        url = subprocess.run([os.path.join(root, "scripts", "pg-cluster.sh"), "start", self.pg], check=True,
                             capture_output=True, text=True).stdout.strip()
        env = {k: v for k, v in os.environ.items() if not k.startswith("MF_")}
        env.update(MF_DATA_DIR=os.path.join(self.work, "data"), MF_DB_URL=url, MF_HTTP_PORT="0", MF_WS_PORT="0",
                   MF_COAP_PORT="0", MF_MQTT_PORT="0", MF_MQTT_WS_PORT="0")
        self.process = subprocess.Popen([backend], env=env, stdout=subprocess.PIPE,
                                        stderr=open(os.path.join(self.work, "backend.log"), "w"), text=True)
        ports = json.loads(self.process.stdout.readline())["ports"]
        self.ports = {"core": ports, "edge-a": ports}

    def check(self, cond, what):
        if not cond:
            self.down()
            sys.exit("FAIL: " + what)

    def down(self):
        self.process.terminate()
        self.process.wait(30)
        subprocess.run([os.path.join(root, "scripts", "pg-cluster.sh"), "stop", self.pg], capture_output=True)


def http_rate(setup, channel, key):
    url = f"http://127.0.0.1:{setup.ports['edge-a']['http']}/http/channels/{channel}/messages"
    out = subprocess.run(["wrk", "-t2", "-c16", f"-d{seconds}s", "-s", lua, url], capture_output=True, text=True,
                         env=dict(os.environ, MF_THING_KEY=key)).stdout
    line = next(l for l in out.splitlines() if l.startswith("WRK "))
    f = dict(x.split("=") for x in line.split()[1:])
    return float(f["rps"]), int(f["p50_us"]) / 1000, int(f["p99_us"]) / 1000, int(f["non2xx"]) + int(f["sockerr"])


def mqtt_rate(setup, channel, thing, key):
    lines = "".join(f'[{{"n":"q1","v":{i}}}]\n' for i in range(mqtt_count))
    start = time.monotonic()
    done = subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p", str(setup.ports["edge-a"]["mqtt"]), "-u", thing,
                           "-P", key, "-q", "1", "-t", f"channels/{channel}/messages", "-l"], input=lines, text=True,
                          capture_output=True)
    elapsed = time.monotonic() - start
    setup.check(done.returncode == 0, "mosquitto_pub: " + done.stderr)
    return mqtt_count / elapsed


def stored_latency(setup, channel, key):
    out = subprocess.run([e2e, f"http://127.0.0.1:{setup.ports['edge-a']['http']}", channel, key, "10", str(seconds / 2),
                          f"http://127.0.0.1:{setup.ports['core']['http']}"], capture_output=True, text=True).stdout
    line = next(l for l in out.splitlines() if l.startswith("RESULT"))
    f = dict(x.split("=") for x in line.split()[1:])
    return float(f["stored_p50_ms"]), float(f["stored_p99_ms"]), float(f["stored_max_ms"])


def drained(setup, token, channel):
    """Waits until the writers have stored the backlog (the reader's total stops growing), so that one figure does
    not pay for the previous one."""
    last = -1
    for _ in range(300):
        status, _, body = request(setup.ports["core"]["http"], "GET", f"/channels/{channel}/messages?limit=1", None,
                                  {"Authorization": token})
        total = json.loads(body)["total"] if status == 200 else -1
        if total == last:
            return
        last = total
        time.sleep(1)


def measure(label, setup):
    token, thing, key, channel = provision(setup)
    s50, s99, smax = stored_latency(setup, channel, key)
    rps, p50, p99, errors = http_rate(setup, channel, key)
    drained(setup, token, channel)
    q1 = mqtt_rate(setup, channel, thing, key)
    drained(setup, token, channel)
    print(f"FIGURES {label}: HTTP {rps:.0f} req/s (wrk c=16, p50 {p50:.2f} ms, p99 {p99:.2f} ms, {errors} errors); "
          f"MQTT QoS 1 {q1:.0f} msg/s; publish-to-stored p50 {s50:.1f} ms, p99 {s99:.1f} ms, max {smax:.1f} ms",
          flush=True)
    return token, thing, key, channel


def stream_leader(nats_url):
    """The node leading the message stream, asked through the JetStream API in the NATS text protocol."""
    host, port = nats_url.split(",")[0].rsplit("/", 1)[1].split(":")
    s = socket.create_connection((host, int(port)), timeout=5)
    s.recv(4096)
    s.sendall(b'CONNECT {"verbose":false}\r\nSUB _INBOX.bench 1\r\nPUB $JS.API.STREAM.INFO.MESSAGES _INBOX.bench 0\r\n\r\n')
    data = b""
    while b"}\r\n" not in data[data.find(b"MSG "):] or b"MSG " not in data:
        data += s.recv(65536)
    s.close()
    body = data[data.find(b"\r\n", data.find(b"MSG ")) + 2:]
    return json.loads(body[:body.rfind(b"}") + 1])["cluster"]["leader"]


# BENCH_ONLY_KILL=1: only the stream leader's kill (run it several times: the stall varies with the election).
only_kill = os.environ.get("BENCH_ONLY_KILL") == "1"
if not only_kill:
    single = Single()
    try:
        measure("one process", single)
    finally:
        single.down()

    # The cluster with one copy of the stream first: what splitting costs, apart from what replication costs.
    cluster = Cluster(root, backend, MF_NATS_REPLICAS="1")
    cluster.up()
    try:
        measure("cluster, 1 copy of the stream", cluster)
    finally:
        cluster.down()

cluster = Cluster(root, backend)
cluster.up()
try:
    if not only_kill:
        measure("cluster, 3 copies of the stream", cluster)
    token, thing, key, channel = provision(cluster, "stall@example.com")  # a fresh channel: only this phase's messages
    a = cluster.ports["edge-a"]
    publishers = [HttpPublisher("stall-http", a["http"], channel, key, pause=0.002),
                  MqttPublisher("stall-mqtt", a["mqtt"], channel, thing, key, pause=0.002)]
    for p in publishers:
        p.start()
    time.sleep(seconds / 2)
    leader = stream_leader(cluster.conf["MF_NATS_URL"])
    killed = time.monotonic()
    os.kill(cluster.pid("nats-" + leader), signal.SIGKILL)
    time.sleep(seconds)
    end = time.monotonic()
    for p in publishers:
        p.stop()
    gaps = {p.name_: p.longest_gap(killed - 1, end) for p in publishers}
    acked = {(p.name_, i) for p in publishers for i in p.acked}
    stored = {}
    for _ in range(60):
        stored = stored_messages(cluster, token, channel)
        if isinstance(stored, dict) and acked <= set(stored):
            break
        time.sleep(1)
    lost = len(acked - set(stored)) if isinstance(stored, dict) else f"unknown ({stored})"
    # Stored more than once: a publish refused during the election, stored late, and sent again by its client.
    twice = [k for k, n in stored.items() if n > 1] if isinstance(stored, dict) else "unknown"
    print(f"FIGURES node kill (stream leader {leader}): longest time without an acknowledgement: HTTP "
          f"{gaps['stall-http'] * 1000:.0f} ms, MQTT QoS 1 {gaps['stall-mqtt'] * 1000:.0f} ms; failures HTTP "
          f"{publishers[0].failures}, MQTT {publishers[1].failures}; acknowledged {len(acked)}, lost {lost}, "
          f"stored twice {twice if isinstance(twice, str) else len(twice)} {'' if isinstance(twice, str) else twice[:5]}",
          flush=True)
finally:
    cluster.down()
