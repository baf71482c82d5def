#!/usr/bin/python3
"""Mixed-protocol load for tests/benchmarks/soak.sh (a benchmark, not a test).

    soak_load.py load  <config.json> <seconds> <rates|peak> <out.json> <first number>
    soak_load.py check <config.json> <acked.json>

load: publishes SenML packs over HTTP (keep-alive POSTs, counted on 202), MQTT (paho, QoS 1, counted on PUBACK),
WebSocket (text frames; counted once the server has had the frame for 2 s without an error frame back and the
socket is still open: the adapter has no per-frame acknowledgement) and CoAP (CON POSTs, counted on 2.04). Each
protocol has its own channel and thing; every message carries a unique name "<proto>-<n>" (n counts from the first
number + 1, so runs against the same channels do not collide). "peak" runs every
protocol as fast as its clients go; otherwise rates is "http=R,mqtt=R,ws=R,coap=R" messages a second. Writes the
acknowledged names (as numbers per protocol) and the rates reached.

check: pages every channel through the reader (GET /channels/{id}/messages) and compares what it returns with
what was acknowledged: missing (acknowledged, not stored), duplicates (stored twice), extra (stored, never
acknowledged: fine, e.g. a 2.04 lost on the way back). Prints one JSON line per protocol.

Uses Debian's python3-paho-mqtt and python3-websockets (run with /usr/bin/python3).
"""
import asyncio
import json
import os
import random
import struct
import sys
import threading
import time
import urllib.request

import paho.mqtt.client as mqtt
import websockets

PROTOCOLS = ("http", "mqtt", "ws", "coap")


def senml(name):
    return json.dumps([{"n": name, "u": "Cel", "v": 21.5}], separators=(",", ":")).encode()


class Pacer:
    """Hands out send slots at `rate` a second (None: no limit) until the deadline."""

    def __init__(self, rate, deadline):
        self.rate, self.deadline, self.start, self.sent = rate, deadline, time.monotonic(), 0

    async def next(self):
        if time.monotonic() >= self.deadline:
            return False
        if self.rate:
            due = self.start + self.sent / self.rate
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if time.monotonic() >= self.deadline:
                return False
        if not self.rate or self.sent % 16 == 0:
            await asyncio.sleep(0)  # let the other protocols' clients run (a WebSocket send rarely waits)
        self.sent += 1
        return True


class Counter:
    def __init__(self, proto, first):
        self.proto, self.first, self.next_id, self.acked, self.refused, self.errors = proto, first, first, [], 0, []

    def name(self):
        self.next_id += 1
        return self.next_id, f"{self.proto}-{self.next_id}"


async def http_load(cfg, pacer, counter, connections):
    thing, channel = cfg["things"]["http"], cfg["channels"]["http"]

    async def one():
        reader, writer = await asyncio.open_connection("127.0.0.1", cfg["http_port"])
        try:
            while await pacer.next():
                n, name = counter.name()
                body = senml(name)
                writer.write(
                    (f"POST /http/channels/{channel}/messages HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     f"Authorization: {thing['key']}\r\nContent-Type: application/senml+json\r\n"
                     f"Content-Length: {len(body)}\r\n\r\n").encode() + body)
                status = int((await reader.readline()).split()[1])
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                if length:
                    await reader.readexactly(length)
                if status == 202:
                    counter.acked.append(n)
                else:
                    counter.refused += 1
        finally:
            writer.close()

    await asyncio.gather(*(one() for _ in range(connections)))


async def mqtt_load(cfg, pacer, counter, inflight):
    thing, channel = cfg["things"]["mqtt"], cfg["channels"]["mqtt"]
    topic = f"channels/{channel}/messages"
    loop = asyncio.get_running_loop()
    window = asyncio.Semaphore(inflight)
    pending = {}  # mid -> n; touched only on the asyncio thread
    connected = threading.Event()

    def acked(mid):  # on the asyncio thread, always after publish() below recorded the mid
        n = pending.pop(mid, None)
        if n is not None:
            counter.acked.append(n)
            window.release()

    client = mqtt.Client(client_id=f"soak-{os.getpid()}", clean_session=True)
    client.username_pw_set(thing["id"], thing["key"])
    client.max_inflight_messages_set(inflight)
    client.max_queued_messages_set(0)
    # paho calls this on its network thread holding its own locks: hand over, take no lock here.
    client.on_publish = lambda _c, _u, mid: loop.call_soon_threadsafe(acked, mid)
    client.on_connect = lambda *_: connected.set()
    client.connect("127.0.0.1", cfg["mqtt_port"], keepalive=30)
    client.loop_start()
    try:
        if not await loop.run_in_executor(None, connected.wait, 10):
            counter.errors.append("mqtt: no CONNACK in 10 s")
            return
        while await pacer.next():
            await window.acquire()
            n, name = counter.name()
            info = client.publish(topic, senml(name), qos=1)
            if info.rc == mqtt.MQTT_ERR_SUCCESS:
                pending[info.mid] = n
            else:
                counter.refused += 1
                window.release()
        deadline = time.monotonic() + 30  # the last PUBACKs
        while pending and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        counter.refused += len(pending)
    finally:
        client.disconnect()
        client.loop_stop()


