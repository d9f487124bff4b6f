#!/usr/bin/env bash
# bench/calls/run.sh [PHASES] -- calls/s of Pinhole's proxy + relay against Kamailio + rtpengine,
# in the same run, plus Pinhole's heap per active call and its behaviour at 1.5x its rate.
# See bench/calls/README.md. PHASES (default "smoke warmup search confirm heap overload"):
#   smoke     10 calls at 10 cps through every system
#   warmup    Pinhole's JVMs only: WARM_S (90) s at WARM_RATE (200) cps per Pinhole variant (JIT), not a
#             measurement. 30 s was not enough on a slower box: the first step after it failed calls
#             that later steps at the same rate passed, and the search never went back to that rate
#   search    30 s steps per rate, systems interleaved: double from RATE_START until a step fails,
#             then bisect until the gap is <= SEARCH_RES_PCT % (or MAX_RUNS steps)
#   confirm   CONFIRM_DURATION (60 s) at the highest passing rate, REPEATS times, interleaved
#             (a failed repeat lowers that system's rate by CONFIRM_LOWER_PCT, 10 %, for the next one;
#             0 keeps both systems at the same rate for every repeat)
#   heap      Pinhole only: HEAP_CALLS calls held at once, live heap of proxy and relay JVMs
#             after a full GC minus the idle baseline, per call
#   overload  Pinhole only: LONG_CALLS calls established first, then 1.5x the sustained rate for
#             60 s with the 503-tolerant caller; then RECOVERY at the sustained rate for 30 s
# Environment: SYSTEMS="ph-auth ka ph-noauth" CALL_MS=1000 SEARCH_DURATION=30 CONFIRM_DURATION=60
#   RATE_START=400 (START_<sys>=N per system) SEARCH_RES_PCT=5 MAX_RUNS=8 REPEATS=2 RATE_<sys>=N (skip the search for that
#   system, e.g. RATE_ka=1500; '-' in a name becomes '_') HEAP_CALLS=4500 HEAP_RATE=450
#   HEAP_HOLD_MS=50000 LONG_CALLS=300 OVERLOAD_FACTOR=1.5 OVERLOAD_RATE= (default factor x rate)
#   PH_MAX_NEW= (pinhole.calls.max-new-per-second; unset = the proxy's default)
#   PINHOLE_HOME= (tree whose ./pinhole is started; default this repository) KAM_SHM_MB=1024 RTPE_THREADS=2
set -uo pipefail
source "$(dirname "$0")/lib.sh"
PHASES="${1:-smoke warmup search confirm heap overload}"
SYSTEMS="${SYSTEMS:-ph-auth ka ph-noauth}"
CALL_MS="${CALL_MS:-1000}"; SEARCH_DURATION="${SEARCH_DURATION:-30}"; CONFIRM_DURATION="${CONFIRM_DURATION:-60}"
RATE_START="${RATE_START:-400}"; SEARCH_RES_PCT="${SEARCH_RES_PCT:-5}"; MAX_RUNS="${MAX_RUNS:-8}"; REPEATS="${REPEATS:-2}"; CONFIRM_LOWER_PCT="${CONFIRM_LOWER_PCT:-10}"
HEAP_CALLS="${HEAP_CALLS:-4500}"; HEAP_RATE="${HEAP_RATE:-450}"; HEAP_HOLD_MS="${HEAP_HOLD_MS:-50000}"
LONG_CALLS="${LONG_CALLS:-300}"; OVERLOAD_FACTOR="${OVERLOAD_FACTOR:-1.5}"
HZ=$(getconf CLK_TCK)
[ -d "$SHARED_BENCH/peers" ] || { echo "shared harness not found at $SHARED_BENCH (set SHARED_BENCH)"; exit 2; }
for p in sipp dumpcap tshark kamailio kamcmd rtpengine curl; do command -v $p >/dev/null || { echo "missing $p"; exit 2; }; done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

OUT="${OUT:-$CALLS_DIR/../results/calls-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT/steps"
OUT="$(cd "$OUT" && pwd)"
SUMMARY="$OUT/summary.tsv"
[ -f "$SUMMARY" ] || { printf "step\t"; python3 "$CALLS_DIR/analyze.py" --header; } > "$SUMMARY"
exec > >(tee -a "$OUT/run.log") 2>&1
echo "bench/calls $(date -u +%FT%TZ) phases='$PHASES' systems='$SYSTEMS' call=${CALL_MS}ms pinhole=$PINHOLE_HOME ($(cd "$PINHOLE_HOME" && git rev-parse --short HEAD 2>/dev/null || echo 'no git')) -> $OUT"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); sipp $(sipp -v 2>&1 | grep -o 'v[0-9.]*' | head -1), $(kamailio -v 2>&1 | head -1), $(rtpengine --version 2>&1 | head -1)"

