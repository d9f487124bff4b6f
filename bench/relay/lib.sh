# bench/relay/lib.sh -- sourced by the relay benchmark scripts.
# Everything runs inside a private network namespace (default "relaybench", only its own
# loopback) so nothing can leave the machine and nothing collides with other benchmarks or
# services on the host. The generator and ng client come from the shared bench harness
# (SHARED_BENCH, default <repo>/../shared/bench): tools/udpgen.c is compiled into build/ here,
# tools/ng.py is run from there; nothing is written into the shared folder.
RELAY_BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$RELAY_BENCH_DIR/../.." && pwd)"
SHARED_BENCH="${SHARED_BENCH:-$REPO_DIR/../shared/bench}"
NETNS="${NETNS-relaybench}"
BUILD_DIR="$RELAY_BENCH_DIR/build"
JAR="${JAR:-$REPO_DIR/relay-server/target/pinhole-relay.jar}"
# The default JDK (17 here). Temurin 25 measured worse for this relay on this VM: its VM Thread
# burned ~25 % of the relay core at 50 kpps (not GC: 10 safepoints in 15 s), JDK 17 0 %.
JAVA="${JAVA:-java}"
# RELAY_JVM_OPTS: the relay's options as users run them (the packaged unit, ./pinhole: keep the
# three the same); -Xlog:gc so run.sh can count the pauses that fall into the traffic.
RELAY_JVM_OPTS="-XX:+UseParallelGC -Xms256m -Xmx512m -XX:+ExitOnOutOfMemoryError"
JAVA_OPTS="${JAVA_OPTS:-$RELAY_JVM_OPTS -Xlog:gc -Dio.netty.leakDetection.level=disabled}"
NG_PORT="${NG_PORT:-2233}"
MEDIA_MIN="${MEDIA_MIN:-40000}"; MEDIA_MAX="${MEDIA_MAX:-49999}"

need() {
  [ -f "$SHARED_BENCH/tools/udpgen.c" ] && [ -f "$SHARED_BENCH/tools/ng.py" ] || {
    echo "needs the shared bench harness (tools/udpgen.c, tools/ng.py) at $SHARED_BENCH; set SHARED_BENCH" >&2; exit 2; }
  [ -f "$JAR" ] || { echo "no $JAR: build it with: mvn -pl relay-server -am package -DskipTests" >&2; exit 2; }
  mkdir -p "$BUILD_DIR"
  if [ ! -x "$BUILD_DIR/udpgen" ] || [ "$SHARED_BENCH/tools/udpgen.c" -nt "$BUILD_DIR/udpgen" ]; then
    gcc -O2 -Wall -o "$BUILD_DIR/udpgen" "$SHARED_BENCH/tools/udpgen.c" || exit 1
  fi
  if [ ! -x "$BUILD_DIR/udpfwd" ] || [ "$SHARED_BENCH/tools/udpfwd.c" -nt "$BUILD_DIR/udpfwd" ]; then
    gcc -O2 -Wall -o "$BUILD_DIR/udpfwd" "$SHARED_BENCH/tools/udpfwd.c" || exit 1
  fi
}

ensure_netns() {
  [ -z "$NETNS" ] && return 0
  ip netns list | awk '{print $1}' | grep -qx "$NETNS" || ip netns add "$NETNS"
  ip -n "$NETNS" link set lo up
  ip netns exec "$NETNS" sysctl -qw net.core.rmem_max=33554432 net.core.wmem_max=33554432 \
     net.core.rmem_default=4194304 net.core.wmem_default=4194304 2>/dev/null || true
  # ephemeral ports away from the fixed ranges (generator 20000+, relays 40000-49999)
  ip netns exec "$NETNS" sysctl -qw net.ipv4.ip_local_port_range="60000 64999"
}

