#!/usr/bin/env bash
# Cold start with many stored connections (issue 9's target: <= 30 ms from exec to the first 200
# on GET /api/v2/connections/{id} with 10,000 stored), measured from the outside and counted
# with callgrind.
#
#   bench/cold-start.sh [--bin PATH] [--count N] [--runs N] [--reseed] [--no-callgrind]
#
# 1. Seeds COUNT connections (default 10,000; bench/seed.py's bodies, through the API) into a
#    database kept under bench/out/coldstart/ and reused by later runs (--reseed to redo it).
# 2. RUNS times each (default 15), with bench/coldstart.c (exec, then connect + one request
#    every 0.1 ms until a 200; microseconds from fork to the status line):
#      empty database, GET /healthz           what every start pays (exec, SQLite, bind, a request)
#      COUNT stored, GET by id                 the target: the connection last in list order
#      COUNT stored, GET /healthz              answered once every stored connection is loaded
#    and `perf stat` of `BIN --version` (exec, dynamic loading, static initialisation).
# 3. One start under callgrind (unless --no-callgrind), a profile per thread: instructions of
#    the main thread, the event loop that answers the GET, the writer, and the threads that
#    load the catalog (callgrind_annotate, names demangled).
#
# Wall times on a shared 2-core machine are noisy (min / median / p90 are printed; the median
# is the figure to quote); instruction counts are repeatable. Everything is on 127.0.0.1; every
# process started here is stopped by its pid.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
BIN="$ROOT/.build/release/connections-api"
COUNT=10000
RUNS=15
RESEED=0
CALLGRIND=1
while [ $# -gt 0 ]; do
    case "$1" in
        --bin) BIN="${2:?--bin needs a path}"; shift ;;
        --count) COUNT="${2:?--count needs a number}"; shift ;;
        --runs) RUNS="${2:?--runs needs a number}"; shift ;;
        --reseed) RESEED=1 ;;
        --no-callgrind) CALLGRIND=0 ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "unknown option: $1" >&2; exit 64 ;;
    esac
    shift
done
[ -x "$BIN" ] || { echo "no binary at $BIN (swift build -c release)" >&2; exit 1; }

OUT="$BENCH/out/coldstart"
DB="$OUT/seeded-$COUNT.sqlite"
IDS="$OUT/ids-$COUNT.txt"
EMPTY="$OUT/empty.sqlite"
mkdir -p "$OUT"
TOKEN="cold-start-bench-token"
export CONNECTIONS_API_TOKEN="$TOKEN"
log() { printf '[cold-start %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
remove_db() { rm -f "$1" "$1-wal" "$1-shm"; }

cc -O2 -o "$OUT/coldstart" "$BENCH/coldstart.c"

# ------------------------------------------------------------------ 1. seed once
if [ "$RESEED" = 1 ] || [ ! -s "$DB" ] || [ ! -s "$IDS" ]; then
    remove_db "$DB"
    port=$(free_port)
    "$BIN" serve --port "$port" --db "$DB" --rate-limit off --quiet >"$OUT/seed-server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 100); do curl -s "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
    log "seeding $COUNT connections"
    timeout 600 python3 "$BENCH/seed.py" seed --port "$port" --count "$COUNT" --ids "$IDS" --prefix cold >&2
    kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""
fi
# bench/seed.py names them cold-00000 ... in order: the last id is the last in list order,
# the one a loader reaching the rows in order gets to last.
TARGET_ID=$(tail -n 1 "$IDS")
remove_db "$EMPTY"

summary() {  # microsecond samples on stdin -> "min / median / p90 ms (n)"
    sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "no samples"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        p = v[int(0.9 * NR + 0.999)]
        printf "min %.1f / median %.1f / p90 %.1f ms (%d runs)", v[1] / 1000, m / 1000, p / 1000, NR }'
}

cold() {  # NAME LABEL DB PATH
    local port samples
    port=$(free_port)
    samples=$("$OUT/coldstart" "$RUNS" "$port" "$4" "$TOKEN" "$BIN" serve --port "$port" --db "$3" --rate-limit off --quiet)
    printf '%s\n' "$samples" >"$OUT/samples-$1.txt"
    printf '%-44s %s\n' "$2:" "$(printf '%s\n' "$samples" | summary)"
}

# ------------------------------------------------------------------ 2. wall times
log "binary $BIN ($(git -C "$ROOT" rev-parse --short HEAD)), $COUNT stored, $RUNS runs each; load average $(cut -d' ' -f1-3 /proc/loadavg)"
cold empty "empty database, exec -> 200 /healthz" "$EMPTY" /healthz
cold get "$COUNT stored, exec -> 200 GET by id" "$DB" "/api/v2/connections/$TARGET_ID"
cold healthz "$COUNT stored, exec -> 200 /healthz" "$DB" /healthz
version_ms=$(perf stat -r "$RUNS" "$BIN" --version 2>&1 >/dev/null | awk '/seconds time elapsed/ { printf "%.2f", $1 * 1000 }')
printf '%-44s %s ms (perf stat -r %s, mean)\n' "exec + dynamic loading (--version):" "${version_ms:-?}" "$RUNS"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------------------------------------------ 3. instructions
[ "$CALLGRIND" = 1 ] || exit 0
command -v valgrind >/dev/null || { log "no valgrind: instruction counts skipped"; exit 0; }
log "one start under callgrind (exec -> 200 GET by id, then SIGTERM)"
rm -f "$OUT"/callgrind.out.*
port=$(free_port)
COLDSTART_TIMEOUT=120 "$OUT/coldstart" 1 "$port" "/api/v2/connections/$TARGET_ID" "$TOKEN" "$(command -v valgrind)" \
    --tool=callgrind --separate-threads=yes --callgrind-out-file="$OUT/callgrind.out.%p" \
    "$BIN" serve --port "$port" --db "$DB" --rate-limit off --quiet >/dev/null 2>"$OUT/callgrind.log"
demangle() { if command -v swift-demangle >/dev/null; then swift-demangle --simplified; else cat; fi; }
# One profile per thread: the main thread (exec, dynamic loading, opening, the admin token,
# starting the server), the event loops (the GET), the writer, and the threads that load the
# catalog (work done beside serving). Each thread's total and what it ran.
all=0
for profile in "$OUT"/callgrind.out.*; do
    { callgrind_annotate --inclusive=yes --threshold=100 "$profile" 2>/dev/null || true; } | demangle >"$profile.txt"
    total=$(awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }' "$profile.txt")
    [ -n "$total" ] || continue
    all=$((all + total))
    if grep -q "ServeCommand.run" "$profile.txt"; then role="main: exec, ld.so, open, token, start (and the load, if it waits for it)"
    elif grep -q "GroupCommitWriter.run" "$profile.txt"; then role="writer (opens, migrations check)"
    elif grep -q -E "mapConnection(Row)?s" "$profile.txt"; then role="loads a range of the catalog"
    elif grep -q "Application.handle" "$profile.txt"; then role="event loop (the GET)"
    else role="other"; fi
    printf '  thread %-4s %14s  %s\n' "${profile##*-}" "$total" "$role"
done
echo "instructions, whole run (every thread): $all"
echo "  (per-thread callgrind_annotate --inclusive=yes: $OUT/callgrind.out.*.txt)"
