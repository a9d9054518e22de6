#!/usr/bin/env bash
# What a durable write costs the server (issue 9): CPU time, bytes read and written and their
# system calls, per request, from /proc/PID/stat and /proc/PID/io around each wrk run. Smaller
# and quicker than bench/run.sh, for before/after comparisons of two binaries: run it for each,
# alternating, on the same machine in the same minutes.
#
#   bench/write-cost.sh BIN [--scenarios "patch post"] [--rounds N] [--duration S] [--warmup S] [--serve-args "..."]
#
# A fresh SQLite database under bench/out/write-cost/, 1,000 connections seeded through the API
# (bench/seed.py), then for each round each scenario (bench/<scenario>.lua: patch = PATCH of a
# random seeded id, post = a create) with wrk, 2 threads, 64 connections. Rounds run back to back
# on the same database, so later rounds see a longer history (PATCH) or more connections (post):
# compare round by round. --warmup S first runs S seconds of PATCHes, unmeasured, to reach the
# steady state of a long-lived server, where every PATCH retires a revision: the 1,000
# connections need ~100,000 PATCHes between them to reach the default `--revisions-keep` (100),
# and ~200,000 for the last of them to (45 s at ~5,000 PATCH/s). The bytes and system calls do
# not move with other load on the machine the way CPU time does. Everything binds to 127.0.0.1;
# the server is stopped on exit.
set -euo pipefail

usage() { sed -n '7p' "$0" | sed 's/^#   /usage: /' >&2; exit 64; }
[ $# -ge 1 ] || usage
BIN="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
shift
SCENARIOS="patch post"
ROUNDS=2
DURATION=8
SERVE_ARGS=""
WARMUP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --scenarios) SCENARIOS="${2:?}"; shift ;;
        --rounds) ROUNDS="${2:?}"; shift ;;
        --duration) DURATION="${2:?}"; shift ;;
        --serve-args) SERVE_ARGS="${2:?}"; shift ;;
        --warmup) WARMUP="${2:?}"; shift ;;
        *) usage ;;
    esac
    shift
done
[ -x "$BIN" ] || { echo "not an executable: $BIN" >&2; exit 66; }
command -v wrk >/dev/null || { echo "wrk is missing (apt-get install wrk)" >&2; exit 69; }

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$BENCH/out/write-cost/$(date -u +%Y%m%dT%H%M%SZ)-$$"
mkdir -p "$OUT/data"
TOKEN="write-cost-$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')"
python3 "$BENCH/seed.py" templates --out "$OUT/data" >/dev/null

# shellcheck disable=SC2086 # SERVE_ARGS is a list of flags
CONNECTIONS_API_TOKEN="$TOKEN" "$BIN" serve --host 127.0.0.1 --port 0 --db "$OUT/db.sqlite" --rate-limit off --quiet \
    $SERVE_ARGS >"$OUT/server.out" 2>"$OUT/server.err" </dev/null &
PID=$!
trap 'kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true' EXIT
PORT=
for _ in $(seq 300); do
    PORT="$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$OUT/server.out" | head -1)"
    [ -n "$PORT" ] && break
    kill -0 "$PID" 2>/dev/null || { echo "the server exited: $(tail -3 "$OUT/server.err")" >&2; exit 1; }
    sleep 0.1
done
[ -n "$PORT" ] || { echo "the server did not print its port within 30 s" >&2; exit 1; }
CONNECTIONS_API_TOKEN="$TOKEN" timeout 600 python3 "$BENCH/seed.py" seed --port "$PORT" --count 1000 --concurrency 8 \
    --ids "$OUT/ids.txt" --prefix bench --timeout 500 >"$OUT/seed.txt"

# utime + stime in clock ticks, then rchar wchar syscr syscw.
sample() { echo "$(awk '{print $14 + $15}' "/proc/$PID/stat") $(awk '/^(rchar|wchar|syscr|syscw):/ {printf "%s ", $2}' "/proc/$PID/io")"; }

if [ "$WARMUP" -gt 0 ]; then
    BENCH_DIR="$BENCH" BENCH_DATA="$OUT/data" BENCH_IDS="$OUT/ids.txt" BENCH_RUN="warmup$RANDOM" CONNECTIONS_API_TOKEN="$TOKEN" \
        timeout $((WARMUP + 60)) wrk -t 2 -c 64 -d "${WARMUP}s" --timeout 5s -s "$BENCH/patch.lua" \
        "http://127.0.0.1:$PORT/" >"$OUT/warmup.txt" 2>&1 || { echo "warm-up failed: $(tail -3 "$OUT/warmup.txt")" >&2; exit 1; }
    echo "warm-up: ${WARMUP} s of PATCHes, $(sed -n 's/^BENCH_RESULT //p' "$OUT/warmup.txt" | python3 -c 'import json, sys; print(json.load(sys.stdin)["requests"])') in all"
fi
echo "binary $BIN, serve $SERVE_ARGS; ${DURATION} s runs, 64 connections; per request:"
for round in $(seq "$ROUNDS"); do
    for scenario in $SCENARIOS; do
        before="$(sample)"
        BENCH_DIR="$BENCH" BENCH_DATA="$OUT/data" BENCH_IDS="$OUT/ids.txt" BENCH_RUN="$round$RANDOM" CONNECTIONS_API_TOKEN="$TOKEN" \
            timeout $((DURATION + 60)) wrk -t 2 -c 64 -d "${DURATION}s" --timeout 5s -s "$BENCH/$scenario.lua" \
            "http://127.0.0.1:$PORT/" >"$OUT/r$round-$scenario.txt" 2>&1
        after="$(sample)"
        result="$(sed -n 's/^BENCH_RESULT //p' "$OUT/r$round-$scenario.txt" | tail -1)"
        [ -n "$result" ] || { echo "no result from wrk: $(tail -3 "$OUT/r$round-$scenario.txt")" >&2; exit 1; }
        python3 - "$result" "$before" "$after" "$(getconf CLK_TCK)" "$round" "$scenario" <<'PY'
import json, sys
result, before, after = json.loads(sys.argv[1]), sys.argv[2].split(), sys.argv[3].split()
ticks_per_second, round_, scenario = int(sys.argv[4]), sys.argv[5], sys.argv[6]
n = result["requests"]
delta = [int(a) - int(b) for a, b in zip(after, before)]
print("r%s %-6s %7.0f req/s  server CPU %6.1f us  read %5.1f KB  written %5.1f KB  reads %4.1f  writes %4.1f  p99 %5.1f ms  not 2xx %d"
      % (round_, scenario, n / result["duration_us"] * 1e6, delta[0] / ticks_per_second * 1e6 / n, delta[1] / n / 1024,
         delta[2] / n / 1024, delta[3] / n, delta[4] / n, result["p99_us"] / 1e3, result["non2xx"]))
PY
    done
done
echo "database: $(du -sk "$OUT"/db.sqlite* | awk '{s += $1} END {printf "%.1f MiB", s / 1024}') (files under $OUT)"