async def ws_load(cfg, pacer, counter, _):
    thing, channel = cfg["things"]["ws"], cfg["channels"]["ws"]
    url = f"ws://127.0.0.1:{cfg['ws_port']}/channels/{channel}/messages?authorization={thing['key']}"
    sent = []  # (time sent, n) not yet counted
    async with websockets.connect(url, max_queue=None, ping_interval=None) as ws:
        errors = 0

        async def read():
            nonlocal errors
            async for frame in ws:  # only error frames: a thing does not get its own messages back
                errors += 1
                if len(counter.errors) < 5:
                    counter.errors.append(f"ws: {frame[:200]}")

        reading = asyncio.create_task(read())
        try:
            while await pacer.next():
                n, name = counter.name()
                await ws.send(senml(name).decode())
                sent.append((time.monotonic(), n))
                # Frames the server has had 2 s without complaint are counted (they come back in order).
                while sent and sent[0][0] < time.monotonic() - 2 and errors == 0:
                    counter.acked.append(sent.pop(0)[1])
            await asyncio.sleep(2.5)
            await ws.ping()
        finally:
            reading.cancel()
        if errors == 0 and ws.open:
            counter.acked.extend(n for _, n in sent)
        else:
            counter.refused += len(sent) + errors


class CoapClient(asyncio.DatagramProtocol):
    """CON POSTs with `inflight` outstanding; a 2.04 (piggybacked or separate) counts. Retransmits like RFC 7252."""

    def __init__(self, counter, path, query, inflight):
        self.counter, self.path, self.query = counter, path, query
        self.window = asyncio.Semaphore(inflight)
        self.by_mid, self.by_token, self.done = {}, {}, set()
        self.mid = random.randrange(65536)

    def connection_made(self, transport):
        self.transport = transport

    def request(self, n, payload):
        self.mid = (self.mid + 1) & 0xFFFF
        token = struct.pack(">I", n)
        options = b""
        last = 0

        def option(number, value):
            nonlocal options, last
            delta, length = number - last, len(value)
            head, ext = bytearray(1), bytearray()
            for shift, v in ((4, delta), (0, length)):
                if v < 13:
                    head[0] |= v << shift
                elif v < 269:
                    head[0] |= 13 << shift
                    ext.append(v - 13)
                else:
                    head[0] |= 14 << shift
                    ext += struct.pack(">H", v - 269)
            options += bytes(head) + bytes(ext) + value
            last = number

        for segment in self.path:
            option(11, segment.encode())
        option(12, bytes([110]))  # application/senml+json
        option(15, self.query.encode())
        pdu = bytes([0x40 | len(token), 0x02]) + struct.pack(">H", self.mid) + token + options + b"\xff" + payload
        self.by_mid[self.mid] = [n, pdu, 0, time.monotonic()]
        self.by_token[token] = n
        self.transport.sendto(pdu)

    def datagram_received(self, data, _addr):
        if len(data) < 4:
            return
        kind, tkl, code, mid = (data[0] >> 4) & 3, data[0] & 0xF, data[1], struct.unpack(">H", data[2:4])[0]
        token = data[4:4 + tkl]
        if kind == 2:  # ACK: empty (separate response follows) or piggybacked
            entry = self.by_mid.pop(mid, None)
            if entry is None or code == 0:
                return
        elif kind in (0, 1):  # separate response
            if kind == 0:
                self.transport.sendto(bytes([0x60, 0]) + data[2:4])
        else:
            return
        n = self.by_token.pop(token, None)
        if n is None or n in self.done:
            return
        self.done.add(n)
        for m in [m for m, e in self.by_mid.items() if e[0] == n]:
            del self.by_mid[m]
        if code == 0x44:  # 2.04
            self.counter.acked.append(n)
        else:
            self.counter.refused += 1
            if len(self.counter.errors) < 5:
                self.counter.errors.append(f"coap: {code >> 5}.{code & 31:02d} {data[4 + tkl:][:200]!r}")
        self.window.release()

    def retransmit(self):
        now = time.monotonic()
        for mid, entry in list(self.by_mid.items()):
            n, pdu, tries, sent = entry
            if now - sent < 2 * (2 ** tries):
                continue
            if tries >= 4:  # given up: never acknowledged
                del self.by_mid[mid]
                if self.by_token.pop(struct.pack(">I", n), None) is not None:
                    self.counter.refused += 1
                    self.window.release()
                continue
            entry[2], entry[3] = tries + 1, now
            self.transport.sendto(pdu)


