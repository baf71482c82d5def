#!/usr/bin/env python3
"""Faults under load on scripts/cluster.sh's cluster (issue 13). While HTTP, MQTT QoS 1 and CoAP (confirmable)
publishers send on both edges: kill -9 one pipeline (one of two writers and one of two normalizers), restart PostgreSQL, kill -9 edge B.
Afterwards every message that got a 202, a PUBACK or a 2.04 is stored exactly once (the acknowledged set against what the
reader returns), and edge A answered every publish throughout, before and after each fault.
Usage: cluster_faults_test.py <repo root> <mainflux-backend>. Prints figures for docs/BENCHMARKS.md."""
import json, os, signal, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clustersupport import Cluster, CoapPublisher, HttpPublisher, MqttPublisher, provision, request, stored_messages

PHASE_S = 5  # seconds of publishing before the first fault, between faults and after the last

cluster = Cluster(sys.argv[1], sys.argv[2])
cluster.up()
check = cluster.check
try:
    token, thing, key, channel = provision(cluster)
    a, b = cluster.ports["edge-a"], cluster.ports["edge-b"]
    on_a = [HttpPublisher("http-a1", a["http"], channel, key), HttpPublisher("http-a2", a["http"], channel, key),
            MqttPublisher("mqtt-a1", a["mqtt"], channel, thing, key),
            MqttPublisher("mqtt-a2", a["mqtt"], channel, thing, key), CoapPublisher("coap-a1", a["coap"], channel, key)]
    on_b = [HttpPublisher("http-b1", b["http"], channel, key), HttpPublisher("http-b2", b["http"], channel, key),
            MqttPublisher("mqtt-b1", b["mqtt"], channel, thing, key),
            MqttPublisher("mqtt-b2", b["mqtt"], channel, thing, key), CoapPublisher("coap-b1", b["coap"], channel, key)]
    for p in on_a + on_b:
        p.start()

    def kill(name):
        os.kill(cluster.pid(name), signal.SIGKILL)

    def restart_postgres():
        done = subprocess.run([os.path.join(cluster.root, "scripts", "pg-cluster.sh"), "restart",
                               os.path.join(cluster.dir, "pg")], capture_output=True, text=True)
        check(done.returncode == 0, "PostgreSQL restart: " + done.stderr)

    faults = [("kill -9 pipeline-1 (a writer and a normalizer)", lambda: kill("pipeline-1")),
              ("restart PostgreSQL", restart_postgres),
              ("kill -9 edge-b", lambda: kill("edge-b"))]
    marks = [time.monotonic()]
    for what, act in faults:
        time.sleep(PHASE_S)
        print("fault:", what, flush=True)
        act()
        marks.append(time.monotonic())
    time.sleep(PHASE_S)
    marks.append(time.monotonic())
    for p in on_a + on_b:
        p.stop()

    # Edge A served throughout: no publish refused or failed, and acknowledgements in every phase.
    for p in on_a:
        check(p.failures == 0, f"{p.name_} on the surviving edge saw {p.failures} failures")
        for k in range(len(marks) - 1):
            check(p.acks_between(marks[k], marks[k + 1]) > 0, f"{p.name_} got no acknowledgement in phase {k}")
    check(all(p.acks_between(marks[0], marks[3]) > 0 for p in on_b), "edge B's publishers were acknowledged before it died")

    acked = {(p.name_, i) for p in on_a + on_b for i in p.acked}
    stored = {}
    for _ in range(90):
        stored = stored_messages(cluster, token, channel)
        if isinstance(stored, dict) and acked <= set(stored):
            break
        time.sleep(1)
    check(isinstance(stored, dict), f"the reader still fails after the faults: {stored}")
    missing = acked - set(stored)
    twice = [k for k, n in stored.items() if n > 1]
    gap = max(p.longest_gap(marks[0], marks[-1]) for p in on_a)
    print(f"FIGURES faults: acknowledged {len(acked)} (HTTP {sum(len(p.acked) for p in on_a + on_b if p.name_.startswith('http'))}, "
          f"MQTT QoS 1 {sum(len(p.acked) for p in on_a + on_b if p.name_.startswith('mqtt'))}, "
          f"CoAP {sum(len(p.acked) for p in on_a + on_b if p.name_.startswith('coap'))}), stored {len(stored)}, "
          f"acknowledged but not stored: {len(missing)}, stored twice: {len(twice)}, "
          f"edge A longest time without an acknowledgement: {gap * 1000:.0f} ms, "
          f"edge B failures after its death: {sum(p.failures for p in on_b)}", flush=True)
    check(not missing, f"{len(missing)} acknowledged messages not stored, e.g. {sorted(missing)[:5]}")
    check(not twice, f"{len(twice)} messages stored more than once, e.g. {twice[:5]}")
    # The core writes to the restarted PostgreSQL again, and the new thing is there.
    core = cluster.ports["core"]["http"]
    auth = {"Authorization": token, "Content-Type": "application/json"}
    created = request(core, "POST", "/things", json.dumps({"name": "after the faults"}), auth)
    check(created[0] == 201, f"creating a thing after the PostgreSQL restart: {created}")
    check(request(core, "GET", "/things/" + created[1].rsplit("/", 1)[1], None, auth)[0] == 200, "reading it back")
    st = cluster.status()
    check("pipeline-1: stopped" in st and "edge-b: stopped" in st and "edge-a: running" in st
          and "pipeline-2: running" in st and "core: running" in st, "status after the faults: " + st)
finally:
    downed = cluster.down()
check(downed, "cluster.sh down")
print("PASS")
