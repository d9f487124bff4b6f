#!/usr/bin/env bash
# bench/keepalive/run.sh -- issue 16: what NAT keepalives to 100,000 bindings cost the proxy.
# See bench/keepalive/README.md.
#
#   prep     a fresh installation (own data dir): USERS x CONTACTS live NATed UDP bindings inserted
#            with SQL (fill.sql) while the proxy is stopped; the responder (responder.c, compiled
#            here into the results folder) answers every OPTIONS with 200 on RESP_PORTS UDP ports
#   base     the rest of the installation, started once for the whole run with the same launcher:
#            './pinhole start redirect' (embedded PostgreSQL + redirect server) and './pinhole
#            start relay'; only the proxy is restarted per block (it finds the PostgreSQL running)
#   blocks   ROUNDS rounds; each round starts the proxy once with keepalives on and once off
#            (PINHOLE_KEEPALIVE_ENABLED; order on/off, off/on, ... so neither always goes first),
#            and in each start: WARM_S s of calls at WARM_RATE (JIT, not measured), QUIET_S s
#            quiet, CPU_S s of proxy CPU with no calls (on: pings only; off: idle), then the
#            calls/s search of ph-noauth (bench/calls' strict step: 0 failed calls), STEP_S s
#            steps, the same rule for both configurations: round 1 starts both at RATE_START, later
#            rounds start each just below its own previous result (95 %, or 60 % of its first
#            failing rate when nothing passed); +UP_PCT % after a pass, -DOWN_PCT % after a failure
#            while nothing passed, then bisection
#            evidence per step: CPU per proxy thread (threads.txt); in the warm-ups (not measured)
#            five jcmd Thread.print samples of the proxy (stacks-*.txt)
#   report   report.py: per round and median, calls/s on vs off and the ratio, pings/s and
#            answers/s, proxy CPU per 1,000 pings
#
# Environment (defaults): PINHOLE_HOME (this repository; see bench/calls/README.md for a private
#   copy) USERS=10000 CONTACTS=10 RESP_BASE=20000 RESP_PORTS=1000 INTERVAL=20s ROUNDS=3
#   WARM_RATE=200 WARM_S=50 QUIET_S=25 CPU_S=30 STEP_S=20 RATE_START=500 RES_PCT=4
#   MAX_STEPS_FIRST=5 (round 1) MAX_STEPS=4 (later rounds, which start near the edge)
#   UP_PCT=15 DOWN_PCT=40 BUDGET_MIN=40 (a round starts only if its two blocks fit; no step after 5 min more)
#   NS_PH=phkeep-ph
#   OUT=bench/results/keepalive-<UTC time>
set -uo pipefail
KA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export NS_PH="${NS_PH:-phkeep-ph}"   # not bench/calls' namespace: both may run on one box
source "$KA_DIR/../calls/lib.sh"

USERS=${USERS:-10000}; CONTACTS=${CONTACTS:-10}
RESP_BASE=${RESP_BASE:-20000}; RESP_PORTS=${RESP_PORTS:-1000}
INTERVAL=${INTERVAL:-20s}; ROUNDS=${ROUNDS:-3}
WARM_RATE=${WARM_RATE:-200}; WARM_S=${WARM_S:-50}; QUIET_S=${QUIET_S:-25}; CPU_S=${CPU_S:-30}
STEP_S=${STEP_S:-20}; RATE_START=${RATE_START:-500}; MAX_STEPS_FIRST=${MAX_STEPS_FIRST:-5}; MAX_STEPS=${MAX_STEPS:-4}; BUDGET_MIN=${BUDGET_MIN:-40}; RES_PCT=${RES_PCT:-4}; UP_PCT=${UP_PCT:-15}; DOWN_PCT=${DOWN_PCT:-40}
CALL_MS=1000; SYS=ph-noauth
HZ=$(getconf CLK_TCK)
BINDINGS=$((USERS * CONTACTS))

