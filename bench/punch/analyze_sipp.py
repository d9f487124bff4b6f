#!/usr/bin/env python3
"""bench/punch: reads the captures of run-sipp.sh and prints per system and NAT pair:

  calls      answered / placed (a caller leg whose INVITE got a 200, of all the caller legs)
  cut        answered calls the caller did not end itself: a BYE reached it first (the proxy's, or
             the callee SIPp's when it aborted the call)
  saved      RTP packets the phones got straight from the other phone's NAT, of all the RTP they got
             between the answer and the BYE: what the relay did not carry
  per call   the same share per call (both legs), the mean over the calls: each call weighs the
             same (a punched call lasts longer by the move's time in this scenario: the caller
             hangs up TALK_S after the last re-INVITE, so its packets weigh more in "saved")
  setup      INVITE->200 at the caller: from the INVITE that got the 200 (after the 407 challenge,
             which only Pinhole sends); "first INVITE" from the first one (with the 407 round trip)
  direct     the answer (the 200 at the caller) to the first RTP packet that arrived straight from
             the other NAT at each phone, the later of the two: media direct both ways
  at move    the longest time between two RTP packets at a phone among the gaps that end between the
             proxy's first re-INVITE to that phone and 2 s after its last; the larger of the two legs
  gap        the longest time between two RTP packets at a phone, from its first RTP packet after the
             answer to the BYE; the larger of the two legs
  rx         RTP packets each phone received per second of the call, median over the legs (50 = all)

Captures (in each phone namespace, behind its NAT): <system>-p<pair><side>-sip.pcapng (SIP, full)
and <system>-p<pair><side>-rtp.pcapng (RTP arriving at the phones, headers only). The two legs of a
call (Pinhole is a back-to-back UA: two Call-IDs) are paired by phone: caller k of a pair only calls
callee k, one call at a time, so its leg's INVITE reaches callee k between the caller's INVITE and
its 200.

Usage: analyze_sipp.py RESULTS_DIR
"""
import bisect
import collections
import os
import subprocess
import sys

from analyze import pct  # the baresip mode's percentile, so both modes' tables agree

RELAY = "203.0.113.1"
RTP_UDP_LENGTH = 8 + 12 + 160  # PCMA, 20 ms
KINDS = {1: "punch", 2: "random"}


