#!/usr/bin/env bash
# Redirect answers per second: Pinhole's redirect server against Kamailio configured as a
# redirect server (sl_send_reply 302, Contact from an htable), the same SIPp closed-loop load
# (INVITE -> 302 -> ACK, LIMIT queries in flight), in one run, rounds alternating between the
# two. Prints every round, the medians and the ratio, plus answers per CPU-second of each
# server (SIPp shares the same cores, so CPU cost is the fairer comparison on a small box).
# Not a test: the figures depend on the machine.
#
#   bench/redirect/run.sh
#   ROUNDS=5 CALLS=100000 LIMIT=200 JAVA=/usr/lib/jvm/java-17-openjdk-amd64/bin/java bench/redirect/run.sh
#
# Needs sipp, kamailio (sl, pv, textops, htable modules), PostgreSQL server binaries (initdb,
# pg_ctl, psql) unless PINHOLE_DB_URL points at a database to use (its routes table is
# replaced!), and the jar: flock /tmp/pinhole-mvn.lock mvn -q -pl redirect-server package -DskipTests
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ROUNDS=${ROUNDS:-5}
CALLS=${CALLS:-60000}
WARMUP=${WARMUP:-60000}
LIMIT=${LIMIT:-200}
RATE=${RATE:-100000}
KAMAILIO_CHILDREN=${KAMAILIO_CHILDREN:-$(nproc)}
PINHOLE_THREADS=${PINHOLE_THREADS:-4}
RESPONSE_MODE=${RESPONSE_MODE:-stateless}
JAR=${JAR:-$ROOT/redirect-server/target/pinhole-redirect.jar}
if [[ -z "${JAVA:-}" ]]; then
    JAVA=java
    [[ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]] && JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
fi

[[ -f "$JAR" ]] || { echo "missing $JAR: build it with: flock /tmp/pinhole-mvn.lock mvn -q -pl redirect-server package -DskipTests" >&2; exit 2; }
for tool in sipp kamailio psql; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/pinhole-bench-redirect.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [[ -n "${PGDATA_DIR:-}" ]]; then
        as_pg pg_ctl -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true
    fi
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    [[ "${KEEP:-0}" == 1 ]] || rm -rf "$WORK"
}
trap cleanup EXIT

# A port free for UDP and TCP on loopback, away from Pinhole's default ports.
free_port() {
    python3 - <<'PY'
import random, socket
while True:
    p = random.randint(31000, 39999)
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", p))
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM); t.bind(("127.0.0.1", p))
        u.close(); t.close(); print(p); break
    except OSError:
        pass
PY
}

