#!/usr/bin/env python3
"""bench/punch: reads the captures of run.sh (calls/<system>-<n>-<kind>-{a,b}.pcap, taken on each
phone's own interface, behind its NAT) and prints per call and per system/pair:

  setup      INVITE->200 at the caller: from the INVITE that got the 200 (after the 407 challenge,
             which only Pinhole sends) to the 200; "first INVITE" from the first one (with the 407
             round trip)
  direct at  the answer (the 200 at the caller) to the first RTP packet that arrived at each phone
             straight from the other phone's NAT, the later of the two: media direct both ways
  saved      RTP packets the phones got straight from each other, of all the RTP they got: what
             the relay did not carry
  gap        the longest time between two RTP packets at a phone, from its first RTP packet after
             the answer to the caller's BYE; the larger of the two phones per call
  at move    the same, only gaps that end between the proxy's first re-INVITE to the phone and 2 s
             after its last (the move back, if any): the gap the move caused

Usage: analyze.py RESULTS_DIR
"""
import csv
import glob
import os
import subprocess
import sys

RELAY = "203.0.113.1"
RTP_UDP_LENGTH = 8 + 12 + 160  # PCMA, 20 ms
RTP_PORTS = range(40100, 40120)


def rows(pcap):
    out = subprocess.run(["tshark", "-r", pcap, "-T", "fields", "-E", "separator=\t", "-e", "frame.time_epoch",
                          "-e", "ip.src", "-e", "ip.dst", "-e", "udp.dstport", "-e", "udp.length", "-e", "sip.Method",
                          "-e", "sip.Status-Code", "-e", "sip.CSeq.method"],
                         capture_output=True, text=True, check=False).stdout
    for line in out.splitlines():
        f = line.split("\t")
        f += [""] * (8 - len(f))
        yield float(f[0]), f[1], f[2], int(f[3] or 0), int(f[4] or 0), f[5], f[6], f[7]


def phone_side(pcap, me):
    """RTP arrivals at one phone: [(time, source)], and its SIP: [(time, src, dst, method, status, cseq method)]."""
    rtp, sip = [], []
    for t, src, dst, dport, length, method, status, cseq in rows(pcap):
        if dst == me and dport in RTP_PORTS and length == RTP_UDP_LENGTH:
            rtp.append((t, src))
        elif method or status:
            sip.append((t, src, dst, method, status, cseq))
    return rtp, sip


def analyse(pcap_a, pcap_b, pair):
    alice, bob = "10.%d.1.2" % pair, "10.%d.2.2" % pair
    rtp_a, sip_a = phone_side(pcap_a, alice)
    rtp_b, sip_b = phone_side(pcap_b, bob)
    ok200 = [t for t, src, dst, m, st, cseq in sip_a if dst == alice and st == "200" and cseq == "INVITE"]
    if not ok200:
        return None
    answered = ok200[0]
    invites = [t for t, src, dst, m, st, cseq in sip_a if src == alice and m == "INVITE" and t <= answered]
    byes = [t for t, src, dst, m, st, cseq in sip_a if src == alice and m == "BYE"]
    end = byes[0] if byes else max(t for t, _ in rtp_a + rtp_b)
    r = {"setup_ms": (answered - invites[-1]) * 1000 if invites else None,
         "setup_first_ms": (answered - invites[0]) * 1000 if invites else None}
    firsts, gaps, moves = [], [], []
    for name, rtp, sip, me in (("a", rtp_a, sip_a, alice), ("b", rtp_b, sip_b, bob)):
        during = [(t, s) for t, s in rtp if answered <= t <= end]
        r[name + "_relay"] = sum(1 for _, s in during if s == RELAY)
        r[name + "_direct"] = sum(1 for _, s in during if s != RELAY)
        direct = [t for t, s in during if s != RELAY]
        firsts.append(direct[0] if direct else None)
        times = [t for t, _ in during]
        gaps.append(max((b - a for a, b in zip(times, times[1:])), default=end - answered) * 1000 if times else None)
        # the proxy's re-INVITEs to this phone (the move, and the move back if any): the gap at the
        # move is the longest one that ends between the first and 2 s after the last
        moved = [t for t, src, dst, m, st, cseq in sip if dst == me and m == "INVITE" and t > answered]
        if moved:
            ends = [(b - a) * 1000 for a, b in zip(times, times[1:]) if moved[0] <= b <= moved[-1] + 2]
            moves.append(max(ends, default=None))
        else:
            moves.append(None)
    r["direct_ms"] = (max(firsts) - answered) * 1000 if None not in firsts else None
    r["gap_ms"] = max(g for g in gaps if g is not None) if any(g is not None for g in gaps) else None
    r["gap_a_ms"], r["gap_b_ms"] = gaps
    r["move_gap_ms"] = max((m for m in moves if m is not None), default=None)
    return r


