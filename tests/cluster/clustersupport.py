"""What the cluster tests share: scripts/cluster.sh up/down, REST calls, a provisioned thing and channel, publishers
that remember what was acknowledged, and reading back everything the reader stores."""
import http.client, json, os, random, socket, subprocess, sys, tempfile, threading, time

import paho.mqtt.client as mqtt


def request(port, method, path, body=None, headers=None, timeout=30):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body, headers or {})
        r = c.getresponse()
        return r.status, r.getheader("Location"), r.read()
    finally:
        c.close()


class Cluster:
    """A cluster from scripts/cluster.sh in a fresh directory; check() stops it and fails the test."""

    def __init__(self, root, backend, **settings):
        self.work = tempfile.mkdtemp(prefix="mf-cluster-test-")
        os.chmod(self.work, 0o755)  # as root, PostgreSQL runs as "postgres" and must reach its directory inside
        self.dir = os.path.join(self.work, "cluster")
        self.root = root
        self.script = os.path.join(root, "scripts", "cluster.sh")
        self.env = dict(os.environ, MF_BACKEND=backend, **settings)  # settings: e.g. MF_NATS_REPLICAS="1"

    def up(self):
        up = subprocess.run([self.script, "up", self.dir], env=self.env, capture_output=True, text=True)
        print(up.stdout, up.stderr, flush=True)
        self.check(up.returncode == 0, "cluster.sh up")
        conf = dict(l.strip().split("=", 1) for l in open(os.path.join(self.dir, "cluster.env")) if "=" in l)
        self.conf = conf
        self.ports = {k[:-6].lower().replace("_", "-"): {n: int(p) for n, p in (x.split("=") for x in v.strip('"').split())}
                      for k, v in conf.items() if k.endswith("_PORTS")}

    def pid(self, name):
        return int(open(os.path.join(self.dir, name + ".pid")).read())

    def status(self):
        return subprocess.run([self.script, "status", self.dir], env=self.env, capture_output=True, text=True).stdout

    def down(self):
        down = subprocess.run([self.script, "down", self.dir], env=self.env, capture_output=True, text=True)
        return down.returncode == 0 and not os.path.exists(self.dir)

    def check(self, cond, what):
        if not cond:
            print("FAIL:", what, flush=True)
            if os.path.isdir(self.dir):
                print(self.status(), flush=True)
                for name in sorted(os.listdir(self.dir)):
                    if name.endswith(".log") and not name.startswith("nats"):
                        print(f"--- {name} (last lines)", flush=True)
                        print("".join(open(os.path.join(self.dir, name), errors="replace").readlines()[-15:]), flush=True)
            self.down()
            sys.exit(1)


def provision(cluster, email="ops@example.com"):
    """A user, one thing and one channel, connected, through the core. Returns (token, thing id, key, channel id)."""
    core = cluster.ports["core"]["http"]
    j = {"Content-Type": "application/json"}
    cred = json.dumps({"email": email, "password": "12345678"})
    cluster.check(request(core, "POST", "/users", cred, j)[0] == 201, "sign-up")
    token = json.loads(request(core, "POST", "/tokens", cred, j)[2])["token"]
    auth = dict(j, Authorization=token)
    thing = request(core, "POST", "/things", json.dumps({"name": "d1"}), auth)[1].rsplit("/", 1)[1]
    channel = request(core, "POST", "/channels", json.dumps({"name": "c1"}), auth)[1].rsplit("/", 1)[1]
    key = json.loads(request(core, "GET", "/things/" + thing, None, auth)[2])["key"]
    cluster.check(request(core, "PUT", f"/channels/{channel}/things/{thing}", None, auth)[0] == 200, "connect")
    return token, thing, key, channel


class Publisher(threading.Thread):
    """Sends SenML [{"n": name, "v": i}] for i = 0, 1, ... about every `pause` seconds until stopped, and remembers
    which i were acknowledged (HTTP 202, MQTT PUBACK) and when. Failures are counted, never retried under the same i."""

    def __init__(self, name, pause):
        super().__init__(daemon=True)
        self.name_, self.pause = name, pause
        self.acked, self.ack_times, self.failures, self.sent = set(), [], 0, 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def record(self, i):
        with self.lock:
            self.acked.add(i)
            self.ack_times.append(time.monotonic())

    def body(self, i):
        return json.dumps([{"n": self.name_, "v": i}])

    def stop(self):
        self.stopping.set()
        self.join(30)

    def acks_between(self, start, end):
        with self.lock:
            return sum(1 for t in self.ack_times if start <= t < end)

    def longest_gap(self, start, end):
        with self.lock:
            times = [start] + [t for t in self.ack_times if start <= t < end] + [end]
        return max(b - a for a, b in zip(times, times[1:]))


class HttpPublisher(Publisher):
    def __init__(self, name, port, channel, key, pause=0.01):
        super().__init__(name, pause)
        self.port, self.path = port, f"/http/channels/{channel}/messages"
        self.headers = {"Authorization": "Thing " + key, "Content-Type": "application/senml+json"}

    def run(self):
        c = None
        while not self.stopping.is_set():
            i = self.sent
            self.sent += 1
            try:
                if c is None:
                    c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                c.request("POST", self.path, self.body(i), self.headers)
                r = c.getresponse()
                r.read()
                if r.status == 202:
                    self.record(i)
                else:
                    self.failures += 1
            except (OSError, http.client.HTTPException):
                self.failures += 1
                c = None
                time.sleep(0.2)
            time.sleep(self.pause)


