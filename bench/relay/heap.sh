#!/usr/bin/env bash
# bench/relay/heap.sh [CALLS] -- heap held by allocated, idle calls in Pinhole's relay.
# Starts the relay with -Xmx256m, measures the live heap after a full GC, allocates CALLS calls
# over ng (offer + answer, one audio stream each: 4 sockets per call), measures again, and
# reports bytes per call and the projection for 10,000 calls. CALLS defaults to 4,500 because
# every call holds 4 file descriptors and the hard RLIMIT_NOFILE here is 20,000; raise it
# (ulimit -Hn) to allocate 10,000 for real.
# HISTO=1 also writes the live class histograms before and after (jmap -histo:live) and
# histo-diff.txt: the classes the calls added, in bytes and instances per call, largest first.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
CALLS="${1:-4500}"
RELAY_CPU="${RELAY_CPU:-0-1}"
JAVA_OPTS="${HEAP_JAVA_OPTS:--Xmx256m -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled}"
MEDIA_MIN=20000; MEDIA_MAX=59999
PEER_BASE=60000
need
ensure_netns
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
OUT="$RELAY_BENCH_DIR/results/heap-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
RELAY_PID=""
trap stop_relay EXIT
JCMD="$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd"
live_heap() {  # used heap in KB after a full GC
  "$JCMD" "$RELAY_PID" GC.run >/dev/null
  sleep 1
  # Java heap only (young + old generation, or G1's heap line), not metaspace
  "$JCMD" "$RELAY_PID" GC.heap_info | awk '/PSYoungGen|ParOldGen|garbage-first heap|def new generation|tenured generation/ {
      for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); gsub(/K,?/,"",v); s+=v}} END {print s}'
}
# the generator's ephemeral range is 60000-64999 inside the namespace, so the fake phones'
# ports are never bound: ng.py alloc only writes them into SDP
start_pinhole "$OUT/pinhole.log" || exit 1
sleep 2
# a few calls first, so classes loaded by the first commands are not counted per call
ng alloc 20 --peer-base 9000 --prefix warm --out "$OUT/warm.txt" >/dev/null || exit 1
before=$(live_heap)
histo() { [ "${HISTO:-0}" = 1 ] && "$JCMD" "$RELAY_PID" GC.class_histogram > "$OUT/histo-$1.txt"; }
histo before
ng alloc "$CALLS" --peer-base 10000 --out "$OUT/map.txt" >/dev/null || { echo "alloc failed"; exit 1; }
sleep 1
after=$(live_heap)
histo after
ng stats > "$OUT/stats.txt" 2>&1
fds=$(ls /proc/"$RELAY_PID"/fd | wc -l)
python3 - "$CALLS" "$before" "$after" "$fds" <<'PY' | tee "$OUT/result.txt"
import sys
n, before, after, fds = (int(x) for x in sys.argv[1:])
per = (after - before) * 1024 / n
print("calls allocated        %d (+20 before the first measurement; %d file descriptors open)" % (n, fds))
print("live heap before       %.1f MB" % (before / 1024))
print("live heap after        %.1f MB" % (after / 1024))
print("per call               %.0f bytes (2 endpoints, 4 Netty channels)" % per)
print("projected 10,000 calls %.1f MB live heap (target < 256 MB)" % ((before * 1024 + per * 10000) / 1e6))
PY
[ "${HISTO:-0}" = 1 ] && python3 - "$CALLS" "$OUT/histo-before.txt" "$OUT/histo-after.txt" <<'PY' > "$OUT/histo-diff.txt"
import sys
n = int(sys.argv[1])
def read(path):
    h = {}
    for line in open(path):
        f = line.split()
        if len(f) >= 4 and f[0].endswith(":"):
            h[f[3]] = (int(f[1]), int(f[2]))
    return h
b, a = read(sys.argv[2]), read(sys.argv[3])
rows = []
for c, (inst, byt) in a.items():
    i0, b0 = b.get(c, (0, 0))
    rows.append(((byt - b0) / n, (inst - i0) / n, c))
rows.sort(reverse=True)
print("%10s %10s  class (per call)" % ("bytes", "instances"))
for per, inst, c in rows:
    if abs(per) >= 4:
        print("%10.1f %10.2f  %s" % (per, inst, c))
print("%10.1f            total" % sum(r[0] for r in rows))
PY
