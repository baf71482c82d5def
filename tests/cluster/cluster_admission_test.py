#!/usr/bin/env python3
"""Bad input for a cluster (issue 13): a process with another JWT secret, or beside a process of an incompatible
version, is refused at start with a clear message in its log, shown as refused in the cluster view of the running
processes, and harms nothing (it opened no database; the running core keeps serving). A process with the same secret
joins. A writer without the reader and without MF_DB_URL is refused before it starts.
mainflux-cli cluster prints why a process was refused.
Usage: cluster_admission_test.py <mainflux-backend> [<mainflux-cli>]."""
import http.client, json, os, shutil, socket, subprocess, sys, tempfile, threading, time

backend = sys.argv[1]
cli = sys.argv[2] if len(sys.argv) > 2 else None
work = tempfile.mkdtemp(prefix="mf-admission-test-")
nats_bin = shutil.which("nats-server") or "/usr/sbin/nats-server"
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


def check(cond, what):
    if not cond:
        print("FAIL:", what, flush=True)
        stop_all()
        sys.exit(1)


def request(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request(method, path, body, headers or {})
    r = c.getresponse()
    return r.status, r.getheader("Location"), r.read()


def backend_process(name, **settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MF_")}
    env.update(MF_DATA_DIR=os.path.join(work, name), MF_HTTP_PORT="0", MF_WS_PORT="0", MF_COAP_PORT="0",
               MF_MQTT_PORT="0", MF_MQTT_WS_PORT="0", MF_NATS_URL=nats_url)
    env.update(settings)
    log = open(os.path.join(work, name + ".log"), "w+")
    p = subprocess.Popen([backend], env=env, stdout=subprocess.PIPE, stderr=log, text=True)
    p.log = log
    started.append(p)
    return p


def ready(p):
    line = p.stdout.readline()
    check(line.startswith('{"'), "no ready line; log: " + log_of(p))
    return json.loads(line)


def log_of(p):
    p.log.flush()
    p.log.seek(0)
    return p.log.read()


def refused(p, code):
    """Waits for p to exit; returns its log. It must exit with `code` and print no ready line."""
    try:
        rc = p.wait(60)
    except subprocess.TimeoutExpired:
        check(False, "the process was not refused; log: " + log_of(p))
    check(rc == code, f"exit code {rc}, expected {code}; log: " + log_of(p))
    check(p.stdout.read() == "", "a refused process printed a ready line")
    return log_of(p)


def cluster_view(port):
    return json.loads(request(port, "GET", "/cluster")[2])["processes"]


class OldPeer(threading.Thread):
    """A process of another version as it appears on the bus: its announcement, repeated whenever a joining process
    asks (cluster.probe). Spoken in the NATS text protocol over a plain socket."""

    def __init__(self, port, version):
        super().__init__(daemon=True)
        self.announcement = json.dumps({"id": "01d9eer0-0000-4000-8000-000000000000", "host": "old-host", "pid": 1,
                                        "services": ["normalizer", "writer"], "version": version, "status": "pass",
                                        "interval_ms": 2000, "messages": {"accepted": 0, "stored": 0}}).encode()
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.recv(4096)  # INFO
        self.sock.sendall(b'CONNECT {"verbose":false,"pedantic":false}\r\nSUB cluster.probe 1\r\nPING\r\n')
        self.announce()

    def announce(self):
        self.sock.sendall(b"PUB cluster.announce %d\r\n%s\r\n" % (len(self.announcement), self.announcement))

    def run(self):
        buffer = b""
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    return
                buffer += data
                while b"\r\n" in buffer:
                    line, buffer = buffer.split(b"\r\n", 1)
                    if line.startswith(b"PING"):
                        self.sock.sendall(b"PONG\r\n")
                    elif line.startswith(b"MSG "):
                        size = int(line.split()[-1])
                        while len(buffer) < size + 2:
                            buffer += self.sock.recv(65536)
                        buffer = buffer[size + 2:]
                        self.announce()
        except OSError:
            return


nats_port = free_port()
nats = subprocess.Popen([nats_bin, "-a", "127.0.0.1", "-p", str(nats_port), "-js", "-sd", os.path.join(work, "nats")],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
started.append(nats)
nats_url = f"nats://127.0.0.1:{nats_port}"
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", nats_port)).close()
        break
    except OSError:
        time.sleep(0.1)
try:
    secret = "a" * 64
    core = backend_process("core", MF_SERVICES="users,things,reader,http", MF_JWT_SECRET=secret)
    core_info = ready(core)
    port = core_info["ports"]["http"]
    j = {"Content-Type": "application/json"}
    cred = json.dumps({"email": "ops@example.com", "password": "12345678"})
    check(request(port, "POST", "/users", cred, j)[0] == 201, "sign-up")
    token = json.loads(request(port, "POST", "/tokens", cred, j)[2])["token"]
    auth = dict(j, Authorization=token)
    check(request(port, "POST", "/things", json.dumps({"name": "kept"}), auth)[0] == 201, "create a thing")

    # Another JWT secret: refused, says why, touches no database, shown as refused; the core keeps serving.
    other = backend_process("other-secret", MF_SERVICES="users,things,http", MF_JWT_SECRET="b" * 64)
    log = refused(other, 1)
    check("refused to join the cluster: another JWT secret than process" in log, "the log says why: " + log)
    check("MF_JWT_SECRET must be the same in every process" in log, "the log says what to do: " + log)
    check(secret not in log and "b" * 64 not in log, "the log shows no secret")
    check(not os.path.exists(os.path.join(work, "other-secret", "mainflux.db")), "the refused process opened a database")
    rows = [r for r in cluster_view(port) if r["state"] == "refused"]
    check(len(rows) == 1 and "another JWT secret" in rows[0]["reason"], f"the cluster view shows the refusal: {rows}")
    check(all("jwt_fingerprint" not in r for r in cluster_view(port)), "the public view shows no secret fingerprint")
    if cli:
        shown = subprocess.run([cli, "--mainflux-url", f"http://127.0.0.1:{port}", "cluster"], capture_output=True,
                               text=True, env={k: v for k, v in os.environ.items() if not k.startswith("MF_")})
        check(shown.returncode == 0, "mainflux-cli cluster: " + shown.stderr)
        check(f"{rows[0]['id'][:8]} refused: another JWT secret" in shown.stdout,
              "mainflux-cli cluster says why the process was refused: " + shown.stdout)
    things = json.loads(request(port, "GET", "/things", None, auth)[2])
    check([t["name"] for t in things["things"]] == ["kept"], f"the core still serves its data: {things}")

    # The same secret (and the core's database file): admitted, and the core's tokens work there.
    same = backend_process("same-secret", MF_SERVICES="users,things,http", MF_JWT_SECRET=secret,
                           MF_DB_URL="sqlite:" + os.path.join(work, "core", "mainflux.db"))
    same_port = ready(same)["ports"]["http"]
    check(request(same_port, "GET", "/things", None, auth)[0] == 200, "a core token works on an admitted process")

    # An incompatible version on the bus: a newcomer (an edge, which holds no JWT secret) is refused.
    version = subprocess.run([backend, "--version"], capture_output=True, text=True).stdout.split()[-1]
    other_version = f"{int(version.split('.')[0]) + 1}.0.0"
    peer = OldPeer(nats_port, other_version)
    peer.start()
    edge = backend_process("edge", MF_SERVICES="http,coap")
    log = refused(edge, 1)
    check(f"refused to join the cluster: version {version} cannot run beside version {other_version} of process 01d9eer0"
          in log, "the log says why: " + log)
    rows = {r["id"]: r for r in cluster_view(port)}
    check(any(r["state"] == "refused" and "cannot run beside" in r.get("reason", "") for r in rows.values()),
          f"the cluster view shows the refused edge: {list(rows.values())}")
    check("cannot run beside" in rows["01d9eer0-0000-4000-8000-000000000000"].get("conflict", ""),
          "the cluster view marks the process of the other version")
    check(request(port, "GET", "/things", None, auth)[0] == 200, "the core still serves")
    peer.sock.close()

    # A writer on the bus without the reader and without MF_DB_URL would store where nobody reads: refused at start.
    writer = backend_process("lonely-writer", MF_SERVICES="normalizer,writer")
    log = refused(writer, 2)
    check("a writer without the reader needs MF_DB_URL" in log, "the log says why: " + log)
finally:
    stop_all()
    shutil.rmtree(work, ignore_errors=True)
print("PASS")
