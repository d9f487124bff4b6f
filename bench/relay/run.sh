#!/usr/bin/env bash
# bench/relay/run.sh [RELAYS] [TESTS] -- Pinhole's relay and rtpengine side by side, same run,
# same generator (the shared harness's udpgen: 172-byte RTP-like packets, kernel receive
# timestamps), each relay pinned to RELAY_CPU with one forwarding thread, the generator on
# GEN_CPU. Every step starts a fresh relay (rtpengine stops reading a socket for good once its
# queue overflowed, so one overloaded step must not poison the next).
#
#   RELAYS  default "rtpengine pinhole"; "pinhole_uring" is pinhole with media-io=io_uring, so
#           "rtpengine pinhole pinhole_uring" runs an epoll/io_uring A/B next to rtpengine;
#           "pinhole_b", "pinhole_c": the relay from JAR_B/JAR_C and/or with JAVA_OPTS_B/_C added
#           (A/B/C of builds or JVM flags in one run); "udpfwd": the shared harness's C
#           recvmmsg/sendmmsg forwarder (no control protocol), the one-core ceiling
#   TESTS   default "lat500 lat2000 maxpps"
#     latN    N calls x 50 pps x 2 directions (G.711 pacing) for LAT_SECONDS: forwarded pps,
#             loss, one-way latency p50/p90/p99/p99.9/max (µs)
#     maxpps  highest total rate (SWEEP_STREAMS calls, both directions) with loss < 0.1 % and
#             >= 98 % of the target really sent; doubling from PPS_START, then bisection to 5 %
#     unpaced one flood run (udpgen -r 0): forwarded pps and loss
# Env: RELAY_CPU=1 GEN_CPU=0 SWEEP_STREAMS=500 PPS_START=40000 STEP_SECONDS=8 LAT_SECONDS=20
#      MAX_STEPS=10 PEER_BASE=20000 REPEAT=1 (latN/unpaced runs per relay, alternating; the
#      comparison takes the median) NETNS=relaybench SHARED_BENCH=<repo>/../shared/bench
#      JAR=<repo>/relay-server/target/pinhole-relay.jar JAVA=java JAVA_OPTS
# Output: bench/relay/results/<timestamp>/{summary.tsv,compare.txt,*.json,*.log}
set -uo pipefail
source "$(dirname "$0")/lib.sh"
RELAYS="${1:-rtpengine pinhole}"
TESTS="${2:-lat500 lat2000 maxpps}"
RELAY_CPU="${RELAY_CPU:-1}"; GEN_CPU="${GEN_CPU:-0}"; SWEEP_STREAMS="${SWEEP_STREAMS:-500}"
PPS_START="${PPS_START:-40000}"; STEP_SECONDS="${STEP_SECONDS:-8}"; LAT_SECONDS="${LAT_SECONDS:-20}"
MAX_STEPS="${MAX_STEPS:-10}"; PEER_BASE="${PEER_BASE:-20000}"; REPEAT="${REPEAT:-1}"
need
ensure_netns
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
OUT="$RELAY_BENCH_DIR/results/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
SUMMARY="$OUT/summary.tsv"
printf "relay\ttest\tstreams\ttarget_pps\tsent_pps\tfwd_pps\tloss_pct\tp50_us\tp90_us\tp99_us\tp999_us\tmax_us\trelay_cpu_pct\tcpu_us_per_pkt\tpass\tfwd_us_per_pkt\tgc_pauses\tgc_pause_ms\n" > "$SUMMARY"
RELAY_PID=""
trap stop_relay EXIT
echo "relays: $RELAYS; tests: $TESTS; relay cpu $RELAY_CPU, generator cpu $GEN_CPU -> $OUT"

# gen RELAY NAME STREAMS RATE SECONDS: fresh relay, allocate STREAMS calls over ng, run udpgen
gen() {
  local relay="$1" name="$2" n="$3" rate="$4" secs="$5" c0 c1 t0 t1
  stop_relay
  STREAMS="$n" UDPFWD_MAP="$OUT/$relay-map.txt" "start_$relay" "$OUT/$relay.log" || return 1
  if [ "$relay" != udpfwd ]; then
    ng alloc "$n" --peer-base "$PEER_BASE" --out "$OUT/$relay-map.txt" >/dev/null || { echo "alloc failed"; return 1; }
  fi
  l0=$(wc -l < "$OUT/$relay.log")
  c0=$(cpu_ticks "$RELAY_PID"); f0=$(fwd_ticks "$RELAY_PID"); t0=$(date +%s.%N)
  nsexec taskset -c "$GEN_CPU" "$BUILD_DIR/udpgen" -m "$OUT/$relay-map.txt" -n "$n" -r "$rate" -d "$secs" \
     --warmup 2 --drain 1 > "$OUT/$relay-$name.json" 2> "$OUT/$relay-$name.log"
  c1=$(cpu_ticks "$RELAY_PID"); f1=$(fwd_ticks "$RELAY_PID"); t1=$(date +%s.%N)
  # GC pauses while the traffic ran (-Xlog:gc lines the relay logged meanwhile; 0 without -Xlog:gc)
  gc=$(tail -n +"$((l0 + 1))" "$OUT/$relay.log" | awk '/\[gc\].*Pause/ {n++; ms += $NF + 0} END {printf "%d\t%.1f", n, ms}')
  stop_relay
  python3 - "$OUT/$relay-$name.json" "$relay" "$name" "$rate" "$c0" "$c1" "$t0" "$t1" "$(getconf CLK_TCK)" "$secs" "$f0" "$f1" "$gc" >> "$SUMMARY" <<'PY'
import json, sys
f, relay, name, rate, c0, c1, t0, t1, hz, secs, f0, f1, gc = sys.argv[1:]
j = json.loads(open(f).read().strip().splitlines()[-1]); L = j["lat_us"]
cpu_s = (int(c1) - int(c0)) / float(hz)
cpu = 100.0 * cpu_s / (float(t1) - float(t0))
# relay CPU per forwarded packet: robust to a starved generator on a shared machine
per_pkt = 1e6 * cpu_s / max(1.0, j["fwd_pps"] * float(secs))
# the same for the forwarding threads alone (ours: relay-media-*, without JIT, GC, control)
fwd_per_pkt = 1e6 * (int(f1) - int(f0)) / float(hz) / max(1.0, j["fwd_pps"] * float(secs))
rate = float(rate)
ok = j["loss_pct"] < 0.1 and (rate == 0 or j["sent_pps"] >= 0.98 * rate)
print("\t".join(str(x) for x in [relay, name, j["streams"], int(rate), int(j["sent_pps"]), int(j["fwd_pps"]),
      "%.4f" % j["loss_pct"], L["p50"], L["p90"], L["p99"], L["p999"], L["max"], "%.0f" % cpu,
      "%.2f" % per_pkt, "PASS" if ok else "FAIL", "%.2f" % fwd_per_pkt] + gc.split("\t")))
PY
  tail -1 "$SUMMARY" | tr '\t' ' ' | sed 's/^/  /'
  [ "$(tail -1 "$SUMMARY" | awk -F'\t' '{print $15}')" = PASS ]
}

