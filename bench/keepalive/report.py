#!/usr/bin/env python3
"""bench/keepalive/report.py OUT -- the figures of a bench/keepalive/run.sh run, side by side.

Reads OUT/blocks.tsv (highest passing calls/s per round and configuration), OUT/windows.tsv
(proxy CPU with no calls: 'on' = pings only, 'off' = idle) and OUT/steps.tsv (every step).
"""
import csv, os, statistics, sys

out = sys.argv[1]


def rows(name):
    with open(os.path.join(out, name)) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def med(v):
    return statistics.median(v) if v else float("nan")


def spread(v, fmt="%.0f"):
    return (fmt % min(v) + "-" + fmt % max(v)) if v else "-"


blocks, windows, steps = rows("blocks.tsv"), rows("windows.tsv"), rows("steps.tsv")
rounds = sorted({int(b["round"]) for b in blocks})
best = {(int(b["round"]), b["conf"]): int(b["best"]) for b in blocks}
fail = {(int(b["round"]), b["conf"]): int(b["first_fail"]) for b in blocks}
win = {(int(w["round"]), w["conf"]): w for w in windows}


def seq(r, c):
    return " ".join("%s%s" % (s["rate"], "+" if s.get("pass") == "PASS" else "x")
                    for s in steps if int(s["round"]) == r and s["conf"] == c and s["label"].startswith("s"))


print("calls/s with 0 failed calls (ph-noauth, strict steps; + passed, x failed)")
print("%-6s %-10s %-10s %-7s  %s" % ("round", "on", "off", "on/off", "steps on | off"))
ratios = []
for r in rounds:
    on, off = best.get((r, "on"), 0), best.get((r, "off"), 0)
    ratio = on / off if off else float("nan")
    if off and on:
        ratios.append(ratio)
    print("%-6d %-10s %-10s %-7.3f  %s | %s" % (r, on, off, ratio, seq(r, "on"), seq(r, "off")))
on_v = [best[(r, "on")] for r in rounds if (r, "on") in best]
off_v = [best[(r, "off")] for r in rounds if (r, "off") in best]
print("median %-10s %-10s %-7.3f  (median of the per-round ratios %.3f, spread %s; ranges on %s, off %s)" % (
    "%.0f" % med(on_v), "%.0f" % med(off_v), med(on_v) / med(off_v) if off_v and med(off_v) else float("nan"),
    med(ratios),
    spread(ratios, "%.3f"), spread(on_v), spread(off_v)))
print()

print("proxy CPU with no calls, %s s windows after the warm-up (on = pings only, off = idle)" %
      (windows[0]["seconds"].split(".")[0] if windows else "?"))
print("%-6s %-22s %-22s %-12s %-12s %-16s %-16s" % ("round", "on: proxy cores", "off: proxy cores", "pings/s",
                                                    "answers/s", "ms CPU/1000 pings", "pinger thread"))
per_k, pinger_k, pings_s, answers_s, resp_k = [], [], [], [], []
for r in rounds:
    w_on, w_off = win.get((r, "on")), win.get((r, "off"))
    if not w_on or not w_off:
        continue
    s_on, s_off = float(w_on["seconds"]), float(w_off["seconds"])
    c_on, c_off = float(w_on["proxy_cpu_s"]) / s_on, float(w_off["proxy_cpu_s"]) / s_off
    p, a = int(w_on["pings"]) / s_on, int(w_on["answers"]) / s_on
    k = (c_on - c_off) / p * 1000 * 1000 if p else float("nan")  # ms of CPU per 1,000 pings
    pk = float(w_on["pinger_cpu_s"]) / int(w_on["pings"]) * 1e6 if p else float("nan")
    rk = float(w_on["responder_cpu_s"]) / int(w_on["pings"]) * 1e6 if p else float("nan")
    per_k.append(k); pinger_k.append(pk); pings_s.append(p); answers_s.append(a); resp_k.append(rk)
    print("%-6d %-22.3f %-22.3f %-12.0f %-12.0f %-16.1f %-16.1f" % (r, c_on, c_off, p, a, k, pk))
