#!/usr/bin/env bash
# bench/conference/run.sh -- the relay's conference mixer: parties mixed per relay core with 0
# late ticks (rooms of 3 and of 10), and the one-way latency the mix adds next to plain relaying
# (p50/p99), printed side by side. The relay runs in the benchmark's JVM (ConferenceBench in
# relay-server's test classes); its conference loop is one thread, so the capacity is per core.
# No root and no network namespace: everything is on 127.0.0.1, ports 42000-49999.
# Env: SECONDS_PER_STEP=5 LATENCY_SECONDS=12 JAVA=java JAVA_OPTS
# Output: bench/conference/results/<timestamp>.txt (and the terminal)
set -euo pipefail
DIR="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$DIR/../.." && pwd)"
JAVA="${JAVA:-java}"
JAVA_OPTS="${JAVA_OPTS:--Xms256m -Xmx512m -XX:+UseParallelGC -Dio.netty.leakDetection.level=disabled}"
cd "$REPO"
mvn -B -o -q -pl relay-server -am test-compile
mvn -B -o -q -pl relay-server dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$DIR/build/classpath.txt" >/dev/null
mkdir -p "$DIR/results"
OUT="$DIR/results/$(date +%Y%m%d-%H%M%S).txt"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# shellcheck disable=SC2086
"$JAVA" $JAVA_OPTS -Dbench.seconds="${SECONDS_PER_STEP:-5}" -Dbench.latency-seconds="${LATENCY_SECONDS:-12}" \
    -cp "relay-server/target/classes:relay-server/target/test-classes:$(cat "$DIR/build/classpath.txt")" \
    io.pinhole.relay.conference.ConferenceBench 2>/dev/null | grep --line-buffered -v "^[0-9][0-9]:[0-9][0-9]:" | tee "$OUT"
echo "results: $OUT"
