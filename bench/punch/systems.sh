# bench/punch/systems.sh -- sourced by run.sh and run-sipp.sh after net.sh: stopping processes, the
# admin API of the Pinhole under test, and Kamailio + rtpengine started the same way for both.
# Uses what the sourcing script sets: INET, PUB, DOMAIN, OUT, SHARED_BENCH, TOKEN, ADMIN, SYSTEM,
# SYSTEMS, PINHOLE_HOME.

check_prerequisites() { # TOOL... -- root, the tools named, and what the systems in $SYSTEMS need; exits 2 if missing
  [ "$(id -u)" = 0 ] || { echo "needs root (network namespaces, iptables)"; exit 2; }
  local p j
  for p in ip iptables dumpcap tshark curl python3 "$@"; do command -v $p >/dev/null || { echo "missing $p"; exit 2; }; done
  if [[ " $SYSTEMS " == *" kamailio "* ]]; then
    for p in kamailio rtpengine; do command -v $p >/dev/null || { echo "missing $p"; exit 2; }; done
    [ -f "$SHARED_BENCH/peers/kamailio.cfg" ] || { echo "shared harness not found at '$SHARED_BENCH' (set SHARED_BENCH)"; exit 2; }
  fi
  if [[ " $SYSTEMS " == *" pinhole "* ]]; then
    for j in proxy/target/pinhole-proxy.jar relay-server/target/pinhole-relay.jar redirect-server/target/pinhole-redirect.jar db/target/pinhole-db-0.1.0-SNAPSHOT.jar; do
      [ -f "$PINHOLE_HOME/$j" ] || { echo "$PINHOLE_HOME/$j missing: build with 'mvn -B -q -o -DskipTests package' there"; exit 2; }
    done
  fi
  ip netns list | grep -q '^pbp-' && { echo "namespaces pbp-* exist (another run of this benchmark?)"; exit 2; }
  return 0
}

stop_pid() { # PID [NAME] -- TERM, then KILL after 30 s
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for i in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "  ${2:-$pid} did not stop in 30 s: KILL"; kill -KILL "$pid" 2>/dev/null
}

api() { nsx $INET curl -s -m 10 -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }

start_kamailio() {
  local logs=$OUT/kamailio
  mkdir -p "$logs"
  sed -e "s/^interface = 127.0.0.1/interface = $PUB/" -e 's/^port-min = .*/port-min = 30000/' -e 's/^port-max = .*/port-max = 31999/' \
    "$SHARED_BENCH/peers/rtpengine.conf" > "$logs/rtpengine.conf"
  # the shared config, moved from loopback onto the public address; the phones' domain is ours
  sed -e "s/^listen=udp:127.0.0.1:5060/listen=udp:$PUB:5060/" -e "s/^alias=\"127.0.0.1:5060\"/alias=\"$PUB:5060\"\nalias=\"$DOMAIN\"/" \
    "$SHARED_BENCH/peers/kamailio.cfg" > "$logs/kamailio.cfg"
  ip netns exec $INET rtpengine --config-file="$logs/rtpengine.conf" --config-section=rtpengine --table=-1 --foreground \
    --log-stderr --num-threads=2 > "$logs/rtpengine.log" 2>&1 &
  SUT_PIDS=("$!")
  nsx $INET kamailio -c -f "$logs/kamailio.cfg" > "$logs/kamailio-check.log" 2>&1 || { echo "kamailio config check failed:"; tail "$logs/kamailio-check.log"; return 1; }
  ip netns exec $INET kamailio -f "$logs/kamailio.cfg" -DD -E -m 256 -M 16 -Y "$logs" > "$logs/kamailio.log" 2>&1 &
  SUT_PIDS+=("$!")
  sleep 2
  for p in "${SUT_PIDS[@]}"; do kill -0 "$p" 2>/dev/null || { echo "kamailio/rtpengine exited:"; tail "$logs"/*.log; return 1; }; done
  echo "kamailio ${SUT_PIDS[1]} ($(kamailio -v | head -1)), rtpengine ${SUT_PIDS[0]}"
}

stop_system() { local p; for ((p = ${#SUT_PIDS[@]} - 1; p >= 0; p--)); do stop_pid "${SUT_PIDS[p]}" "$SYSTEM"; done; SUT_PIDS=(); }