nsexec() { if [ -n "$NETNS" ]; then ip netns exec "$NETNS" "$@"; else "$@"; fi; }
NS=(); [ -n "$NETNS" ] && NS=(ip netns exec "$NETNS")
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# fwd_ticks PID: CPU ticks of the forwarding threads alone: ours are named relay-media-*; a process
# without such threads (rtpengine) counts whole. comm may hold spaces, so fields count from the end.
fwd_ticks() {
  local t sum=0 found=0
  for t in /proc/"$1"/task/*; do
    case "$(cat "$t/comm" 2>/dev/null)" in
      relay-media-*) found=1; sum=$((sum + $(sed 's/.*) //' "$t/stat" | awk '{print $12+$13}')));;
    esac
  done
  if [ "$found" = 1 ]; then echo "$sum"; else cpu_ticks "$1"; fi
}
ng() { nsexec python3 "$SHARED_BENCH/tools/ng.py" --ng "127.0.0.1:$NG_PORT" "$@"; }

# start_pinhole LOG [extra java -D...]: our relay in the namespace, pinned to RELAY_CPU; sets RELAY_PID
start_pinhole() {
  local log="$1" started; shift
  started=$(grep -c "Started RelayServerApplication" "$log" 2>/dev/null)
  "${NS[@]}" taskset -c "$RELAY_CPU" "$JAVA" $JAVA_OPTS "$@" -jar "$JAR" \
    --pinhole.relay.control-port="$NG_PORT" --pinhole.relay.port-min="$MEDIA_MIN" \
    --pinhole.relay.port-max="$MEDIA_MAX" --pinhole.relay.timeout=3600s --pinhole.relay.media-threads=1 \
    --server.port=0 --spring.main.banner-mode=off >> "$log" 2>&1 &
  RELAY_PID=$!
  wait_ng || { echo "pinhole relay did not answer ping; see $log" >&2; tail -20 "$log" >&2; return 1; }
  # The ng port opens before Spring Boot has finished starting (actuator, web endpoints: class
  # loading, JIT and a few young collections, seconds on a loaded machine): traffic waits for
  # the end of the start, so a run measures the forwarding, not the start-up beside it.
  for _ in $(seq 1 600); do
    [ "$(grep -c "Started RelayServerApplication" "$log" 2>/dev/null)" -gt "${started:-0}" ] && return 0
    kill -0 "$RELAY_PID" 2>/dev/null || return 1
    sleep 0.2
  done
}

# start_pinhole_uring LOG [extra java -D...]: the same relay with its media sockets on io_uring
# (pinhole.relay.media-io=io_uring; its log says "io_uring" in the start-up line, or WARNs and runs epoll)
start_pinhole_uring() {
  local log="$1"; shift
  start_pinhole "$log" -Dpinhole.relay.media-io=io_uring "$@"
}

# start_pinhole_b / start_pinhole_c LOG [extra java -D...]: the relay from another build (JAR_B,
# JAR_C; default JAR) and/or with extra JVM options (JAVA_OPTS_B, JAVA_OPTS_C), for an A/B/C in one
# run: RELAYS="rtpengine pinhole pinhole_b pinhole_c"
start_pinhole_b() {
  local log="$1"; shift
  JAR="${JAR_B:-$JAR}" start_pinhole "$log" ${JAVA_OPTS_B:-} "$@"
}
start_pinhole_c() {
  local log="$1"; shift
  JAR="${JAR_C:-$JAR}" start_pinhole "$log" ${JAVA_OPTS_C:-} "$@"
}

# start_rtpengine LOG: rtpengine userspace, 1 worker thread, pinned to RELAY_CPU; sets RELAY_PID
start_rtpengine() {
  local log="$1"
  "${NS[@]}" taskset -c "$RELAY_CPU" /usr/bin/rtpengine --config-file="$RELAY_BENCH_DIR/rtpengine.conf" \
    --config-section=rtpengine --table=-1 --foreground --log-stderr --num-threads=1 \
    --listen-ng="127.0.0.1:$NG_PORT" --port-min="$MEDIA_MIN" --port-max="$MEDIA_MAX" \
    >> "$log" 2>&1 &
  RELAY_PID=$!
  wait_ng || { echo "rtpengine did not answer ping; see $log" >&2; tail -20 "$log" >&2; return 1; }
}

# start_udpfwd LOG: the shared harness's C forwarder (one thread, recvmmsg/sendmmsg, fixed port
# pairs, no control protocol), pinned to RELAY_CPU, for STREAMS calls: the ceiling of one core's
# loopback forwarding. Writes the port map udpgen reads (UDPFWD_MAP) instead of an ng alloc.
start_udpfwd() {
  local log="$1" i
  "${NS[@]}" taskset -c "$RELAY_CPU" "$BUILD_DIR/udpfwd" -b "$MEDIA_MIN" -n "$STREAMS" -p "$PEER_BASE" -t 1800 \
    >> "$log" 2>&1 &
  RELAY_PID=$!
  for ((i = 0; i < STREAMS; i++)); do
    echo "$((PEER_BASE + 2 * i)) 127.0.0.1 $((MEDIA_MIN + 2 * i)) $((PEER_BASE + 2 * i + 1)) 127.0.0.1 $((MEDIA_MIN + 2 * i + 1))"
  done > "$UDPFWD_MAP"
  sleep 0.3
  kill -0 "$RELAY_PID" 2>/dev/null || { echo "udpfwd did not start; see $log" >&2; return 1; }
}

wait_ng() {
  for _ in $(seq 1 150); do
    ng ping >/dev/null 2>&1 && return 0
    kill -0 "$RELAY_PID" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

stop_relay() {
  if [ -n "${RELAY_PID:-}" ] && kill -0 "$RELAY_PID" 2>/dev/null; then
    kill -TERM "$RELAY_PID"
    for _ in $(seq 1 50); do kill -0 "$RELAY_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$RELAY_PID" 2>/dev/null && kill -KILL "$RELAY_PID"
    wait "$RELAY_PID" 2>/dev/null
  fi
  RELAY_PID=""
}
