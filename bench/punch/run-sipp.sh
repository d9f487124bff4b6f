#!/usr/bin/env bash
# bench/punch/run-sipp.sh -- issue 16 at scale: 1,000 calls in minutes, SIPp phones in parallel.
# See bench/punch/README.md ("SIPp mode"). run.sh measures the same with real softphones, one call
# at a time; this one trades the softphones (and their RTCP) for volume.
#
#   net      net.sh's namespaces (the public segment 203.0.113.0/24 in pbp-inet, the system under test
#            on 203.0.113.1) and two pairs of NATs, each NAT with PHONES phones behind it (one
#            namespace per NAT's LAN, one private address, SIP port and RTP port range per phone):
#              pair 1 "punch"   both NATs keep the phones' ports (endpoint-independent mapping)
#              pair 2 "random"  the callee's NAT picks a random port per destination (cannot punch)
#   phones   SIPp: phone k behind a pair's caller NAT calls phone k behind its callee NAT, one call at
#            a time (a phone has one line), each call TALK_S s of RTP both ways from SIPp's
#            rtp_stream (pcma.wav, A-law 20 ms; no RTCP); callees answer OPTIONS (probes, pings)
#   systems  SYSTEMS (default "pinhole kamailio"), one after the other, as run.sh starts them
#   calls    CALLS per system, half per pair: 2 x PHONES calls in progress at any time
#   capture  dumpcap in each phone namespace (behind the NAT): the SIP in full, the RTP that
#            arrives at the phones (headers only)
#   report   analyze_sipp.py
#
# SIPp's watchdog is told not to end a phone when the machine stalls (its default ends SIPp after 120
# stalls of 0.5 s, which a loaded 2-core machine reaches): the calls and their gaps are still measured.
#
# Environment (defaults): PINHOLE_HOME (this repository, jars built) SHARED_BENCH (<repo>/../shared/bench)
#   SYSTEMS="pinhole kamailio" CALLS=1000 PHONES=8 TALK_S=5 OUT=bench/punch/results/sipp-<UTC time>
set -uo pipefail
PB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$PB_DIR/../.." && pwd)"
PINHOLE_HOME="${PINHOLE_HOME:-$REPO}"
SHARED_BENCH="${SHARED_BENCH:-$(cd "$PB_DIR/../../../shared/bench" 2>/dev/null && pwd)}"
SYSTEMS=${SYSTEMS:-"pinhole kamailio"}
CALLS=${CALLS:-1000}; PHONES=${PHONES:-8}; TALK_S=${TALK_S:-5}
OUT="${OUT:-$PB_DIR/results/sipp-$(date -u +%Y%m%dT%H%M%SZ)}"

INET=pbp-inet; PUB=203.0.113.1; DOMAIN=punch.bench; PASSWORD=bench-password-1
TOKEN=punch-bench-token-$$; ADMIN=18080
PAIRS=(1 2); declare -A KIND_OF=([1]=punch [2]=random)
source "$PB_DIR/net.sh"
source "$PB_DIR/systems.sh"  # stop_pid, api, start_kamailio, stop_system (shared with run.sh)

[ "$PHONES" -ge 1 ] && [ "$PHONES" -le 30 ] || { echo "PHONES must be 1..30"; exit 2; }
check_prerequisites sipp

mkdir -p "$OUT/sipp"
OUT="$(cd "$OUT" && pwd)"
exec > >(tee -a "$OUT/run.log") 2>&1
T_START=$(date +%s)
echo "bench/punch sipp $(date -u +%FT%TZ) systems='$SYSTEMS' calls=$CALLS phones=$PHONES per NAT talk=${TALK_S}s pinhole=$PINHOLE_HOME ($(cd "$PINHOLE_HOME" && git rev-parse --short HEAD 2>/dev/null || echo 'no git')) -> $OUT"
echo "machine: $(nproc) cores; uptime before: $(uptime)"


