#!/usr/bin/env bash
# bench/soak/run.sh -- issue 15's soak: Pinhole (proxy + relay, launcher, embedded PostgreSQL) for
# SOAK_S (1800) seconds at a fixed call rate, RTP both ways in every call, authenticated caller.
# See bench/soak/README.md. Rate: SOAK_RATE=N calls/s, or RATE=N (a measured maximum, e.g. from
# bench/calls) and the soak runs at SOAK_PCT (80) % of it.
# Environment: SOAK_S=1800 CALL_MS=5000 RTP_PACKETS=100 (20 ms each, per side and call)
#   SAMPLE_S=60 (heap and gauges sampled every SAMPLE_S s) HEAP_WARMUP_S (default SOAK_S/6, at most 300:
#   heap samples before it are warm-up) WARM_S=90 WARM_RATE (default min(200, rate): JIT warm-up before
#   the soak, not measured) SETTLE_S=60 (longest wait for gauges to return to 0 after the soak)
#   PINHOLE_HOME= (tree whose ./pinhole is started; PINHOLE_NO_BUILD=1 to run its jars as they are)
set -uo pipefail
SOAK_DIR="$(cd "$(dirname "$0")" && pwd)"
source "$SOAK_DIR/../calls/lib.sh"
SOAK_PCT="${SOAK_PCT:-80}"
if [ -n "${SOAK_RATE:-}" ]; then R=$SOAK_RATE
elif [ -n "${RATE:-}" ]; then R=$(( RATE * SOAK_PCT / 100 ))
else echo "usage: RATE=<measured max calls/s> $0   or   SOAK_RATE=<calls/s> $0"; exit 2; fi
[ "$R" -ge 1 ] || { echo "rate $R < 1"; exit 2; }
SOAK_S="${SOAK_S:-1800}"; CALL_MS="${CALL_MS:-5000}"; RTP_PACKETS="${RTP_PACKETS:-100}"
SAMPLE_S="${SAMPLE_S:-60}"; SETTLE_S="${SETTLE_S:-60}"
HEAP_WARMUP_S="${HEAP_WARMUP_S:-$(( SOAK_S / 6 < 300 ? SOAK_S / 6 : 300 ))}"
WARM_S="${WARM_S:-90}"; WARM_RATE="${WARM_RATE:-$(( R < 200 ? R : 200 ))}"
[ $(( RTP_PACKETS * 20 + 1000 )) -le "$CALL_MS" ] || { echo "CALL_MS $CALL_MS too short for $RTP_PACKETS packets of 20 ms (+1 s)"; exit 2; }
for p in sipp curl python3 ip; do command -v $p >/dev/null || { echo "missing $p"; exit 2; }; done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
export UAS_SF="$SOAK_DIR/sipp/uas-rtp.xml" UAC_AUTH_SF="$SOAK_DIR/sipp/uac-auth-rtp.xml"
export UAS_TIMEOUT=$(( WARM_S + SOAK_S + CALL_MS / 1000 + 600 ))

OUT="${OUT:-$SOAK_DIR/../results/soak-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
exec > >(tee -a "$OUT/run.log") 2>&1
echo "bench/soak $(date -u +%FT%TZ): $R calls/s for $SOAK_S s (${RATE:+$SOAK_PCT % of RATE=$RATE}${SOAK_RATE:+SOAK_RATE}), call ${CALL_MS} ms, RTP $RTP_PACKETS x 20 ms each way; pinhole=$PINHOLE_HOME ($(cd "$PINHOLE_HOME" && git rev-parse --short HEAD 2>/dev/null || echo 'no git')) -> $OUT"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); sipp $(sipp -v 2>&1 | grep -o 'v[0-9.]*' | head -1)"