as_pg() {
    if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Sum of user+system CPU ticks of the given processes.
cpu_ticks() {
    local total=0 pid
    for pid in "$@"; do
        [[ -r /proc/$pid/stat ]] || continue
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
    done
    echo "$total"
}

# One SIPp closed-loop run; prints "<answers/s> <failed> <answers per CPU-second>".
load() {
    local port=$1 calls=$2 label=$3; shift 3
    local server_pids=("$@") sport stat before after start end
    sport=$(free_port)
    stat="$WORK/$label.csv"
    before=$(cpu_ticks "${server_pids[@]}")
    start=$(date +%s.%N)
    sipp "127.0.0.1:$port" -sf "$HERE/uac-redirect.xml" -i 127.0.0.1 -p "$sport" -s alice \
        -m "$calls" -r "$RATE" -l "$LIMIT" -nostdin -max_recv_loops 10000 \
        -trace_stat -stf "$stat" -fd 3600 >"$WORK/$label.screen" 2>&1 || true
    end=$(date +%s.%N)
    after=$(cpu_ticks "${server_pids[@]}")
    python3 - "$stat" "$start" "$end" "$before" "$after" "$(getconf CLK_TCK)" <<'PY'
import csv, sys
path, start, end, before, after, tck = sys.argv[1:]
rows = list(csv.reader(open(path), delimiter=';'))
head, last = rows[0], rows[-1]
ok = int(last[head.index("SuccessfulCall(C)")])
failed = int(last[head.index("FailedCall(C)")])
secs = float(end) - float(start)
cpu = (int(after) - int(before)) / int(tck)
print(f"{ok / secs:.0f} {failed} {ok / cpu if cpu > 0 else 0:.0f}")
PY
}

await_answer() {
    local port=$1 what=$2 i sport
    for i in $(seq 1 120); do
        sport=$(free_port)
        if sipp "127.0.0.1:$port" -sf "$HERE/uac-redirect.xml" -i 127.0.0.1 -p "$sport" -s alice -m 1 \
            -nostdin -recv_timeout 1000 -timeout 3s -timeout_error >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.5
    done
    echo "$what never answered 302; see $WORK" >&2
    KEEP=1
    exit 1
}

# --- PostgreSQL ------------------------------------------------------------------------
if [[ -z "${PINHOLE_DB_URL:-}" ]]; then
    PGPORT=$(free_port)
    PGDATA_DIR="$WORK/pg/data"
    mkdir -p "$WORK/pg"
    [[ $(id -u) == 0 ]] && chown postgres "$WORK/pg" && chmod 755 "$WORK"
    as_pg initdb -D "$PGDATA_DIR" -A trust -U postgres >/dev/null
    as_pg pg_ctl -D "$PGDATA_DIR" -w -l "$WORK/pg/log" \
        -o "-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    export PINHOLE_DB_URL="jdbc:postgresql://127.0.0.1:$PGPORT/postgres" PINHOLE_DB_USER=postgres PINHOLE_DB_PASSWORD=
fi

# --- Pinhole redirect server -------------------------------------------------------------
PINHOLE_PORT=$(free_port)
HTTP_PORT=$(free_port)
PINHOLE_REDIRECT_SIP_PORT=$PINHOLE_PORT PINHOLE_REDIRECT_HTTP_PORT=$HTTP_PORT \
PINHOLE_REDIRECT_SIP_THREADPOOLSIZE=$PINHOLE_THREADS PINHOLE_REDIRECT_SIP_RESPONSEMODE=$RESPONSE_MODE \
    "$JAVA" -Xms1g -Xmx1g -XX:+UseParallelGC -jar "$JAR" >"$WORK/pinhole.log" 2>&1 &
PINHOLE_PID=$!
PIDS+=("$PINHOLE_PID")
for i in $(seq 1 120); do
    grep -q "redirect server answering SIP" "$WORK/pinhole.log" && break
    kill -0 "$PINHOLE_PID" 2>/dev/null || { cat "$WORK/pinhole.log" >&2; exit 1; }
    sleep 0.5
done
DB_URL=${PINHOLE_DB_URL#jdbc:}
psql "${DB_URL%%\?*}" -U "${PINHOLE_DB_USER:-postgres}" -q -f "$HERE/routes.sql" >/dev/null
await_answer "$PINHOLE_PORT" "Pinhole"

# --- Kamailio ----------------------------------------------------------------------------
KAMAILIO_PORT=$(free_port)
mkdir -p "$WORK/kamailio"
sed -e "s/@PORT@/$KAMAILIO_PORT/" -e "s/@CHILDREN@/$KAMAILIO_CHILDREN/" "$HERE/kamailio.cfg.in" >"$WORK/kamailio/kamailio.cfg"
kamailio -f "$WORK/kamailio/kamailio.cfg" -DD -E -Y "$WORK/kamailio" -P "$WORK/kamailio/pid" -m 128 \
    >"$WORK/kamailio.log" 2>&1 &
KAMAILIO_PID=$!
PIDS+=("$KAMAILIO_PID")
await_answer "$KAMAILIO_PORT" "Kamailio"
KAMAILIO_PIDS=("$KAMAILIO_PID" $(pgrep -P "$KAMAILIO_PID" || true))

echo "# redirect answers/s, SIPp closed loop: $CALLS queries per round, $LIMIT in flight, UDP on loopback"
echo "# $(nproc) cores; Pinhole on $("$JAVA" -version 2>&1 | head -1), $PINHOLE_THREADS SIP threads, $RESPONSE_MODE;" \
     "Kamailio $(kamailio -v | awk 'NR==1{print $3}'), $KAMAILIO_CHILDREN children"
load "$PINHOLE_PORT" "$WARMUP" warmup-pinhole "$PINHOLE_PID" >/dev/null
load "$KAMAILIO_PORT" "$WARMUP" warmup-kamailio "${KAMAILIO_PIDS[@]}" >/dev/null

printf '%-6s %-9s %12s %8s %14s\n' round server "answers/s" failed "per CPU-s"
P_RATES=() K_RATES=() P_CPU=() K_CPU=()
for round in $(seq 1 "$ROUNDS"); do
    read -r rate failed per_cpu < <(load "$PINHOLE_PORT" "$CALLS" "pinhole-$round" "$PINHOLE_PID")
    printf '%-6s %-9s %12s %8s %14s\n' "$round" pinhole "$rate" "$failed" "$per_cpu"
    P_RATES+=("$rate"); P_CPU+=("$per_cpu")
    read -r rate failed per_cpu < <(load "$KAMAILIO_PORT" "$CALLS" "kamailio-$round" "${KAMAILIO_PIDS[@]}")
    printf '%-6s %-9s %12s %8s %14s\n' "$round" kamailio "$rate" "$failed" "$per_cpu"
    K_RATES+=("$rate"); K_CPU+=("$per_cpu")
done

python3 - "${P_RATES[*]}" "${K_RATES[*]}" "${P_CPU[*]}" "${K_CPU[*]}" <<'PY'
import statistics, sys
p, k, pc, kc = ([float(x) for x in a.split()] for a in sys.argv[1:])
mp, mk, mpc, mkc = (statistics.median(x) for x in (p, k, pc, kc))
print(f"median answers/s:        pinhole {mp:.0f}   kamailio {mk:.0f}   ratio pinhole/kamailio {mp / mk:.2f}")
print(f"median answers/CPU-s:    pinhole {mpc:.0f}   kamailio {mkc:.0f}   ratio pinhole/kamailio {mpc / mkc:.2f}")
PY