BG_PIDS=()
cleanup() {
  trap - EXIT INT TERM
  local p
  for p in "${BG_PIDS[@]}" "$UAS_PID" "${CAP_PID:-}"; do [ -n "$p" ] && stop_pid "$p" "bg $p"; done
  stop_pinhole
  stop_kamailio
  for ns in "$NS_PH" "$NS_KA"; do
    ip netns list | awk '{print $1}' | grep -qx "$ns" && [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && ip netns del "$ns"
  done
  echo "stopped everything ($(date -u +%TZ)); results in $OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PH_LOG="$OUT/pinhole.log"; PH_STARTS=1
start_pinhole "$PH_LOG" "$OUT/pinhole-data" || exit 1
# ensure_pinhole -- before a Pinhole step: if the proxy or relay JVM died (e.g. OutOfMemoryError),
# say so with the launcher's last lines and start the system again (new log file, same database)
ensure_pinhole() {
  if kill -0 "$PH_PROXY" 2>/dev/null && kill -0 "$PH_RELAY" 2>/dev/null; then return 0; fi
  echo "  !! pinhole is down (proxy $PH_PROXY alive: $(kill -0 "$PH_PROXY" 2>/dev/null && echo yes || echo no), relay $PH_RELAY alive: $(kill -0 "$PH_RELAY" 2>/dev/null && echo yes || echo no)); last launcher lines of $PH_LOG:"
  grep -E 'OutOfMemory|Terminating|exited|FATAL|Exception' "$PH_LOG" | tail -5 | sed 's/^/     /'
  printf "pinhole-died\t%s\n" "$(grep -E 'OutOfMemory|Terminating' "$PH_LOG" | tail -1)" >> "$SUMMARY"
  stop_pinhole
  PH_STARTS=$((PH_STARTS + 1)); PH_LOG="$OUT/pinhole-start$PH_STARTS.log"
  start_pinhole "$PH_LOG" "$OUT/pinhole-data" || exit 1
  # a fresh JVM fails its first seconds at rates a warm one holds: warm it up again (not measured)
  case " $PHASES " in *" warmup "*) local w; for w in $SYSTEMS; do case $w in ph-*)
    STEPNO=$((STEPNO + 1)); local wd="$OUT/steps/$(printf %02d $STEPNO)-rewarm-$w"; mkdir -p "$wd"
    do_register "$w" "$wd" && { start_uas "$w" "$wd"; echo "  re-warm-up $w: rc $(run_uac "$w" "$wd" "${WARM_RATE:-200}" $(( ${WARM_RATE:-200} * ${WARM_S:-90} )) "$CALL_MS")"; stop_uas; }
  ;; esac; done;; esac
}
start_kamailio "$OUT" || exit 1
echo "proxy JVM: $(tr '\0' ' ' < /proc/$PH_PROXY/cmdline | cut -c1-200)"

STEPNO=0
LASTROW=""
# step SYS RATE DURATION LABEL -- one strict step; appends to summary.tsv; returns 0 on PASS
step() {
  local sys=$1 r=$2 dur=$3 label=$4 n d rc t0 t1 s0 s1 b0 b1 logoff
  case $sys in ph-*) ensure_pinhole;; esac
  STEPNO=$((STEPNO + 1)); n=$(( r * dur ))
  d="$OUT/steps/$(printf %02d $STEPNO)-$label-$sys-$r"; mkdir -p "$d"
  do_register "$sys" "$d" || { printf "%s\t%s\n" "$label" "$sys $r REGISTER-FAILED" >> "$SUMMARY"; return 1; }
  start_uas "$sys" "$d"
  start_capture "$sys" "$d" "$dur"
  logoff=$(stat -c %s "$PH_LOG")
  s0=$(tree_ticks $(sys_watch "$sys")); b0=$(box_ticks); t0=$(date +%s.%N)
  rc=$(run_uac "$sys" "$d" "$r" "$n" "$CALL_MS")
  t1=$(date +%s.%N); s1=$(tree_ticks $(sys_watch "$sys")); b1=$(box_ticks)
  stop_uas
  wait "$CAP_PID" 2>/dev/null; CAP_PID=""
  [ -f "$d/uac-sip.pcapng" ] && tshark -r "$d/uac-sip.pcapng" -d "udp.port==$UAC_PORT,sip" -T fields -E separator=';' \
      -e frame.time_epoch -e udp.srcport -e sip.Call-ID -e sip.CSeq.method -e sip.CSeq.seq -e sip.Status-Code \
      > "$d/uac-sip.tsv" 2>/dev/null && rm -f "$d/uac-sip.pcapng"
  tail -c +$((logoff + 1)) "$PH_LOG" | grep -E ' (WARN|ERROR) |Exception' > "$d/pinhole-warnings.log"
  LASTROW=$(python3 "$CALLS_DIR/analyze.py" "$d" "$UAC_PORT" "$sys" "$r" "$n" "$rc" "$t0" "$t1" "$dur" "$CALL_MS" \
      $((s1 - s0)) $((b1 - b0)) "$HZ")
  printf "%s\t%s\n" "$label" "$LASTROW" >> "$SUMMARY"
  local died=""
  case $sys in ph-*) kill -0 "$PH_PROXY" 2>/dev/null || died=" PROXY DIED: $(grep -E 'OutOfMemory|Terminating' "$PH_LOG" | tail -1)";; esac
  printf "  %-8s %s   (pinhole log: %s warn/error lines)%s\n" "$label" "$(echo "$LASTROW" | tr '\t' ' ')" "$(wc -l < "$d/pinhole-warnings.log")" "$died"
  [ "${LASTROW##*$'\t'}" = PASS ]
}
var() { echo "RATE_${1//-/_}"; }

