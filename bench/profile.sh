#!/usr/bin/env bash
# Instruction profile of one benchmark scenario under valgrind's callgrind (perf has no hardware
# counters on this machine: `perf stat -e instructions true` says <not supported>).
#
#   bench/profile.sh SCENARIO [SECONDS] [CONNECTIONS]     SCENARIO: get list post patch mixed
#
# Starts the release server (.build-bench, built if missing) under callgrind on loopback, seeds
# 1,000 connections uninstrumented, instruments only while wrk runs, then prints the top
# functions by own and by inclusive instruction count (Swift names demangled).
# Output: bench/out/profile-<scenario>-<time>/. Every process started here is stopped on exit.
set -euo pipefail

SCENARIO="${1:?usage: bench/profile.sh SCENARIO [SECONDS] [CONNECTIONS]}"
SECONDS_RUN="${2:-10}"
CONNS="${3:-16}"
case "$SCENARIO" in get|list|post|patch|mixed) ;; *) echo "unknown scenario $SCENARIO" >&2; exit 64 ;; esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
OUT="$BENCH/out/profile-$SCENARIO-$(date -u +%Y%m%dT%H%M%SZ)"
BIN="$ROOT/.build-bench/release/connections-api"
DEMANGLE="$(command -v swift-demangle || echo /opt/swift/usr/bin/swift-demangle)"
mkdir -p "$OUT/data"
TOKEN="bench$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"

log() { printf '[profile %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

command -v valgrind >/dev/null || die "valgrind missing (apt-get install valgrind)"
command -v wrk >/dev/null || die "wrk missing (bench/run.sh installs it)"

SERVER_PID=
cleanup() {
    local status=$? i
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for i in $(seq 600); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    rm -f "$OUT"/bench.sqlite*
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x "$BIN" ]; then
    log "building release binary"
    (cd "$ROOT" && timeout 1800 swift build -c release --scratch-path .build-bench --product connections-api) >"$OUT/build.txt" 2>&1 \
        || die "build failed: $(tail -5 "$OUT/build.txt")"
fi

python3 "$BENCH/seed.py" templates --out "$OUT/data"
CONNECTIONS_API_TOKEN="$TOKEN" valgrind --tool=callgrind --instr-atstart=no \
    --callgrind-out-file="$OUT/callgrind.out" \
    "$BIN" serve --host 127.0.0.1 --port 0 --db "$OUT/bench.sqlite" --rate-limit off --quiet \
    >"$OUT/server.out" 2>"$OUT/valgrind.txt" </dev/null &
SERVER_PID=$!
PORT=
for _ in $(seq 1200); do
    PORT="$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$OUT/server.out" | head -1)"
    [ -n "$PORT" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "server exited: $(tail -5 "$OUT/valgrind.txt")"
    sleep 0.1
done
[ -n "$PORT" ] || die "server under valgrind printed no port within 120 s"

log "seeding 1,000 connections (not collected)"
CONNECTIONS_API_TOKEN="$TOKEN" timeout 900 python3 "$BENCH/seed.py" seed --port "$PORT" --count 1000 --concurrency 8 \
    --ids "$OUT/data/ids.txt" --timeout 800 >"$OUT/seed.txt" 2>&1 || die "seeding failed: $(tail -3 "$OUT/seed.txt")"

log "collecting during $SECONDS_RUN s of $SCENARIO at $CONNS connections"
timeout 30 callgrind_control -i on "$SERVER_PID" >/dev/null
BENCH_DIR="$BENCH" BENCH_DATA="$OUT/data" BENCH_IDS="$OUT/data/ids.txt" BENCH_RUN="p$RANDOM" CONNECTIONS_API_TOKEN="$TOKEN" \
    timeout -k 5 $((SECONDS_RUN + 120)) wrk -t 1 -c "$CONNS" -d "${SECONDS_RUN}s" --timeout 30s \
    -s "$BENCH/$SCENARIO.lua" "http://127.0.0.1:$PORT/" >"$OUT/wrk.txt" 2>&1 || log "wrk exited non-zero"
timeout 30 callgrind_control -i off "$SERVER_PID" >/dev/null
grep -E 'Requests/sec|BENCH_RESULT' "$OUT/wrk.txt" >&2 || true

kill -TERM "$SERVER_PID"
for _ in $(seq 600); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=

profile="$(ls "$OUT"/callgrind.out* | head -1)"
callgrind_annotate --inclusive=no "$profile" 2>/dev/null | "$DEMANGLE" --simplified >"$OUT/self.txt"
callgrind_annotate --inclusive=yes "$profile" 2>/dev/null | "$DEMANGLE" --simplified >"$OUT/inclusive.txt"
log "profile: $OUT/self.txt and $OUT/inclusive.txt"
sed -n '1,60p' "$OUT/self.txt"
