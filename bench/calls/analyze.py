#!/usr/bin/env python3
"""bench/calls/analyze.py -- one summary line (TSV) for a SIPp UAC step.

usage: analyze.py STEP_DIR PORT SYS RATE CALLS RC T0 T1 DURATION CALL_MS SUT_TICKS BOX_TICKS HZ [--header]

PASS = SIPp exit 0, 0 failed calls, every call successful, and the schedule kept (the run took
<= DURATION * 1.05 + call length + 3 s), as in ../shared/bench/run-proxy-cps.sh.
Latency from the dumpcap sample (kernel timestamps on lo), per Call-ID:
  setup  = first INVITE sent -> 200 OK received (for an authenticated caller this includes the
           INVITE -> 407 -> ACK -> INVITE round trip)
  inv2   = the INVITE with credentials (CSeq 2) -> 200 OK (auth scenario only)
"""
import csv, glob, os, sys

COLS = ["sys", "rate", "calls", "success", "failed", "retrans", "r503", "elapsed_s",
        "setup_n", "setup_p50_ms", "setup_p90_ms", "setup_p99_ms", "inv2_p50_ms",
        "rtd_p50_ms", "rtd_p99_ms", "sut_cpu_s", "sut_cpu_ms_per_call", "box_cpu_pct", "pass"]

if "--header" in sys.argv:
    print("\t".join(COLS))
    sys.exit(0)

d, port, sysname, R, n, rc, t0, t1, dur, call_ms, sut, box, hz = sys.argv[1:14]
R, n, rc, dur, call_ms, sut, box, hz = int(R), int(n), int(rc), int(dur), int(call_ms), int(sut), int(box), int(hz)
el = float(t1) - float(t0)

def last_row(path):
    rows = list(csv.reader(open(path), delimiter=";"))
    return rows[0], rows[-1]

succ = fail = retr = -1
try:
    h, last = last_row(f"{d}/uac-stat-{port}.csv")
    g = lambda k: int(float(last[h.index(k)])) if k in h else -1
    succ, fail, retr = g("SuccessfulCall(C)"), g("FailedCall(C)"), g("Retransmissions(C)")
except (OSError, IndexError, ValueError):
    pass

r503 = 0
for f in glob.glob(f"{d}/*_counts.csv"):
    try:
        h, last = last_row(f)
        for i, k in enumerate(h):
            if k.endswith("_503_Recv") and i < len(last) and last[i].strip():
                r503 += int(float(last[i]))
    except (IndexError, ValueError):
        pass

rt = []
for f in glob.glob(f"{d}/*_rtt.csv"):
    for line in open(f):
        p = line.strip().split(";")
        if len(p) >= 3 and p[2].strip() == "1":
            try:
                rt.append(float(p[1]))
            except ValueError:
                pass
rt.sort()

first_inv, inv2, ok200 = {}, {}, {}
cap = f"{d}/uac-sip.tsv"
if os.path.exists(cap):
    for line in open(cap):
        p = line.rstrip("\n").split(";")
        if len(p) < 6 or p[3] != "INVITE":
            continue
        t, cid, seq, status = float(p[0]), p[2], p[4], p[5]
        if status == "":
            first_inv.setdefault(cid, t)
            if seq == "2":
                inv2.setdefault(cid, t)
        elif status == "200":
            ok200.setdefault(cid, t)
setup = sorted((ok200[c] - first_inv[c]) * 1000 for c in ok200 if c in first_inv)
i2 = sorted((ok200[c] - inv2[c]) * 1000 for c in ok200 if c in inv2)
q = lambda v, x: ("%.3f" % v[min(len(v) - 1, int(x * len(v)))]) if v else "nan"
ok = rc == 0 and fail == 0 and succ == n and r503 == 0 and el <= dur * 1.05 + call_ms / 1000.0 + 3
sut_s = sut / float(hz)
print("\t".join(map(str, [
    sysname, R, n, succ, fail, retr, r503, "%.1f" % el,
    len(setup), q(setup, .5), q(setup, .9), q(setup, .99), q(i2, .5),
    q(rt, .5), q(rt, .99), "%.1f" % sut_s, ("%.3f" % (sut_s * 1000 / succ)) if succ > 0 else "nan",
    ("%.0f" % (100.0 * box / hz / el / os.cpu_count())) if el > 0 else "nan", "PASS" if ok else "FAIL"])))
