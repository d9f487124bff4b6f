#!/usr/bin/env bash
# bench/calls/cpu-split.sh SYS RATE [DURATION] -- where Pinhole's CPU per call goes: starts Pinhole alone
# (same settings as run.sh), warms it up (WARM calls, default 400, at WARM_RATE cps, default 20), runs SYS (ph-auth or ph-noauth) at RATE
# for DURATION s (default 30) and prints CPU ms per call of proxy, relay, PostgreSQL (embedded, its
# process tree), redirect server and the SIPp caller and callee, with the step's result line.
# ASPROF_LIB=/path/to/libasyncProfiler.so (async-profiler, e.g. from the tools.profiler:async-profiler jar
# on Maven Central) profiles proxy and relay during the last step: collapsed stacks, kernel frames included.
# JFR=1 records the proxy during the last step (settings=profile) into proxy.jfr: `jfr print --events
# jdk.ExecutionSample` for the stacks, `jfr summary` for the GC and thread figures.
# PostgreSQL counts the embedded launcher's JVM and the postmaster's tree: pg_ctl daemonizes the
# postmaster (its parent is init, not the launcher), so it is found by the data directory's postmaster.pid.
# STEPS (default 2) steps in a row show how steady the figures are. Use a rate well below the ceiling: past it, retransmissions inflate every figure.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
SYS=${1:?ph-auth|ph-noauth}; RATE=${2:?rate}; DUR=${3:-30}
WARM=${WARM:-400}; WARM_RATE=${WARM_RATE:-20}; CALL_MS=${CALL_MS:-1000}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
OUT="${OUT:-$CALLS_DIR/../results/calls-cpu-$(date -u +%Y%m%dT%H%M%SZ)}"; mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
exec > >(tee -a "$OUT/cpu-split.log") 2>&1
cleanup() { trap - EXIT; stop_pid "$UAS_PID" uas; stop_pinhole
  [ -z "$(ip netns pids "$NS_PH" 2>/dev/null)" ] && ip netns del "$NS_PH" 2>/dev/null; echo "stopped ($OUT)"; }
trap cleanup EXIT; trap 'exit 130' INT TERM
start_pinhole "$OUT/pinhole.log" "$OUT/pinhole-data" || exit 1
d="$OUT/warm"; mkdir -p "$d"; do_register "$SYS" "$d"; start_uas "$SYS" "$d"
echo "warm-up: $WARM calls at $WARM_RATE cps -> rc $(run_uac "$SYS" "$d" "$WARM_RATE" "$WARM" "$CALL_MS")"; stop_uas
for step in $(seq 1 "${STEPS:-2}"); do
  d="$OUT/step$step"; mkdir -p "$d"; do_register "$SYS" "$d"; start_uas "$SYS" "$d"
  PG="$(ph_child EmbeddedPostgresMain),$(head -n 1 "$OUT/pinhole-data/postgres/postmaster.pid" 2>/dev/null)"
  REDIR=$(ph_child pinhole-redirect.jar)
  declare -A before
  for n in proxy:$PH_PROXY relay:$PH_RELAY pg:$PG redirect:$REDIR uas:$UAS_PID; do v=${n#*:}; before[${n%%:*}]=$(tree_ticks ${v//,/ }); done
  sipp_before=$(for p in $(pgrep -x sipp); do cpu_ticks "$p"; done | awk '{s+=$1} END {print s+0}')
  box0=$(box_ticks)
  profiling=""
  if [ -n "${ASPROF_LIB:-}" ] && [ "$step" = "${STEPS:-2}" ]; then
    for jvm in proxy:$PH_PROXY relay:$PH_RELAY; do
      "$JCMD" "${jvm#*:}" JVMTI.agent_load "$ASPROF_LIB" '"start,event=cpu,interval=1ms"' > /dev/null && profiling="$profiling $jvm"
    done
  fi
  if [ "${JFR:-}" = 1 ] && [ "$step" = "${STEPS:-2}" ]; then
    "$JCMD" "$PH_PROXY" JFR.start name=cpusplit settings=profile > /dev/null
  fi
  rc=$(run_uac "$SYS" "$d" "$RATE" $((RATE * DUR)) "$CALL_MS")
  for jvm in $profiling; do
    "$JCMD" "${jvm#*:}" JVMTI.agent_load "$ASPROF_LIB" "\"stop,file=$OUT/${jvm%%:*}.collapsed,collapsed\"" > /dev/null
    echo "  profile: $OUT/${jvm%%:*}.collapsed"
  done
  if [ "${JFR:-}" = 1 ] && [ "$step" = "${STEPS:-2}" ]; then
    "$JCMD" "$PH_PROXY" JFR.stop name=cpusplit filename="$OUT/proxy.jfr" > /dev/null && echo "  profile: $OUT/proxy.jfr"
  fi
  calls=$((RATE * DUR)); hz=$(getconf CLK_TCK)
  echo "$SYS $RATE cps x $DUR s -> rc $rc; CPU ms per call (JVM options: ${PINHOLE_JVM_OPTS:-launcher default}):"
  for n in proxy:$PH_PROXY relay:$PH_RELAY pg:$PG redirect:$REDIR uas:$UAS_PID; do
    k=${n%%:*}; v=${n#*:}; t=$(tree_ticks ${v//,/ })
    awk -v a="${before[$k]}" -v b="$t" -v c="$calls" -v hz="$hz" -v k="$k" 'BEGIN {printf "  %-9s %6.3f\n", k, (b-a)*1000/hz/c}'
  done
  awk -v a="$box0" -v b="$(box_ticks)" -v c="$calls" -v hz="$hz" 'BEGIN {printf "  %-9s %6.3f (whole box, SIPp caller included)\n", "box", (b-a)*1000/hz/c}'
  stop_uas
  python3 "$CALLS_DIR/analyze.py" --header; python3 "$CALLS_DIR/analyze.py" "$d" "$UAC_PORT" "$SYS" "$RATE" "$calls" 0 0 "$DUR" "$DUR" "$CALL_MS" 0 0 100
done