for p in sipp dumpcap tshark curl psql gcc python3; do command -v $p >/dev/null || { echo "missing $p"; exit 2; }; done
# the launcher would run 'mvn install' on a stale tree: refuse instead (build with mvn -o -DskipTests package)
JARS=(proxy/target/pinhole-proxy.jar redirect-server/target/pinhole-redirect.jar relay-server/target/pinhole-relay.jar db/target/pinhole-db-0.1.0-SNAPSHOT.jar)
for j in "${JARS[@]}"; do [ -f "$PINHOLE_HOME/$j" ] || { echo "$PINHOLE_HOME/$j missing: build with 'mvn -B -q -o -DskipTests package' there"; exit 2; }; done
oldest=$(cd "$PINHOLE_HOME" && ls -t "${JARS[@]}" | tail -n 1)
[ -z "$(cd "$PINHOLE_HOME" && find pom.xml ./*/pom.xml db/migrations ./*/src/main -newer "$oldest" -type f 2>/dev/null | head -n 1)" ] \
  || { echo "$PINHOLE_HOME has sources newer than its jars: the launcher would rebuild; package it first"; exit 2; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

OUT="${OUT:-$KA_DIR/../results/keepalive-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$OUT/steps" "$OUT/blocks"
OUT="$(cd "$OUT" && pwd)"
exec > >(tee -a "$OUT/run.log") 2>&1
T_START=$(date +%s)
echo "bench/keepalive $(date -u +%FT%TZ) pinhole=$PINHOLE_HOME ($(cd "$PINHOLE_HOME" && git rev-parse --short HEAD 2>/dev/null || echo 'no git')), bench at $(cd "$KA_DIR" && git rev-parse --short HEAD 2>/dev/null) -> $OUT"
echo "machine: $(nproc) cores; uptime before: $(uptime)"
echo "$BINDINGS bindings ($USERS users x $CONTACTS), interval $INTERVAL, $ROUNDS rounds, steps ${STEP_S}s from $RATE_START/s (+$UP_PCT % until a failure, then bisect to $RES_PCT %, $MAX_STEPS_FIRST steps at most in round 1, $MAX_STEPS later)"
uptime > "$OUT/uptime-before.txt"

RESP_PID=""; CAP_PID=""; BASE_PIDS=""
cleanup() {
  trap - EXIT INT TERM
  trap '' PIPE   # if the tee of the log is gone, writing must not end the cleanup
  [ -n "${CAP_PID:-}" ] && stop_pid "$CAP_PID" dumpcap
  [ -n "${UAS_PID:-}" ] && stop_pid "$UAS_PID" "sipp uas"
  stop_pinhole
  local p; for p in $BASE_PIDS; do stop_pid "$p" "pinhole base launcher $p"; done
  [ -n "$RESP_PID" ] && { stop_pid "$RESP_PID" responder; wait "$RESP_PID" 2>/dev/null; }
  ip netns list | awk '{print $1}' | grep -qx "$NS_PH" && [ -z "$(ip netns pids "$NS_PH" 2>/dev/null)" ] && ip netns del "$NS_PH"
  echo "stopped everything ($(date -u +%TZ), $(( ($(date +%s) - T_START) / 60 )) min); uptime after: $(uptime | tee "$OUT/uptime-after.txt")"
  echo "results in $OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- helpers
prom() { nsx "$NS_PH" curl -s -m 5 -H "Authorization: Bearer $PH_TOKEN" "http://127.0.0.1:$PH_ADMIN/actuator/prometheus"; }
metric() { awk -v n="$2" '$1 == n || index($1, n "{") == 1 {s += $NF} END {printf "%.0f\n", s}' <<< "$1"; }
thread_ticks() { # PID COMM -- CPU ticks of the process's threads named COMM
  local t s=0
  for t in /proc/"$1"/task/*; do
    [ "$(cat "$t/comm" 2>/dev/null)" = "$2" ] && s=$((s + $(awk '{print $14+$15}' "$t/stat" 2>/dev/null || echo 0)))
  done
  echo "$s"
}
# snap -- "epoch proxy_ticks pinhole_tree_ticks responder_ticks pinger_thread_ticks box_ticks pings answers"
snap() { # the clock and CPU first, then the scrape (its own cost falls into the window that starts here)
  local t m; t="$(date +%s.%N) $(cpu_ticks "$PH_PROXY") $(tree_ticks "$PH_LAUNCHER" $BASE_PIDS) $(cpu_ticks "$RESP_PID") $(thread_ticks "$PH_PROXY" nat-pinger) $(box_ticks)"
  m=$(prom)
  echo "$t $(metric "$m" pinhole_keepalive_pings_total) $(metric "$m" pinhole_keepalive_answers_total)"
}
# threads_snap PID -- "tid|name|ticks" per thread
threads_snap() { local t; for t in /proc/"$1"/task/*; do echo "${t##*/}|$(cat "$t/comm" 2>/dev/null)|$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12+$13}')"; done; }
# threads_diff A B SECONDS -- CPU % of a core per thread group (digits in names folded), largest first
threads_diff() {
  join -t'|' <(sort <<< "$1") <(sort <<< "$2") | awk -F'|' -v s="$3" -v hz="$HZ" '{n=$2; gsub(/[0-9]+/,"#",n); d[n]+=$5-$3; tot+=$5-$3}
    END {for (k in d) if (d[k] > 0) printf "%6.1f %%  %s\n", 100*d[k]/hz/s, k; printf "%6.1f %%  ALL THREADS\n", 100*tot/hz/s}' | sort -rn
}
# stack_summary DIR -- what the SIP worker threads were doing in the jcmd samples of a step
stack_summary() {
  cat "$1"/stacks-*.txt 2>/dev/null | awk 'BEGIN {RS = ""} /^"pinhole-proxy/ {w++; if ($0 ~ /State: RUNNABLE/) r++; if ($0 ~ /newSIPServerResponse/) n++}
    END {printf "SIP worker thread samples %d, RUNNABLE %d, inside SIPTransactionStack.newSIPServerResponse %d", w, r, n}'
}
# delta A B -- "seconds proxy_cpu_s tree_cpu_s responder_cpu_s pinger_cpu_s box_cpu_s pings answers"
delta() { echo "$1 $2" | awk -v hz="$HZ" '{printf "%.2f %.2f %.2f %.2f %.2f %.2f %d %d\n", $9-$1, ($10-$2)/hz, ($11-$3)/hz, ($12-$4)/hz, ($13-$5)/hz, ($14-$6)/hz, $15-$7, $16-$8}'; }
load1() { cut -d' ' -f1 /proc/loadavg; }

# start_base DATADIR -- PostgreSQL + redirect server, and the relay, each by its own launcher, for the whole run
start_base() {
  local data=$1 i
  ( cd "$PINHOLE_HOME" && PINHOLE_REDIRECT_HTTP_PORT=$PH_REDIRECT_HTTP \
    exec ip netns exec "$NS_PH" ./pinhole start redirect --bind 127.0.0.1 --redirect-port $PH_REDIRECT \
      --db-port $PH_DB --data-dir "$data" ) > "$OUT/pinhole-redirect.log" 2>&1 &
  BASE_PIDS="$!"
  ( cd "$PINHOLE_HOME" && PINHOLE_RELAY_HTTP_PORT=$PH_RELAY_HTTP \
    exec ip netns exec "$NS_PH" ./pinhole start relay --relay-control-port $PH_NG --media-ports "$PH_MEDIA" --media-address 127.0.0.1 \
      --data-dir "$data" ) > "$OUT/pinhole-relay.log" 2>&1 &
  BASE_PIDS="$BASE_PIDS $!"
  for i in $(seq 1 480); do
    [ "$(nsx "$NS_PH" curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PH_RELAY_HTTP/actuator/health")" = 200 ] \
      && [ "$(nsx "$NS_PH" curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PH_REDIRECT_HTTP/actuator/health")" = 200 ] && break
    for p in $BASE_PIDS; do kill -0 "$p" 2>/dev/null || { echo "base launcher $p exited:"; tail -20 "$OUT"/pinhole-re*.log; return 1; }; done
    sleep 0.5
  done
  PH_RELAY=$(pgrep -P "${BASE_PIDS#* }" -f pinhole-relay.jar)
  echo "base: redirect+postgres launcher ${BASE_PIDS% *}, relay launcher ${BASE_PIDS#* } (relay JVM $PH_RELAY)"
}
# start_proxy LOGFILE DATADIR -- './pinhole start proxy' in NS_PH with bench/calls' settings; sets PH_LAUNCHER, PH_PROXY, JCMD
start_proxy() {
  local log=$1 data=$2 i
  ( cd "$PINHOLE_HOME" && \
    PINHOLE_ADMIN_TOKEN="$PH_TOKEN" PINHOLE_MEDIA_POLICY=always PINHOLE_MEDIA_DEFAULTRELAY="127.0.0.1:$PH_NG" \
    exec ip netns exec "$NS_PH" ./pinhole start proxy --bind 127.0.0.1 --sip-port $PH_SIP --admin-port $PH_ADMIN \
      --db-port $PH_DB --relay-control-port $PH_NG --data-dir "$data" ) > "$log" 2>&1 &
  PH_LAUNCHER=$!
  for i in $(seq 1 480); do
    kill -0 "$PH_LAUNCHER" 2>/dev/null || { echo "proxy launcher exited:"; tail -30 "$log"; return 1; }
    [ "$(nsx "$NS_PH" curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PH_ADMIN/actuator/health")" = 200 ] && break
    sleep 0.5
  done
  PH_PROXY=$(ph_child pinhole-proxy.jar)
  [ -n "$PH_PROXY" ] || { echo "proxy not found under launcher $PH_LAUNCHER"; tail -30 "$log"; return 1; }
  JCMD="$(dirname "$(readlink -f /proc/$PH_PROXY/exe)")/jcmd"
  echo "proxy: launcher $PH_LAUNCHER, JVM $PH_PROXY (keepalive enabled=$PINHOLE_KEEPALIVE_ENABLED)"
}

STEPS_TSV="$OUT/steps.tsv"; WINDOWS_TSV="$OUT/windows.tsv"; BLOCKS_TSV="$OUT/blocks.tsv"
{ printf "round\tconf\tlabel\t"; python3 "$CALLS_DIR/analyze.py" --header | tr -d '\n'
  printf "\tproxy_cpu_s\tproxy_ms_per_call\tpinger_cpu_s\tresponder_cpu_s\tpings_per_s\tanswers_per_s\tload1\n"; } > "$STEPS_TSV"
printf "round\tconf\tseconds\tproxy_cpu_s\tpinhole_cpu_s\tresponder_cpu_s\tpinger_cpu_s\tbox_cpu_s\tpings\tanswers\tload1\n" > "$WINDOWS_TSV"
printf "round\tconf\tbest\tfirst_fail\tsteps\tstart_s\tproxy_heap_hist\n" > "$BLOCKS_TSV"

STEPNO=0
# step ROUND CONF RATE DURATION LABEL -- one strict ph-noauth step (bench/calls' criterion); 0 on PASS
step() {
  local rnd=$1 conf=$2 r=$3 dur=$4 label=$5 n d rc a b dl row
  STEPNO=$((STEPNO + 1)); n=$((r * dur))
  d="$OUT/steps/$(printf %02d $STEPNO)-r$rnd-$conf-$label-$r"; mkdir -p "$d"
  do_register "$SYS" "$d" || { printf "%s\t%s\t%s\t%s\n" "$rnd" "$conf" "$label" "$SYS $r REGISTER-FAILED" >> "$STEPS_TSV"; return 1; }
  start_uas "$SYS" "$d"
  start_capture "$SYS" "$d" "$dur"
  local logoff; logoff=$(stat -c %s "$PH_LOG")
  local sampler="" ta tb
  if [ "$label" = warmup ]; then   # stacks of the proxy mid-warm-up (not a measured step)
    ( sleep $((dur / 2)); for i in 1 2 3 4 5; do "$JCMD" "$PH_PROXY" Thread.print > "$d/stacks-$i.txt" 2>&1; sleep 1; done ) &
    sampler=$!
  fi
  a=$(snap); ta=$(threads_snap "$PH_PROXY")
  rc=$(run_uac "$SYS" "$d" "$r" "$n" "$CALL_MS")
  b=$(snap); tb=$(threads_snap "$PH_PROXY")
  [ -n "$sampler" ] && wait "$sampler"
  threads_diff "$ta" "$tb" "$(echo "$a $b" | awk '{print $9-$1}')" > "$d/threads.txt"
  stop_uas
  wait "$CAP_PID" 2>/dev/null; CAP_PID=""
  [ -f "$d/uac-sip.pcapng" ] && tshark -r "$d/uac-sip.pcapng" -d "udp.port==$UAC_PORT,sip" -T fields -E separator=';' \
      -e frame.time_epoch -e udp.srcport -e sip.Call-ID -e sip.CSeq.method -e sip.CSeq.seq -e sip.Status-Code \
      > "$d/uac-sip.tsv" 2>/dev/null && rm -f "$d/uac-sip.pcapng"
  tail -c +$((logoff + 1)) "$PH_LOG" | grep -E ' (WARN|ERROR) |Exception' > "$d/pinhole-warnings.log"
  dl=$(delta "$a" "$b")
  set -- $a; local t0=$1 tr0=$3 bx0=$6
  set -- $b; local t1=$1 tr1=$3 bx1=$6
  row=$(python3 "$CALLS_DIR/analyze.py" "$d" "$UAC_PORT" "$SYS" "$r" "$n" "$rc" "$t0" "$t1" "$dur" "$CALL_MS" \
      $((tr1 - tr0)) $((bx1 - bx0)) "$HZ")
  local extra; extra=$(echo "$dl" | awk -v n="$n" -v L="$(load1)" '{printf "%.1f\t%.3f\t%.2f\t%.2f\t%.0f\t%.0f\t%s", $2, $2*1000/n, $5, $4, $7/$1, $8/$1, L}')
  printf "%s\t%s\t%s\t%s\t%s\n" "$rnd" "$conf" "$label" "$row" "$extra" >> "$STEPS_TSV"
  printf "  r%s %-3s %-7s %s | proxy %s s, pings/s %s answers/s %s, load %s (%s warn lines)\n" "$rnd" "$conf" "$label" \
      "$(echo "$row" | awk -F'\t' '{printf "%s/s: %s ok %s failed %s retrans setup p50 %s ms, pinhole %s ms/call, box %s%% %s", $2, $4, $5, $6, $10, $17, $18, $19}')" \
      "$(echo "$extra" | cut -f1)" "$(echo "$extra" | cut -f5)" "$(echo "$extra" | cut -f6)" "$(echo "$extra" | cut -f7)" "$(wc -l < "$d/pinhole-warnings.log")"
  [ "${row##*$'\t'}" = PASS ]
}

# block ROUND CONF START_RATE MAX_STEPS -- one Pinhole start with keepalives CONF (on|off): warm-up, CPU window, search
BEST=0; FIRST_FAIL=0
block() {
  local rnd=$1 conf=$2 r=$3 max=$4 t0 n=0 best=0 fail=0 next a b dl m
  local bd="$OUT/blocks/r$rnd-$conf"; mkdir -p "$bd"
  echo "== round $rnd, keepalives $conf ($(date -u +%TZ), load $(cut -d' ' -f1-3 /proc/loadavg))"
  export PINHOLE_KEEPALIVE_ENABLED=$([ "$conf" = on ] && echo true || echo false) PINHOLE_KEEPALIVE_INTERVAL="$INTERVAL"
  PH_LOG="$bd/proxy.log"; t0=$(date +%s)
  start_proxy "$PH_LOG" "$OUT/pinhole-data" || exit 1
  local started=$(( $(date +%s) - t0 ))
  grep -E 'registrar: .* bindings loaded|keepalive:' "$PH_LOG" | head -3 | sed 's/^.*\] /  /'
  m=$(prom)
  echo "  started in ${started}s; registrations_active $(metric "$m" pinhole_registrations_active), keepalive_bindings $(metric "$m" pinhole_keepalive_bindings), probe_completed $(metric "$m" pinhole_probe_completed_total)"
  step "$rnd" "$conf" "$WARM_RATE" "$WARM_S" warmup || true
  echo "  stacks mid-warm-up: $(stack_summary "$(ls -d "$OUT"/steps/*-r$rnd-$conf-warmup-* | tail -1)")"
  sleep "$QUIET_S"
  a=$(snap); sleep "$CPU_S"; b=$(snap)
  dl=$(delta "$a" "$b")
  printf "%s\t%s\t%s\t%s\n" "$rnd" "$conf" "$(echo "$dl" | awk '{print $1"\t"$2"\t"$3"\t"$4"\t"$5"\t"$6"\t"$7"\t"$8}')" "$(load1)" >> "$WINDOWS_TSV"
  echo "  no calls, ${CPU_S}s: $(echo "$dl" | awk '{printf "proxy %.2f s CPU (%.1f %% of a core), pinger thread %.2f s, responder %.2f s, %d pings (%.0f/s), %d answers (%.0f/s)", $2, 100*$2/$1, $5, $4, $7, $7/$1, $8, $8/$1}')"
  while [ $n -lt "$max" ] && [ "$r" -ge 20 ]; do
    if [ $(( $(date +%s) - T_START )) -gt $(( (BUDGET_MIN + 5) * 60 )) ]; then echo "  time budget of $BUDGET_MIN + 5 min spent: search stopped"; break; fi
    n=$((n + 1))
    if step "$rnd" "$conf" "$r" "$STEP_S" "s$n"; then best=$r; else fail=$r; fi
    if [ "$fail" = 0 ]; then next=$(( (r * (100 + UP_PCT) / 100 + 5) / 10 * 10 ))
    elif [ "$best" = 0 ]; then next=$(( (r * (100 - DOWN_PCT) / 100 + 5) / 10 * 10 ))
    elif [ $(( (fail - best) * 100 )) -le $(( best * RES_PCT )) ] || [ $((fail - best)) -le 10 ]; then break
    else next=$(( (best + fail) / 20 * 10 )); fi
    r=$next
  done
  # evidence for the report: what the proxy holds for the bindings (a full GC; after the measurements)
  "$JCMD" "$PH_PROXY" GC.class_histogram > "$bd/class-histogram.txt" 2>&1
  local hist; hist=$(awk '$4 ~ /^(java.util.concurrent.ConcurrentLinkedQueue\$Node|io.pinhole.proxy.keepalive.PingState|io.pinhole.proxy.registrar.Binding)$/ {printf "%s=%s ", $4, $2}' "$bd/class-histogram.txt" | sed 's/java.util.concurrent.//; s/io.pinhole.proxy.//g')
  prom > "$bd/prometheus-end.txt"
  m=$(cat "$bd/prometheus-end.txt")
  echo "  end: keepalive pings $(metric "$m" pinhole_keepalive_pings_total), answers $(metric "$m" pinhole_keepalive_answers_total), unreachable now $(metric "$m" pinhole_keepalive_unreachable), marked unreachable $(metric "$m" pinhole_keepalive_unreachable_marked_total)"
  echo "  highest passing $best/s, first failing ${fail}/s ($n steps); heap: $hist"
  grep -E 'keepalive' "$PH_LOG" | grep -v 'pinging NATed' | head -5 > "$bd/keepalive-log.txt"
  [ -s "$bd/keepalive-log.txt" ] && { echo "  keepalive log lines (first 5):"; sed 's/^/    /' "$bd/keepalive-log.txt"; }
  printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$rnd" "$conf" "$best" "$fail" "$n" "$started" "$hist" >> "$BLOCKS_TSV"
  stop_pinhole
  BEST=$best; FIRST_FAIL=$fail
}

# ---------------------------------------------------------------- prep
ensure_ns "$NS_PH"
gcc -O2 -Wall -o "$OUT/responder" "$KA_DIR/responder.c" || exit 1
ip netns exec "$NS_PH" "$OUT/responder" "$RESP_BASE" "$RESP_PORTS" "$OUT/responder.stats" > "$OUT/responder.log" 2>&1 &
RESP_PID=$!
sleep 0.3; kill -0 "$RESP_PID" 2>/dev/null || { cat "$OUT/responder.log"; exit 1; }
echo "== prep ($(date -u +%TZ)): responder pid $RESP_PID on 127.0.0.1:$RESP_BASE-$((RESP_BASE + RESP_PORTS - 1)) (netns $NS_PH)"
export PINHOLE_KEEPALIVE_ENABLED=false
PH_LOG="$OUT/pinhole-prep.log"
start_pinhole "$PH_LOG" "$OUT/pinhole-data" || exit 1
nsx "$NS_PH" psql -h 127.0.0.1 -p "$PH_DB" -U postgres -d postgres -q -v users="$USERS" -v contacts="$CONTACTS" \
    -v port_base="$RESP_BASE" -v ports="$RESP_PORTS" -f "$KA_DIR/fill.sql" | tee "$OUT/fill.txt" || exit 1
stop_pinhole
start_base "$OUT/pinhole-data" || exit 1

# ---------------------------------------------------------------- rounds
declare -A START=([on]=$RATE_START [off]=$RATE_START); BLOCK_SECS=0
for rnd in $(seq 1 "$ROUNDS"); do
  if [ $((rnd % 2)) = 1 ]; then order="on off"; else order="off on"; fi
  # a round is started only if both of its blocks fit in the budget (at the longest block so far)
  if [ $(( $(date +%s) - T_START + 2 * BLOCK_SECS )) -gt $((BUDGET_MIN * 60)) ]; then
    echo "== round $rnd not started: $(( ($(date +%s) - T_START) / 60 )) min spent, two blocks take ~$(( 2 * BLOCK_SECS / 60 )) min, budget $BUDGET_MIN min"; break
  fi
  for conf in $order; do
    bt=$(date +%s)
    block "$rnd" "$conf" "${START[$conf]}" "$([ "$rnd" = 1 ] && echo "$MAX_STEPS_FIRST" || echo "$MAX_STEPS")"
    [ $(( $(date +%s) - bt )) -gt "$BLOCK_SECS" ] && BLOCK_SECS=$(( $(date +%s) - bt ))
    # its next round starts just below this result, so its steps land near its edge
    if [ "$BEST" -gt 0 ]; then START[$conf]=$(( (BEST * 95 / 100 + 5) / 10 * 10 ))
    elif [ "$FIRST_FAIL" -gt 0 ]; then START[$conf]=$(( (FIRST_FAIL * 60 / 100 + 5) / 10 * 10 )); fi
  done
done

echo "== report ($(date -u +%TZ))"
echo "responder: $(cat "$OUT/responder.stats") (requests answered other send-errors)"
python3 "$KA_DIR/report.py" "$OUT" | tee "$OUT/result.txt"
