#!/usr/bin/env python3
"""Fleet status figures (issue 16), printed as markdown on stdout, progress on stderr.

1. Lists of 10,000 things with their status (GET /things, 100 a page): the first page unfiltered and ordered by
   creation (the baseline of the same run), ordered by last seen, filtered online / offline / offline_for.
2. Status latency: a thing's MQTT connection closes (mosquitto_sub killed) -> GET /things/{id} says offline, and a
   connection opens -> online, polled every 10 ms; 10 rounds.
3. The same over WebSocket (a thing's connection to the adapter: close frame sent -> offline) and CoAP (an Observe
   registration: deregistering GET sent -> offline), 10 rounds each, read from the user's event stream and GET.
4. HTTP publish with the status service and last values on the path: 3-record packs from 1 thread, messages/s,
   with the time until every status is written.

usage: bench_fleet.py <mainflux-backend> [things]; everything on 127.0.0.1, free ports, SQLite in a temp dir.
"""
import base64
import json
import os
import socket
import threading
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from benchhttp import request

backend_bin = sys.argv[1]
thing_count = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000


def log(*args):
    print("bench-fleet:", *args, file=sys.stderr, flush=True)


def timed_get(url, token, rounds=20):
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        status, body = request("GET", url, token=token)
        times.append((time.perf_counter() - t0) * 1000)
        assert status == 200, (url, status)
    return statistics.median(times), max(times), body


class EventStream(threading.Thread):
    """The user's event stream (ws://.../events), read as the dashboard reads it: a minimal RFC 6455 client (no
    WebSocket module in Debian's python3 here), recording when each status change of a thing arrives."""

    def __init__(self, port, token):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer %s\r\n\r\n"
                           % (key, token)).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        assert head.startswith(b"HTTP/1.1 101"), head
        self.changes = []  # (perf_counter, thing, online)
        self.lock = threading.Lock()

    def read(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def run(self):
        try:
            while True:
                b0, b1 = self.read(2)
                length = b1 & 0x7F
                if length == 126:
                    length = int.from_bytes(self.read(2), "big")
                elif length == 127:
                    length = int.from_bytes(self.read(8), "big")
                payload = self.read(length)
                if b0 & 0x0F != 1:
                    continue  # only text frames carry events
                now = time.perf_counter()
                event = json.loads(payload)
                with self.lock:
                    for c in event.get("changes", []):
                        self.changes.append((now, c["thing"], c["online"]))
        except (EOFError, OSError):
            pass

    def wait_for(self, thing, online, since, timeout=10):
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            with self.lock:
                for at, t, o in self.changes:
                    if t == thing and o == online and at >= since:
                        return at
            time.sleep(0.001)
        raise TimeoutError("no event for %s online=%s" % (thing, online))


def ws_frame(opcode, payload=b""):
    """One masked client frame (RFC 6455), short payloads only."""
    mask = os.urandom(4)
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def ws_open(port, path, authorization):
    sock = socket.create_connection(("127.0.0.1", port))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nAuthorization: %s\r\n\r\n"
                  % (path, key, authorization)).encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    assert head.startswith(b"HTTP/1.1 101"), head
    return sock


def coap_option_bytes(options):
    """CoAP options [(number, bytes)] in order, with delta/length extensions (RFC 7252 3.1)."""
    out, last = b"", 0
    for number, value in options:
        delta, length = number - last, len(value)
        last = number
        def nibble(n):
            return (n, b"") if n < 13 else (13, bytes([n - 13])) if n < 269 else (14, (n - 269).to_bytes(2, "big"))
        d, dext = nibble(delta)
        l, lext = nibble(length)
        out += bytes([(d << 4) | l]) + dext + lext + value
    return out


def coap_get(message_id, token, observe, path, query):
    options = [(6, b"" if observe == 0 else bytes([observe]))]
    options += [(11, segment.encode()) for segment in path]
    options += [(15, query.encode())]
    return bytes([0x40 | len(token), 0x01]) + message_id.to_bytes(2, "big") + token + coap_option_bytes(options)


