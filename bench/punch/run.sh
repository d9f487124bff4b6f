#!/usr/bin/env bash
# bench/punch/run.sh -- issue 16: what hole punching saves the relay, and what it costs a call.
# See bench/punch/README.md.
#
#   net      network namespaces only (nothing in the root namespace): a public segment 203.0.113.0/24
#            (namespace pbp-inet, a bridge; the system under test on 203.0.113.1) and three pairs of
#            NATs, each NAT with one phone behind it (iptables MASQUERADE + a stateful filter that
#            drops unsolicited inbound UDP, as PunchNatIT's NatTopology builds them):
#              pair 1 "punch"   both NATs keep the phone's port (endpoint-independent mapping)
#              pair 2 "random"  the callee's NAT picks a random port per destination (cannot punch)
#              pair 3 "blocked" as pair 1, but the caller's NAT drops the callee's direct RTP
#                               (a filter that lets the relay's media through and not the peer's)
#   phones   baresip in each phone namespace (PCMA, RTCP every 5 s as libre sends it), the callee
#            answers by itself; commands through baresip's UDP console
#   systems  SYSTEMS (default "pinhole kamailio"), one after the other on 203.0.113.1:5060:
#              pinhole   './pinhole start all' (proxy + relay + redirect + embedded PostgreSQL),
#                        hole punching on (the default)
#              kamailio  Kamailio + rtpengine from the shared harness (SHARED_BENCH/peers, its
#                        config moved onto 203.0.113.1): relays every call
#   calls    CALLS calls per system in the order punch, random, punch, blocked, ... (half of the
#            NAT pairs punchable); each: dumpcap in both phone namespaces, the caller dials, both
#            talk TALK_S s, the caller hangs up
#   report   analyze.py reads the captures: per call INVITE->200 at the caller, answer->direct
#            media both ways, RTP packets each phone got from the relay and direct, the longest gap
#            between two RTP packets at each phone; per system and pair medians/p99 and the share
#            of media that went direct
#
# Environment (defaults): PINHOLE_HOME (this repository; its jars must be built: the launcher
#   runs with PINHOLE_NO_BUILD=1) SHARED_BENCH (<repo>/../shared/bench) SYSTEMS="pinhole kamailio"
#   CALLS=16 TALK_S=14 OUT=bench/results/punch-<UTC time>
set -uo pipefail
PB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PINHOLE_HOME="${PINHOLE_HOME:-$(cd "$PB_DIR/../.." && pwd)}"
SHARED_BENCH="${SHARED_BENCH:-$(cd "$PB_DIR/../../../shared/bench" 2>/dev/null && pwd)}"
SYSTEMS=${SYSTEMS:-"pinhole kamailio"}
CALLS=${CALLS:-16}; TALK_S=${TALK_S:-14}
OUT="${OUT:-$PB_DIR/../results/punch-$(date -u +%Y%m%dT%H%M%SZ)}"

INET=pbp-inet; PUB=203.0.113.1; DOMAIN=punch.bench; PASSWORD=bench-password-1
TOKEN=punch-bench-token-$$; ADMIN=18080; RTP_PORTS=40100-40119
KINDS=(punch random punch blocked)   # the mix, repeated; pair number = index into PAIR_OF
declare -A PAIR_OF=([punch]=1 [random]=2 [blocked]=3)
source "$PB_DIR/net.sh"       # nsx, add_ns, nat: the namespaces and NATs (shared with run-sipp.sh)
source "$PB_DIR/systems.sh"   # stop_pid, api, start_kamailio, stop_system (shared with run-sipp.sh)

check_prerequisites baresip

mkdir -p "$OUT/calls" "$OUT/phones"
OUT="$(cd "$OUT" && pwd)"
exec > >(tee -a "$OUT/run.log") 2>&1
T_START=$(date +%s)
echo "bench/punch $(date -u +%FT%TZ) systems='$SYSTEMS' calls=$CALLS talk=${TALK_S}s pinhole=$PINHOLE_HOME ($(cd "$PINHOLE_HOME" && git rev-parse --short HEAD 2>/dev/null || echo 'no git')) -> $OUT"
echo "machine: $(nproc) cores; uptime before: $(uptime)"


