# bench/calls/lib.sh -- sourced by bench/calls/run.sh. Starting/stopping the two systems under test
# (Pinhole through its launcher; Kamailio + rtpengine with the shared harness's configs), each in
# its own private network namespace that has nothing but a loopback interface, and one SIPp step.
#
# Everything is started as a plain backgrounded command so that $! is the program's own PID
# (`ip netns exec` execs it), and everything is stopped by that PID only.

CALLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SHARED_BENCH="${SHARED_BENCH:-$(cd "$CALLS_DIR/../../../shared/bench" 2>/dev/null && pwd)}"
PINHOLE_HOME="${PINHOLE_HOME:-$(cd "$CALLS_DIR/../.." && pwd)}"

# namespaces: one per system, so both get the whole port space and the fixed ports of the shared
# Kamailio config (5060, 2223, 2046, 30000-39999) cannot clash with anything on the host
NS_PH="${NS_PH:-phcalls-ph}"
NS_KA="${NS_KA:-phcalls-ka}"

# Pinhole ports (inside NS_PH)
PH_SIP=25160; PH_ADMIN=28180; PH_DB=25532; PH_NG=22323; PH_REDIRECT=25170
PH_RELAY_HTTP=28182; PH_REDIRECT_HTTP=28181
# relay media range: must not contain any of the fixed ports below (25xxx, 28xxx, 22323) -- an
# earlier 20000-59999 did, and the relay then failed an offer ("Failed to bind media ports") each
# time its FIFO port pool reached 25160 etc.
PH_MEDIA="${PH_MEDIA:-30000-59999}"
PH_TOKEN="${PH_TOKEN:-pinhole-calls-bench-token-0001}"
PH_DOMAIN=bench.test
PH_CALLER=caller; PH_CALLER_PW=caller-secret-1
PH_CALLEE=uas; PH_CALLEE_PW=uas-secret-123
# Kamailio (inside NS_KA): the shared config's fixed ports
KA_SIP=5060
# SIPp (in whichever namespace the system runs)
UAC_PORT=25070; UAC2_PORT=25071; UAS_PORT=25080; UAC_MP=10000; UAC2_MP=11000; UAS_MP=12000

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

ensure_ns() {
  local ns=$1
  ip netns list | awk '{print $1}' | grep -qx "$ns" || ip netns add "$ns"
  ip -n "$ns" link set lo up
  nsx "$ns" sysctl -qw net.core.rmem_max=4194304 net.core.wmem_max=4194304 2>/dev/null || true
  nsx "$ns" sysctl -qw net.ipv4.ip_local_port_range="60000 64999"
}

# stop_pid PID [name] -- TERM, wait up to 30 s, then KILL; that PID only
stop_pid() {
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "  ${2:-$pid} did not stop in 30 s: KILL" >&2
  kill -KILL "$pid" 2>/dev/null
}

cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU ticks of processes and all of their descendants
tree_ticks() {
  local p sum=0 c
  for p in "$@"; do
    [ -d "/proc/$p" ] || continue
    sum=$((sum + $(cpu_ticks "$p")))
    for c in $(pgrep -P "$p" 2>/dev/null); do sum=$((sum + $(tree_ticks "$c"))); done
  done
  echo "$sum"
}
box_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }   # busy ticks of the whole box

# ---------------------------------------------------------------- Pinhole
PH_LAUNCHER=""; PH_PROXY=""; PH_RELAY=""
JCMD=""

# child of the launcher whose command line contains $1
ph_child() { local c; for c in $(pgrep -P "$PH_LAUNCHER"); do tr '\0' ' ' < "/proc/$c/cmdline" | grep -q -- "$1" && { echo "$c"; return; }; done; }

ph_api() { # METHOD PATH [JSON]
  nsx "$NS_PH" curl -s -o /dev/null -w '%{http_code}' -X "$1" -H "Authorization: Bearer $PH_TOKEN" \
    -H 'Content-Type: application/json' "http://127.0.0.1:$PH_ADMIN$2" ${3:+-d "$3"}
}

