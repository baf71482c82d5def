#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into corpus/<target>/seed-*.

Seeds are small valid (and a few nearly valid) inputs, so the fuzzer starts from the shapes the parsers accept
instead of having to discover JSON, CBOR, protobuf or CoAP framing from nothing. The same folders also hold the inputs
fuzzing found that reach new code (SHA-1 names, merged with `fuzz_<target> -merge=1 corpus/<target> <grown corpus>`)
and the crashes found (crash-*, added by hand with their fix); this script never touches those. Standard library only.
"""
import json
import os
import struct

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def write(target, name, data):
    folder = os.path.join(ROOT, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(folder, "seed-" + name), "wb") as f:
        f.write(data)


# --- SenML JSON (RFC 8428 examples and the base fields) ---
senml = {
    "single": [{"n": "urn:dev:ow:10e2073a01080063", "u": "Cel", "v": 23.1}],
    "base": [{"bn": "urn:dev:ow:10e2073a01080063:", "bt": 1.276020076001e+09, "bu": "A", "bver": 5,
              "n": "voltage", "u": "V", "v": 120.1}, {"n": "current", "t": -5, "v": 1.2}, {"n": "current", "t": -4}],
    "kinds": [{"bn": "d:", "n": "s", "vs": "text"}, {"n": "b", "vb": True}, {"n": "d", "vd": "AQID-_8"},
              {"n": "sum", "s": 10, "bs": 2}, {"n": "upd", "v": 1, "ut": 60}],
    "relative": [{"bn": "x:", "bt": -10, "n": "a", "v": 1}, {"n": "b", "t": 5, "v": 2}],
    "invalid-name": [{"n": "bad name!", "v": 1}],
    "no-value": [{"n": "a"}],
}
for name, pack in senml.items():
    write("senml_json", name, json.dumps(pack))
write("senml_json", "empty-array", "[]")
write("senml_json", "not-array", '{"n":"a","v":1}')


# --- SenML CBOR (labels of RFC 8428 §6: bver -1, bn -2, bt -3, bu -4, bv -5, bs -6, n 0, u 1, v 2, vs 3, vb 4,
# s 5, t 6, ut 7, vd 8) ---
def cbor(value):
    def head(major, n):
        if n < 24:
            return bytes([major << 5 | n])
        for add, fmt in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
            if n < 1 << (8 * struct.calcsize(fmt)):
                return bytes([major << 5 | add]) + struct.pack(fmt, n)
        raise ValueError(n)
    if value is True:
        return b"\xf5"
    if value is False:
        return b"\xf4"
    if isinstance(value, int):
        return head(0, value) if value >= 0 else head(1, -1 - value)
    if isinstance(value, float):
        return b"\xfb" + struct.pack(">d", value)
    if isinstance(value, bytes):
        return head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode()
        return head(3, len(raw)) + raw
    if isinstance(value, list):
        return head(4, len(value)) + b"".join(cbor(v) for v in value)
    if isinstance(value, dict):
        return head(5, len(value)) + b"".join(cbor(k) + cbor(v) for k, v in value.items())
    raise TypeError(value)


write("senml_cbor", "single", cbor([{0: "urn:dev:ow:10e2073a01080063", 1: "Cel", 2: 23.1}]))
write("senml_cbor", "base", cbor([{-2: "urn:dev:ow:10e2073a01080063:", -3: 1276020076.001, -4: "A", -1: 5,
                                   0: "voltage", 1: "V", 2: 120.1}, {0: "current", 6: -5, 2: 1.2}]))
write("senml_cbor", "kinds", cbor([{-2: "d:", 0: "s", 3: "text"}, {0: "b", 4: True}, {0: "d", 8: b"\x01\x02\x03"},
                                   {0: "sum", 5: 10, -6: 2}, {0: "i", 2: 42}, {0: "u", 2: 1, 7: 60}]))
write("senml_cbor", "string-labels", cbor([{"n": "a", "v": 1}]))
write("senml_cbor", "indefinite", b"\x9f\xbf\x00\x61a\x02\x01\xff\xff")
write("senml_cbor", "tagged", b"\x81\xa2\x00\x61a\x02\xc1\x1a\x65\x00\x00\x00")


# --- bus envelope: protobuf RawMessage (fields 1-4, 6, 8 strings; 5 bytes; 7 int64) ---
def varint(n):
    n &= (1 << 64) - 1
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def field(number, value):
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    raw = value.encode() if isinstance(value, str) else value
    return varint(number << 3 | 2) + varint(len(raw)) + raw


full = (field(1, "7d1c2e8f-0000-4000-8000-000000000001") + field(2, "thing-1") + field(3, "http")
        + field(4, "application/senml+json") + field(5, b'[{"n":"t","v":21.5}]') + field(6, "room.temp")
        + field(7, 1700000000123456789) + field(8, "instance-a"))
write("envelope", "full", full)
write("envelope", "mainflux-0.7", field(1, "chan") + field(2, "pub") + field(3, "mqtt") + field(5, b"raw"))
write("envelope", "empty", b"")
write("envelope", "unknown-field", full + field(15, "future") + varint(16 << 3 | 5) + b"\x00\x00\x00\x00")
write("envelope", "negative-created", field(1, "c") + field(7, -1))
write("envelope", "bad-utf8", field(1, b"\xff\xfe"))
write("envelope", "truncated", full[:-3])

# --- MQTT topics and filters ---
for i, topic in enumerate(["channels/c1/messages", "channels/c1/messages/room/temp", "channels/c1/messages/#",
                           "channels/c1/messages/+/temp", "channels/+/messages", "channels/c1/messages/a.b",
                           "channels/c1/messages//x", "channels/c1/messages/" + "t/" * 20 + "end",
                           "channels/c1/messagesX", "other/topic"]):
    write("mqtt_topic", str(i), topic)


# --- CoAP datagrams (RFC 7252 §3), each preceded by a 2-byte length ---
def coap(code, options, payload=b"", token=b"\x01\x02", mid=1, type_=0):
    out = bytes([1 << 6 | type_ << 4 | len(token), code]) + struct.pack(">H", mid) + token
    last = 0
    for number, value in sorted(options, key=lambda o: o[0]):
        delta, length = number - last, len(value)
        last = number

        def nibble(n):
            if n < 13:
                return n, b""
            if n < 269:
                return 13, bytes([n - 13])
            return 14, struct.pack(">H", n - 269)
        d, dext = nibble(delta)
        l, lext = nibble(length)
        out += bytes([d << 4 | l]) + dext + lext + value
    if payload:
        out += b"\xff" + payload
    return out


def uint(n):
    return n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""


def path(p):
    return [(11, seg.encode()) for seg in p.split("/")]


def framed(*datagrams):
    return b"".join(struct.pack(">H", len(d)) + d for d in datagrams)


POST = 2
key = (15, b"authorization=thing-key")
write("coap_request", "post", framed(coap(POST, path("channels/c1/messages") + [key, (12, uint(110))],
                                          b'[{"n":"t","v":1}]')))
write("coap_request", "subtopic", framed(coap(POST, path("channels/c1/messages/room/temp") + [(15, b"auth=k")], b"x")))
write("coap_request", "observe", framed(coap(1, path("channels/c1/messages") + [(6, b""), key])))
blocks = [coap(POST, path("channels/c1/messages") + [key, (27, uint(n << 4 | (8 if n < 2 else 0) | 0)),
                                                     (12, uint(50))], bytes([65 + n]) * (16 if n < 2 else 5),
               mid=n + 1) for n in range(3)]
write("coap_request", "block1", framed(*blocks))
write("coap_request", "block1-repeat", framed(blocks[0], blocks[0], blocks[1], blocks[2]))
write("coap_request", "block1-gap", framed(blocks[0], blocks[2]))
write("coap_request", "block1-size1", framed(coap(POST, path("channels/c1/messages") + [key, (27, uint(8 | 6)),
                                                                                       (60, uint(100000))], b"a" * 1024)))
write("coap_request", "rtag", framed(coap(POST, path("channels/c1/messages") + [key, (292, b"\x07"), (27, uint(8))],
                                          b"b" * 16)))
write("coap_request", "two-keys", framed(coap(POST, path("channels/c1/messages") + [key, (15, b"auth=x")], b"x")))
write("coap_request", "bad-query", framed(coap(POST, path("channels/c1/messages") + [(15, b"foo=bar")], b"x")))

# --- LoRa uplinks: topic line, then the JSON event ---
v4 = {"deduplicationId": "3ac7e3c4-4401-4b8d-9386-a5c902f9202d", "time": "2024-01-01T00:00:00Z",
      "deviceInfo": {"tenantId": "t", "applicationId": "a1b2c3d4-0000-0000-0000-000000000001", "applicationName": "app",
                     "deviceProfileId": "p", "deviceName": "dev", "devEui": "0202020202020202"},
      "fCnt": 10, "fPort": 1, "data": "AQID", "object": {"temperature": 21.5},
      "rxInfo": [{"gatewayId": "0303030303030303", "rssi": -57, "snr": 10.5}],
      "txInfo": {"frequency": 868100000, "modulation": {"lora": {"bandwidth": 125000, "spreadingFactor": 7}}}, "dr": 5}
write("lora_uplink", "v4", "application/a1b2c3d4-0000-0000-0000-000000000001/device/0202020202020202/event/up\n"
      + json.dumps(v4))
v3 = {"applicationID": "1", "applicationName": "app", "deviceName": "dev", "devEUI": "AgICAgICAgI=",
      "rxInfo": [{"gatewayID": "AwMDAwMDAwM=", "rssi": -60, "loRaSNR": 7}], "txInfo": {"frequency": 868300000, "dr": 5},
      "fCnt": 3, "fPort": 2, "data": "W3sibiI6InQiLCJ2IjoxfV0=", "objectJSON": "[{\"n\":\"t\",\"v\":1}]"}
write("lora_uplink", "v3", "application/1/device/0202020202020202/event/up\n" + json.dumps(v3))
ls = {"applicationID": "1", "devEUI": "0202020202020202", "fCnt": 1, "fPort": 1, "data": "AQ==",
      "rxInfo": [{"mac": "0303030303030303", "rssi": -70, "loRaSNR": 2}], "txInfo": {"frequency": 868500000}}
write("lora_uplink", "loraserver", "application/1/device/0202020202020202/rx\n" + json.dumps(ls))
write("lora_uplink", "mismatch", "application/9/device/0101010101010101/event/up\n" + json.dumps(ls))
write("lora_uplink", "join", "application/1/device/0202020202020202/event/join\n" + json.dumps({"devEUI": "0202020202020202"}))
write("lora_uplink", "downlink", "lora.down\n" + json.dumps({"dev_eui": "02:02:02:02:02:02:02:02", "f_port": 2,
                                                            "data": "AQID", "confirmed": True}))
write("lora_uplink", "metadata", "\n" + json.dumps({"lora": {"dev_eui": "0202020202020202", "app_id": "1"}}))

# --- HTTP requests (REST port, HTTP adapter) ---
def request(method, target, headers=(), body=b""):
    head = f"{method} {target} HTTP/1.1\r\nHost: localhost\r\n"
    for name, value in headers:
        head += f"{name}: {value}\r\n"
    if body:
        head += f"Content-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


write("http_request", "publish", request("POST", "/http/channels/c1/messages/room/temp",
                                         [("Authorization", "Thing key"), ("Content-Type", "application/senml+json")],
                                         b'[{"n":"t","v":1}]'))
write("http_request", "create-thing", request("POST", "/things", [("Authorization", "Bearer t"),
                                                                   ("Content-Type", "application/json")],
                                              b'{"type":"device","name":"d","metadata":{"lora":{"dev_eui":"01"}}}'))
write("http_request", "list", request("GET", "/channels/c1/things?offset=0&limit=10", [("Authorization", "t")]))
write("http_request", "connect", request("PUT", "/channels/c%2F1/things/t1"))
write("http_request", "wrong-method", request("PATCH", "/channels"))
write("http_request", "chunked", b"POST /users HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
write("http_request", "smuggle", b"POST /users HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
write("http_request", "expect", b"POST /tokens HTTP/1.1\nExpect: 100-continue\nContent-Type: application/json\n"
      b"Content-Length: 2\n\n{}")
write("http_request", "http10", b"\r\n\r\nGET /version HTTP/1.0\r\n\r\n")
write("http_request", "folded", b"GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n")

# --- JSON request bodies ---
write("api_body", "thing", '{"id":"t1","type":"device","name":"d","key":"k","metadata":{"a":[1,2,{"b":null}]}}')
write("api_body", "metadata-string", '{"id":"c1","name":"ch","metadata":"{\\"type\\":\\"lora\\",\\"appID\\":\\"1\\"}"}')
write("api_body", "user", '{"id":"u1","email":"a@example.com","password":"secret","admin":true}')
write("api_body", "surrogate", '{"id":"\\ud800","name":"x"}')
write("api_body", "array", '[{"name":"a"},{"name":"b"}]')
write("api_body", "bad-metadata", '{"id":"x","metadata":[1]}')
write("api_body", "connect", '{"channel_ids":["c1"],"thing_ids":["t1","t2"]}')

# --- config files ---
write("config", "typical", "# mainflux-backend\nhttp_port = 8180\nservices = users,things,http\nlog_level = debug\n"
      "data_dir = \"/tmp/mainflux data\"\nallow_signup = no\n")
write("config", "lora", "services = all\nlora_mqtt_url = tcp://localhost:1883\nlora_generation = v3\n"
      "nats_replicas = 3\n")
write("config", "bad-port", "http_port = 70000\n")
write("config", "unknown", "no_such_setting = 1\n")
write("config", "no-equals", "http_port\n")
write("config", "limits", "http_max_body = 1\ncoap_upload_buffer = 9223372036854775807\nhttp_max_headers = 2147483648\n")
write("config", "crlf", "log_format = json\r\nws_port = 0\r\n")