declare -A BEST FAIL NEXT RUNS DONE CONF
for s in $SYSTEMS; do BEST[$s]=0; FAIL[$s]=0; RUNS[$s]=0; DONE[$s]=0; NEXT[$s]=$RATE_START
  v="START_${s//-/_}"; [ -n "${!v:-}" ] && NEXT[$s]=${!v}
  v=$(var "$s"); if [ -n "${!v:-}" ]; then BEST[$s]=${!v}; DONE[$s]=1; fi; done

for phase in $PHASES; do
  echo "== $phase ($(date -u +%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
  case $phase in
  smoke)
    for s in $SYSTEMS; do step "$s" 10 1 smoke || { echo "smoke failed for $s: see $OUT/steps"; exit 1; }; done ;;
  warmup)
    for s in $SYSTEMS; do case $s in ph-*) step "$s" "${WARM_RATE:-200}" "${WARM_S:-90}" warmup;; esac; done ;;
  search)
    while :; do
      active=0
      for s in $SYSTEMS; do
        [ "${DONE[$s]}" = 1 ] && continue
        active=1; r=${NEXT[$s]}; RUNS[$s]=$(( ${RUNS[$s]} + 1 ))
        if step "$s" "$r" "$SEARCH_DURATION" search; then BEST[$s]=$r; else FAIL[$s]=$r; fi
        b=${BEST[$s]}; f=${FAIL[$s]}
        if [ "$f" = 0 ]; then NEXT[$s]=$((r * 2))
        elif [ $(( (f - b) * 100 )) -le $(( b * SEARCH_RES_PCT )) ] || [ $((f - b)) -le 10 ]; then DONE[$s]=1
        else NEXT[$s]=$(( (b + f) / 20 * 10 )); [ "$b" = 0 ] && NEXT[$s]=$(( f / 20 * 10 )); fi
        [ "${RUNS[$s]}" -ge "$MAX_RUNS" ] && DONE[$s]=1
        [ "${NEXT[$s]}" -lt 10 ] && DONE[$s]=1
      done
      [ $active = 1 ] || break
    done
    for s in $SYSTEMS; do echo "search $s: highest passing ${BEST[$s]} cps, first failing ${FAIL[$s]} (${RUNS[$s]} steps)" | tee -a "$OUT/result.txt"; done ;;
  confirm)
    declare -A CR; for s in $SYSTEMS; do CR[$s]=${BEST[$s]}; CONF[$s]=0; done
    for rep in $(seq 1 "$REPEATS"); do
      for s in $SYSTEMS; do
        [ "${CR[$s]}" -ge 10 ] || continue
        if step "$s" "${CR[$s]}" "$CONFIRM_DURATION" "confirm$rep"; then
          [ "${CR[$s]}" -gt "${CONF[$s]}" ] && CONF[$s]=${CR[$s]}
        else CR[$s]=$(( CR[$s] * (100 - CONFIRM_LOWER_PCT) / 1000 * 10 )); fi
      done
    done
    for s in $SYSTEMS; do echo "confirm $s: highest rate passing ${CONFIRM_DURATION} s: ${CONF[$s]} cps" | tee -a "$OUT/result.txt"; done ;;
  heap)
    ensure_pinhole; d="$OUT/steps/heap"; mkdir -p "$d"
    echo "  quiet 35 s (transactions of earlier steps expire), then the idle baseline"
    sleep 35
    hp0=$(live_heap "$PH_PROXY"); hr0=$(live_heap "$PH_RELAY")
    echo "  idle live heap: proxy $((hp0 / 1024)) MB, relay $((hr0 / 1024)) MB; fds relay $(ls /proc/$PH_RELAY/fd | wc -l)"
    do_register ph-auth "$d"; start_uas ph-auth "$d"
    ( cd "$d" && exec ip netns exec "$NS_PH" sipp "127.0.0.1:$PH_SIP" $(sys_uac_args ph-auth) -i 127.0.0.1 -p "$UAC_PORT" \
        -mi 127.0.0.1 -mp "$UAC_MP" -r "$HEAP_RATE" -m "$HEAP_CALLS" -l "$HEAP_CALLS" -d "$HEAP_HOLD_MS" -nostdin \
        -trace_err -error_file uac-errors.log -trace_stat -stf uac-stat-$UAC_PORT.csv -fd 1 -max_socket 16000 \
        -timeout $(( HEAP_CALLS / HEAP_RATE + HEAP_HOLD_MS / 1000 + 60 )) -timeout_error > uac.out 2>&1 ) &
    hpid=$!; BG_PIDS+=("$hpid")
    cur=0
    for i in $(seq 1 $(( HEAP_CALLS / HEAP_RATE + 30 ))); do
      sleep 1
      cur=$(tail -1 "$d/uac-stat-$UAC_PORT.csv" 2>/dev/null | awk -F';' -v h="$(head -1 "$d/uac-stat-$UAC_PORT.csv" 2>/dev/null)" \
        'BEGIN{n=split(h,a,";"); for(i=1;i<=n;i++) if(a[i]=="CurrentCall") c=i} {print $c+0}')
      succ_now=$(tail -1 "$d/uac-stat-$UAC_PORT.csv" 2>/dev/null | awk -F';' -v h="$(head -1 "$d/uac-stat-$UAC_PORT.csv" 2>/dev/null)" \
        'BEGIN{n=split(h,a,";"); for(i=1;i<=n;i++) if(a[i]=="OutgoingCall(C)") c=i} {print $c+0}')
      [ "${succ_now:-0}" -ge "$HEAP_CALLS" ] && { sleep 3; break; }
    done
    cur=$(tail -1 "$d/uac-stat-$UAC_PORT.csv" | awk -F';' -v h="$(head -1 "$d/uac-stat-$UAC_PORT.csv")" \
        'BEGIN{n=split(h,a,";"); for(i=1;i<=n;i++) if(a[i]=="CurrentCall") c=i} {print $c+0}')
    active=$(nsx "$NS_PH" curl -s "http://127.0.0.1:$PH_ADMIN/actuator/prometheus" -H "Authorization: Bearer $PH_TOKEN" | grep -E '^pinhole_calls_active' | awk '{print $2}')
    rfd=$(ls /proc/$PH_RELAY/fd | wc -l)
    hp1=$(live_heap "$PH_PROXY"); hr1=$(live_heap "$PH_RELAY")
    cur2=$(tail -1 "$d/uac-stat-$UAC_PORT.csv" | awk -F';' -v h="$(head -1 "$d/uac-stat-$UAC_PORT.csv")" \
        'BEGIN{n=split(h,a,";"); for(i=1;i<=n;i++) if(a[i]=="CurrentCall") c=i} {print $c+0}')
    wait "$hpid"; hrc=$?; stop_uas
    python3 - "$HEAP_CALLS" "$cur" "$cur2" "$hp0" "$hp1" "$hr0" "$hr1" "$rfd" "$hrc" "${active:-?}" <<'PY' | tee -a "$OUT/result.txt" "$d/result.txt"
