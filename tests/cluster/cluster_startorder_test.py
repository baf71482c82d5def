#!/usr/bin/env python3
"""Start order in a cluster (issue 13): a process whose NATS server or database does not answer yet says so in its log,
retries with backoff, and comes up and serves once the server is there; it gives up after MF_START_WAIT_S (exit status
1, the reason in its log) and SIGTERM ends the wait (exit status 0). Nothing is half-written: the database it waited
for serves the schema and the data afterwards.
Usage: cluster_startorder_test.py <repo root> <mainflux-backend>."""
import http.client, json, os, shutil, signal, socket, subprocess, sys, tempfile, time

root, backend = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="mf-startorder-test-")
os.chmod(work, 0o755)  # as root, PostgreSQL runs as "postgres" and must reach its directory inside
nats_bin = shutil.which("nats-server") or "/usr/sbin/nats-server"
pg_script = os.path.join(root, "scripts", "pg-cluster.sh")
pg_dir = os.path.join(work, "pg")
started = []


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def stop_all():
    for p in started:
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
    subprocess.run([pg_script, "stop", pg_dir], capture_output=True)


def check(cond, what):
    if not cond:
        print("FAIL:", what, flush=True)
        stop_all()
        sys.exit(1)


def request(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request(method, path, body, headers or {})
    r = c.getresponse()
    return r.status, r.getheader("Location"), r.read()


def backend_process(name, **settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MF_")}
    env.update(MF_DATA_DIR=os.path.join(work, name), MF_HTTP_PORT="0", MF_WS_PORT="0", MF_COAP_PORT="0",
               MF_MQTT_PORT="0", MF_MQTT_WS_PORT="0", MF_JWT_SECRET="s" * 64)
    env.update(settings)
    log = open(os.path.join(work, name + ".log"), "w+")
    p = subprocess.Popen([backend], env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    p.log = log
    started.append(p)
    return p


def log_of(p):
    p.log.flush()
    p.log.seek(0)
    return p.log.read()


def waits_for(p, what):
    """The process is running and has logged at least two failed attempts to reach `what`."""
    for _ in range(300):
        if log_of(p).count("waiting for " + what) >= 2:
            break
        check(p.poll() is None, f"the process exited while {what} was away; log: " + log_of(p))
        time.sleep(0.1)
    check(log_of(p).count("waiting for " + what) >= 2, f"no retry logged for {what}; log: " + log_of(p))
    check(p.poll() is None, "the process gave up early; log: " + log_of(p))


def ready(p):
    line = p.stdout.readline()
    check(line.startswith('{"'), "no ready line; log: " + log_of(p))
    return json.loads(line)["ports"]


def start_nats(port):
    p = subprocess.Popen([nats_bin, "-a", "127.0.0.1", "-p", str(port), "-js", "-sd", os.path.join(work, "nats")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started.append(p)
    return p


def pg_ctl(action):
    """Stops or starts the throwaway PostgreSQL server of pg-cluster.sh in place (same port, same data)."""
    bins = sorted(d for d in os.listdir("/usr/lib/postgresql") if os.path.isdir(f"/usr/lib/postgresql/{d}/bin"))
    cmd = f"/usr/lib/postgresql/{bins[-1]}/bin/pg_ctl -D '{pg_dir}/data' -l '{pg_dir}/server.log' -m fast -w {action}"
    as_owner = ["su", "postgres", "-s", "/bin/sh", "-c", cmd] if os.getuid() == 0 else ["sh", "-c", cmd]
    check(subprocess.run(as_owner, capture_output=True).returncode == 0, "pg_ctl " + action)


try:
    nats_port = free_port()
    nats_url = f"nats://127.0.0.1:{nats_port}"

    # Nothing listens on the NATS URL: bounded by MF_START_WAIT_S, then exit status 1 with the reason.
    p = backend_process("gives-up", MF_NATS_URL=nats_url, MF_SERVICES="http", MF_START_WAIT_S="1")
    rc = p.wait(60)
    check(rc == 1, f"exit status {rc} after giving up; log: " + log_of(p))
    check("gave up waiting for NATS" in log_of(p) and f"127.0.0.1:{nats_port}" in log_of(p),
          "the log names what and where: " + log_of(p))

    # SIGTERM while waiting: a clean exit, no ready line.
    p = backend_process("stopped", MF_NATS_URL=nats_url, MF_SERVICES="http")
    waits_for(p, "NATS")
    p.send_signal(signal.SIGTERM)
    rc = p.wait(30)
    check(rc == 0 and p.stdout.read() == "", f"SIGTERM while waiting: exit status {rc}; log: " + log_of(p))

    # NATS comes later: the process comes up and serves (SQLite in its data dir, every service).
    p = backend_process("nats-later", MF_NATS_URL=nats_url)
    waits_for(p, "NATS")
    start_nats(nats_port)
    ports = ready(p)
    j = {"Content-Type": "application/json"}
    cred = json.dumps({"email": "ops@example.com", "password": "12345678"})
    check(request(ports["http"], "POST", "/users", cred, j)[0] == 201, "sign-up after NATS came")
    token = json.loads(request(ports["http"], "POST", "/tokens", cred, j)[2])["token"]
    auth = dict(j, Authorization=token)
    thing = request(ports["http"], "POST", "/things", json.dumps({"name": "d"}), auth)[1].rsplit("/", 1)[1]
    channel = request(ports["http"], "POST", "/channels", json.dumps({"name": "c"}), auth)[1].rsplit("/", 1)[1]
    key = json.loads(request(ports["http"], "GET", "/things/" + thing, None, auth)[2])["key"]
    check(request(ports["http"], "PUT", f"/channels/{channel}/things/{thing}", None, auth)[0] == 200, "connect")
    status = request(ports["http"], "POST", f"/http/channels/{channel}/messages", '[{"n":"t","v":1}]',
                     {"Authorization": "Thing " + key, "Content-Type": "application/senml+json"})[0]
    check(status == 202, f"publish after NATS came: {status}")
    p.terminate()
    p.wait(30)

    # PostgreSQL comes later: a core and a pipeline (writer alone) wait for it, then serve; the schema is complete.
    db_url = subprocess.run([pg_script, "start", pg_dir], check=True, capture_output=True, text=True).stdout.strip()
    pg_ctl("stop")
    core = backend_process("core", MF_NATS_URL=nats_url, MF_DB_URL=db_url, MF_SERVICES="users,things,reader,http")
    pipeline = backend_process("pipeline", MF_NATS_URL=nats_url, MF_DB_URL=db_url, MF_SERVICES="normalizer,writer")
    waits_for(core, "the database")
    waits_for(pipeline, "the writer's database")
    pg_ctl("restart")  # restart starts a stopped server with the options (port) of its last run
    core_ports = ready(core)
    ready(pipeline)
    check(request(core_ports["http"], "POST", "/users", cred, j)[0] == 201, "sign-up after PostgreSQL came")
    token = json.loads(request(core_ports["http"], "POST", "/tokens", cred, j)[2])["token"]
    status = request(core_ports["http"], "GET", "/things", None, {"Authorization": token})[0]
    check(status == 200, f"the core serves its database: {status}")
finally:
    stop_all()
    shutil.rmtree(work, ignore_errors=True)
print("PASS")