NAMESPACES=(); PHONE_PIDS=(); SUT_PIDS=()
cleanup() {
  trap - EXIT INT TERM
  trap '' PIPE
  local p ns
  for p in "${PHONE_PIDS[@]}" "${SUT_PIDS[@]}"; do stop_pid "$p"; done
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
echo "building the namespaces"
add_ns $INET
ip -n $INET link add pbp-br type bridge && ip -n $INET addr add $PUB/24 dev pbp-br && ip -n $INET link set pbp-br up
nat 1 a keep; nat 1 b keep
nat 2 a keep; nat 2 b random
nat 3 a keep; nat 3 b keep
# pair 3: the caller's NAT drops the callee's direct RTP (its RTCP and the relay's media pass)
nsx pbp-n3a iptables -t mangle -I PREROUTING -p udp -s 203.0.113.32 -d 203.0.113.31 --dport ${RTP_PORTS/-/:} -j DROP

python3 - "$OUT/tone-440.wav" 440 "$OUT/tone-660.wav" 660 <<'EOF'
import math, struct, sys, wave
for path, hz in zip(sys.argv[1::2], sys.argv[2::2]):
    with wave.open(path, "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(8000)
        w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * int(hz) * i / 8000))) for i in range(8000 * 120)))
EOF

# ---------------------------------------------------------------- the phones
# phone NS ADDRESS USER TONE AUTOANSWER -- baresip registered through 203.0.113.1:5060; sets PHONE_PIDS
phone() {
  local ns=$1 addr=$2 user=$3 tone=$4 auto=$5 dir=$OUT/phones/$SYSTEM-$1
  mkdir -p "$dir"
  cat > "$dir/config" <<EOF
poll_method epoll
sip_listen $addr:5060
audio_source aufile,$tone
audio_player aubridge,discard
audio_alert aubridge,discard
rtp_ports $RTP_PORTS
module_path /usr/lib/baresip/modules
module g711.so
module aufile.so
module aubridge.so
module cons.so
cons_listen 127.0.0.1:15060
module_app account.so
module_app menu.so
EOF
  echo "<sip:$user@$DOMAIN>;auth_pass=$PASSWORD;outbound=\"sip:$PUB:5060\";regint=60;audio_codecs=PCMA$([ "$auto" = 1 ] && echo ';answermode=auto')" > "$dir/accounts"
  ( cd "$dir" && exec ip netns exec "$ns" baresip -f "$dir" -t 7200 < /dev/null > "$dir/baresip.log" 2>&1 ) &
  PHONE_PIDS+=("$!")
}
console() { nsx "$1" python3 -c 'import socket, sys; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(sys.argv[1].encode() + b"\n", ("127.0.0.1", 15060))' "$2"; }
count_in() { grep -c "$2" "$1" 2>/dev/null || true; }
# wait_log FILE TEXT COUNT SECONDS -- until FILE holds TEXT at least COUNT times
wait_log() { local i; for i in $(seq 1 $(( $4 * 10 ))); do [ "$(count_in "$1" "$2")" -ge "$3" ] && return 0; sleep 0.1; done; return 1; }

start_phones() {
  local i
  PHONE_PIDS=()
  for i in 1 2 3; do
    phone pbp-p${i}a 10.$i.1.2 a$i "$OUT/tone-440.wav" 0
    phone pbp-p${i}b 10.$i.2.2 b$i "$OUT/tone-660.wav" 1
  done
  for i in 1 2 3; do for s in a b; do
    wait_log "$OUT/phones/$SYSTEM-pbp-p$i$s/baresip.log" "200 OK" 1 30 \
      || { echo "phone $s$i did not register:"; tail -20 "$OUT/phones/$SYSTEM-pbp-p$i$s/baresip.log"; return 1; }
  done; done
  echo "6 phones registered"
}
stop_phones() { local p; for p in "${PHONE_PIDS[@]}"; do stop_pid "$p" baresip; done; PHONE_PIDS=(); }

# ---------------------------------------------------------------- the systems