# every benchmark call comes from the one account "caller": the toll-fraud caps (10 calls in progress,
# 30 a minute per account) are raised to their maximum, or all but the first calls get 403
start_pinhole() { # LOGFILE DATADIR -- launcher in NS_PH, domain + users created
  local log=$1 data=$2 i
  ensure_ns "$NS_PH"
  mkdir -p "$data"
  # (PH_MAX_NEW is exported, not written as "${PH_MAX_NEW:+VAR=...}" before exec: an expansion is
  # never an assignment, so bash ran it as the command name)
  ( cd "$PINHOLE_HOME" && { [ -z "${PH_MAX_NEW:-}" ] || export PINHOLE_CALLS_MAXNEWPERSECOND="$PH_MAX_NEW"; } && \
    PINHOLE_ADMIN_TOKEN="$PH_TOKEN" PINHOLE_MEDIA_POLICY=always PINHOLE_MEDIA_DEFAULTRELAY="127.0.0.1:$PH_NG" \
    PINHOLE_REDIRECT_HTTP_PORT=$PH_REDIRECT_HTTP PINHOLE_RELAY_HTTP_PORT=$PH_RELAY_HTTP \
    PINHOLE_FLOOD_MAX_CONCURRENT_CALLS_PER_ACCOUNT=100000 PINHOLE_FLOOD_MAX_CALLS_PER_MINUTE_PER_ACCOUNT=100000 \
    exec ip netns exec "$NS_PH" ./pinhole start --bind 127.0.0.1 --sip-port $PH_SIP --admin-port $PH_ADMIN \
      --db-port $PH_DB --relay-control-port $PH_NG --redirect-port $PH_REDIRECT --media-ports "$PH_MEDIA" \
      --media-address 127.0.0.1 \
      --data-dir "$data" ) > "$log" 2>&1 &
  PH_LAUNCHER=$!
  for i in $(seq 1 240); do
    kill -0 "$PH_LAUNCHER" 2>/dev/null || { echo "pinhole launcher exited:"; tail -30 "$log"; return 1; }
    [ "$(nsx "$NS_PH" curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PH_ADMIN/actuator/health")" = 200 ] \
      && [ "$(nsx "$NS_PH" curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PH_RELAY_HTTP/actuator/health")" = 200 ] && break
    sleep 0.5
  done
  PH_PROXY=$(ph_child pinhole-proxy.jar); PH_RELAY=$(ph_child pinhole-relay.jar)
  [ -n "$PH_PROXY" ] && [ -n "$PH_RELAY" ] || { echo "proxy/relay not found under launcher $PH_LAUNCHER"; tail -30 "$log"; return 1; }
  JCMD="$(dirname "$(readlink -f /proc/$PH_PROXY/exe)")/jcmd"
  local c1 c2 c3
  c1=$(ph_api POST /api/domains "{\"name\":\"$PH_DOMAIN\"}")
  c2=$(ph_api POST /api/domains/$PH_DOMAIN/users "{\"username\":\"$PH_CALLER\",\"password\":\"$PH_CALLER_PW\"}")
  c3=$(ph_api POST /api/domains/$PH_DOMAIN/users "{\"username\":\"$PH_CALLEE\",\"password\":\"$PH_CALLEE_PW\"}")
  echo "pinhole: launcher $PH_LAUNCHER proxy $PH_PROXY relay $PH_RELAY (netns $NS_PH); admin API: domain $c1, users $c2 $c3"
  # the directory is refreshed every 5 s: wait until the new domain is served
  sleep 6
}

stop_pinhole() {
  [ -n "$PH_LAUNCHER" ] || return 0
  local kids; kids=$(pgrep -P "$PH_LAUNCHER" 2>/dev/null)
  stop_pid "$PH_LAUNCHER" "pinhole launcher"
  for c in $kids; do stop_pid "$c" "pinhole child $c"; done   # the launcher stops them; this only checks
  PH_LAUNCHER=""
}

# live Java heap (KB) after a full GC: young + old / G1 heap "used"
live_heap() {
  "$JCMD" "$1" GC.run >/dev/null 2>&1; sleep 1; "$JCMD" "$1" GC.run >/dev/null 2>&1; sleep 1
  "$JCMD" "$1" GC.heap_info | awk '/PSYoungGen|ParOldGen|garbage-first heap|def new generation|tenured generation/ {
      for (i=1;i<=NF;i++) if ($i=="used") {v=$(i+1); gsub(/K,?/,"",v); s+=v}} END {print s+0}'
}