def tshark(pcap, fields, extra=()):
    cmd = ["tshark", "-n", "-r", pcap, *extra, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    for line in out.splitlines():
        f = line.split("\t")
        yield f + [""] * (len(fields) - len(f))


def sip_legs(pcap, lan_prefix):
    """Per Call-ID: the phone's address and what happened on its side of the NAT."""
    legs = collections.defaultdict(lambda: {"phone": None, "invites_out": [], "invites_in": [], "ok_out": [],
                                            "ok_in": [], "bye": [], "bye_in": [], "port": None,
                                            "told": set()})
    for t, src, dst, cid, method, status, cseq, mport, caddr in tshark(pcap, [
            "frame.time_epoch", "ip.src", "ip.dst", "sip.Call-ID", "sip.Method", "sip.Status-Code", "sip.CSeq.method",
            "sdp.media.port", "sdp.connection_info.address"], ["-Y", "sip"]):
        if not cid:
            continue
        t = float(t)
        leg = legs[cid]
        from_phone = src.startswith(lan_prefix)
        phone = src if from_phone else dst
        if not from_phone and mport and caddr:
            leg["told"].add((caddr, int(mport)))
        if method == "INVITE":
            leg["phone"] = leg["phone"] or phone
            (leg["invites_out"] if from_phone else leg["invites_in"]).append(t)
            if from_phone and mport and leg["port"] is None:
                leg["port"] = int(mport)
        elif status == "200" and cseq == "INVITE":
            (leg["ok_out"] if from_phone else leg["ok_in"]).append(t)
            if from_phone and mport and leg["port"] is None:
                leg["port"] = int(mport)
        elif method == "BYE":
            (leg["bye"] if from_phone else leg["bye_in"]).append(t)
    return {c: l for c, l in legs.items() if l["phone"] and (l["invites_out"] or l["invites_in"])}


def rtp_arrivals(pcap):
    """(phone address, port) -> ([times], [(source address, source port)]), sorted by time."""
    by = collections.defaultdict(list)
    for t, src, dst, sport, dport, length in tshark(pcap, ["frame.time_epoch", "ip.src", "ip.dst", "udp.srcport",
                                                           "udp.dstport", "udp.length"]):
        if length and int(length) == RTP_UDP_LENGTH:
            by[(dst, int(dport))].append((float(t), (src, int(sport))))
    out = {}
    for key, v in by.items():
        v.sort()
        out[key] = ([t for t, _ in v], [s for _, s in v])
    return out


def leg_media(rtp, phone, port, start, end, reinvites, told):
    """What one phone received between start and end from the addresses its call's SDPs named (the
    relay's port for this call, the other phone's public address after a move): a phone's RTP port
    is used again by its next call, and a call that SIPp aborted may leave a stream running to it."""
    times, sources = rtp.get((phone, port), ([], []))
    lo, hi = bisect.bisect_left(times, start), bisect.bisect_right(times, end)
    kept = [(x, src) for x, src in zip(times[lo:hi], sources[lo:hi]) if src in told]
    t, s = [x for x, _ in kept], [src for _, src in kept]
    direct = [x for x, src in zip(t, s) if src[0] != RELAY]
    gaps = [b - a for a, b in zip(t, t[1:])]
    move_gap = None
    if reinvites:
        ends = [g for g, b in zip(gaps, t[1:]) if reinvites[0] <= b <= reinvites[-1] + 2]
        move_gap = max(ends, default=None)
    return {"relay": len(t) - len(direct), "direct": len(direct), "first_direct": direct[0] if direct else None,
            "gap": max(gaps) if gaps else None, "move_gap": move_gap,
            "rate": len(t) / (end - start) if end > start else None}


def calls_of(out, system, pair):
    base = os.path.join(out, "%s-p%d" % (system, pair))
    a_sip, b_sip = sip_legs(base + "a-sip.pcapng", "10.%d.1." % pair), sip_legs(base + "b-sip.pcapng", "10.%d.2." % pair)
    a_rtp, b_rtp = rtp_arrivals(base + "a-rtp.pcapng"), rtp_arrivals(base + "b-rtp.pcapng")
    # callee legs by phone (k = last octet - 10), in time order
    callee = collections.defaultdict(list)
    for cid, leg in b_sip.items():
        if leg["invites_in"]:
            callee[int(leg["phone"].rsplit(".", 1)[1]) - 10].append(leg)
    for legs in callee.values():
        legs.sort(key=lambda l: l["invites_in"][0])
    results = []
    for cid, a in a_sip.items():
        if not a["invites_out"]:
            continue  # OPTIONS answered, or the proxy's own requests
        r = {"answered": False}
        results.append(r)
        if not a["ok_in"]:
            continue
        answered = a["ok_in"][0]
        invites = [t for t in a["invites_out"] if t <= answered]
        r.update(answered=True, setup=answered - invites[-1], setup_first=answered - invites[0],
                 cut=bool(a["bye_in"]) and not (a["bye"] and a["bye"][0] < a["bye_in"][0]))
        k = int(a["phone"].rsplit(".", 1)[1]) - 10
        b = next((l for l in callee[k] if invites[0] <= l["invites_in"][0] <= answered), None)
        byes = sorted(a["bye"] + a["bye_in"])
        a_end = byes[0] if byes else answered + 60
        a_re = [t for t in a["invites_in"] if t > answered]
        ma = leg_media(a_rtp, a["phone"], a["port"], answered, a_end, a_re, a["told"])
        if b is None or not b["ok_out"] or b["port"] is None:
            r.update(a=ma, b=None)
            continue
        byes = sorted(b["bye"] + b["bye_in"])
        b_end = byes[0] if byes else a_end
        b_re = [t for t in b["invites_in"] if t > b["ok_out"][0]]
        mb = leg_media(b_rtp, b["phone"], b["port"], answered, b_end, b_re, b["told"])
        r.update(a=ma, b=mb)
        firsts = [ma["first_direct"], mb["first_direct"]]
        r["direct"] = max(firsts) - answered if None not in firsts else None
        moves = [m["move_gap"] for m in (ma, mb) if m["move_gap"] is not None]
        r["move_gap"] = max(moves) if moves else None
        g = [m["gap"] for m in (ma, mb) if m["gap"] is not None]
        r["gap"] = max(g) if g else None
    return results


def ms(x):
    return "-" if x is None else "%.0f" % (x * 1000)


def row(system, kind, rs):
    ok = [r for r in rs if r["answered"] and r.get("b")]
    legs = [r[s] for r in ok for s in ("a", "b")]
    direct = sum(m["direct"] for m in legs)
    total = direct + sum(m["relay"] for m in legs)
    dms = [r["direct"] for r in ok]
    shares = [(r["a"]["direct"] + r["b"]["direct"]) / t for r in ok
              for t in [r["a"]["direct"] + r["b"]["direct"] + r["a"]["relay"] + r["b"]["relay"]] if t]
    return ("%-9s %-7s %9s %4d %7.1f%% %7.1f%% %13s %7s %21s %15s %15s %5s" % (
        system, kind, "%d/%d" % (len([r for r in rs if r["answered"]]), len(rs)), sum(1 for r in rs if r.get("cut")), 100.0 * direct / total if total else 0,
        100.0 * sum(shares) / len(shares) if shares else 0,
        ms(pct([r["setup"] for r in ok], 50)) + "/" + ms(pct([r["setup"] for r in ok], 99)),
        ms(pct([r["setup_first"] for r in ok], 50)),
        ms(pct(dms, 50)) + "/" + ms(pct(dms, 99)) + " (%d)" % sum(d is not None for d in dms),
        ms(pct([r["move_gap"] for r in ok], 50)) + "/" + ms(pct([r["move_gap"] for r in ok], 99)),
        ms(pct([r["gap"] for r in ok], 50)) + "/" + ms(pct([r["gap"] for r in ok], 99)),
        "%.0f" % (pct([m["rate"] for m in legs], 50) or 0)))


def main():
    out = sys.argv[1]
    systems = [l.split("\t") for l in open(os.path.join(out, "systems.tsv")).read().splitlines()[1:]]
    loads = collections.defaultdict(list)
    if os.path.exists(os.path.join(out, "load.tsv")):
        for line in open(os.path.join(out, "load.tsv")):
            f = line.split("\t")
            loads[f[1]].append(float(f[2].split()[0]))
    print("%-9s %-7s %9s %4s %8s %8s %13s %7s %21s %15s %15s %5s" % ("system", "pair", "answered", "cut", "saved", "per call", "setup p50/p99",
                                                          "1st INV", "answer->direct p50/p99", "at move p50/p99",
                                                          "gap p50/p99", "rx/s"))
    for system, t0, t1 in systems:
        every = []
        for pair, kind in KINDS.items():
            rs = calls_of(out, system, pair)
            every += rs
            print(row(system, kind, rs))
        print(row(system, "mixed", every))
        l = loads[system]
        print("%-9s calls from %s for %d s; load average (1 min, every 10 s) median %.1f, max %.1f" % (
            system, subprocess.run(["date", "-u", "-d", "@" + t0, "+%H:%M:%S"], capture_output=True, text=True).stdout.strip(),
            int(t1) - int(t0), pct(l, 50) or 0, max(l, default=0)))
    print("times in ms; answer->direct (n): calls direct both ways; rx/s: RTP packets a phone got per second of the call (median)")


if __name__ == "__main__":
    main()