def pct(values, p):
    v = sorted(x for x in values if x is not None)
    if not v:
        return None
    k = (len(v) - 1) * p / 100
    lo = int(k)
    return v[lo] + (v[min(lo + 1, len(v) - 1)] - v[lo]) * (k - lo)


def fmt(x, unit=" ms"):
    return "-" if x is None else "%.0f%s" % (x, unit)


def main():
    out = sys.argv[1]
    calls = list(csv.DictReader(open(os.path.join(out, "calls.tsv")), delimiter="\t"))
    results = []
    print("%-9s %4s %-8s %3s %8s %9s %7s %7s %7s %7s %8s %8s %8s" % ("system", "n", "kind", "ok", "setup", "direct",
                                                                     "a_rel", "a_dir", "b_rel", "b_dir", "gap_a",
                                                                     "gap_b", "at_move"))
    for c in calls:
        tag = "%s-%03d-%s" % (c["system"], int(c["n"]), c["kind"])
        pa, pb = (os.path.join(out, "calls", tag + s + ".pcap") for s in ("-a", "-b"))
        r = analyse(pa, pb, int(c["pair"])) if os.path.exists(pa) and os.path.exists(pb) else None
        if r is None:
            print("%-9s %4s %-8s no answer in the capture" % (c["system"], c["n"], c["kind"]))
            continue
        r.update(c)
        results.append(r)
        print("%-9s %4s %-8s %3s %8s %9s %7d %7d %7d %7d %8s %8s %8s" % (
            c["system"], c["n"], c["kind"], c["ok"], fmt(r["setup_ms"]), fmt(r["direct_ms"]), r["a_relay"],
            r["a_direct"], r["b_relay"], r["b_direct"], fmt(r["gap_a_ms"]), fmt(r["gap_b_ms"]),
            fmt(r["move_gap_ms"])))
    print()
    print("%-9s %-8s %5s %8s %15s %13s %24s %17s %15s" % ("system", "pair", "calls", "saved", "setup p50/p99",
                                                      "first INVITE", "answer->direct p50/p99", "at move p50/p99",
                                                      "gap p50/p99"))
    systems = sorted({r["system"] for r in results}, key=lambda s: (s != "pinhole", s))
    for system in systems:
        for kind in ("punch", "random", "blocked", "ALL"):
            rs = [r for r in results if r["system"] == system and (kind == "ALL" or r["kind"] == kind)]
            if not rs:
                continue
            direct = sum(r["a_direct"] + r["b_direct"] for r in rs)
            total = direct + sum(r["a_relay"] + r["b_relay"] for r in rs)
            dms = [r["direct_ms"] for r in rs]
            mg = [r["move_gap_ms"] for r in rs]
            print("%-9s %-8s %5d %7.1f%% %15s %13s %24s %17s %15s" % (
                system, kind, len(rs), 100.0 * direct / total if total else 0,
                fmt(pct([r["setup_ms"] for r in rs], 50), "") + "/" + fmt(pct([r["setup_ms"] for r in rs], 99)),
                fmt(pct([r["setup_first_ms"] for r in rs], 50)),
                (fmt(pct(dms, 50), "") + "/" + fmt(pct(dms, 99)) + " (%d)" % sum(d is not None for d in dms)),
                fmt(pct(mg, 50), "") + "/" + fmt(pct(mg, 99)),
                fmt(pct([r["gap_ms"] for r in rs], 50), "") + "/" + fmt(pct([r["gap_ms"] for r in rs], 99))))
    loads = [float(c["load1"]) for c in calls]
    print("\nload average (1 min) at the end of each call: median %.2f, max %.2f" % (pct(loads, 50), max(loads)))


if __name__ == "__main__":
    main()