# ---------------------------------------------------------------- Kamailio + rtpengine
KA_PID=""; RTPE_PID=""
start_kamailio() { # LOGDIR -- mirrors ../shared/bench/peers/start-kamailio-rtpengine.sh with its configs
  local logs=$1 i
  ensure_ns "$NS_KA"
  mkdir -p "$logs/kamailio-run"
  # plain commands in the background (never the nsx function): $! must be the daemon itself
  ip netns exec "$NS_KA" /usr/bin/rtpengine --config-file="$SHARED_BENCH/peers/rtpengine.conf" \
    --config-section=rtpengine --table=-1 --foreground --log-stderr --num-threads="${RTPE_THREADS:-2}" \
    > "$logs/rtpengine.log" 2>&1 &
  RTPE_PID=$!
  nsx "$NS_KA" kamailio -c -f "$SHARED_BENCH/peers/kamailio.cfg" -Y "$logs/kamailio-run" > "$logs/kamailio-check.log" 2>&1 \
    || { echo "kamailio config check failed:"; cat "$logs/kamailio-check.log"; return 1; }
  ip netns exec "$NS_KA" kamailio -f "$SHARED_BENCH/peers/kamailio.cfg" -DD -E -m "${KAM_SHM_MB:-1024}" -M 16 \
    -Y "$logs/kamailio-run" > "$logs/kamailio.log" 2>&1 &
  KA_PID=$!
  sleep 0.5
  kill -0 "$RTPE_PID" 2>/dev/null || { echo "rtpengine exited:"; tail "$logs/rtpengine.log"; return 1; }
  kill -0 "$KA_PID" 2>/dev/null || { echo "kamailio exited:"; tail "$logs/kamailio.log"; return 1; }
  for i in $(seq 1 50); do nsx "$NS_KA" python3 "$SHARED_BENCH/tools/ng.py" ping >/dev/null 2>&1 && break; sleep 0.2; done
  for i in $(seq 1 50); do nsx "$NS_KA" kamcmd -s udp:127.0.0.1:2046 core.version >/dev/null 2>&1 && break; sleep 0.2; done
  echo "kamailio $KA_PID ($(nsx "$NS_KA" kamcmd -s udp:127.0.0.1:2046 core.version 2>&1)), shm ${KAM_SHM_MB:-1024} MiB; rtpengine $RTPE_PID ($(nsx "$NS_KA" python3 "$SHARED_BENCH/tools/ng.py" ping 2>&1 | head -1)), ${RTPE_THREADS:-2} threads (netns $NS_KA)"
}
stop_kamailio() {
  stop_pid "$KA_PID" kamailio; KA_PID=""
  stop_pid "$RTPE_PID" rtpengine; RTPE_PID=""
}

# ---------------------------------------------------------------- one SIPp step
# sys_* helpers: namespace, target, UAC arguments and watched PIDs of a system variant
#   ph-auth   Pinhole, caller is a local user (407 challenge on every call)
#   ph-noauth Pinhole, caller from a domain Pinhole does not serve (no challenge)
#   ka        Kamailio + rtpengine (no authentication in the shared config)
sys_ns() { case $1 in ka) echo "$NS_KA";; *) echo "$NS_PH";; esac; }
sys_target() { case $1 in ka) echo "127.0.0.1:$KA_SIP";; *) echo "127.0.0.1:$PH_SIP";; esac; }
sys_watch() { case $1 in ka) echo "$KA_PID $RTPE_PID";; *) echo "$PH_LAUNCHER";; esac; }
sys_uac_args() { # SYS [overload]
  case $1 in
    ka) echo "-sf $CALLS_DIR/sipp/uac.xml -key from_user uac -key from_domain 127.0.0.1 -key callee uas -key domain 127.0.0.1 -key sdp_ip 127.0.0.1" ;;
    ph-noauth) echo "-sf $CALLS_DIR/sipp/uac.xml -key from_user uac -key from_domain elsewhere.example -key callee $PH_CALLEE -key domain $PH_DOMAIN -key sdp_ip 127.0.0.1" ;;
    ph-auth) echo "-sf ${UAC_AUTH_SF:-$CALLS_DIR/sipp/uac-auth${2:+-overload}.xml} -s $PH_CALLER -au $PH_CALLER -ap $PH_CALLER_PW -key callee $PH_CALLEE -key domain $PH_DOMAIN -key sdp_ip 127.0.0.1" ;;
  esac
}

