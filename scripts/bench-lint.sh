#!/usr/bin/env bash
# Lint throughput: builds the release binary, generates realistic connections and times
# `connections-api lint` on them, pinned to one core. Prints connections judged per second.
#
# Usage: scripts/bench-lint.sh [COUNT] (default 5000). RUNS=7 sets the number of timed runs
# (the median is reported); SCRATCH sets the build folder; BINARY skips the build and times
# that binary instead; INSTRUCTIONS=1 also counts instructions per connection with callgrind,
# which, unlike wall time, does not move when other work shares the cores.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
count=${1:-5000}
runs=${RUNS:-7}
scratch=${SCRATCH:-$repo/.build-bench-lint}
out="$repo/bench/out"
mkdir -p "$out"

cd "$repo"
if [ -n "${BINARY:-}" ]; then
    binary=$BINARY
else
    swift build -c release --product connections-api --scratch-path "$scratch" >&2
    binary="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/connections-api"
fi

# One core, as the target is stated; taskset is in util-linux, which Debian always has.
pin=()
if command -v taskset >/dev/null 2>&1; then pin=(taskset -c 0); fi

prompts="$out/lint-prompts.json"
echo '{"identifier_first":true}' >"$prompts"

bench_file() {
    local label=$1 indent=$2
    local file="$out/lint-connections-$label.json"
    python3 scripts/gen-lint-bench.py --count "$count" --indent "$indent" --out "$file" >&2
    local bytes findings
    bytes=$(wc -c <"$file")
    # Exit 1 is expected: about one connection in fifty carries a deliberate mistake.
    findings=$("${pin[@]}" "$binary" lint --tenant "$prompts" "$file" | wc -l) || true
    # Wall time moves with whatever else shares the cores; CPU time (user + system of the
    # lint process) much less, so both are reported, as medians.
    local timing
    timing=$(python3 - "$runs" "${pin[@]}" "$binary" lint --tenant "$prompts" "$file" <<'PY'
import os, resource, statistics, subprocess, sys, time
runs, command = int(sys.argv[1]), sys.argv[2:]
walls, cpus = [], []
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    status = subprocess.run(command, stdout=subprocess.DEVNULL).returncode
    walls.append(time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if status > 1:
        sys.exit(f"lint failed with exit status {status}")
print(statistics.median(walls), statistics.median(cpus))
PY
)
    local wall=${timing% *} cpu=${timing#* }
    if [ "${INSTRUCTIONS:-0}" = 1 ] && command -v valgrind >/dev/null 2>&1; then
        local refs
        refs=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$binary" lint --tenant "$prompts" "$file" 2>&1 >/dev/null \
            | sed -n 's/.*refs: *//p' | tr -d ,) || true
        echo "lint $label: $((refs / count)) instructions per connection (callgrind, whole process)"
    fi
    awk -v label="$label" -v n="$count" -v b="$bytes" -v f="$findings" -v w="$wall" -v c="$cpu" -v r="$runs" 'BEGIN {
        printf "lint %-7s %d connections, %.1f MB (%.0f bytes each), %d findings, median of %d runs:\n", label, n, b / 1e6, b / n, f, r
        printf "  wall %.3f s = %.0f connections/s; CPU %.3f s = %.0f connections/s on one core\n", w, n / w, c, n / c
    }'
}

bench_file pretty 2
bench_file compact 0
