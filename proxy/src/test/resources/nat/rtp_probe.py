#!/usr/bin/env python3
"""RTP probe for the NAT end-to-end tests (stdlib only).

Binds the address/port a phone declared in its SDP, sends G.711-sized RTP packets
(12-byte header + 160 bytes of payload = 172 bytes, one every 20 ms) to the address/port
the other side's SDP gave it, counts the RTP packets it receives from anyone, and prints one
JSON line: {"sent": n, "received": m, "sources": [...], "send_errors": k}.

  rtp_probe.py --bind 10.0.1.2:40000 --peer 203.0.113.1:44010 --duration 3 --start-at <epoch s>

--start-at lets both ends start sending at the same instant whatever their start-up time.
After sending it keeps listening for --linger seconds to collect packets still in flight.
Only packets of 172 bytes with RTP version 2, payload type 8 and an SSRC other than its own
(unless --count-own, for an echo check) are counted: stray datagrams (ICMP-triggered errors, SIP, anything else) are not media.
"""
import argparse
import json
import os
import select
import socket
import struct
import sys
import time

PACKET_BYTES = 172
PAYLOAD_TYPE = 8  # PCMA, as the SDP offers


def address(text):
    host, _, port = text.rpartition(":")
    return host, int(port)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--bind", required=True, type=address)
    p.add_argument("--peer", type=address, help="where to send; omit to only listen")
    p.add_argument("--duration", type=float, default=3.0)
    p.add_argument("--rate", type=int, default=50)
    p.add_argument("--start-at", type=float, default=0.0)
    p.add_argument("--linger", type=float, default=1.0)
    p.add_argument("--count-own", action="store_true", help="also count our own packets echoed back")
    a = p.parse_args()

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(a.bind)
    sock.setblocking(False)
    ssrc = struct.unpack("!I", os.urandom(4))[0]
    payload = b"\xd5" * (PACKET_BYTES - 12)  # A-law silence
    sent = received = send_errors = 0
    sources = set()

    def drain():
        nonlocal received
        while True:
            try:
                data, source = sock.recvfrom(2048)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                continue  # e.g. an ICMP error reported on the socket
            if (len(data) == PACKET_BYTES and data[0] >> 6 == 2 and data[1] & 0x7F == PAYLOAD_TYPE
                    and (a.count_own or struct.unpack("!I", data[8:12])[0] != ssrc)):
                received += 1
                sources.add("%s:%d" % source)

    def wait_until(deadline):
        while True:
            left = deadline - time.time()
            if left <= 0:
                return
            readable, _, _ = select.select([sock], [], [], left)
            if readable:
                drain()

    start = max(a.start_at, time.time())
    wait_until(start)
    interval = 1.0 / a.rate
    count = int(round(a.duration * a.rate)) if a.peer else 0
    for seq in range(count):
        wait_until(start + seq * interval)
        header = struct.pack("!BBHII", 0x80, PAYLOAD_TYPE, seq & 0xFFFF, (seq * 160) & 0xFFFFFFFF, ssrc)
        try:
            sock.sendto(header + payload, a.peer)
            sent += 1
        except OSError:
            send_errors += 1
    wait_until((start + count * interval if a.peer else start + a.duration) + a.linger)
    print(json.dumps({"sent": sent, "received": received, "sources": sorted(sources), "send_errors": send_errors}),
          flush=True)


if __name__ == "__main__":
    main()