SAMPLER=""
cleanup() {
  trap - EXIT INT TERM
  [ -n "$SAMPLER" ] && stop_pid "$SAMPLER" sampler
  [ -n "$UAS_PID" ] && stop_pid "$UAS_PID" "sipp uas"
  stop_pinhole
  ip netns list | awk '{print $1}' | grep -qx "$NS_PH" && [ -z "$(ip netns pids "$NS_PH" 2>/dev/null)" ] && ip netns del "$NS_PH"
  echo "stopped everything ($(date -u +%TZ)); results in $OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ng_cmd() { nsx "$NS_PH" python3 "$SOAK_DIR/tools.py" ng "127.0.0.1:$PH_NG" "$1"; }
ng_val() { ng_cmd "$1" | awk -v k="$2" '$1==k {print $2}'; }
prom() { # proxy|relay METRIC -- sum of the samples of METRIC (all labels)
  local url
  case $1 in proxy) url="http://127.0.0.1:$PH_ADMIN/actuator/prometheus";; relay) url="http://127.0.0.1:$PH_RELAY_HTTP/actuator/prometheus";; esac
  nsx "$NS_PH" curl -s -H "Authorization: Bearer $PH_TOKEN" "$url" \
    | awk -v m="$2" '$1==m || index($1, m"{")==1 {s+=$NF; f=1} END {if (f) printf "%d\n", s; else print "-"}'
}
# live instances of the SIP stack's transactions and dialogs in the proxy (class histogram = live objects after a full GC)
sip_state() {
  "$JCMD" "$PH_PROXY" GC.class_histogram 2>/dev/null | awk '
    $4 ~ /^gov\.nist\.javax\.sip\.stack\.SIPServerTransactionImpl$/ {st=$2}
    $4 ~ /^gov\.nist\.javax\.sip\.stack\.SIPClientTransactionImpl$/ {ct=$2}
    $4 ~ /^gov\.nist\.javax\.sip\.stack\.SIPDialog$/ {d=$2}
    END {printf "server_tx %d client_tx %d dialogs %d\n", st, ct, d}'
}
gauges() { # one line: the counts that must return to 0
  echo "proxy pinhole_calls_active $(prom proxy pinhole_calls_active), pinhole_relay_pool_calls $(prom proxy pinhole_relay_pool_calls); relay list $(ng_val list calls), statistics sessions $(ng_val statistics sessions) portpairs $(ng_val statistics portpairs); $(sip_state)"
}

start_pinhole "$OUT/pinhole.log" "$OUT/pinhole-data" || exit 1
echo "proxy JVM: $(tr '\0' ' ' < /proc/$PH_PROXY/cmdline | cut -c1-160)"
echo "relay JVM: $(tr '\0' ' ' < /proc/$PH_RELAY/cmdline | cut -c1-160)"

# one step directory per SIPp run: SIPp finds media.pcap in its working directory
step_dir() { mkdir -p "$OUT/$1"; python3 "$SOAK_DIR/tools.py" pcap "$OUT/$1/media.pcap" "$RTP_PACKETS"; echo "$OUT/$1"; }
uac_calls() { # DIR -- successful / failed calls from SIPp's final statistics
  local f; f=$(ls -t "$1"/uac-stat-*.csv 2>/dev/null | head -1)
  [ -n "$f" ] || { echo "- -"; return; }
  python3 - "$f" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1]), delimiter=';'))
h, last = rows[0], rows[-1]
print(last[h.index('SuccessfulCall(C)')], last[h.index('FailedCall(C)')])
EOF
}

# ---- warm-up (not measured): the JVMs' JIT; a cold Pinhole fails calls in its first seconds
if [ "$WARM_S" -gt 0 ]; then
  d=$(step_dir warmup)
  do_register ph-auth "$d" || exit 1
  start_uas ph-auth "$d"
  rc=$(run_uac ph-auth "$d" "$WARM_RATE" $(( WARM_RATE * WARM_S )) "$CALL_MS")
  echo "warm-up: $WARM_RATE calls/s for $WARM_S s, rc $rc, successful/failed $(uac_calls "$d") (not measured)"
  stop_uas
  sleep 10
fi