import sys
n, c1, c2, p0, p1, r0, r1, rfd, rc = (int(x) for x in sys.argv[1:10])
act = sys.argv[10]
c = min(c1, c2)
print("heap: %d calls placed, SIPp CurrentCall %d before / %d after the heap dumps (proxy calls_active metric: %s), relay fds %d, SIPp rc %d"
      % (n, c1, c2, act, rfd, rc))
for name, a, b in (("proxy", p0, p1), ("relay", r0, r1)):
    print("heap %-5s live %.1f MB idle -> %.1f MB with %d calls: %.0f bytes per active call"
          % (name, a / 1024, b / 1024, c, (b - a) * 1024 / max(c, 1)))
PY
    ;;
  overload)
    R=${CONF[ph-auth]:-0}; [ "$R" -gt 0 ] 2>/dev/null || R=${BEST[ph-auth]:-0}
    [ "$R" -gt 0 ] || { echo "no sustained rate for ph-auth: set RATE_ph_auth"; continue; }
    OV=${OVERLOAD_RATE:-$(python3 -c "print(int($R * $OVERLOAD_FACTOR))")}
    ensure_pinhole; d="$OUT/steps/overload-$OV"; mkdir -p "$d/long" "$d/over"
    echo "  sustained rate $R cps -> overload $OV cps for 60 s; $LONG_CALLS long calls (50 s) established first"
    do_register ph-auth "$d"; start_uas ph-auth "$d"
    ( cd "$d/long" && exec ip netns exec "$NS_PH" sipp "127.0.0.1:$PH_SIP" $(sys_uac_args ph-auth) -i 127.0.0.1 -p "$UAC2_PORT" \
        -mi 127.0.0.1 -mp "$UAC2_MP" -r 30 -m "$LONG_CALLS" -l "$LONG_CALLS" -d 50000 -nostdin -trace_err -error_file uac-errors.log \
        -trace_stat -stf uac-stat-$UAC2_PORT.csv -fd 1 -trace_counts -max_socket 16000 -timeout 150 -timeout_error > uac.out 2>&1 ) &
    lpid=$!; BG_PIDS+=("$lpid")
    sleep 12
    logoff=$(stat -c %s "$PH_LOG")
    s0=$(tree_ticks $PH_LAUNCHER); b0=$(box_ticks); t0=$(date +%s.%N)
    orc=$(run_uac ph-auth "$d/over" "$OV" $((OV * 60)) "$CALL_MS" overload)
    t1=$(date +%s.%N); s1=$(tree_ticks $PH_LAUNCHER); b1=$(box_ticks)
    wait "$lpid"; lrc=$?
    stop_uas
    tail -c +$((logoff + 1)) "$PH_LOG" | grep -E ' (WARN|ERROR) |Exception' > "$d/pinhole-warnings.log"
    row=$(python3 "$CALLS_DIR/analyze.py" "$d/over" "$UAC_PORT" ph-auth "$OV" $((OV * 60)) "$orc" "$t0" "$t1" 60 "$CALL_MS" $((s1 - s0)) $((b1 - b0)) "$HZ")
    lrow=$(python3 "$CALLS_DIR/analyze.py" "$d/long" "$UAC2_PORT" ph-auth-long 30 "$LONG_CALLS" "$lrc" 0 0 0 0 0 0 "$HZ")  # no schedule/CPU for these
    printf "overload\t%s\noverload-long\t%s\n" "$row" "$lrow" >> "$SUMMARY"
    python3 - "$d" "$row" "$lrow" "$(wc -l < "$d/pinhole-warnings.log")" <<'PY' | tee -a "$OUT/result.txt" "$d/result.txt"
