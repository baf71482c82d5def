#!/usr/bin/env python3
"""scripts/cluster.sh as a newcomer uses it (docs/cluster.md): up, a device on edge A heard by an MQTT subscriber on
edge B, one of three NATS nodes killed with SIGKILL while HTTP publishers send, nothing acknowledged lost, down.
Usage: cluster_script_test.py <repo root> <mainflux-backend>. Prints figures (longest stall) for docs/BENCHMARKS.md."""
import http.client, json, os, signal, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clustersupport import Cluster, provision, request

cluster = Cluster(sys.argv[1], sys.argv[2])
cluster.up()
check = cluster.check
try:
    token, thing, key, channel = provision(cluster)
    core, edge_a, edge_b = cluster.ports["core"]["http"], cluster.ports["edge-a"], cluster.ports["edge-b"]

    # A subscriber on edge B hears what HTTP publishes on edge A.
    sub = subprocess.Popen(["mosquitto_sub", "-p", str(edge_b["mqtt"]), "-u", thing, "-P", key, "-t",
                            f"channels/{channel}/messages", "-C", "3", "-W", "30"], stdout=subprocess.PIPE, text=True)
    time.sleep(1.0)
    senml = {"Authorization": "Thing " + key, "Content-Type": "application/senml+json"}
    for i in range(3):
        check(request(edge_a["http"], "POST", f"/http/channels/{channel}/messages",
                      json.dumps([{"n": "hello", "v": i}]), senml)[0] == 202, "publish on edge A")
    heard = sub.communicate(timeout=60)[0].splitlines()
    check(len(heard) == 3, f"edge B's MQTT subscriber heard {heard}")

    # Kill one NATS node while publishing; every 202 must be stored exactly once.
    acked, refused, stall, last = [], 0, 0.0, time.time()
    c = http.client.HTTPConnection("127.0.0.1", edge_a["http"], timeout=30)
    for i in range(3000):
        if i == 1000:
            os.kill(cluster.pid("nats-n1"), signal.SIGKILL)
        c.request("POST", f"/http/channels/{channel}/messages", json.dumps([{"n": "k", "v": i}]), senml)
        r = c.getresponse()
        r.read()
        if r.status == 202:
            now = time.time()
            stall, last = max(stall, now - last), now
            acked.append(i)
        else:
            refused += 1
    stored = {}
    for _ in range(60):
        values = []
        for offset in range(0, 4000, 1000):
            page = json.loads(request(core, "GET", f"/channels/{channel}/messages?name=k&limit=1000&offset={offset}",
                                      None, {"Authorization": token})[2])
            values += [int(m["value"]) for m in page["messages"]]
        stored = {v: values.count(v) for v in values}
        if set(acked) <= set(stored):
            break
        time.sleep(1)
    missing = set(acked) - set(stored)
    twice = [v for v, n in stored.items() if n > 1]
    print(f"FIGURES node kill: 3000 HTTP publishes (c=1), 202: {len(acked)}, refused (503): {refused}, "
          f"longest time without a 202: {stall * 1000:.0f} ms, acknowledged but not stored: {len(missing)}, "
          f"stored twice: {len(twice)}", flush=True)
    check(not missing, f"{len(missing)} acknowledged messages lost")
    check(not twice, f"{len(twice)} messages stored twice")
    st = cluster.status()
    check("nats-n1: stopped" in st and "edge-a: running" in st, "status shows the dead node: " + st)
finally:
    downed = cluster.down()
check(downed, "cluster.sh down")
print("PASS")
