#!/usr/bin/env bash
# bench/calls/diag.sh SYS RATE [DURATION] -- evidence when Pinhole fails a rate: starts Pinhole alone
# (same settings as run.sh), warms it up with WARM calls at 20 cps, then runs SYS (ph-auth or
# ph-noauth) at RATE for DURATION s (default 30) while sampling every 2 s the live heap of proxy
# and relay (GC.heap_info), taking a class histogram of the proxy once its heap passes
# HISTO_MB (default 400) and a thread dump of both, and a JFR recording of the proxy (JFR_S s,
# default 20) whose hottest frames are printed. Output: bench/results/calls-diag-<time>/.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
SYS=${1:?ph-auth|ph-noauth}; RATE=${2:?rate}; DUR=${3:-30}
WARM=${WARM:-200}; HISTO_MB=${HISTO_MB:-400}; JFR_S=${JFR_S:-20}; CALL_MS=${CALL_MS:-1000}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
OUT="${OUT:-$CALLS_DIR/../results/calls-diag-$(date -u +%Y%m%dT%H%M%SZ)}"; mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
exec > >(tee -a "$OUT/diag.log") 2>&1
SPID=""
cleanup() { trap - EXIT; stop_pid "$SPID" sampler; stop_pid "$UAS_PID" uas; stop_pinhole
  [ -z "$(ip netns pids "$NS_PH" 2>/dev/null)" ] && ip netns del "$NS_PH" 2>/dev/null; echo "stopped ($OUT)"; }
trap cleanup EXIT; trap 'exit 130' INT TERM
start_pinhole "$OUT/pinhole.log" "$OUT/pinhole-data" || exit 1
mb() { "$JCMD" "$1" GC.heap_info 2>/dev/null | awk '/garbage-first heap/ {for(i=1;i<=NF;i++) if($i=="used"){v=$(i+1); gsub(/K,?/,"",v); print int(v/1024)}}'; }
sampler() {
  local histo=0 t0=$SECONDS
  while :; do
    local p r; p=$(mb "$PH_PROXY"); r=$(mb "$PH_RELAY")
    echo "t+$((SECONDS - t0))s heap used (MB, not after GC): proxy ${p:-dead} relay ${r:-dead}; relay fds $(ls /proc/$PH_RELAY/fd 2>/dev/null | wc -l)" >> "$OUT/heap-samples.txt"
    if [ "$histo" = 0 ] && [ "${p:-0}" -ge "$HISTO_MB" ]; then
      histo=1
      "$JCMD" "$PH_PROXY" GC.class_histogram > "$OUT/proxy-histogram.txt" 2>&1
      "$JCMD" "$PH_PROXY" Thread.print > "$OUT/proxy-threads.txt" 2>&1
      "$JCMD" "$PH_RELAY" Thread.print > "$OUT/relay-threads.txt" 2>&1
      echo "t+$((SECONDS - t0))s histogram + thread dumps taken" >> "$OUT/heap-samples.txt"
    fi
    sleep 2
  done
}
d="$OUT/warm"; mkdir -p "$d"; do_register "$SYS" "$d"; start_uas "$SYS" "$d"
echo "warm-up: $WARM calls at 20 cps -> rc $(run_uac "$SYS" "$d" 20 "$WARM" "$CALL_MS")"; stop_uas
d="$OUT/step"; mkdir -p "$d"; do_register "$SYS" "$d"; start_uas "$SYS" "$d"
sampler & SPID=$!
"$JCMD" "$PH_PROXY" JFR.start settings=profile duration=${JFR_S}s filename="$OUT/proxy.jfr" > /dev/null 2>&1
"$JCMD" "$PH_RELAY" JFR.start settings=profile duration=${JFR_S}s filename="$OUT/relay.jfr" > /dev/null 2>&1
echo "$SYS $RATE cps x $DUR s -> rc $(run_uac "$SYS" "$d" "$RATE" $((RATE * DUR)) "$CALL_MS")"; stop_uas
stop_pid "$SPID" sampler; SPID=""
tail -4 "$d"/uac-stat-*.csv | head -0
python3 "$CALLS_DIR/analyze.py" --header; python3 "$CALLS_DIR/analyze.py" "$d" "$UAC_PORT" "$SYS" "$RATE" $((RATE * DUR)) 0 0 "$DUR" "$DUR" "$CALL_MS" 0 0 100
cat "$OUT/heap-samples.txt"
[ -f "$OUT/proxy-histogram.txt" ] && head -30 "$OUT/proxy-histogram.txt"
sleep 2
if [ -f "$OUT/proxy.jfr" ]; then
  jfr="$(dirname "$JCMD")/jfr"
  for jvm in proxy relay; do
    "$jfr" print --stack-depth 1 --events jdk.ExecutionSample "$OUT/$jvm.jfr" | grep -A1 'stackTrace = \[' | grep -v -e 'stackTrace' -e '^--' \
      | sed -E 's/ line: [0-9]+//; s/^ +//' | sort | uniq -c | sort -rn | head -40 > "$OUT/$jvm-hot-frames.txt"
    echo "hottest $jvm frames (self time):"; head -15 "$OUT/$jvm-hot-frames.txt"
    echo "$jvm GC pauses over 50 ms:"; "$jfr" print --events jdk.GarbageCollection "$OUT/$jvm.jfr" | grep -E 'longestPause' | awk '$3+0 > 50' | head
  done
fi
grep -E ' (WARN|ERROR) |OutOfMemory|exited' "$OUT/pinhole.log" | cut -c1-250 | sed -E 's/call [^ ]+/call X/' | sort | uniq -c | sort -rn | head -20
