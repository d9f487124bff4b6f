#!/usr/bin/env bash
# bench/calls/heap.sh [CALLS] [RATE] -- live heap per established call in Pinhole's proxy and relay.
# Starts Pinhole alone (as run.sh does, in its own namespace), warms it with WARM calls, waits
# QUIET s so their transactions expire, then takes the baseline: live heap of both JVMs after two
# full GCs (jcmd GC.run) and class histograms of both. Then SIPp places CALLS calls at RATE
# calls/s (default 1,500 at 50/s, ph-auth: 407 challenge on each) and holds them HOLD_MS; once all
# are answered the live heap is taken twice:
#   fresh    right after the last call was set up: includes what the RI keeps of the set-up
#            transactions and the INVITE dialog state for their RFC 3261 timers (up to 32 s)
#   settled  SETTLE s later (default 40): only what an established call keeps for its lifetime --
#            the figure of "heap per active call" for a call longer than a minute
# (after - baseline) / calls up then (SIPp CurrentCall), for each, and a per-call diff of the class
# histograms (top classes). Output: bench/results/calls-heap-<time>/ (result.txt, histograms).
# DUMP=1 also writes a heap dump of the proxy's live objects at baseline and settled
# (proxy-baseline.hprof, proxy-settled.hprof: which strings and objects a call keeps, and who holds them).
set -uo pipefail
NS_PH="${NS_PH:-phheap-ph}"
source "$(dirname "$0")/lib.sh"
CALLS="${1:-1500}"; RATE="${2:-50}"; SYS="${SYS:-ph-auth}"
WARM="${WARM:-300}"; QUIET="${QUIET:-35}"; SETTLE="${SETTLE:-40}"; DUMP="${DUMP:-0}"
# long enough to outlast both snapshots on a loaded box (each takes two full GCs and histograms of
# both JVMs); the calls are ended when the script stops SIPp and Pinhole
HOLD_MS="${HOLD_MS:-$(( (CALLS / RATE + SETTLE + 600) * 1000 ))}"
# no RTP is sent: the relay's media timeout (60 s) would end the held calls before the last snapshot
export PINHOLE_RELAY_TIMEOUT="${PINHOLE_RELAY_TIMEOUT:-3600s}"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
OUT="${OUT:-$CALLS_DIR/../results/calls-heap-$(date -u +%Y%m%dT%H%M%SZ)}"; mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
exec > >(tee -a "$OUT/heap.log") 2>&1
HPID=""
cleanup() { trap - EXIT; stop_pid "$HPID" "sipp uac"; stop_pid "$UAS_PID" "sipp uas"; stop_pinhole
  [ -z "$(ip netns pids "$NS_PH" 2>/dev/null)" ] && ip netns del "$NS_PH" 2>/dev/null; echo "stopped ($OUT)"; }
trap cleanup EXIT; trap 'exit 130' INT TERM
stat_col() { # DIR COLUMN -- last value of a SIPp -trace_stat column
  local f="$1/uac-stat-$UAC_PORT.csv"
  tail -1 "$f" 2>/dev/null | awk -F';' -v h="$(head -1 "$f" 2>/dev/null)" -v col="$2" \
    'BEGIN{n=split(h,a,";"); for(i=1;i<=n;i++) if(a[i]==col) c=i} {print (c ? $c+0 : 0)}'
}
# live heap (KB) = the total of a class histogram of live objects (jcmd runs a full GC for it): the
# same under every collector (lib.sh's live_heap reads GC.heap_info, whose format ZGC -- the proxy's
# collector since the launcher picked it -- does not share, so it read 0 for the proxy)
histo_kb() { # PID FILE
  "$JCMD" "$1" GC.run >/dev/null 2>&1; sleep 1
  "$JCMD" "$1" GC.class_histogram > "$2" 2>&1
  awk '/^Total/ {print int($3 / 1024)}' "$2"
}
snapshot() { # NAME [DIR] -- live heap of both JVMs (KB) with their histograms, calls up (SIPp CurrentCall)
  local p r n=0
  p=$(histo_kb "$PH_PROXY" "$OUT/proxy-histogram-$1.txt"); r=$(histo_kb "$PH_RELAY" "$OUT/relay-histogram-$1.txt")
  [ -n "${2:-}" ] && n=$(stat_col "$2" CurrentCall)
  echo "$1 $p $r $n" >> "$OUT/heap-kb.txt"
  [ "$DUMP" = 1 ] && [ "$1" != fresh ] && "$JCMD" "$PH_PROXY" GC.heap_dump "$OUT/proxy-$1.hprof" >/dev/null 2>&1
  echo "  $1: live heap proxy $((p / 1024)) MB, relay $((r / 1024)) MB; calls up $n"
}