start_pinhole() {
  ( cd "$PINHOLE_HOME" && PINHOLE_NO_BUILD=1 PINHOLE_ADMIN_TOKEN=$TOKEN PINHOLE_MEDIA_DEFAULT_RELAY=127.0.0.1:2223 \
    exec ip netns exec $INET ./pinhole start all --bind $PUB --sip-port 5060 --media-address $PUB --media-ports 30000-31999 \
      --admin-port $ADMIN --data-dir "$OUT/pinhole-data" ) > "$OUT/pinhole.log" 2>&1 &
  SUT_PIDS=("$!")
  local i
  for i in $(seq 1 600); do
    grep -q "pinhole: up" "$OUT/pinhole.log" && break
    kill -0 "${SUT_PIDS[0]}" 2>/dev/null || { echo "pinhole exited:"; tail -30 "$OUT/pinhole.log"; return 1; }
    sleep 0.5
  done
  grep -q "pinhole: up" "$OUT/pinhole.log" || { echo "pinhole not up in 300 s"; return 1; }
  api -X POST -d "{\"name\":\"$DOMAIN\"}" "http://127.0.0.1:$ADMIN/api/domains" > /dev/null
  for i in 1 2 3; do for u in a$i b$i; do
    api -X POST -d "{\"username\":\"$u\",\"password\":\"$PASSWORD\"}" "http://127.0.0.1:$ADMIN/api/domains/$DOMAIN/users" > /dev/null
  done; done
  echo "pinhole up (launcher ${SUT_PIDS[0]})"
}
# every phone registered and its NAT probed: the planner needs both callers' capabilities
await_probes() {
  local i u n
  for i in $(seq 1 120); do
    n=0
    for u in a1 b1 a2 b2 a3 b3; do
      api "http://127.0.0.1:$ADMIN/api/registrations?domain=$DOMAIN&user=$u" | grep -q '"probedAt":"' && n=$((n + 1))
    done
    [ $n = 6 ] && { echo "6 registrations probed"; return 0; }
    sleep 0.5
  done
  echo "only $n of 6 registrations probed"; return 1
}


# ---------------------------------------------------------------- one call
# call N KIND -- captures at both phones, dial, talk, hang up; a line in calls.tsv
call() {
  local n=$1 kind=$2 i=${PAIR_OF[$2]} tag cap_a cap_b alog blog est term ok=1
  tag=$(printf '%s-%03d-%s' "$SYSTEM" "$n" "$kind")
  alog=$OUT/phones/$SYSTEM-pbp-p${i}a/baresip.log; blog=$OUT/phones/$SYSTEM-pbp-p${i}b/baresip.log
  ip netns exec pbp-p${i}a dumpcap -q -i pbp${i}a-p -f udp -w "$OUT/calls/$tag-a.pcap" > /dev/null 2>&1 & cap_a=$!
  ip netns exec pbp-p${i}b dumpcap -q -i pbp${i}b-p -f udp -w "$OUT/calls/$tag-b.pcap" > /dev/null 2>&1 & cap_b=$!
  sleep 1.5   # dumpcap listening
  est=$(count_in "$alog" "Call established"); term=$(count_in "$blog" "terminated")
  console pbp-p${i}a "/dial sip:b$i@$DOMAIN"
  wait_log "$alog" "Call established" $((est + 1)) 15 || { ok=0; echo "call $tag: not established"; }
  sleep "$TALK_S"
  console pbp-p${i}a "/hangup"
  wait_log "$blog" "terminated" $((term + 1)) 10 || { ok=0; echo "call $tag: callee saw no end"; }
  sleep 1
  stop_pid $cap_a dumpcap; stop_pid $cap_b dumpcap
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$SYSTEM" "$n" "$kind" "$i" "$ok" "$(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/calls.tsv"
  echo "call $tag ok=$ok load $(cut -d' ' -f1 /proc/loadavg)"
}

printf 'system\tn\tkind\tpair\tok\tload1\n' > "$OUT/calls.tsv"
for SYSTEM in $SYSTEMS; do
  echo "=== $SYSTEM $(date -u +%TZ)"
  case $SYSTEM in
    pinhole) start_pinhole || exit 1 ;;
    kamailio) start_kamailio || exit 1 ;;
    *) echo "unknown system $SYSTEM"; exit 2 ;;
  esac
  start_phones || exit 1
  [ "$SYSTEM" = pinhole ] && { await_probes || exit 1; }
  for n in $(seq 1 "$CALLS"); do call "$n" "${KINDS[$(( (n - 1) % ${#KINDS[@]} ))]}"; done
  if [ "$SYSTEM" = pinhole ]; then
    api "http://127.0.0.1:$ADMIN/actuator/prometheus" | grep '^pinhole_punch' > "$OUT/pinhole-punch-metrics.txt"
    nsx $INET grep -h "media direct\|confirmed\|refuted\|moved back\|stays relayed" "$OUT/pinhole.log" > "$OUT/pinhole-punch-log.txt" || true
  fi
  stop_phones
  stop_system
done

python3 "$PB_DIR/analyze.py" "$OUT" | tee "$OUT/report.txt"