import csv, glob, sys
d, row, lrow, warns = sys.argv[1:5]
c = row.split("\t"); l = lrow.split("\t")
def counts(path):
    tot = {}
    for f in glob.glob(path + "/*_counts.csv"):
        rows = list(csv.reader(open(f), delimiter=";"))
        for k, v in zip(rows[0], rows[-1]):
            if k.endswith("_Recv") or k.endswith("_Sent"):
                code = k.split("_", 1)[1]
                tot[code] = tot.get(code, 0) + int(float(v or 0))
    return tot
o = counts(d + "/over")
print("overload %s cps x 60 s [503s here come from whatever refused the call: admission control, or no relay]: %s calls, %s ended normally (answered or refused), %s FAILED, 503 received %s, 200 received %s "
      "(INVITE 200s answered calls ~ %d), retransmissions %s, elapsed %s s, proxy+relay+db CPU %s s; pinhole warn/error lines %s"
      % (c[1], c[2], c[3], c[4], c[6], o.get("200_Recv", "?"), (o.get("200_Recv", 0)) // 2, c[5], c[7], c[15], warns))
print("established-before calls: %s placed, %s completed (ACK, 50 s, BYE -> 200 during the overload), %s failed, %s retransmissions"
      % (l[2], l[3], l[4], l[5]))
PY
    echo "  recovery: 5 s later, $R cps for 30 s (strict)"
    sleep 5
    step ph-auth "$R" 30 recovery ;;
  esac
done
echo "== done $(date -u +%TZ)"
column -t -s $'\t' "$SUMMARY"
