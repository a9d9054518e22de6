#!/usr/bin/env bash
# The CPU cost of judging hostile ~1 MiB request bodies (issue 10; API.md "CPU budget": at most
# 50 ms of CPU each, linear in size). Builds bench/body-cost/main.swift against Sources/JSON and
# Sources/Validation (and Sources/Lint with Sources/Arguments, for --lint) with the release optimisation flags (swiftc -O -wmo, no exclusivity checks, as Package.swift's
# release build), then prints the CPU time of parse + judge + render per shape.
#
#   bench/body-cost.sh [--runs N] [--lint] [SHAPE...]    CPU times (thread CPU clock; min and median)
#   bench/body-cost.sh --callgrind [SHAPE...]            instructions per judgement under callgrind
#
# Instruction counts are the repeatable figure on a shared machine; times move with the load.
# Output under bench/out/body-cost/ (git-ignored).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/bench/out/body-cost"
swiftc="${SWIFTC:-$(command -v swiftc || echo /opt/swift/usr/bin/swiftc)}"
# One package name for every module, as SwiftPM gives them: JSON's `package` declarations are
# used by the modules above it.
flags=(-O -wmo -enforce-exclusivity=unchecked -parse-as-library -swift-version 6 -package-name connections_api)
mkdir -p "$out"

# Built from a snapshot of the sources, so an edit during the build cannot mix two versions.
# Each target is one static library, in dependency order (Package.swift).
rm -rf "$out/src"
mkdir -p "$out/src"
libraries=()
for target in JSON Validation Arguments Lint; do
    cp -R "$root/Sources/$target" "$out/src/"
    mapfile -t sources < <(find "$out/src/$target" -name '*.swift' | sort)
    "$swiftc" "${flags[@]}" -module-name "$target" -I "$out" -emit-module -emit-module-path "$out/$target.swiftmodule" \
        -emit-library -static -o "$out/lib$target.a" "${sources[@]}"
    libraries=("$out/lib$target.a" "${libraries[@]}")
done
"$swiftc" -O -wmo -enforce-exclusivity=unchecked -swift-version 6 -module-name BodyCost -I "$out" \
    "$root/bench/body-cost/main.swift" "${libraries[@]}" -o "$out/body-cost"

if [[ "${1:-}" != "--callgrind" ]]; then
    exec "$out/body-cost" "$@"
fi
shift
command -v valgrind >/dev/null || { echo "valgrind missing (apt-get install valgrind)" >&2; exit 1; }
shapes=("$@")
if ((${#shapes[@]} == 0)); then
    mapfile -t shapes < <("$out/body-cost" --runs 1 | awk 'NR > 1 { print $1 }')
fi
printf '%-20s %15s\n' shape instructions
for shape in "${shapes[@]}"; do
    valgrind --tool=callgrind --toggle-collect='*judgeAndRender*' --callgrind-out-file="$out/callgrind.$shape" \
        "$out/body-cost" --once "$shape" >"$out/once.$shape.txt" 2>"$out/valgrind.$shape.txt"
    printf '%-20s %15s\n' "$shape" "$(sed -n 's/^summary: //p' "$out/callgrind.$shape")"
done
