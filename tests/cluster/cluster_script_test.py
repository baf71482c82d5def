#!/usr/bin/env python3
"""scripts/cluster.sh as a newcomer uses it (docs/cluster.md): up, a device on edge A heard by an MQTT subscriber on
edge B, one of three NATS nodes killed with SIGKILL while HTTP publishers send, nothing acknowledged lost, down.
Usage: cluster_script_test.py <repo root> <mainflux-backend>. Prints figures (longest stall) for docs/BENCHMARKS.md."""
import http.client, json, os, signal, subprocess, sys, tempfile, threading, time

root, backend = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="mf-cluster-test-")
os.chmod(work, 0o755)  # as root, PostgreSQL runs as "postgres" and must reach its directory inside
cdir = os.path.join(work, "cluster")
script = os.path.join(root, "scripts", "cluster.sh")
env = dict(os.environ, MF_BACKEND=backend)


def check(cond, what):
    if not cond:
        print("FAIL:", what, flush=True)
        subprocess.run([script, "status", cdir], env=env)
        subprocess.run([script, "down", cdir], env=env)
        sys.exit(1)


def request(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request(method, path, body, headers or {})
    r = c.getresponse()
    return r.status, r.getheader("Location"), r.read()


up = subprocess.run([script, "up", cdir], env=env, capture_output=True, text=True)
print(up.stdout, up.stderr, flush=True)
check(up.returncode == 0, "cluster.sh up")
try:
    conf = dict(l.strip().split("=", 1) for l in open(os.path.join(cdir, "cluster.env")) if "=" in l)
    ports = {k: dict(p.split("=") for p in v.strip('"').split()) for k, v in conf.items() if k.endswith("_PORTS")}
    core, edge_a, edge_b = int(ports["CORE_PORTS"]["http"]), ports["EDGE_A_PORTS"], ports["EDGE_B_PORTS"]
    j = {"Content-Type": "application/json"}
    check(request(core, "POST", "/users", json.dumps({"email": "ops@example.com", "password": "12345678"}), j)[0] == 201, "sign-up")
    token = json.loads(request(core, "POST", "/tokens", json.dumps({"email": "ops@example.com", "password": "12345678"}), j)[2])["token"]
    auth = dict(j, Authorization=token)
    thing = request(core, "POST", "/things", json.dumps({"name": "d1"}), auth)[1].rsplit("/", 1)[1]
    channel = request(core, "POST", "/channels", json.dumps({"name": "c1"}), auth)[1].rsplit("/", 1)[1]
    key = json.loads(request(core, "GET", "/things/" + thing, None, auth)[2])["key"]
    check(request(core, "PUT", f"/channels/{channel}/things/{thing}", None, auth)[0] == 200, "connect")

    # A subscriber on edge B hears what HTTP publishes on edge A.
    sub = subprocess.Popen(["mosquitto_sub", "-p", edge_b["mqtt"], "-u", thing, "-P", key, "-t",
                            f"channels/{channel}/messages", "-C", "3", "-W", "30"], stdout=subprocess.PIPE, text=True)
    time.sleep(1.0)
    senml = {"Authorization": "Thing " + key, "Content-Type": "application/senml+json"}
    for i in range(3):
        check(request(int(edge_a["http"]), "POST", f"/http/channels/{channel}/messages",
                      json.dumps([{"n": "hello", "v": i}]), senml)[0] == 202, "publish on edge A")
    heard = sub.communicate(timeout=60)[0].splitlines()
    check(len(heard) == 3, f"edge B's MQTT subscriber heard {heard}")

    # Kill one NATS node while publishing; every 202 must be stored exactly once.
    acked, refused, stall, last = [], 0, 0.0, time.time()
    c = http.client.HTTPConnection("127.0.0.1", int(edge_a["http"]), timeout=30)
    for i in range(3000):
        if i == 1000:
            os.kill(int(open(os.path.join(cdir, "nats-n1.pid")).read()), signal.SIGKILL)
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
    st = subprocess.run([script, "status", cdir], env=env, capture_output=True, text=True)
    check("nats-n1: stopped" in st.stdout and "edge-a: running" in st.stdout, "status shows the dead node: " + st.stdout)
finally:
    down = subprocess.run([script, "down", cdir], env=env, capture_output=True, text=True)
check(down.returncode == 0 and not os.path.exists(cdir), "cluster.sh down")
print("PASS")
