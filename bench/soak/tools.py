#!/usr/bin/env python3
"""bench/soak/tools.py -- helpers of bench/soak/run.sh (stdlib only).

  tools.py pcap FILE PACKETS      write a pcap of PACKETS RTP packets, G.711 A-law (PT 8), 20 ms
                                  each (160 bytes of silence): what SIPp's play_pcap_audio plays
  tools.py ng HOST:PORT CMD       one ng command to the relay; prints "key value" lines:
                                    list        -> calls N (call-ids counted, limit 1,000,000)
                                    statistics  -> sessions N, portpairs N, packets N, errors N
  tools.py slope                  stdin: "minute value" lines; prints "first last slope_per_min n"
                                  (least-squares slope)
"""
import os
import random
import socket
import struct
import sys


def write_pcap(path, packets):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))  # Ethernet link type
        ssrc = random.getrandbits(32)
        for i in range(packets):
            rtp = struct.pack("!BBHII", 0x80, 8 | (0x80 if i == 0 else 0), i, i * 160, ssrc) + b"\xd5" * 160
            udp = struct.pack("!HHHH", 5000, 5002, 8 + len(rtp), 0) + rtp
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xffff, 0, 64, 17, 0,
                             socket.inet_aton("127.0.0.1"), socket.inet_aton("127.0.0.1"))
            frame = b"\x00" * 12 + b"\x08\x00" + ip + udp
            us = i * 20000
            f.write(struct.pack("<IIII", us // 1000000, us % 1000000, len(frame), len(frame)) + frame)


def benc(x):
    if isinstance(x, int):
        return b"i%de" % x
    if isinstance(x, str):
        x = x.encode()
    if isinstance(x, bytes):
        return b"%d:%s" % (len(x), x)
    if isinstance(x, list):
        return b"l" + b"".join(benc(v) for v in x) + b"e"
    if isinstance(x, dict):
        return b"d" + b"".join(benc(k) + benc(v) for k, v in sorted(x.items())) + b"e"
    raise TypeError(x)


def bdec(b, i=0):
    c = b[i:i + 1]
    if c == b"i":
        j = b.index(b"e", i)
        return int(b[i + 1:j]), j + 1
    if c == b"l":
        out, i = [], i + 1
        while b[i:i + 1] != b"e":
            v, i = bdec(b, i)
            out.append(v)
        return out, i + 1
    if c == b"d":
        out, i = {}, i + 1
        while b[i:i + 1] != b"e":
            k, i = bdec(b, i)
            v, i = bdec(b, i)
            out[k.decode()] = v
        return out, i + 1
    j = b.index(b":", i)
    n = int(b[i:j])
    return b[j + 1:j + 1 + n], j + 1 + n


def ng(addr, command):
    host, port = addr.rsplit(":", 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    cookie = b"soak%d" % random.getrandbits(32)
    msg = {"command": command}
    if command == "list":
        msg["limit"] = "1000000"
    s.sendto(cookie + b" " + benc(msg), (host, int(port)))
    data = s.recv(1 << 22)
    reply, _ = bdec(data[data.index(b" ") + 1:])
    if reply.get("result") != b"ok":
        sys.exit("ng %s: %r" % (command, reply))
    if command == "list":
        print("calls", len(reply.get("calls", [])))
    else:
        st = reply["statistics"]
        cur, tot = st["currentstatistics"], st["totalstatistics"]
        print("sessions", cur["sessionstotal"])
        print("portpairs", cur["portpairsinuse"])
        print("packets", tot["packets"])
        print("errors", tot["errors"])


def slope():
    pts = [tuple(map(float, l.split())) for l in sys.stdin if l.strip()]
    if not pts:
        print("- - - 0")
        return
    n = len(pts)
    if n < 2:
        print("%d %d - 1" % (pts[0][1], pts[0][1]))
        return
    mx = sum(p[0] for p in pts) / n
    my = sum(p[1] for p in pts) / n
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    k = sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx if sxx else 0.0
    print("%d %d %.1f %d" % (pts[0][1], pts[-1][1], k, n))


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[:1] == ["pcap"]:
        write_pcap(a[1], int(a[2]))
    elif a[:1] == ["ng"]:
        ng(a[1], a[2])
    elif a[:1] == ["slope"]:
        slope()
    else:
        sys.exit(__doc__)