start_pinhole "$OUT/pinhole.log" "$OUT/pinhole-data" || exit 1
d="$OUT/warm"; mkdir -p "$d"; do_register "$SYS" "$d"; start_uas "$SYS" "$d"
echo "warm-up: $WARM calls at 50 cps -> rc $(run_uac "$SYS" "$d" 50 "$WARM" 1000)"; stop_uas
echo "quiet $QUIET s (the warm-up's transactions and dialogs expire)"; sleep "$QUIET"
snapshot baseline
d="$OUT/held"; mkdir -p "$d"; do_register "$SYS" "$d"; UAS_TIMEOUT=$(( HOLD_MS / 1000 + CALLS / RATE + 120 )) start_uas "$SYS" "$d"
# shellcheck disable=SC2046
( cd "$d" && exec ip netns exec "$NS_PH" sipp "$(sys_target "$SYS")" $(sys_uac_args "$SYS") -i 127.0.0.1 -p "$UAC_PORT" \
    -mi 127.0.0.1 -mp "$UAC_MP" -r "$RATE" -m "$CALLS" -l "$CALLS" -d "$HOLD_MS" -nostdin \
    -trace_err -error_file uac-errors.log -trace_stat -stf "uac-stat-$UAC_PORT.csv" -fd 1 -max_socket 16000 \
    -timeout $(( CALLS / RATE + HOLD_MS / 1000 + 60 )) -timeout_error > uac.out 2>&1 ) &
HPID=$!
# answered = calls placed minus those failed, once every call is placed and past its 200 (the
# UAC's rtd 1 counts the 200s: ResponseTime1 samples are not cumulative, so poll CurrentCall)
for i in $(seq 1 $(( CALLS / RATE + 60 ))); do
  sleep 1
  [ "$(stat_col "$d" 'OutgoingCall(C)')" -ge "$CALLS" ] && break
done
sleep 3   # the last 200/ACK
snapshot fresh "$d"
echo "settle $SETTLE s (RFC 3261 timers of the set-up transactions run out)"; sleep "$SETTLE"
snapshot settled "$d"
cur=$(stat_col "$d" CurrentCall); failed=$(stat_col "$d" 'FailedCall(C)')
active=$(nsx "$NS_PH" curl -s "http://127.0.0.1:$PH_ADMIN/actuator/prometheus" -H "Authorization: Bearer $PH_TOKEN" | awk '/^pinhole_calls_active/ {print $2}')
echo "SIPp: $CALLS placed, $cur in progress, $failed failed; proxy pinhole_calls_active ${active:-?}; relay fds $(ls /proc/"$PH_RELAY"/fd | wc -l)"
python3 - "$OUT" <<'PY' | tee "$OUT/result.txt"
import re, sys
out = sys.argv[1]
kb = {l.split()[0]: [int(x) for x in l.split()[1:]] for l in open(out + "/heap-kb.txt")}
for stage in ("fresh", "settled"):
    n = kb[stage][2]
    for i, jvm in enumerate(("proxy", "relay")):
        a, b = kb["baseline"][i], kb[stage][i]
        print("%-7s %-5s live heap %.1f -> %.1f MB with %d calls up: %.0f bytes per call"
              % (stage, jvm, a / 1024, b / 1024, n, (b - a) * 1024 / max(n, 1)))
def histo(jvm, name):
    h = {}
    for l in open("%s/%s-histogram-%s.txt" % (out, jvm, name)):
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", l)
        if m:
            h[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return h
for jvm, stage, top in (("proxy", "fresh", 30), ("proxy", "settled", 30), ("relay", "settled", 20)):
    n = kb[stage][2]
    base, h = histo(jvm, "baseline"), histo(jvm, stage)
    rows = sorted(((h[c][1] - base.get(c, (0, 0))[1], h[c][0] - base.get(c, (0, 0))[0], c) for c in h), reverse=True)
    print("\n%s, %s - baseline, per call (bytes, instances), top %d:" % (jvm, stage, top))
    for db, di, c in rows[:top]:
        print("  %7.0f B %6.2f  %s" % (db / max(n, 1), di / max(n, 1), c))
PY
