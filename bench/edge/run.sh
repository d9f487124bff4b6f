#!/usr/bin/env bash
# bench/edge: one-way latency (p50/p99) and bytes on the wire per G.711 packet through the relay,
# one side of each call (the edge agent's end) on UDP, TCP, TLS or HTTP, the other on UDP.
#   sudo bench/edge/run.sh                          udp tcp tls http, at 100 and 1000 calls
#   sudo bench/edge/run.sh "tcp tls" "100"          some transports, some sizes
#   SECONDS_MEASURED=20 WARM=5 sudo bench/edge/run.sh
#   CLIENT_THREADS=1 (default): the bench client's event loops, calls spread over them
# Needs root (network namespace edgebench: its own loopback, nothing leaves the machine), iptables,
# `mvn -pl wire,relay-server -am package -DskipTests` and the local Maven repository (Netty).
set -euo pipefail
cd "$(dirname "$0")/../.."
TRANSPORTS="${1:-udp tcp tls http}"
SIZES="${2:-100 1000}"
MEASURED="${SECONDS_MEASURED:-10}"
WARM="${WARM:-3}"
CLIENT_THREADS="${CLIENT_THREADS:-1}"
NS=edgebench
M2="${M2:-$HOME/.m2/repository}"
JAR="${JAR:-relay-server/target/pinhole-relay.jar}"
[ -f "$JAR" ] || { echo "no $JAR: mvn -pl relay-server -am package -DskipTests" >&2; exit 1; }
jar_of() { ls "$M2"/io/netty/"$1"/*/"$1"-*.jar | grep -v -e sources -e javadoc | sort -V | tail -1; }
CP="wire/target/classes"
for a in netty-buffer netty-common netty-transport netty-handler netty-codec-base netty-codec-http netty-resolver \
         netty-transport-native-unix-common; do
  CP="$CP:$(jar_of "$a")"
done
OUT="bench/edge/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"

ip netns del "$NS" 2>/dev/null || true
ip netns add "$NS"
trap 'ip netns del "$NS" 2>/dev/null || true' EXIT
NSX=(ip netns exec "$NS")
"${NSX[@]}" ip link set lo up
# B's sockets (and every client's) take ports from 60000 up; A's UDP ones are fixed at 20000+
"${NSX[@]}" sysctl -qw net.ipv4.ip_local_port_range="60000 64999"
"${NSX[@]}" iptables -N EDGEBENCH
"${NSX[@]}" iptables -A OUTPUT -j EDGEBENCH

# per transport: the relay's port A uses, and how the counting rules match A's side
TCP_PORT=4571 TLS_PORT=8443 HTTP_PORT=8080
rules() {
  "${NSX[@]}" iptables -F EDGEBENCH
  case "$1" in
    udp) "${NSX[@]}" iptables -A EDGEBENCH -p udp --sport 20000:21999 -m comment --comment up
         "${NSX[@]}" iptables -A EDGEBENCH -p udp --dport 20000:21999 -m comment --comment down ;;
    *)   "${NSX[@]}" iptables -A EDGEBENCH -p tcp --dport "$2" -m comment --comment up
         "${NSX[@]}" iptables -A EDGEBENCH -p tcp --sport "$2" -m comment --comment down ;;
  esac
}

printf 'transport\tcalls\tup_p50_us\tup_p99_us\tdown_p50_us\tdown_p99_us\tloss_up\tloss_down\tbytes_per_pkt_up\tbytes_per_pkt_down\tbytes_per_pkt\trelay_cpu_us_per_pkt\n' >"$OUT/summary.tsv"
for calls in $SIZES; do
  for t in $TRANSPORTS; do
    case "$t" in udp) port=0 ;; tcp) port=$TCP_PORT ;; tls) port=$TLS_PORT ;; http) port=$HTTP_PORT ;; esac
    rules "$t" "$port"
    log="$OUT/relay-$t-$calls.log"
    : >"$log"
    "${NSX[@]}" java -Xmx512m -jar "$JAR" --pinhole.relay.control-port=2223 --pinhole.relay.media-address=127.0.0.1 \
      --pinhole.relay.port-min=30000 --pinhole.relay.port-max=59999 --pinhole.relay.stun-port=0 \
      --pinhole.relay.tcp-port=$TCP_PORT --pinhole.relay.tls-port=$TLS_PORT --pinhole.relay.http-media-port=$HTTP_PORT \
      --pinhole.relay.tcp-max-connections=5000 --server.port=0 >"$log" 2>&1 &
    relay=$!
    for _ in $(seq 120); do grep -q "Started" "$log" && break; sleep 0.5; done
    rpid=$(pgrep -n -P "$relay" java || echo "$relay")
    before=$(awk '{print $14 + $15}' "/proc/$rpid/stat")
    line=$("${NSX[@]}" java -Xmx512m -cp "$CP" bench/edge/EdgeBench.java --ng 127.0.0.1:2223 --transport "$t" \
      --calls "$calls" --seconds "$MEASURED" --warm "$WARM" --stream-port "$port" --threads "$CLIENT_THREADS" 2>"$OUT/bench-$t-$calls.err" || true)
    after=$(awk '{print $14 + $15}' "/proc/$rpid/stat")
    kill "$relay" 2>/dev/null || true
    wait "$relay" 2>/dev/null || true
    echo "$line" | tee -a "$OUT/raw.txt"
    [ -n "$line" ] || { tail -5 "$OUT/bench-$t-$calls.err"; continue; }
    python3 - "$line" "$((after - before))" "$(getconf CLK_TCK)" "$MEASURED" "$WARM" >>"$OUT/summary.tsv" <<'PY'
import sys
kv = dict(p.split("=", 1) for p in sys.argv[1].split())
ticks, hz, measured, warm = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
g = lambda k: float(kv[k])
loss = lambda sent, got: "%.2f%%" % (100.0 * (g(sent) - g(got)) / g(sent)) if g(sent) else "-"
# the relay's CPU over the whole step (allocation, warm-up and measurement), per packet forwarded while measured,
# scaled to the measured share of the step's traffic time
pkts = (g("received_up") + g("received_down")) * (measured + warm) / measured
cpu = ticks / hz * 1e6 / pkts if pkts else -1
print("\t".join([kv["transport"], kv["calls"], kv["up_p50_us"], kv["up_p99_us"], kv["down_p50_us"], kv["down_p99_us"],
                 loss("sent_up", "received_up"), loss("sent_down", "received_down"), kv["bytes_per_packet_up"],
                 kv["bytes_per_packet_down"], kv["bytes_per_packet"], "%.1f" % cpu]))
PY
  done
done
column -t "$OUT/summary.tsv"
echo "results: $OUT"