class MqttPublisher(Publisher):
    """MQTT 3.1.1 QoS 1 through Paho (a client this project did not write); an i counts once its PUBACK came."""

    def __init__(self, name, port, channel, thing, key, pause=0.01):
        super().__init__(name, pause)
        self.port, self.topic = port, f"channels/{channel}/messages"
        self.client = mqtt.Client(client_id=name, clean_session=True, protocol=mqtt.MQTTv311)
        self.client.username_pw_set(thing, key)
        self.client.max_inflight_messages_set(20)
        self.pending, self.early, self.mids = {}, set(), threading.Lock()  # mid → i; PUBACKed mids not yet seen
        self.client.on_publish = lambda client, userdata, mid: self.published(mid)
        self.client.on_disconnect = lambda client, userdata, rc: self.disconnected(rc)

    # Paho calls on_publish holding its own lock, which publish() takes too: never hold self.mids around publish().
    def published(self, mid):
        with self.mids:
            i = self.pending.pop(mid, None)
            if i is None:
                self.early.add(mid)  # the PUBACK came before publish() returned its mid
        if i is not None:
            self.record(i)

    def disconnected(self, rc):
        if rc != 0:
            self.failures += 1

    def run(self):
        self.client.connect("127.0.0.1", self.port, keepalive=30)
        self.client.loop_start()
        while not self.stopping.is_set():
            if not self.client.is_connected():
                time.sleep(0.2)
                continue
            i = self.sent
            self.sent += 1
            info = self.client.publish(self.topic, self.body(i), qos=1)
            if info.rc != mqtt.MQTT_ERR_SUCCESS:
                self.failures += 1
            else:
                with self.mids:
                    early = info.mid in self.early
                    if early:
                        self.early.discard(info.mid)
                    else:
                        self.pending[info.mid] = i
                if early:
                    self.record(i)
            time.sleep(self.pause)
        self.client.disconnect()
        self.client.loop_stop()


def coap_option(delta, value):
    """One CoAP option (RFC 7252 §3.1): delta and length nibbles with their extended bytes, then the value."""
    def nibble(n):
        return (n, b"") if n < 13 else (13, bytes([n - 13])) if n < 269 else (14, (n - 269).to_bytes(2, "big"))
    d, dx = nibble(delta)
    n, nx = nibble(len(value))
    return bytes([d << 4 | n]) + dx + nx + value


class CoapPublisher(Publisher):
    """CoAP confirmable POSTs over UDP, one at a time, in a few lines of RFC 7252 (no retransmission, so a device never
    sends one i twice): an i counts once its 2.04 came, piggybacked on the ACK or as a separate response (ACKed)."""

    def __init__(self, name, port, channel, key, pause=0.01, timeout=12):
        super().__init__(name, pause)
        self.port, self.timeout = port, timeout
        self.options = (coap_option(11, b"channels") + coap_option(0, channel.encode()) + coap_option(0, b"messages")
                        + coap_option(1, bytes([110]))  # Content-Format: application/senml+json
                        + coap_option(3, b"authorization=" + key.encode()))

    def exchange(self, sock, mid, token, body):
        sock.send(bytes([0x40 | len(token), 0x02]) + mid.to_bytes(2, "big") + token + self.options + b"\xff" + body)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            sock.settimeout(max(deadline - time.monotonic(), 0.01))
            try:
                pdu = sock.recv(2048)
            except socket.timeout:
                break
            kind, tkl, code, their_mid = (pdu[0] >> 4) & 3, pdu[0] & 15, pdu[1], int.from_bytes(pdu[2:4], "big")
            if kind == 0:  # a confirmable (separate) response: acknowledge it
                sock.send(bytes([0x60, 0x00]) + pdu[2:4])
            if kind == 2 and their_mid == mid and code == 0:
                continue  # the empty ACK: the response follows separately
            if pdu[4:4 + tkl] == token and code != 0:
                return code
        return None

    def run(self):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.connect(("127.0.0.1", self.port))
        mid = random.randrange(0x10000)
        while not self.stopping.is_set():
            i = self.sent
            self.sent += 1
            mid = (mid + 1) & 0xFFFF
            try:
                code = self.exchange(sock, mid, os.urandom(4), self.body(i).encode())
            except OSError:  # ICMP port unreachable: the edge is gone
                code = None
                time.sleep(0.2)
            if code == 0x44:  # 2.04 Changed
                self.record(i)
            else:
                self.failures += 1
            time.sleep(self.pause)
        sock.close()


def stored_messages(cluster, token, channel):
    """Every stored message of the channel as {(name, value): count}, read page by page while the total stays put;
    or the reader's error as a string."""
    core = cluster.ports["core"]["http"]
    auth = {"Authorization": token}

    def page(limit, offset):
        status, _, body = request(core, "GET", f"/channels/{channel}/messages?limit={limit}&offset={offset}", None, auth)
        if status != 200:
            raise RuntimeError(f"reader answered {status} {body!r}")
        return json.loads(body)

    try:
        for _ in range(5):
            total, seen = page(1, 0)["total"], {}
            for offset in range(0, total, 1000):
                for m in page(1000, offset)["messages"]:
                    k = (m["name"], int(m["value"]))
                    seen[k] = seen.get(k, 0) + 1
            if page(1, 0)["total"] == total:
                return seen
        return seen
    except (RuntimeError, OSError) as e:
        return str(e)
