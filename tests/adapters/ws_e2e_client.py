#!/usr/bin/env python3
"""A third-party WebSocket client (python3-websockets) against the Mainflux WS adapter.

usage: ws_e2e_client.py <ws url> <thing key>
Connects with `Authorization: Thing <key>`, sends one SenML frame, prints "connected", then prints the first
frame it receives as "received <text>" and exits 0. Exits 2 on a timeout.
"""
import asyncio
import sys

import websockets


async def main(url, key):
    async with websockets.connect(url, extra_headers={"Authorization": "Thing " + key}) as ws:
        await ws.send('[{"bn":"py:","n":"temp","u":"Cel","v":19.5}]')
        print("connected", flush=True)
        frame = await asyncio.wait_for(ws.recv(), timeout=20)
        if isinstance(frame, bytes):
            frame = frame.decode("utf-8", "replace")
        print("received " + frame, flush=True)


try:
    asyncio.run(main(sys.argv[1], sys.argv[2]))
except asyncio.TimeoutError:
    print("timeout", flush=True)
    sys.exit(2)
