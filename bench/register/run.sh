#!/usr/bin/env bash
# REGISTER-with-auth rate: Pinhole's proxy against Kamailio 5.6 as a registrar, same SIPp
# scenario (register-auth.xml: REGISTER -> 401 -> REGISTER + digest -> 200, users from a CSV),
# same machine, same run, steps interleaved between the servers. For each server it searches
# the highest rate (registrations/s = SIPp calls/s; 2 SIP transactions each) that PASSES:
# SIPp exit 0, 0 failed calls, every planned call done, and the schedule kept
# (elapsed <= STEP_S * 1.05 + 2 s). Search: double from RATE_START until a step fails, then
# bisect until the gap is <= SEARCH_RES_PCT % of the failing rate (or MAX_STEPS steps).
# Prints every step, then per server the highest passing rate, CPU-seconds per 1000
# registrations and transaction response times, and the ratios Pinhole / Kamailio.
# Not a test: the figures depend on the machine (2 cores shared with SIPp here).
#
#   bench/register/run.sh
#   SEARCHES=3 STEP_S=20 RATE_START=1000 bench/register/run.sh
#   PEERS="pinhole kamailio-sl" RATES="1000 2000" bench/register/run.sh   # fixed rates, no search
#
# Servers (PEERS, default all three):
#   pinhole      ./pinhole start proxy (the launcher, from a snapshot of the built jars), SIP
#                127.0.0.1:25060 UDP, 4 SIP threads (default), its embedded PostgreSQL
#                (bindings are also written there in the background; its CPU is counted)
#   kamailio-tm  Kamailio, tm transaction per REGISTER + auth nonce_count replay check (the
#                same work as Pinhole), 127.0.0.1:26060
#   kamailio-sl  Kamailio, stateless, no nonce_count (the stock kamailio.cfg way), 127.0.0.1:26062
#   Both Kamailio: usrloc db_mode 0, qop=auth, KAM_CHILDREN UDP workers, -m KAM_SHM_MB -M KAM_PKG_MB.
#
# Environment (defaults): USERS=1000 STEP_S=20 WARMUP_S=60 WARMUP_RATE=1000 RATE_START=1000
#   SEARCH_RES_PCT=5 MAX_STEPS=9 SEARCHES=1 RATES= (fixed rates instead of a search)
#   KAM_CHILDREN=4 KAM_SHM_MB=1024 KAM_PKG_MB=32 CAPTURE=1 (dumpcap sample for response times)
#   CAP_S=3 COOLDOWN_S=3 MAX_TOTAL_S=5400 (whole-run watchdog) KEEP_DATA=0
#   SIP_PORT=25060 ADMIN_PORT=28080 DB_PORT=25432 KAM_TM_PORT=26060 KAM_SL_PORT=26062
#   PROFILE_RATE= (e.g. 3000: one extra Pinhole step at that rate with a 15 s JFR recording)
#   PROXY_JAR= (another build's proxy jar to measure instead of the tree's, for A/B runs)
#   DIAG=0 (1: a class histogram of the proxy's heap after every Pinhole step; costs a full GC)
# A server that is gone after a step is marked DIED (a failed step); Pinhole is then
# restarted (same data), warmed up again, and the search goes on.
# Needs: sipp (sip-tester), kamailio, dumpcap + tshark (CAPTURE=1), python3, curl, a JDK, and
# the jars (built here under flock /tmp/pinhole-mvn.lock if missing).
# Results: bench/results/register-<UTC timestamp>/ (ignored by git).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)

USERS=${USERS:-1000}
DOMAIN=bench.example
PASSWORD=bench-password
TOKEN=pinhole-bench-register-token-0001   # fixed, loopback-only bench token
STEP_S=${STEP_S:-20}
# 60 s: after 15 s the proxy's JIT compilers still took 1.1-4.0 s of a 20 s step at 2,000/s and its
# CPU per registration was 17-37 % above the next step's (README, 2026-12-07 evening); a server
# that runs for days is warm. Kamailio gets the same warm-up (it has no JIT: no difference).
WARMUP_S=${WARMUP_S:-60}
WARMUP_RATE=${WARMUP_RATE:-1000}
RATE_START=${RATE_START:-1000}
SEARCH_RES_PCT=${SEARCH_RES_PCT:-5}
MAX_STEPS=${MAX_STEPS:-9}
SEARCHES=${SEARCHES:-1}
RATES=${RATES:-}
PEERS=${PEERS:-pinhole kamailio-tm kamailio-sl}
KAM_CHILDREN=${KAM_CHILDREN:-4}
KAM_SHM_MB=${KAM_SHM_MB:-1024}
KAM_PKG_MB=${KAM_PKG_MB:-32}
CAPTURE=${CAPTURE:-1}
CAP_S=${CAP_S:-3}
COOLDOWN_S=${COOLDOWN_S:-3}
MAX_TOTAL_S=${MAX_TOTAL_S:-5400}
KEEP_DATA=${KEEP_DATA:-0}
PROFILE_RATE=${PROFILE_RATE:-}
PROXY_JAR=${PROXY_JAR:-}
DIAG=${DIAG:-0}
SIP_PORT=${SIP_PORT:-25060}
ADMIN_PORT=${ADMIN_PORT:-28080}
DB_PORT=${DB_PORT:-25432}
KAM_TM_PORT=${KAM_TM_PORT:-26060}
KAM_SL_PORT=${KAM_SL_PORT:-26062}
HZ=$(getconf CLK_TCK)

