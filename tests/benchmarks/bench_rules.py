#!/usr/bin/env python3
"""Alert rules on the message path (issue 16), printed as markdown on stdout, progress on stderr.

One backend (all services, SQLite), one thing publishing 3-record SenML packs (pipeline-post.lua: urn:dev:bench:temp,
hum, door) with wrk at c=BENCH_CONNECTIONS for BENCH_DURATION s, three times in the same run:
  1. no rules (the baseline);
  2. 1,000 rules on the published channel, 10 of them on the published names (5 temp, 5 hum), the rest on others;
  3. 1,000 rules on the published names (500 temp, 499 hum, and one marker rule): the worst case, every record is
     checked against 500 rules.
Thresholds are never reached, so every rule of a record's name is evaluated and none fires.
For each: HTTP publishes/s answered 202, records/s the rules service received while wrk ran (mf_rules_records_total),
and how long after wrk ended the rules service had heard every record (its backlog). Then, with 1,000 rules, the time
from one HTTP publish that crosses a threshold to the alert in GET /alerts (10 rounds).

usage: bench_rules.py <mainflux-backend> <pipeline-post.lua>; everything on 127.0.0.1, free ports, temp data dir.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from benchhttp import request

backend_bin, lua = sys.argv[1], sys.argv[2]
duration = int(os.environ.get("BENCH_DURATION", "10"))
connections = int(os.environ.get("BENCH_CONNECTIONS", "64"))


def log(*args):
    print("bench-rules:", *args, file=sys.stderr, flush=True)


def metric(base, name):
    text = request("GET", base + "/metrics")[1]
    m = re.search(r"^%s(?:\{\})? ([0-9.e+]+)$" % name, text, re.M)
    return float(m.group(1)) if m else 0.0


tmp = tempfile.mkdtemp(prefix="bench-rules.")
env = dict(os.environ, MF_DATA_DIR=tmp, MF_HTTP_PORT="0", MF_NATS_PORT="0", MF_MQTT_PORT="0", MF_WS_PORT="0",
           MF_COAP_PORT="0", MF_MQTT_WS_PORT="0", MF_LOG_LEVEL="warn")
out = open(os.path.join(tmp, "stdout"), "w+")
proc = subprocess.Popen([backend_bin], env=env, stdout=out, stderr=open(os.path.join(tmp, "stderr"), "w"))
try:
    for _ in range(300):
        out.seek(0)
        first = out.readline()
        if '"ready"' in first:
            break
        time.sleep(0.1)
    ready = json.loads(first)
    base = "http://127.0.0.1:%d" % ready["ports"]["http"]
    request("POST", base + "/users", {"email": "ops@example.com", "password": "12345678"})
    token = request("POST", base + "/tokens", {"email": "ops@example.com", "password": "12345678"})[1]["token"]
    channel = request("POST", base + "/channels", {"name": "plant"}, token)[1]["id"]
    notify = request("POST", base + "/channels", {"name": "alerts"}, token)[1]["id"]
    thing = request("POST", base + "/things", {"name": "bench", "type": "device"}, token)[1]
    assert request("PUT", "%s/channels/%s/things/%s" % (base, channel, thing["id"]), b"", token)[0] == 200
    post_url = "%s/http/channels/%s/messages" % (base, channel)
    wrk_env = dict(os.environ, MF_THING_KEY=thing["key"])
    subprocess.run(["wrk", "-t1", "-c8", "-d1s", "-s", lua, post_url], env=wrk_env, capture_output=True)  # warm-up

    def run(label):
        received0 = metric(base, "mf_rules_records_total")
        log(label, ": wrk", duration, "s at c=%d" % connections)
        result = subprocess.run(["wrk", "-t1", "-c%d" % connections, "-d%ds" % duration, "--latency", "-s", lua,
                                 post_url], env=wrk_env, capture_output=True, text=True)
        ended = time.perf_counter()
        line = [l for l in result.stdout.splitlines() if l.startswith("WRK ")][0]
        fields = dict(kv.split("=") for kv in line.split()[1:])
        accepted = int(fields["requests"]) - int(fields["non2xx"])
        received_during = metric(base, "mf_rules_records_total") - received0
        # The rules service has heard every record once its counter reaches 3 per accepted publish.
        while metric(base, "mf_rules_records_total") - received0 < accepted * 3:
            if time.perf_counter() - ended > 120:
                break
            time.sleep(0.05)
        backlog = time.perf_counter() - ended
        seconds = int(fields["duration_us"]) / 1e6
        return {"label": label, "rps": accepted / seconds, "p50": int(fields["p50_us"]) / 1000,
                "p99": int(fields["p99_us"]) / 1000, "records": received_during / seconds, "backlog": backlog,
                "non2xx": int(fields["non2xx"])}

    def create_rules(names):
        ids = []
        for i, name in enumerate(names):
            status, body = request("POST", base + "/rules", {"channel": channel, "senml_name": name,
                                                             "condition": "above", "threshold": 1000 + i,
                                                             "hysteresis": 1}, token)
            assert status == 201, status
            ids.append(body["id"])
        return ids

    results = [run("no rules")]
    log("creating 1,000 rules, 10 on the published names")
    spread = create_rules(["urn:dev:bench:temp"] * 5 + ["urn:dev:bench:hum"] * 5 +
                          ["urn:dev:other:n%d" % i for i in range(990)])
    time.sleep(1)  # the rule events reach the rules service
    results.append(run("1,000 (10 on the published names)"))
    for rule in spread:
        assert request("DELETE", base + "/rules/" + rule, token=token)[0] == 204
    log("creating 1,000 rules, 999 on the published names")
    create_rules(["urn:dev:bench:temp"] * 500 + ["urn:dev:bench:hum"] * 499)
    status, marker = request("POST", base + "/rules", {"channel": channel, "senml_name": "marker",
                                                       "condition": "above", "threshold": 0,
                                                       "notify_channel": notify}, token)
    assert status == 201, status
    time.sleep(1)
    results.append(run("1,000 (999 on the published names)"))

    log("alert latency")
    latencies = []
    for i in range(10):
        value = 1 if i % 2 == 0 else -1  # fires, then clears, ...
        before = request("GET", base + "/alerts?limit=1&rule=" + marker["id"], token=token)[1]
        t0 = time.perf_counter()
        assert request("POST", post_url, json.dumps([{"n": "marker", "v": value}]).encode(), thing["key"],
                       "application/senml+json")[0] == 202
        while True:
            now = request("GET", base + "/alerts?limit=1&rule=" + marker["id"], token=token)[1]
            if now["total"] != before["total"] or (now["alerts"] and now["alerts"][0] != (before["alerts"] or [None])[0]):
                break
            time.sleep(0.002)
        latencies.append((time.perf_counter() - t0) * 1000)

    print("### Pipeline with and without rules (SQLite, wrk -t1 -c%d -d%ds, 3-record packs, all services in one "
          "process)\n" % (connections, duration))
    print("| rules | HTTP publishes/s (202) | p50 ms | p99 ms | records/s heard by the rules service | backlog after "
          "wrk s | ratio to no rules |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print("| %s | %.0f | %.1f | %.1f | %.0f | %.2f | %.2f |" % (r["label"], r["rps"], r["p50"], r["p99"],
                                                               r["records"], r["backlog"],
                                                               r["rps"] / results[0]["rps"]))
    print()
    print("HTTP publish crossing a threshold -> alert in `GET /alerts` (1,000 rules loaded, 10 rounds, firing and "
          "clearing alternately, polled every 2 ms): p50 %.1f ms, max %.1f ms.\n" %
          (statistics.median(latencies), max(latencies)))
finally:
    proc.terminate()
    proc.wait(timeout=30)
    shutil.rmtree(tmp, ignore_errors=True)
