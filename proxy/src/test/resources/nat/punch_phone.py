#!/usr/bin/env python3
"""A phone's media for the hole punching test (stdlib only).

Binds the address/port the phone declared in its SDP, waits for the phone's SIP side to write
where to send (--peer-file, "address port", as the /nat/ SIPp scenarios write peer-media.txt),
then sends G.711-sized RTP (172 bytes, one every 20 ms) for --duration seconds, re-reading that
file whenever it changes: a re-INVITE that points the phone elsewhere moves its media at once,
as a phone does. Counts the other phone's RTP it receives (172 bytes, version 2, payload type 8,
an SSRC other than its own: the relay's 12-byte keepalives are not media) by source, and the
longest gap between two received packets from the first one to the end of sending. Prints one
JSON line:
  {"sent": n, "received": m, "sources": {"addr:port": count}, "max_gap_ms": g,
   "first_from": {"addr:port": ms after start}, "last_from": {"addr:port": ms after start},
   "peers": [[ms after start, "addr:port"], ...]}
"""
import argparse
import json
import os
import select
import socket
import struct
import time

PACKET_BYTES = 172
PAYLOAD_TYPE = 8


def address(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


def read_peer(path):
    try:
        parts = open(path).read().split()
    except OSError:
        return None
    return (parts[0], int(parts[1])) if len(parts) == 2 else None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bind", required=True, type=address)
    p.add_argument("--peer-file", required=True)
    p.add_argument("--duration", type=float, default=8.0)
    p.add_argument("--wait", type=float, default=30.0, help="longest wait for the peer file")
    a = p.parse_args()

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(a.bind)
    sock.setblocking(False)
    ssrc = struct.unpack("!I", os.urandom(4))[0]
    payload = b"\xd5" * (PACKET_BYTES - 12)
    sent = received = 0
    sources, first_from, last_from = {}, {}, {}
    peers = []
    first_rx = last_rx = None
    max_gap = 0.0

    give_up = time.time() + a.wait
    peer, mtime = None, None
    while peer is None:
        if time.time() > give_up:
            print(json.dumps({"error": "no peer file " + a.peer_file}), flush=True)
            return
        peer = read_peer(a.peer_file)
        time.sleep(0.01)
    mtime = os.stat(a.peer_file).st_mtime_ns
    start = time.time()
    peers.append([0, "%s:%d" % peer])

    def drain(now):
        nonlocal received, first_rx, last_rx, max_gap
        while True:
            try:
                data, source = sock.recvfrom(2048)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                continue
            if (len(data) == PACKET_BYTES and data[0] >> 6 == 2 and data[1] & 0x7F == PAYLOAD_TYPE
                    and struct.unpack("!I", data[8:12])[0] != ssrc):
                received += 1
                key = "%s:%d" % source
                sources[key] = sources.get(key, 0) + 1
                first_from.setdefault(key, int((now - start) * 1000))
                last_from[key] = int((now - start) * 1000)
                if last_rx is not None:
                    max_gap = max(max_gap, now - last_rx)
                if first_rx is None:
                    first_rx = now
                last_rx = now

    count = int(round(a.duration * 50))
    for seq in range(count):
        due = start + seq * 0.02
        while True:
            left = due - time.time()
            if left <= 0:
                break
            if select.select([sock], [], [], left)[0]:
                drain(time.time())
        try:
            m = os.stat(a.peer_file).st_mtime_ns
            if m != mtime:
                mtime = m
                new = read_peer(a.peer_file)
                if new is not None and new != peer:
                    peer = new
                    peers.append([int((time.time() - start) * 1000), "%s:%d" % peer])
        except OSError:
            pass
        header = struct.pack("!BBHII", 0x80, PAYLOAD_TYPE, seq & 0xFFFF, (seq * 160) & 0xFFFFFFFF, ssrc)
        try:
            sock.sendto(header + payload, peer)
            sent += 1
        except OSError:
            pass
    end = time.time()
    if last_rx is not None:
        max_gap = max(max_gap, end - last_rx)
    linger = end + 0.5
    while time.time() < linger:
        if select.select([sock], [], [], max(0, linger - time.time()))[0]:
            drain(time.time())
    print(json.dumps({"sent": sent, "received": received, "sources": sources,
                      "max_gap_ms": int(max_gap * 1000) if first_rx is not None else -1,
                      "first_from": first_from, "last_from": last_from, "peers": peers}), flush=True)


if __name__ == "__main__":
    main()