for tool in sipp kamailio python3 curl flock; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done
if [[ $CAPTURE == 1 ]]; then
    for tool in dumpcap tshark; do
        command -v "$tool" >/dev/null || { echo "missing $tool (or run with CAPTURE=0)" >&2; exit 2; }
    done
fi

OUT="$ROOT/bench/results/register-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
SUMMARY="$OUT/steps.tsv"
LOG="$OUT/run.log"
# Everything printed also goes to run.log, through a tee of our own: cleanup() hands our output back
# to the terminal and waits for that tee to see end-of-file, so none is left running after the run.
exec {TERM_OUT}>&1 {TERM_ERR}>&2
exec > >(tee -a "$LOG") 2>&1
TEE_PID=$!

# --- cleanup: every process we start is tracked by PID --------------------------------------
LAUNCHER_PID="" PROXY_PID="" PGWRAP_PID="" POSTMASTER_PID="" WATCHDOG_PID="" CUR_PIDS=() JCMD=jcmd
declare -A KAM_PID=()
stop_pid() { # pid seconds: TERM, wait up to N s, then KILL
    local pid=$1 i
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < $2 * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    echo "pid $pid still running after $2 s: KILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
    local rc=$? pid
    trap - EXIT INT TERM
    for pid in "${CUR_PIDS[@]}"; do stop_pid "$pid" 5; done
    for pid in "${KAM_PID[@]}"; do stop_pid "$pid" 10; done
    # the launcher stops the proxy, then its embedded PostgreSQL
    stop_pid "$LAUNCHER_PID" 40
    stop_pid "$PROXY_PID" 10
    stop_pid "$PGWRAP_PID" 10
    stop_pid "$POSTMASTER_PID" 10
    [[ -n $WATCHDOG_PID ]] && kill "$WATCHDOG_PID" 2>/dev/null || true
    if [[ $KEEP_DATA != 1 ]]; then rm -rf "$OUT/app" "$OUT/pinhole-data/postgres"; fi
    # The tee ends once every writer of its pipe is gone: ours go here, a straggler's it outlives by 5 s at most.
    exec 1>&"$TERM_OUT" 2>&"$TERM_ERR"
    local i
    for ((i = 0; i < 50; i++)); do kill -0 "$TEE_PID" 2>/dev/null || break; sleep 0.1; done
    kill "$TEE_PID" 2>/dev/null || true
    exit "$rc"
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM
# Its sleep is a child of its own, killed with it: an orphaned sleep would hold the tee's pipe open.
( trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
  sleep "$MAX_TOTAL_S" & sleeper=$!; wait "$sleeper"
  echo "watchdog: run exceeded MAX_TOTAL_S=$MAX_TOTAL_S s" >&2; kill -TERM $$ ) &
WATCHDOG_PID=$!

# --- helpers ---------------------------------------------------------------------------------
ticks_of() { # utime+stime of one process (0 if gone)
    local s
    s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    s=${s##*) }   # fields after "(comm) "; utime/stime are fields 14/15 = 12/13 here
    awk '{print $12 + $13}' <<<"$s"
}
tree_ticks() { # a process and all its descendants
    local sum=0 p c
    for p in "$@"; do
        [[ -n $p && -d /proc/$p ]] || continue
        sum=$((sum + $(ticks_of "$p")))
        for c in $(pgrep -P "$p" 2>/dev/null || true); do sum=$((sum + $(tree_ticks "$c"))); done
    done
    echo "$sum"
}
jit_ticks() { # utime+stime of a JVM's JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre")
    local sum=0 t s
    for t in /proc/"$1"/task/*; do
        s=$(cat "$t/stat" 2>/dev/null) || continue
        case $s in
            *"(C1 Compiler"*|*"(C2 Compiler"*) s=${s##*) }; sum=$((sum + $(awk '{print $12 + $13}' <<<"$s"))) ;;
        esac
    done
    echo "$sum"
}
busy_jiffies() { awk '/^cpu /{print $2+$3+$4+$7+$8; exit}' /proc/stat; }

peer_port() {
    case $1 in
        pinhole) echo "$SIP_PORT" ;;
        kamailio-tm) echo "$KAM_TM_PORT" ;;
        kamailio-sl) echo "$KAM_SL_PORT" ;;
    esac
}
sipp_port() { echo $(( $(peer_port "$1") + 10 )); }
server_ticks() {
    case $1 in
        pinhole) tree_ticks "$PROXY_PID" ;;
        kamailio-*) tree_ticks "${KAM_PID[$1]}" ;;
    esac
}
server_alive() {
    case $1 in
        pinhole) kill -0 "$PROXY_PID" 2>/dev/null ;;
        kamailio-*) kill -0 "${KAM_PID[$1]}" 2>/dev/null ;;
    esac
}
db_ticks() { if [[ $1 == pinhole ]]; then tree_ticks "$POSTMASTER_PID"; else echo 0; fi; }

# one SIPp run: sipp_run PEER RATE CALLS DIR -> rc in DIR/rc
sipp_run() {
    local peer=$1 rate=$2 calls=$3 d=$4 lim
    lim=$rate; ((lim < 50)) && lim=50
    mkdir -p "$d"
    ( cd "$d" && exec timeout -k 5 $((STEP_S * 2 + 90)) /usr/bin/time -o sipp-time.txt -f "%U %S" \
        sipp "127.0.0.1:$(peer_port "$peer")" -sf "$HERE/register-auth.xml" -inf "$OUT/users.csv" \
        -key domain "$DOMAIN" -key expires 3600 -i 127.0.0.1 -p "$(sipp_port "$peer")" \
        -r "$rate" -m "$calls" -l "$lim" -nd -nostdin -max_recv_loops 10000 -recv_timeout 10000 \
        -timeout $((STEP_S * 2 + 60)) -timeout_error -trace_err -error_file errors.log \
        -trace_stat -stf stat.csv -fd 1 -trace_rtt -rtt_freq 1000 >sipp.out 2>&1 ) &
    CUR_PIDS=($!)
    local rc=0 gone=0
    # stop early when the server under test is gone (nothing left to measure)
    while kill -0 "${CUR_PIDS[0]}" 2>/dev/null; do
        if ! server_alive "$peer"; then
            gone=$((gone + 1))
            ((gone == 4)) && kill -TERM "${CUR_PIDS[0]}" 2>/dev/null
        fi
        sleep 0.5
    done
    wait "${CUR_PIDS[0]}" || rc=$?
    CUR_PIDS=()
    echo "$rc" >"$d/rc"
    # keep error logs bounded
    if [[ -f $d/errors.log ]] && (($(stat -c %s "$d/errors.log") > 200000)); then
        head -c 200000 "$d/errors.log" >"$d/errors.head.log"; rm -f "$d/errors.log"
    fi
}

printf "search\tpeer\trate\tcalls\tsuccess\tfailed\tretrans\telapsed_s\tsipp_rc\trtd_p50_ms\trtd_p99_ms\tcap_n\tr401_p50_ms\tr401_p99_ms\tr200_p50_ms\tr200_p99_ms\tcpu_server_s\tcpu_db_s\tcpu_per_1000\tsipp_cpu_s\tother_cpu_s\tpass\tjit_cpu_s\tcpu_per_1000_no_jit\n" >"$SUMMARY"

# run_step SEARCH PEER RATE -> appends to SUMMARY, returns 0 on PASS
run_step() {
    local s=$1 peer=$2 rate=$3 n=$(($3 * STEP_S)) d t0 t1 st0 st1 db0 db1 b0 b1 cappid=""
    d="$OUT/steps/s$s-$peer-$rate"
    [[ -d $d ]] && d="$d-$(date +%s%N)"
    mkdir -p "$d"
    if [[ $CAPTURE == 1 ]]; then
        ( sleep $((STEP_S / 3)); exec timeout $((CAP_S + 10)) dumpcap -q -i lo -f "udp port $(sipp_port "$peer")" \
            -a duration:"$CAP_S" -w "$d/sip.pcapng" ) >"$d/dumpcap.log" 2>&1 &
        cappid=$!
    fi
    st0=$(server_ticks "$peer"); db0=$(db_ticks "$peer"); b0=$(busy_jiffies)
    local jit0=0 jit1=0
    [[ $peer == pinhole ]] && jit0=$(jit_ticks "$PROXY_PID")
    t0=$(date +%s.%N)
    sipp_run "$peer" "$rate" "$n" "$d"
    t1=$(date +%s.%N)
    st1=$(server_ticks "$peer"); db1=$(db_ticks "$peer"); b1=$(busy_jiffies)
    [[ $peer == pinhole ]] && jit1=$(jit_ticks "$PROXY_PID")
    local died=0
    server_alive "$peer" || died=1
    if [[ $peer == pinhole && $died == 0 ]]; then
        timeout 20 "$JCMD" "$PROXY_PID" GC.heap_info >"$d/heap-info.txt" 2>&1 || true
        if [[ $DIAG == 1 ]]; then
            timeout 60 "$JCMD" "$PROXY_PID" GC.class_histogram 2>&1 | head -n 30 >"$d/class-histogram.txt" || true
        fi
    fi
    if [[ -n $cappid ]]; then
        CUR_PIDS=("$cappid"); wait "$cappid" 2>/dev/null || true; CUR_PIDS=()
        if [[ -s $d/sip.pcapng ]]; then
            timeout 120 tshark -r "$d/sip.pcapng" -d "udp.port==$(sipp_port "$peer"),sip" -T fields -E separator=';' \
                -e frame.time_epoch -e udp.srcport -e sip.Call-ID -e sip.CSeq.seq -e sip.Status-Code \
                >"$d/sip.tsv" 2>/dev/null || true
            rm -f "$d/sip.pcapng"
        fi
    fi
    python3 - "$s" "$peer" "$d" "$rate" "$n" "$(cat "$d/rc")" "$t0" "$t1" "$STEP_S" "$((st1 - st0))" \
        "$((db1 - db0))" "$((b1 - b0))" "$HZ" "$(sipp_port "$peer")" "$died" "$((jit1 - jit0))" >>"$SUMMARY" <<'PY'
import csv, glob, os, sys
s, peer, d, R, n, rc, t0, t1, dur, st, dbt, busy, hz, sport, died, jit = sys.argv[1:]
R, n, rc, dur, hz = int(R), int(n), int(rc), int(dur), float(hz)
el = float(t1) - float(t0)
succ = fail = retr = -1
try:
    rows = list(csv.reader(open(d + "/stat.csv"), delimiter=";"))
    h, last = rows[0], rows[-1]
    g = lambda k: int(float(last[h.index(k)])) if k in h else -1
    succ, fail, retr = g("SuccessfulCall(C)"), g("FailedCall(C)"), g("Retransmissions(C)")
except (OSError, IndexError, ValueError):
    pass
rt = []
for f in glob.glob(d + "/*_rtt.csv"):
    for line in open(f):
        p = line.strip().split(";")
        if len(p) >= 3 and p[2].strip() == "1":
            try: rt.append(float(p[1]))
            except ValueError: pass
rt.sort()
q = lambda v, x: ("%.2f" % v[min(len(v) - 1, int(x * len(v)))]) if v else "nan"
# per transaction from the capture: first request sent by SIPp -> first final response
req, resp = {}, {}
if os.path.exists(d + "/sip.tsv"):
    for line in open(d + "/sip.tsv"):
        p = line.rstrip("\n").split(";")
        if len(p) < 5 or not p[2] or not p[3]:
            continue
        key = (p[2], p[3])
        t = float(p[0])
        if p[4] == "" and p[1] == sport:
            req.setdefault(key, t)
        elif p[4] and int(p[4]) >= 200 and p[1] != sport:
            resp.setdefault(key, (t, p[4]))
lat = {"401": [], "200": []}
for k, (t, code) in resp.items():
    if k in req and code in lat:
        lat[code].append((t - req[k]) * 1000)
for v in lat.values(): v.sort()
qq = lambda v, x: ("%.3f" % v[min(len(v) - 1, int(x * len(v)))]) if v else "nan"
try:
    u, sy = open(d + "/sipp-time.txt").read().split()[-2:]
    sipp_cpu = float(u) + float(sy)
except (OSError, ValueError):
    sipp_cpu = float("nan")
cpu_s, cpu_db = int(st) / hz, int(dbt) / hz
other = int(busy) / hz - cpu_s - cpu_db - (sipp_cpu if sipp_cpu == sipp_cpu else 0)
per1000 = ("%.3f" % ((cpu_s + cpu_db) * 1000.0 / succ)) if succ > 0 else "nan"
# the same without the JIT compiler threads (Pinhole): what a warm server costs, the JIT's catching up left out
jit_s = int(jit) / hz
per1000_nojit = ("%.3f" % ((cpu_s - jit_s + cpu_db) * 1000.0 / succ)) if succ > 0 else "nan"
ok = rc == 0 and fail == 0 and succ == n and el <= dur * 1.05 + 2
print("\t".join(map(str, [s, peer, R, n, succ, fail, retr, "%.1f" % el, rc, q(rt, 0.5), q(rt, 0.99),
      len(lat["401"]) + len(lat["200"]), qq(lat["401"], 0.5), qq(lat["401"], 0.99), qq(lat["200"], 0.5),
      qq(lat["200"], 0.99), "%.2f" % cpu_s, "%.2f" % cpu_db, per1000, "%.2f" % sipp_cpu, "%.1f" % other,
      "DIED" if died == "1" else "PASS" if ok else "FAIL", "%.2f" % jit_s, per1000_nojit])))
PY
    tail -1 "$SUMMARY" | awk -F'\t' '{printf "  %-12s rate %6d  ok %7s  failed %6s  retrans %6s  %5ss  401 p50 %s ms  200 p50 %s ms  cpu %s+%s s (%s s/1000)  sipp %s s  others %s s  %s\n", $2, $3, $5, $6, $7, $8, $13, $15, $17, $18, $19, $20, $21, $22}'
    if [[ $peer == pinhole ]]; then
        # the JIT still compiling in the step is part of cpu_server_s: a warm-up too short for
        # this machine's load shows here rather than as the proxy's cost per registration
        tail -1 "$SUMMARY" | awk -F'\t' '{printf "               of which the JIT compiler threads: %s s (without them %s s/1000)\n", $23, $24}'
    fi
    if [[ $died == 1 ]]; then
        echo "  !! $peer is no longer running after this step (see its log)"
        if [[ $peer == pinhole ]]; then
            grep -h -E 'OutOfMemoryError|Terminating' "$OUT/pinhole.log" | tail -n 2 | sed 's/^/  !! /' || true
            stop_pid "$LAUNCHER_PID" 40; stop_pid "$PROXY_PID" 10; stop_pid "$PGWRAP_PID" 10; stop_pid "$POSTMASTER_PID" 10
            echo "  restarting pinhole and warming it up again"
            start_pinhole
            warm_up pinhole
        else
            exit 1
        fi
    fi
    sleep "$COOLDOWN_S"
    [[ $(tail -1 "$SUMMARY" | awk -F'\t' '{print $22}') == PASS ]]
}

warm_up() {
    local d
    d="$OUT/steps/warmup-$1-$(date +%H%M%S)"
    STEP_S=$WARMUP_S sipp_run "$1" "$WARMUP_RATE" $((WARMUP_RATE * WARMUP_S)) "$d"
    echo "warm-up $1: sipp rc $(cat "$d/rc")"
    sleep "$COOLDOWN_S"
}

# --- 1. Pinhole: build if the jars are missing, snapshot them, start the proxy ---------------
if [[ " $PEERS " == *" pinhole "* ]]; then
    JARS=(proxy/target/pinhole-proxy.jar redirect-server/target/pinhole-redirect.jar
          relay-server/target/pinhole-relay.jar db/target/pinhole-db-0.1.0-SNAPSHOT.jar)
    missing=0
    for j in "${JARS[@]}"; do [[ -f $ROOT/$j ]] || missing=1; done
    [[ -d $ROOT/db/target/lib ]] || missing=1
    if [[ $missing == 1 ]]; then
        echo "building Pinhole (mvn -q -DskipTests install under flock /tmp/pinhole-mvn.lock) ..."
        (cd "$ROOT" && timeout 1800 flock -w 1200 /tmp/pinhole-mvn.lock mvn -B -q -DskipTests install)
    fi
    if [[ -n $(cd "$ROOT" && find proxy/src/main sip-stack/src/main db/src/main db/migrations -newer proxy/target/pinhole-proxy.jar -type f 2>/dev/null | head -n 1) ]]; then
        echo "NOTE: proxy/sip-stack/db sources are newer than proxy/target/pinhole-proxy.jar: measuring the jar as built"
    fi
    # The launcher rebuilds when any module's source is newer than its jars (other people edit
    # and build this tree while we measure) and a rebuild rewrites the jar under a running JVM:
    # run the launcher from a private copy of itself and of the built jars instead.
    # Copy while holding the build lock when we can get it soon, so no build is half-way
    # through writing a jar; check the copies are whole zip files either way.
    APP="$OUT/app"
    mkdir -p "$APP"
    snapshot() {
        for j in "${JARS[@]}"; do mkdir -p "$APP/$(dirname "$j")"; cp "$ROOT/$j" "$APP/$j"; done
        rm -rf "$APP/db/target/lib"
        cp -r "$ROOT/db/target/lib" "$APP/db/target/lib"
        cp "$ROOT/pinhole" "$APP/pinhole"
        if [[ -n $PROXY_JAR ]]; then cp "$PROXY_JAR" "$APP/proxy/target/pinhole-proxy.jar"; fi
    }
    if ! (exec 9>>/tmp/pinhole-mvn.lock; flock -w 180 9 && { snapshot; exit 0; }; exit 1); then
        echo "NOTE: the build lock stayed taken for 180 s; copying the jars without it"
        snapshot
    fi
    for j in "${JARS[@]}"; do
        python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).namelist()' "$APP/$j" \
            || { echo "$j is not a whole jar (a build running?); try again" >&2; exit 1; }
    done
    if [[ -n $PROXY_JAR ]]; then
        echo "pinhole: measuring $PROXY_JAR of $(date -u -r "$PROXY_JAR" +%FT%TZ) (PROXY_JAR)"
    else
        echo "pinhole: measuring proxy/target/pinhole-proxy.jar of $(date -u -r "$ROOT/proxy/target/pinhole-proxy.jar" +%FT%TZ)"
    fi
    PDATA="$OUT/pinhole-data"
    mkdir -p "$PDATA"
    PSTARTS=0
    start_pinhole() {
        PSTARTS=$((PSTARTS + 1))
        LAUNCHER_PID="" PROXY_PID="" PGWRAP_PID="" POSTMASTER_PID=""
        # GC log through JAVA_TOOL_OPTIONS: the launcher's own JVM options are left as they are
        JAVA_TOOL_OPTIONS="-Xlog:gc:file=$OUT/gc-start$PSTARTS-%p.log:uptime,level" \
        PINHOLE_ADMIN_TOKEN=$TOKEN timeout -k 10 "$MAX_TOTAL_S" "$APP/pinhole" start proxy --bind 127.0.0.1 \
            --sip-port "$SIP_PORT" --admin-port "$ADMIN_PORT" --db-port "$DB_PORT" --data-dir "$PDATA" \
            >>"$OUT/pinhole.log" 2>&1 &
        LAUNCHER_PID=$!
        echo "pinhole: launcher pid $LAUNCHER_PID (start $PSTARTS), log $OUT/pinhole.log"
        local ok=0 i p q cmd pmfile
        for ((i = 0; i < 240; i++)); do
            if curl -sf -m 2 "http://127.0.0.1:$ADMIN_PORT/actuator/health" 2>/dev/null | grep -q UP; then ok=1; break; fi
            kill -0 "$LAUNCHER_PID" 2>/dev/null || break
            sleep 0.5
        done
        [[ $ok == 1 ]] || { echo "pinhole proxy did not become healthy; tail of its log:" >&2; tail -30 "$OUT/pinhole.log" >&2; exit 1; }
        # `timeout` is the launcher's parent here; the JVMs are the launcher's children
        for p in $(pgrep -P "$LAUNCHER_PID" || true) $(for q in $(pgrep -P "$LAUNCHER_PID" || true); do pgrep -P "$q" || true; done); do
            cmd=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null || true)
            case $cmd in
                *pinhole-proxy.jar*) PROXY_PID=$p ;;
                *EmbeddedPostgresMain*) PGWRAP_PID=$p ;;
            esac
        done
        pmfile=$(find "$PDATA" -name postmaster.pid 2>/dev/null | head -n 1)
        [[ -n $pmfile ]] && POSTMASTER_PID=$(head -n 1 "$pmfile")
        [[ -n $PROXY_PID ]] || { echo "could not find the proxy JVM under the launcher" >&2; exit 1; }
        JCMD=$(dirname "$(readlink -f "/proc/$PROXY_PID/exe")")/jcmd
        echo "pinhole: proxy JVM pid $PROXY_PID, PostgreSQL postmaster pid ${POSTMASTER_PID:-?}"
    }
    start_pinhole

    # domain + users through the admin API
    timeout 300 python3 - "$ADMIN_PORT" "$TOKEN" "$DOMAIN" "$USERS" "$PASSWORD" <<'PY'
import http.client, json, sys
port, token, domain, users, password = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=10)
h = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
def post(path, body):
    c.request("POST", path, json.dumps(body), h)
    r = c.getresponse(); data = r.read()
    if r.status not in (200, 201, 409):
        sys.exit("POST %s -> %d %s" % (path, r.status, data[:200]))
post("/api/domains", {"name": domain})
for i in range(users):
    post("/api/domains/%s/users" % domain, {"username": "bench%d" % i, "password": password})
print("pinhole: domain %s with %d users created" % (domain, users))
PY
fi

{ echo SEQUENTIAL; for ((i = 0; i < USERS; i++)); do echo "bench$i;$PASSWORD;"; done; } >"$OUT/users.csv"

# --- 2. Kamailio ------------------------------------------------------------------------------
for peer in $PEERS; do
    [[ $peer == kamailio-* ]] || continue
    kd="$OUT/$peer"
    mkdir -p "$kd"
    sed -e "s/@PORT@/$(peer_port "$peer")/" -e "s/@CHILDREN@/$KAM_CHILDREN/" -e "s/@DOMAIN@/$DOMAIN/g" \
        -e "s/@PASSWORD@/$PASSWORD/g" -e "s/@LAST_USER@/$((USERS - 1))/g" "$HERE/kamailio.cfg.in" >"$kd/kamailio.cfg"
    defs=()
    [[ $peer == kamailio-tm ]] && defs=(-A WITH_TM)
    timeout 30 kamailio -c "${defs[@]}" -f "$kd/kamailio.cfg" >"$kd/check.log" 2>&1 \
        || { echo "$peer: config check failed" >&2; cat "$kd/check.log" >&2; exit 1; }
    timeout -k 10 "$MAX_TOTAL_S" kamailio "${defs[@]}" -f "$kd/kamailio.cfg" -DD -E -Y "$kd" -P "$kd/pid" \
        -m "$KAM_SHM_MB" -M "$KAM_PKG_MB" >"$OUT/$peer.log" 2>&1 &
    tpid=$!
    sleep 1
    KAM_PID[$peer]=$(pgrep -P "$tpid" | head -n 1)
    [[ -n ${KAM_PID[$peer]} ]] || { echo "$peer did not start" >&2; cat "$OUT/$peer.log" >&2; exit 1; }
    echo "$peer: pid ${KAM_PID[$peer]} on 127.0.0.1:$(peer_port "$peer")"
done

# every server must answer one registration before we measure (Pinhole's directory refreshes
# every 5 s, so its users may take a moment to appear)
for peer in $PEERS; do
    ok=0
    for ((i = 0; i < 30; i++)); do
        d="$OUT/steps/probe-$peer"
        rm -rf "$d"
        STEP_S=5 sipp_run "$peer" 10 20 "$d"
        [[ $(cat "$d/rc") == 0 ]] && { ok=1; break; }
        sleep 1
    done
    [[ $ok == 1 ]] || { echo "$peer never completed a registration; see $d" >&2; exit 1; }
done

commit=$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo "?")
dirty=$(cd "$ROOT" && git status --porcelain -- proxy sip-stack db pinhole 2>/dev/null | wc -l)
java_v="-" proxy_opts="-"
[[ -n $PROXY_PID ]] && proxy_opts=$(tr '\0' '\n' <"/proc/$PROXY_PID/cmdline" | grep -E '^-X' | tr '\n' ' ' | sed 's/ $//')
[[ -n $PROXY_PID ]] && java_v=$("$(readlink -f "/proc/$PROXY_PID/exe")" -version 2>&1 | head -n 1)
{
    echo "# REGISTER with digest auth (REGISTER -> 401 -> REGISTER+auth -> 200 = 1 registration, 2 transactions), SIPp UDP on 127.0.0.1"
    echo "# $(date -u +%FT%TZ), $(nproc) cores shared by the servers, SIPp and anything else running (load average at start: $(cut -d' ' -f1-3 /proc/loadavg))"
    echo "# $STEP_S s per step, warm-up $WARMUP_S s at $WARMUP_RATE/s per server, $USERS users (SEQUENTIAL CSV), pass = SIPp rc 0, 0 failed, schedule kept (<= 1.05 x $STEP_S s + 2 s)"
    echo "# pinhole: commit $commit ($dirty uncommitted files in proxy/ sip-stack/ db/ pinhole), launcher default JVM ($java_v, $proxy_opts), 4 SIP threads (default), embedded PostgreSQL"
    echo "# kamailio: $(kamailio -v 2>/dev/null | awk 'NR==1{print $2, $3}'), children=$KAM_CHILDREN (UDP workers), shm -m $KAM_SHM_MB MiB, pkg -M $KAM_PKG_MB MiB, usrloc db_mode 0, auth qop=auth;"
    echo "#   kamailio-tm = tm transaction per REGISTER + nonce_count replay check; kamailio-sl = stateless, no nonce_count"
    echo "# SIPp $(sipp -v 2>/dev/null | grep -o 'v[0-9][0-9.]*' | head -n 1)"
} | tee "$OUT/header.txt"

# --- 3. warm-up (JIT) -------------------------------------------------------------------------
for peer in $PEERS; do warm_up "$peer"; done

# --- 4. interleaved searches ------------------------------------------------------------------
for ((s = 1; s <= SEARCHES; s++)); do
    echo "== search $s of $SEARCHES"
    if [[ -n $RATES ]]; then
        for r in $RATES; do for peer in $PEERS; do run_step "$s" "$peer" "$r" || true; done; done
        continue
    fi
    declare -A best=() fail=() next=() steps=() fin=()
    for peer in $PEERS; do best[$peer]=0; fail[$peer]=0; next[$peer]=$RATE_START; steps[$peer]=0; fin[$peer]=0; done
    while :; do
        active=0
        for peer in $PEERS; do
            [[ ${fin[$peer]} == 1 ]] && continue
            active=1
            r=${next[$peer]}
            steps[$peer]=$(( ${steps[$peer]} + 1 ))
            if run_step "$s" "$peer" "$r"; then best[$peer]=$r; else fail[$peer]=$r; fi
            b=${best[$peer]} f=${fail[$peer]}
            if ((f == 0)); then
                next[$peer]=$((r * 2))
            elif (((f - b) * 100 <= f * SEARCH_RES_PCT)); then
                fin[$peer]=1
            elif ((b == 0)); then
                next[$peer]=$((f / 2))
            else
                next[$peer]=$(((b + f) / 2))
            fi
            if (( ${steps[$peer]} >= MAX_STEPS || ${next[$peer]} < 1 )); then fin[$peer]=1; fi
            if [[ ${fin[$peer]} == 1 ]]; then
                echo "  $peer: highest passing ${best[$peer]}/s, first failing ${fail[$peer]}/s, ${steps[$peer]} steps"
            fi
        done
        [[ $active == 1 ]] || break
    done
done

# --- optional profile of the proxy at one rate ----------------------------------------------
if [[ -n $PROFILE_RATE && -n $PROXY_PID ]]; then
    timeout 30 "$JCMD" "$PROXY_PID" JFR.start name=bench duration=15s filename="$OUT/proxy-$PROFILE_RATE.jfr" settings=profile >/dev/null 2>&1 || true
    run_step profile pinhole "$PROFILE_RATE" || true
    timeout 30 "$JCMD" "$PROXY_PID" Thread.print >"$OUT/proxy-threads.txt" 2>&1 || true
    sleep 2
    JFR=$(dirname "$JCMD")/jfr
    if [[ -s $OUT/proxy-$PROFILE_RATE.jfr ]]; then
        timeout 300 "$JFR" print --events jdk.ExecutionSample "$OUT/proxy-$PROFILE_RATE.jfr" 2>/dev/null \
            | awk '/stackTrace = \[/{getline; sub(/^[ \t]+/, ""); print}' | sort | uniq -c | sort -rn | head -25 >"$OUT/proxy-top-frames.txt" || true
        echo "profile: $OUT/proxy-$PROFILE_RATE.jfr, top frames in $OUT/proxy-top-frames.txt"
    fi
fi

# --- 5. what the servers said -------------------------------------------------------------------
if [[ -n $PROXY_PID ]]; then
    curl -s -m 5 -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$ADMIN_PORT/actuator/prometheus" >"$OUT/pinhole-metrics.txt" 2>/dev/null || true
    curl -s -m 10 -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$ADMIN_PORT/api/registrations" >"$OUT/pinhole-registrations.json" 2>/dev/null || true
    nreg=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$OUT/pinhole-registrations.json" 2>/dev/null || echo "?")
    echo "pinhole: $nreg bindings listed by /api/registrations after the run (expected $USERS)"
    grep -E '^pinhole_(auth_failures_total|registrations_active|registrations_pending_writes)' "$OUT/pinhole-metrics.txt" 2>/dev/null | sed 's/^/  /' || true
    nwarn=$(grep -c -E ' (WARN|ERROR) ' "$OUT/pinhole.log" || true)
    echo "pinhole: $nwarn WARN/ERROR lines in its log"
    grep -E ' (WARN|ERROR) ' "$OUT/pinhole.log" | sed -E 's/^[0-9TZ:.+ -]+//' | cut -c1-200 | sort | uniq -c | sort -rn | head -8 | sed 's/^/  /' || true
fi
for peer in $PEERS; do
    [[ $peer == kamailio-* ]] || continue
    n=$(grep -c -E 'ERROR|CRITICAL|ALERT' "$OUT/$peer.log" || true)
    echo "$peer: $n ERROR/CRITICAL lines in its log"
    grep -E 'ERROR|CRITICAL' "$OUT/$peer.log" | cut -c1-200 | sort | uniq -c | sort -rn | head -5 | sed 's/^/  /' || true
done

# --- 6. table -----------------------------------------------------------------------------------
python3 - "$SUMMARY" "$PEERS" <<'PY' | tee "$OUT/result.txt"
import csv, statistics, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t") if r["search"] != "profile"]
peers = sys.argv[2].split()
num = lambda x: float(x) if x not in ("", "nan") else float("nan")
med = lambda v: statistics.median(v) if v else float("nan")
res = {}
for p in peers:
    pr = [r for r in rows if r["peer"] == p]
    searches = sorted({r["search"] for r in pr})
    bests, firsts, cpus, r401, r200 = [], [], [], [], []
    for s in searches:
        sr = [r for r in pr if r["search"] == s]
        passed = [r for r in sr if r["pass"] == "PASS"]
        failed = [int(r["rate"]) for r in sr if r["pass"] != "PASS"]
        if passed:
            b = max(passed, key=lambda r: int(r["rate"]))
            bests.append(int(b["rate"])); cpus.append(num(b["cpu_per_1000"]))
            r401.append(num(b["r401_p50_ms"])); r200.append(num(b["r200_p50_ms"]))
        else:
            bests.append(0)
        firsts.append(min([f for f in failed if not passed or f > bests[-1]] or [0]))
    res[p] = dict(best=med(bests), bests=bests, firsts=firsts, cpu=med(cpus), r401=med(r401), r200=med(r200))
# CPU per 1000 registrations at rates every server passed (same load, fairer than at each max)
common = None
for p in peers:
    ok = {int(r["rate"]) for r in rows if r["peer"] == p and r["pass"] == "PASS"}
    common = ok if common is None else common & ok
cr = max(common) if common else None
print()
print("REGISTER with digest auth through each server (registrations/s = SIPp calls/s; 2 transactions each)")
print("%-12s %10s %22s %14s %18s %18s" % ("server", "max reg/s", "per search (1st fail)", "CPU s/1000 reg", "REG->401 p50 ms", "REG+auth->200 p50"))
for p in peers:
    r = res[p]
    per = " ".join("%d(%s)" % (b, f or "-") for b, f in zip(r["bests"], r["firsts"]))
    print("%-12s %10.0f %22s %14.3f %18.3f %18.3f" % (p, r["best"], per, r["cpu"], r["r401"], r["r200"]))
if cr:
    print("\nat %d reg/s, passed by every server (median over steps at that rate):" % cr)
    for p in peers:
        at = [r for r in rows if r["peer"] == p and int(r["rate"]) == cr and r["pass"] == "PASS"]
        print("  %-12s CPU %.3f s/1000 reg (server %.2f s + db %.2f s per step), REG->401 p50 %.3f p99 %.3f ms, REG+auth->200 p50 %.3f p99 %.3f ms" % (
            p, med([num(r["cpu_per_1000"]) for r in at]), med([num(r["cpu_server_s"]) for r in at]), med([num(r["cpu_db_s"]) for r in at]),
            med([num(r["r401_p50_ms"]) for r in at]), med([num(r["r401_p99_ms"]) for r in at]),
            med([num(r["r200_p50_ms"]) for r in at]), med([num(r["r200_p99_ms"]) for r in at])))
if cr and "pinhole" in peers:
    at = [r for r in rows if r["peer"] == "pinhole" and int(r["rate"]) == cr and r["pass"] == "PASS"]
    nj = med([num(r.get("cpu_per_1000_no_jit", "nan")) for r in at])
    if nj == nj:
        print("  pinhole without its JIT compiler threads (steady state: the JIT still compiling in a step left out): CPU %.3f s/1000 reg" % nj)
        for k in [p for p in peers if p.startswith("kamailio")]:
            ck = med([num(r["cpu_per_1000"]) for r in rows if r["peer"] == k and int(r["rate"]) == cr and r["pass"] == "PASS"])
            if ck > 0:
                print("  ratio pinhole without JIT / %s: %.2f (at %d reg/s)" % (k, nj / ck, cr))
if "pinhole" in res:
    for k in [p for p in peers if p.startswith("kamailio")]:
        if res[k]["best"] > 0:
            line = "ratio pinhole/%s: max rate %.2f" % (k, res["pinhole"]["best"] / res[k]["best"])
            if res[k]["cpu"] == res[k]["cpu"] and res[k]["cpu"] > 0:
                line += ", CPU per registration %.2f (at each one's max)" % (res["pinhole"]["cpu"] / res[k]["cpu"])
            if cr:
                cp = med([num(r["cpu_per_1000"]) for r in rows if r["peer"] == "pinhole" and int(r["rate"]) == cr and r["pass"] == "PASS"])
                ck = med([num(r["cpu_per_1000"]) for r in rows if r["peer"] == k and int(r["rate"]) == cr and r["pass"] == "PASS"])
                if ck > 0:
                    line += ", %.2f (at %d reg/s)" % (cp / ck, cr)
            print(line)
PY
echo "results: $OUT"