NAMESPACES=(); PHONE_PIDS=(); CAPTURE_PIDS=(); SUT_PIDS=(); LOAD_PID=
cleanup() {
  trap - EXIT INT TERM
  trap '' PIPE
  local p ns
  for p in "${PHONE_PIDS[@]}" "${CAPTURE_PIDS[@]}" "${SUT_PIDS[@]}" $LOAD_PID; do stop_pid "$p"; done
  for ns in "${NAMESPACES[@]}"; do
    for p in $(ip netns pids "$ns" 2>/dev/null); do echo "  left in $ns: $p $(cat /proc/$p/comm 2>/dev/null)"; done
    ip netns del "$ns" 2>/dev/null
  done
  echo "stopped everything ($(date -u +%TZ), $(( ($(date +%s) - T_START) / 60 )) min); uptime after: $(uptime | tee "$OUT/uptime-after.txt")"
  echo "results in $OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- the network (net.sh)
# phone PAIR SIDE K -> "namespace address sip-port rtp-min rtp-max user"
phone() {
  local i=$1 s=$2 k=$3
  echo "pbp-p$i$s 10.$i.$([ "$s" = a ] && echo 1 || echo 2).$((10 + k)) $((5060 + k)) $((20000 + 200 * k)) $((20000 + 200 * k + 199)) p$i$s$k"
}

echo "building the namespaces"
add_ns $INET
ip -n $INET link add pbp-br type bridge && ip -n $INET addr add $PUB/24 dev pbp-br && ip -n $INET link set pbp-br up
nat 1 a keep; nat 1 b keep
nat 2 a keep; nat 2 b random
for i in "${PAIRS[@]}"; do for s in a b; do for k in $(seq 1 "$PHONES"); do
  read -r ns addr _ <<< "$(phone $i $s $k)"
  ip -n "$ns" addr add "$addr/24" dev pbp$i$s-p
done; done; done
cp "$REPO/relay-server/src/test/resources/interop/pcma.wav" "$OUT/sipp/pcma.wav"
sed "s/@TALK_MS@/$((TALK_S * 1000))/" "$PB_DIR/sipp/uac.xml" > "$OUT/sipp/uac.xml"
cp "$PB_DIR/sipp/uas.xml" "$PB_DIR/sipp/register.xml" "$OUT/sipp/"

# ---------------------------------------------------------------- the systems (as run.sh)

start_pinhole() {
  : > "$OUT/pinhole.log"
  ( cd "$PINHOLE_HOME" && PINHOLE_NO_BUILD=1 PINHOLE_ADMIN_TOKEN=$TOKEN PINHOLE_MEDIA_DEFAULT_RELAY=127.0.0.1:2223 \
    exec ip netns exec $INET ./pinhole start all --bind $PUB --sip-port 5060 --media-address $PUB --media-ports 30000-31999 \
      --admin-port $ADMIN --data-dir "$OUT/pinhole-data" ) > "$OUT/pinhole.log" 2>&1 &
  SUT_PIDS=("$!")
  local i s k u
  for i in $(seq 1 600); do
    grep -q "pinhole: up" "$OUT/pinhole.log" && break
    kill -0 "${SUT_PIDS[0]}" 2>/dev/null || { echo "pinhole exited:"; tail -30 "$OUT/pinhole.log"; return 1; }
    sleep 0.5
  done
  grep -q "pinhole: up" "$OUT/pinhole.log" || { echo "pinhole not up in 300 s"; return 1; }
  api -X POST -d "{\"name\":\"$DOMAIN\"}" "http://127.0.0.1:$ADMIN/api/domains" > /dev/null
  for i in "${PAIRS[@]}"; do for s in a b; do for k in $(seq 1 "$PHONES"); do
    api -X POST -d "{\"username\":\"p$i$s$k\",\"password\":\"$PASSWORD\"}" "http://127.0.0.1:$ADMIN/api/domains/$DOMAIN/users" > /dev/null
  done; done; done
  echo "pinhole up (launcher ${SUT_PIDS[0]})"
}
# every phone registered and its NAT probed: the planner needs both callers' capabilities
await_probes() {
  local i n want=$(( ${#PAIRS[@]} * 2 * PHONES ))
  for i in $(seq 1 120); do
    n=$(api "http://127.0.0.1:$ADMIN/api/registrations?domain=$DOMAIN" | grep -o '"probedAt":"' | wc -l)
    if [ "$n" -ge "$want" ]; then
      api "http://127.0.0.1:$ADMIN/api/registrations?domain=$DOMAIN" > "$OUT/registrations.json"
      echo "$n registrations probed; NAT mapping found: $(grep -o '"mapping":"[A-Z_]*"' "$OUT/registrations.json" | sort | uniq -c | tr -s ' \n' ' ')"
      return 0
    fi
    sleep 0.5
  done
  echo "only $n of $want registrations probed"; return 1
}


# ---------------------------------------------------------------- phones and captures
sipp_in() { # NS ADDRESS PORT LOGDIR ARGS... -- SIPp towards the system, logs in LOGDIR, run from $OUT/sipp (pcma.wav)
  local ns=$1 addr=$2 port=$3 dir=$4; shift 4
  mkdir -p "$dir"
  cd "$OUT/sipp" && exec ip netns exec "$ns" sipp "$PUB:5060" -i "$addr" -p "$port" -nostdin -trace_err \
    -error_file "$dir/errors.log" -trace_stat -stf "$dir/stat.csv" -fd 10 \
    -watchdog_minor_maxtriggers 1000000 -watchdog_major_maxtriggers 1000000 "$@" > "$dir/out.log" 2>&1
}

captures() {
  local i s
  CAPTURE_PIDS=()
  for i in "${PAIRS[@]}"; do for s in a b; do
    ip netns exec pbp-p$i$s dumpcap -q -i pbp$i$s-p -f "udp port 5060" -w "$OUT/$SYSTEM-p$i$s-sip.pcapng" > /dev/null 2>&1 &
    CAPTURE_PIDS+=("$!")
    ip netns exec pbp-p$i$s dumpcap -q -s 64 -B 16 -i pbp$i$s-p -f "udp and dst net 10.$i.0.0/16 and dst portrange 20000-29999" \
      -w "$OUT/$SYSTEM-p$i$s-rtp.pcapng" > /dev/null 2>&1 &
    CAPTURE_PIDS+=("$!")
  done; done
  sleep 2   # dumpcap listening
}

# register every phone; callees then answer calls and OPTIONS for the whole run, callers answer
# OPTIONS until the probes are done (CALLER_PIDS) and then place their calls
start_phones() {
  local i s k ns addr port rmin rmax user dir
  PHONE_PIDS=(); CALLER_PIDS=()
  for i in "${PAIRS[@]}"; do for s in a b; do for k in $(seq 1 "$PHONES"); do
    read -r ns addr port rmin rmax user <<< "$(phone $i $s $k)"
    dir=$OUT/phones/$SYSTEM-$user
    ( ( sipp_in "$ns" "$addr" "$port" "$dir/register" -sf register.xml -m 1 -s "$user" -au "$user" -ap "$PASSWORD" \
          -key domain "$DOMAIN" -key expires 3600 -timeout 20s -timeout_error ) || exit 1
      touch "$dir/registered"
      sipp_in "$ns" "$addr" "$port" "$dir/uas" -sf uas.xml -s "$user" -mp "$rmin" ) &
    if [ $s = a ]; then CALLER_PIDS+=("$!"); else PHONE_PIDS+=("$!"); fi
  done; done; done
  local n want=$(( ${#PAIRS[@]} * 2 * PHONES ))
  for i in $(seq 1 60); do
    n=$(ls "$OUT"/phones/$SYSTEM-*/registered 2>/dev/null | wc -l)
    [ "$n" -ge "$want" ] && break
    sleep 0.5
  done
  [ "$n" -ge "$want" ] || { echo "only $n of $want phones registered"; return 1; }
  echo "$n phones registered"
}

place_calls() {
  local i k ns addr port rmin rmax user dir per=$(( CALLS / (${#PAIRS[@]} * PHONES) )) extra=$(( CALLS % (${#PAIRS[@]} * PHONES) )) j=0 m pids=()
  for p in "${CALLER_PIDS[@]}"; do stop_pid "$p" "options answerer"; done
  for k in $(seq 1 "$PHONES"); do for i in "${PAIRS[@]}"; do
    read -r ns addr port rmin rmax user <<< "$(phone $i a $k)"
    m=$(( per + (j < extra ? 1 : 0) )); j=$((j + 1))
    [ "$m" -gt 0 ] || continue
    dir=$OUT/phones/$SYSTEM-$user
    ( sipp_in "$ns" "$addr" "$port" "$dir/uac" -sf uac.xml -s "$user" -au "$user" -ap "$PASSWORD" -key domain "$DOMAIN" \
        -key callee "p${i}b$k" -m "$m" -l 1 -r 10 -aa -mp "$rmin" ) &
    pids+=("$!"); PHONE_PIDS+=("$!")
    sleep 0.3   # the phones' calls spread over the call time
  done; done
  echo "$(date -u +%TZ) ${#pids[@]} callers placing $CALLS calls, $((${#PAIRS[@]} * PHONES)) at a time"
  local failed=0
  for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
  echo "$(date -u +%TZ) callers done ($failed SIPp callers reported failed calls)"
}

loads() { while true; do printf '%s\t%s\t%s\n' "$(date +%s)" "$SYSTEM" "$(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/load.tsv"; sleep 10; done; }

printf 'system\tstart\tend\n' > "$OUT/systems.tsv"
for SYSTEM in $SYSTEMS; do
  echo "=== $SYSTEM $(date -u +%TZ)"
  case $SYSTEM in
    pinhole) start_pinhole || exit 1 ;;
    kamailio) start_kamailio || exit 1 ;;
    *) echo "unknown system $SYSTEM"; exit 2 ;;
  esac
  captures
  start_phones || exit 1
  [ "$SYSTEM" = pinhole ] && { await_probes || exit 1; }
  loads & LOAD_PID=$!
  t0=$(date +%s)
  place_calls
  t1=$(date +%s)
  stop_pid "$LOAD_PID"; LOAD_PID=
  printf '%s\t%s\t%s\n' "$SYSTEM" "$t0" "$t1" >> "$OUT/systems.tsv"
  sleep 3   # the last BYEs' retransmissions, the CDRs
  if [ "$SYSTEM" = pinhole ]; then
    api "http://127.0.0.1:$ADMIN/actuator/prometheus" | grep '^pinhole_punch\|^pinhole_media_direct_share\|^pinhole_calls_hangups' > "$OUT/pinhole-punch-metrics.txt"
    cat "$OUT/pinhole-punch-metrics.txt"
    echo "proxy log: $(grep -c 'ended: answered' "$OUT/pinhole.log") calls ended answered, $(grep -c 'ended: failed' "$OUT/pinhole.log") failed ($(grep -o 'ended: failed [0-9]*' "$OUT/pinhole.log" | sort | uniq -c | tr -s ' \n' ' '))"
  fi
  for p in "${PHONE_PIDS[@]}"; do stop_pid "$p" sipp; done; PHONE_PIDS=()
  for p in "${CAPTURE_PIDS[@]}"; do stop_pid "$p" dumpcap; done; CAPTURE_PIDS=()
  stop_system
done

python3 "$PB_DIR/analyze_sipp.py" "$OUT" | tee "$OUT/report.txt"