do_register() { # SYS DIR -- REGISTER the callee from the UAS port (before the UAS binds it)
  local sys=$1 d=$2 dom exp auth=()
  case $sys in ka) dom=127.0.0.1; exp=3600;; *) dom=$PH_DOMAIN; exp=7200; auth=(-au "$PH_CALLEE" -ap "$PH_CALLEE_PW");; esac
  (cd "$d" && nsx "$(sys_ns "$sys")" sipp "$(sys_target "$sys")" -sf "$CALLS_DIR/sipp/register.xml" -s uas \
     -key domain "$dom" -key expires "$exp" "${auth[@]}" -i 127.0.0.1 -p "$UAS_PORT" -m 1 -nostdin \
     -timeout 10 -timeout_error > register.out 2>&1) || { echo "  REGISTER failed ($d/register.out)"; return 1; }
}

UAS_PID=""
# UAS_SF / UAC_AUTH_SF: other scenarios for the callee / the authenticated caller (bench/soak: with RTP);
# UAS_TIMEOUT: seconds the UAS lives (longer steps than 900 s need more)
start_uas() { # SYS DIR
  ( cd "$2" && exec ip netns exec "$(sys_ns "$1")" sipp -sf "${UAS_SF:-$CALLS_DIR/sipp/uas.xml}" -i 127.0.0.1 -p "$UAS_PORT" \
      -mi 127.0.0.1 -mp "$UAS_MP" -nostdin -trace_err -error_file uas-errors.log -trace_stat -stf uas-stat.csv \
      -fd 1 -max_socket 16000 -timeout "${UAS_TIMEOUT:-900}" > uas.out 2>&1 ) &
  UAS_PID=$!
  sleep 0.5
}
stop_uas() { sleep 2.5; stop_pid "$UAS_PID" "sipp uas"; wait "$UAS_PID" 2>/dev/null; UAS_PID=""; }

# capture the UAC's SIP for CAP_SECONDS, starting after 1/3 of the run (bounded by -a duration)
start_capture() { # SYS DIR DURATION
  ( sleep $(( $3 / 3 )); exec ip netns exec "$(sys_ns "$1")" dumpcap -q -i lo -f "udp port $UAC_PORT" \
      -a duration:"${CAP_SECONDS:-5}" -w "$2/uac-sip.pcapng" ) > "$2/dumpcap.log" 2>&1 &
  CAP_PID=$!
}

# run_uac SYS DIR RATE CALLS CALL_MS [overload] [port] [mp] [limit] -- foreground; prints rc
run_uac() {
  local sys=$1 d=$2 r=$3 n=$4 ms=$5 ov=${6:-} port=${7:-$UAC_PORT} mp=${8:-$UAC_MP} lim=${9:-}
  [ -n "$lim" ] || lim=$(( r * (ms / 1000 + 3) * 3 + 100 ))
  local to=$(( n / r + ms / 1000 + 40 ))
  # shellcheck disable=SC2046
  (cd "$d" && nsx "$(sys_ns "$sys")" sipp "$(sys_target "$sys")" $(sys_uac_args "$sys" $ov) \
      -i 127.0.0.1 -p "$port" -mi 127.0.0.1 -mp "$mp" -r "$r" -m "$n" -l "$lim" -d "$ms" -nostdin \
      -trace_err -error_file uac-errors-$port.log -trace_stat -stf uac-stat-$port.csv -fd 1 -trace_counts \
      -trace_rtt -rtt_freq 100 -max_socket 16000 -timeout "$to" -timeout_error > uac-$port.out 2>&1)
  echo $?
}