# ---- the soak
d=$(step_dir soak)
do_register ph-auth "$d" || exit 1
PKT0=$(ng_val statistics packets); PROMPKT0=$(prom relay pinhole_relay_packets_forwarded_total)
echo "before: $(gauges); relay packets forwarded so far $PKT0"
start_uas ph-auth "$d"
HEAP="$OUT/heap.tsv"; printf "t_s\tproxy_live_kb\trelay_live_kb\tproxy_calls_active\trelay_sessions\trelay_portpairs\n" > "$HEAP"
T0=$(date +%s)
( while sleep "$SAMPLE_S"; do
    printf "%d\t%s\t%s\t%s\t%s\t%s\n" $(( $(date +%s) - T0 )) "$(live_heap "$PH_PROXY")" "$(live_heap "$PH_RELAY")" \
      "$(prom proxy pinhole_calls_active)" "$(ng_val statistics sessions)" "$(ng_val statistics portpairs)" >> "$HEAP"
  done ) &
SAMPLER=$!
N=$(( R * SOAK_S ))
echo "soak: $N calls at $R/s ($(date -u +%TZ))"
RC=$(run_uac ph-auth "$d" "$R" "$N" "$CALL_MS")
T1=$(date +%s)
stop_pid "$SAMPLER" sampler; SAMPLER=""
stop_uas
read -r OK FAILED < <(uac_calls "$d")
ELAPSED=$(( T1 - T0 ))

# ---- afterwards: everything back to 0 (waits up to SETTLE_S for lingering transactions)
settled=no
for i in $(seq 1 $(( SETTLE_S / 5 + 1 ))); do
  G=$(gauges)
  echo "$G" | grep -Eq '(active|calls|list|sessions|portpairs|_tx|dialogs) [1-9]' || { settled=yes; break; }
  sleep 5
done
echo "after ($(( $(date +%s) - T1 )) s): $G"
PKT1=$(ng_val statistics packets); PROMPKT1=$(prom relay pinhole_relay_packets_forwarded_total)
FWD=$(( PKT1 - PKT0 )); EXPECTED=$(( ${OK:-0} * 2 * RTP_PACKETS ))

# ---- report
read -r PH_FIRST PH_LAST PH_SLOPE PH_N < <(awk -F'\t' -v w="$HEAP_WARMUP_S" 'NR>1 && $1>=w {print $1/60, $2}' "$HEAP" | python3 "$SOAK_DIR/tools.py" slope)
read -r RL_FIRST RL_LAST RL_SLOPE RL_N < <(awk -F'\t' -v w="$HEAP_WARMUP_S" 'NR>1 && $1>=w {print $1/60, $3}' "$HEAP" | python3 "$SOAK_DIR/tools.py" slope)
PASS=yes
[ "$RC" = 0 ] && [ "${FAILED:-x}" = 0 ] && [ "${OK:-0}" = "$N" ] || PASS=no
[ "$settled" = yes ] || PASS=no
{
echo "== soak result $(date -u +%FT%TZ)"
echo "rate $R calls/s, $SOAK_S s (elapsed $ELAPSED s), call ${CALL_MS} ms, RTP $RTP_PACKETS packets each way per call"
echo "calls attempted $N, successful ${OK:-?}, failed ${FAILED:-?} (SIPp rc $RC)"
echo "live heap after GC (KB), samples from ${HEAP_WARMUP_S} s on ($PH_N samples every $SAMPLE_S s): proxy first $PH_FIRST last $PH_LAST slope $PH_SLOPE KB/min; relay first $RL_FIRST last $RL_LAST slope $RL_SLOPE KB/min (all samples: $HEAP)"
echo "after the run: $G (back to 0: $settled)"
echo "RTP packets forwarded by the relay: $FWD (ng statistics; prometheus pinhole_relay_packets_forwarded_total +$(( ${PROMPKT1/-/0} - ${PROMPKT0/-/0} ))), expected ${OK:-0} calls x 2 x $RTP_PACKETS = $EXPECTED ($(python3 -c "print('%.2f %%' % (100.0 * $FWD / $EXPECTED) if $EXPECTED else '-')"))"
echo "PASS (0 failed, every call successful, relay/proxy state back to 0): $PASS -- judge the heap slope and the RTP ratio by eye"
} | tee "$OUT/result.txt"