tmp = tempfile.mkdtemp(prefix="bench-fleet.")
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
    mqtt_port = ready["ports"]["mqtt"]
    request("POST", base + "/users", {"email": "ops@example.com", "password": "12345678"})
    token = request("POST", base + "/tokens", {"email": "ops@example.com", "password": "12345678"})[1]["token"]
    request("POST", base + "/channels", {"name": "fleet"}, token)
    channel = request("GET", base + "/channels?limit=1", token=token)[1]["channels"][0]["id"]
    log("creating", thing_count, "things")
    things = []
    for offset in range(0, thing_count, 100):
        batch = [{"name": "dev-%05d" % i, "type": "device"} for i in range(offset, min(offset + 100, thing_count))]
        status, body = request("POST", base + "/things/bulk", batch, token)
        assert status == 201, status
        things += body["things"]
    heard = things[: thing_count // 5]  # a fifth of the fleet speaks
    for offset in range(0, len(heard), 100):
        ids = [t["id"] for t in heard[offset:offset + 100]]
        assert request("POST", base + "/connect", {"channel_ids": [channel], "thing_ids": ids}, token)[0] in (200, 201)
    log("publishing once from", len(heard), "things")
    pack = json.dumps([{"bn": "dev:", "n": "temp", "u": "Cel", "v": 21.5}, {"n": "hum", "v": 40},
                       {"n": "co2", "v": 410}]).encode()
    t0 = time.perf_counter()
    for t in heard:
        s, _ = request("POST", "%s/http/channels/%s/messages" % (base, channel), pack, t["key"],
                       "application/senml+json")
        assert s == 202, s
    publish_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    while request("GET", base + "/things?status=online&limit=1", token=token)[1]["total"] < len(heard):
        time.sleep(0.05)
    settle_s = time.perf_counter() - t1

    print("### Lists of %d things with status (SQLite, first page of 100, 20 requests each)\n" % thing_count)
    print("| query | p50 ms | max ms | total |")
    print("|---|---|---|---|")
    for label, query in [("baseline: `?limit=100` (by creation)", "limit=100"),
                         ("`?order=last_seen&dir=desc`", "limit=100&order=last_seen&dir=desc"),
                         ("`?status=online`", "limit=100&status=online"),
                         ("`?status=offline`", "limit=100&status=offline"),
                         ("`?offline_for=1s`", "limit=100&offline_for=1s")]:
        p50, worst, body = timed_get(base + "/things?" + query, token)
        print("| %s | %.2f | %.2f | %d |" % (label, p50, worst, body["total"]))
    print()
    print("Publishing one 3-record pack from each of %d things (1 client, sequential): %.0f messages/s; every one of "
          "them online in `GET /things?status=online` %.2f s after the last 202.\n" %
          (len(heard), len(heard) / publish_s, settle_s))

    print("### Status latency over MQTT, WebSocket and CoAP (10 rounds each, polled every 10 ms)\n")
    t = heard[0]
    downs, ups, streamed = [], [], []
    events = EventStream(ready["ports"]["ws"], token)
    events.start()
    for _ in range(10):
        sub = subprocess.Popen(["mosquitto_sub", "-h", "127.0.0.1", "-p", str(mqtt_port), "-u", t["id"], "-P",
                                t["key"], "-t", "channels/%s/messages" % channel], stdout=subprocess.DEVNULL)
        t0 = time.perf_counter()
        while not request("GET", base + "/things/" + t["id"], token=token)[1]["online"] or \
                "connected_since" not in request("GET", base + "/things/" + t["id"], token=token)[1]:
            time.sleep(0.01)
        ups.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.2)
        killed = time.perf_counter()
        sub.send_signal(signal.SIGKILL)  # the TCP connection drops: no DISCONNECT packet
        sub.wait()
        t0 = time.perf_counter()
        while request("GET", base + "/things/" + t["id"], token=token)[1]["online"]:
            time.sleep(0.01)
        downs.append((time.perf_counter() - t0) * 1000)
        streamed.append((events.wait_for(t["id"], False, killed) - killed) * 1000)
    print("| event | p50 ms | max ms |")
    print("|---|---|---|")
    print("| `mosquitto_sub` started -> `online` with `connected_since` (includes its process start and CONNECT) "
          "| %.0f | %.0f |" % (statistics.median(ups), max(ups)))
    print("| `mosquitto_sub` killed -> `online: false` | %.0f | %.0f |" % (statistics.median(downs), max(downs)))
    print("| `mosquitto_sub` killed -> the change on the user's event stream (what the dashboard reads) | %.0f | %.0f |"
          % (statistics.median(streamed), max(streamed)))

    def online(thing):
        return request("GET", base + "/things/" + thing["id"], token=token)[1]["online"]

    def measure(opened, closing, rounds=10):
        """opened(): a session of heard[1] opens (returns a handle); closing(handle): ends it. Milliseconds from the
        end to `online: false` in GET /things/{id} and on the event stream."""
        thing = heard[1]
        downs, streamed = [], []
        for _ in range(rounds):
            handle = opened(thing)
            while not online(thing):
                time.sleep(0.01)
            time.sleep(0.2)
            t0 = time.perf_counter()
            closing(handle)
            while online(thing):
                time.sleep(0.01)
            downs.append((time.perf_counter() - t0) * 1000)
            streamed.append((events.wait_for(thing["id"], False, t0) - t0) * 1000)
        return downs, streamed

    path = "/channels/%s/messages" % channel

    def ws_close(sock):
        sock.sendall(ws_frame(8, (1000).to_bytes(2, "big")))  # a close frame, then the TCP connection goes
        sock.close()

    ws_down, ws_streamed = measure(lambda t: ws_open(ready["ports"]["ws"], path, "Thing " + t["key"]), ws_close)
    coap = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    coap.settimeout(5)
    coap_ids = iter(range(1, 65536))

    def coap_observe(thing):
        token = os.urandom(4)
        coap.sendto(coap_get(next(coap_ids), token, 0, ["channels", channel, "messages"],
                             "authorization=" + thing["key"]), ("127.0.0.1", ready["ports"]["coap"]))
        coap.recv(2048)  # the registration's answer
        return thing, token

    def coap_cancel(handle):
        thing, token = handle
        coap.sendto(coap_get(next(coap_ids), token, 1, ["channels", channel, "messages"],
                             "authorization=" + thing["key"]), ("127.0.0.1", ready["ports"]["coap"]))

    coap_down, coap_streamed = measure(coap_observe, coap_cancel)
    print("| WebSocket close frame sent -> `online: false` | %.0f | %.0f |"
          % (statistics.median(ws_down), max(ws_down)))
    print("| WebSocket close frame sent -> the change on the user's event stream | %.0f | %.0f |"
          % (statistics.median(ws_streamed), max(ws_streamed)))
    print("| CoAP Observe deregistration sent -> `online: false` | %.0f | %.0f |"
          % (statistics.median(coap_down), max(coap_down)))
    print("| CoAP Observe deregistration sent -> the change on the user's event stream | %.0f | %.0f |"
          % (statistics.median(coap_streamed), max(coap_streamed)))
finally:
    proc.terminate()
    proc.wait(timeout=30)