# tests outside, relays inside: the two relays' runs of one test follow each other, so load
# that changes over time (a shared machine) hits both alike
for t in $TESTS; do
  reps=$REPEAT; [ "$t" = maxpps ] && reps=1
  for rep in $(seq 1 "$reps"); do
  for relay in $RELAYS; do
    case $t in
      maxpps)
        best=0; fail=0; r=$PPS_START; steps=0
        while [ "$steps" -lt "$MAX_STEPS" ]; do
          steps=$((steps + 1))
          if gen "$relay" "maxpps-$r" "$SWEEP_STREAMS" "$r" "$STEP_SECONDS"; then best=$r; else fail=$r; fi
          if [ "$fail" = 0 ]; then r=$((r * 2)); continue; fi
          [ $(( (fail - best) * 20 )) -le "$fail" ] && break
          r=$(( (best + fail) / 2 ))
        done
        printf "%s\tmaxpps\t%s\t%s\n" "$relay" "$best" "$fail" >> "$OUT/maxpps.tsv"
        echo "$relay maxpps: highest passing $best pps (first failing $fail), $SWEEP_STREAMS calls";;
      unpaced) gen "$relay" unpaced "$SWEEP_STREAMS" 0 "$STEP_SECONDS" || true;;
      lat*) n=${t#lat}; gen "$relay" "$t" "$n" $((n * 100)) "$LAT_SECONDS" || true;;
    esac
  done
  done
done

python3 - "$SUMMARY" "$OUT/maxpps.tsv" > "$OUT/compare.txt" <<'PY'
import csv, os, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
maxpps = {}
if os.path.exists(sys.argv[2]):
    for line in open(sys.argv[2]):
        relay, _, best, fail = line.split("\t")
        maxpps[relay] = int(best)
def get(relay, test):
    # median over the repeated runs of one relay and test
    runs = [r for r in rows if r["relay"] == relay and r["test"] == test]
    if not runs:
        return None
    out = {}
    for c in runs[0]:
        try:
            v = sorted(float(r[c]) for r in runs)
            out[c] = v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2
        except ValueError:
            out[c] = runs[0][c]
    return out
cols = ["fwd_pps", "loss_pct", "p50_us", "p90_us", "p99_us", "p999_us", "max_us", "relay_cpu_pct", "cpu_us_per_pkt", "fwd_us_per_pkt", "gc_pauses", "gc_pause_ms"]
tests = sorted({r["test"] for r in rows if not r["test"].startswith("maxpps")})
# every relay but rtpengine against rtpengine (pinhole, and pinhole_uring when it ran)
ours = [r for r in dict.fromkeys(r["relay"] for r in rows) if r != "rtpengine"] or ["pinhole"]
for k in maxpps:
    if k != "rtpengine" and k not in ours:
        ours.append(k)
head = "%-10s %-15s" + " %13s" * (len(ours) + 1) + " %8s" * len(ours)
print(head % (("test", "metric") + tuple(ours) + ("rtpengine",) + tuple("ratio" if o == "pinhole" else "r_" + o[-5:]
      for o in ours)))
for t in tests:
    e = get("rtpengine", t)
    for c in cols:
        ev = float(e[c]) if e else float("nan")
        vals = []
        for o in ours:
            p = get(o, t)
            vals.append(float(p[c]) if p else float("nan"))
        ratios = [v / ev if ev else float("nan") for v in vals]
        print(("%-10s %-15s" + " %13.2f" * (len(vals) + 1) + " %8.2f" * len(ratios))
              % ((t, c) + tuple(vals) + (ev,) + tuple(ratios)))
if maxpps:
    e = maxpps.get("rtpengine")
    vals = [maxpps.get(o) for o in ours]
    print(("%-10s %-15s" + " %13s" * (len(vals) + 1) + " %8s" * len(vals)) % (("maxpps", "pps<0.1%loss")
          + tuple(str(v) for v in vals) + (str(e),) + tuple("%.2f" % (v / e) if v and e else "n/a" for v in vals)))
print("medians over REPEAT runs; ratio (r_...) = that relay / rtpengine (pps: higher is better; latency, CPU: lower is better)")
PY
echo; column -t "$SUMMARY"; echo; cat "$OUT/compare.txt"
