#!/usr/bin/env bash
# bench/ng: timing mains for the ng protocol (no JMH; medians of repeated rounds).
#   bench/ng/run.sh codec                    bencode encode/decode, dampcake vs io.pinhole.wire.ng
#   bench/ng/run.sh server [JAR...]          the relay's ng server: us per offer/answer/delete command (round
#                                            trip, and the relay's CPU time),
#                                            for each relay jar given (default relay-server/target/pinhole-relay.jar),
#                                            REPEAT times alternating (default 2)
#   bench/ng/run.sh inproc [JAR...]          the same commands in the relay's own JVM, no socket and no client:
#                                            its start-up warm-up (NgWarmUp: NgHandler, the command table,
#                                            real port binding) made WARM calls long (default 10000), REPEAT
#                                            times alternating (default 3); the steadiest figure on a shared machine
# Needs `mvn -pl wire package` (and relay-server for the default jar) and the local Maven repository.
set -euo pipefail
cd "$(dirname "$0")/../.."
M2="${M2:-$HOME/.m2/repository}"
SLF4J="$(ls "$M2"/org/slf4j/slf4j-api/2.*/slf4j-api-2.*.jar | grep -v sources | tail -1)"
CP="wire/target/classes:$SLF4J"

# utime + stime of a process, in clock ticks
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

case "${1:-}" in
  codec)
    DAMPCAKE="$(ls "$M2"/com/dampcake/bencode/*/bencode-*.jar | grep -v sources | tail -1)"
    java -cp "$CP:$DAMPCAKE" bench/ng/CodecBench.java ;;
  server)
    shift
    JARS=("$@"); [ ${#JARS[@]} -gt 0 ] || JARS=(relay-server/target/pinhole-relay.jar)
    CALLS="${CALLS:-500}"; ROUNDS="${ROUNDS:-5}"; PORT="${PORT:-22299}"
    for _ in $(seq "${REPEAT:-2}"); do
      for jar in "${JARS[@]}"; do
        log="$(mktemp)"
        java -Xmx256m -jar "$jar" --pinhole.relay.control-port="$PORT" --pinhole.relay.port-min=10000 \
          --pinhole.relay.port-max=31999 --pinhole.relay.media-address=127.0.0.1 --pinhole.relay.stun-port=0 \
          --server.port=0 >"$log" 2>&1 &
        pid=$!
        for _ in $(seq 120); do grep -q "Started" "$log" && break; sleep 0.5; done
        printf '%s: ' "$jar"
        before=$(cpu_ticks "$pid")
        java -cp "$CP" bench/ng/ServerBench.java 127.0.0.1 "$PORT" "$CALLS" "$ROUNDS" || tail -20 "$log"
        after=$(cpu_ticks "$pid")
        # the relay's own CPU time (user + system) per command, warm round included; steadier than the
        # round trip on a shared machine
        echo "$before $after $(getconf CLK_TCK) $CALLS $ROUNDS" | awk '{printf "    relay CPU %.1f us per command\n", ($2 - $1) * 1e6 / $3 / (($5 + 1) * $4 * 3)}'
        kill "$pid"; wait "$pid" 2>/dev/null || true; rm -f "$log"
      done
    done ;;
  inproc)
    shift
    JARS=("$@"); [ ${#JARS[@]} -gt 0 ] || JARS=(relay-server/target/pinhole-relay.jar)
    WARM="${WARM:-10000}"
    for _ in $(seq "${REPEAT:-3}"); do
      for jar in "${JARS[@]}"; do
        log="$(mktemp)"
        java -Xmx256m -jar "$jar" --pinhole.relay.control-port=0 --pinhole.relay.port-min=10000 \
          --pinhole.relay.port-max=31999 --pinhole.relay.media-address=127.0.0.1 --pinhole.relay.stun-port=0 \
          --pinhole.relay.warm-up-calls="$WARM" --server.port=0 >"$log" 2>&1 &
        pid=$!
        for _ in $(seq 600); do grep -q "relay warm-up" "$log" && break; sleep 0.5; done
        grep -o "relay warm-up.*" "$log" | awk -v jar="$jar" '{ms = $(NF-1); n = $3; printf "%s: %s -> %.1f us per command\n", jar, $0, ms * 1000 / n / 3}'
        kill "$pid"; wait "$pid" 2>/dev/null || true; rm -f "$log"
      done
    done ;;
  *) echo "usage: $0 codec | server [JAR...] | inproc [JAR...]" >&2; exit 2 ;;
esac
