#!/usr/bin/env bash
# lint of a deploy CLI YAML export, end to end (process start to exit): generates a tenant.yaml
# of COUNT database connections (scripts/gen-deploy-cli-bench.py) and times
# `connections-api lint tenant.yaml` with the release binary. Prints the median and the fastest of
# RUNS runs (wall and CPU), and with INSTRUCTIONS=1 the instructions of one run (callgrind), which
# do not move when other work shares the cores.
#
# Usage: scripts/bench-lint-deploy-cli.sh [COUNT] (default 500). BINARY skips the build.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
count=${1:-500}
runs=${RUNS:-21}
out="$repo/bench/out"
mkdir -p "$out"
cd "$repo"
if [ -n "${BINARY:-}" ]; then
    binary=$BINARY
else
    swift build -c release --product connections-api >&2
    binary="$(swift build -c release --show-bin-path)/connections-api"
fi

file="$out/deploy-cli-$count.yaml"
python3 scripts/gen-deploy-cli-bench.py --count "$count" --out "$file"
echo "file: $file ($(wc -c <"$file") bytes, $(wc -l <"$file") lines, $count databases)"
# Exit 1 is expected: about one connection in fifty carries a deliberate mistake.
"$binary" lint "$file" >/dev/null 2>"$out/deploy-cli-summary.txt" || true
echo "lint: $(cat "$out/deploy-cli-summary.txt")"

python3 - "$runs" "$binary" lint "$file" <<'PY'
import resource, statistics, subprocess, sys, time
runs, command = int(sys.argv[1]), sys.argv[2:]
walls, cpus = [], []
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    walls.append(time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
print(f"wall: median {statistics.median(walls) * 1000:.1f} ms, fastest {min(walls) * 1000:.1f} ms ({runs} runs)")
print(f"cpu:  median {statistics.median(cpus) * 1000:.1f} ms, fastest {min(cpus) * 1000:.1f} ms")
PY

if [ "${INSTRUCTIONS:-0}" = 1 ]; then
    valgrind --tool=callgrind --callgrind-out-file="$out/deploy-cli.callgrind" "$binary" lint "$file" \
        >/dev/null 2>"$out/deploy-cli.valgrind" || true
    echo "instructions: $(grep -E 'Collected' "$out/deploy-cli.valgrind" | awk '{print $NF}')"
fi