print("median: %.1f ms of proxy CPU per 1,000 pings (spread %s), of which the nat-pinger thread %.1f; "
      "pings/s %.0f (%s), answers/s %.0f (%s); the responder %.1f ms per 1,000" % (
          med(per_k), spread(per_k, "%.1f"), med(pinger_k), med(pings_s), spread(pings_s), med(answers_s),
          spread(answers_s), med(resp_k)))
print()

# pings while calls run, and the proxy's CPU per call at rates both configurations ran in a round
on_steps = [s for s in steps if s["conf"] == "on" and s["label"].startswith("s") and s.get("pings_per_s")]
ps = [float(s["pings_per_s"]) for s in on_steps]
ans = [float(s["answers_per_s"]) for s in on_steps]
print("during the call steps with keepalives on: pings/s median %.0f (%s), answers/s median %.0f (%s)" % (
    med(ps), spread(ps), med(ans), spread(ans)))
pairs = []
for r in rounds:
    by = {}
    for s in steps:
        if int(s["round"]) == r and s["label"].startswith("s") and s.get("pass") == "PASS":
            by.setdefault((s["conf"], int(s["rate"])), []).append(float(s["proxy_ms_per_call"]))
    for (c, rate), v in by.items():
        if c == "on" and ("off", rate) in by:
            pairs.append((r, rate, med(v), med(by[("off", rate)])))
if pairs:
    diff = [a - b for _, _, a, b in pairs]
    print("proxy CPU per call, passing steps at the same rate in the same round (on vs off, ms): " +
          ", ".join("r%d %d/s %.3f vs %.3f" % p for p in pairs) + "; median difference %+.3f ms/call" % med(diff))
# every step whose calls all completed (failed 0), passed or not: on a box so loaded that SIPp
# misses its schedule, the proxy's CPU per completed call still compares the two configurations.
# "on - pings" takes off the pings' own cost, measured in the round's no-call windows.
ping_cores = {}
for r in rounds:
    w_on, w_off = win.get((r, "on")), win.get((r, "off"))
    if w_on and w_off:
        ping_cores[r] = (float(w_on["proxy_cpu_s"]) / float(w_on["seconds"])
                         - float(w_off["proxy_cpu_s"]) / float(w_off["seconds"]))
done = []
for r in rounds:
    by = {}
    for s in steps:
        if (int(s["round"]) == r and s["label"].startswith("s") and s.get("failed") == "0"
                and s.get("proxy_cpu_s") and int(s.get("calls", 0) or 0) > 0):
            by[(s["conf"], int(s["rate"]))] = s
    for (c, rate), s_on in sorted(by.items()):
        s_off = by.get(("off", rate))
        if c != "on" or not s_off or r not in ping_cores:
            continue
        calls_on, calls_off = int(s_on["calls"]), int(s_off["calls"])
        raw = float(s_on["proxy_cpu_s"]) / calls_on * 1000
        net = (float(s_on["proxy_cpu_s"]) - ping_cores[r] * float(s_on["elapsed_s"])) / calls_on * 1000
        off_ms = float(s_off["proxy_cpu_s"]) / calls_off * 1000
        done.append((r, rate, raw, net, off_ms))
if done:
    print("proxy CPU per call, steps with 0 failed calls at the same rate in the same round (ms; on / on - pings / off): " +
          ", ".join("r%d %d/s %.2f / %.2f / %.2f" % d for d in done) +
          "; median on - pings minus off %+.2f ms/call" % med([d[3] - d[4] for d in done]))
loads = [float(s["load1"]) for s in steps if s.get("load1")]
print("load average (1 min) at the end of each step: median %.2f, range %s" % (med(loads), spread(loads, "%.2f")))
for name in ("uptime-before.txt", "uptime-after.txt"):
    p = os.path.join(out, name)
    if os.path.exists(p):
        print("%s %s" % (name.split(".")[0], open(p).read().strip()))