async def coap_load(cfg, pacer, counter, inflight, sessions=8):
    # Several client endpoints: the server sends separate CON responses to one endpoint one at a time (NSTART 1).
    thing, channel = cfg["things"]["coap"], cfg["channels"]["coap"]
    loop = asyncio.get_running_loop()

    async def one():
        transport, client = await loop.create_datagram_endpoint(
            lambda: CoapClient(counter, ["channels", channel, "messages"], f"authorization={thing['key']}",
                               max(1, inflight // sessions)),
            remote_addr=("127.0.0.1", cfg["coap_port"]))
        try:
            last_check = time.monotonic()
            while await pacer.next():
                await client.window.acquire()
                n, name = counter.name()
                client.request(n, senml(name))
                if time.monotonic() - last_check > 0.5:
                    client.retransmit()
                    last_check = time.monotonic()
            deadline = time.monotonic() + 60  # separate responses still due, retransmissions
            while client.by_token and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
                client.retransmit()
            counter.refused += len(client.by_token)
        finally:
            transport.close()

    await asyncio.gather(*(one() for _ in range(sessions)))


async def load(cfg, seconds, rates, out, first):
    peak = rates == "peak"
    wanted = {} if peak else {k: float(v) for k, v in (p.split("=") for p in rates.split(","))}
    deadline = time.monotonic() + seconds
    counters = {p: Counter(p, first) for p in PROTOCOLS}
    # Concurrency: enough to reach the peak, few enough that paced runs stay smooth.
    runners = {"http": (http_load, 16), "mqtt": (mqtt_load, 200), "ws": (ws_load, 1), "coap": (coap_load, 32)}
    started = time.monotonic()
    results = await asyncio.gather(
        *(fn(cfg, Pacer(None if peak else wanted.get(p), deadline), counters[p], width)
          for p, (fn, width) in runners.items() if peak or wanted.get(p)),
        return_exceptions=True)
    elapsed = time.monotonic() - started
    for r in results:
        if isinstance(r, BaseException):
            print(f"soak_load: {type(r).__name__}: {r}", file=sys.stderr)
    report = {p: {"sent": c.next_id - c.first, "acked": len(c.acked), "refused": c.refused, "errors": c.errors,
                  "acked_per_s": round(len(c.acked) / min(elapsed, seconds), 1), "ids": c.acked}
              for p, c in counters.items()}
    with open(out, "w") as f:
        json.dump(report, f)
    for p, r in report.items():
        print(json.dumps({"protocol": p, **{k: v for k, v in r.items() if k != "ids"}}))
    return 0 if not any(isinstance(r, BaseException) for r in results) else 1


def check(cfg, acked_files):
    base = f"http://127.0.0.1:{cfg['http_port']}"
    acked = {p: set() for p in PROTOCOLS}
    for path in acked_files:
        with open(path) as f:
            for p, r in json.load(f).items():
                acked[p].update(r["ids"])
    ok = True
    for p in PROTOCOLS:
        channel = cfg["channels"][p]
        seen, duplicates, offset, total = set(), 0, 0, None
        while total is None or offset < total:
            request = urllib.request.Request(f"{base}/channels/{channel}/messages?offset={offset}&limit=1000",
                                             headers={"Authorization": f"Bearer {cfg['token']}"})
            with urllib.request.urlopen(request, timeout=60) as r:
                page = json.load(r)
            total = page["total"]
            messages = page["messages"]
            if not messages:
                break
            for m in messages:
                name = m.get("name") or json.loads(m.get("payload", "[{}]"))[0].get("n", "")
                n = int(name.split("-")[1])
                duplicates += n in seen
                seen.add(n)
            offset += len(messages)
        missing = acked[p] - seen
        ok = ok and not missing and not duplicates
        print(json.dumps({"protocol": p, "acknowledged": len(acked[p]), "stored": offset, "distinct": len(seen),
                          "missing": len(missing), "duplicates": duplicates, "extra": len(seen - acked[p]),
                          "first_missing": sorted(missing)[:10]}))
    return 0 if ok else 2


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "check":
        with open(sys.argv[2]) as f:
            return check(json.load(f), sys.argv[3:])
    if len(sys.argv) == 7 and sys.argv[1] == "load":
        with open(sys.argv[2]) as f:
            cfg = json.load(f)
        return asyncio.run(load(cfg, float(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6])))
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main())
