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
rm -rf "$out/src"
mkdir -p "$out/src"
cp -R "$root/Sources/JSON" "$root/Sources/Validation" "$root/Sources/Arguments" "$root/Sources/Lint" "$out/src/"
mapfile -t json < <(find "$out/src/JSON" -name '*.swift' | sort)
"$swiftc" "${flags[@]}" -module-name JSON -emit-module -emit-module-path "$out/JSON.swiftmodule" \
    -emit-library -static -o "$out/libJSON.a" "${json[@]}"
mapfile -t validation < <(find "$out/src/Validation" -name '*.swift' | sort)
"$swiftc" "${flags[@]}" -module-name Validation -I "$out" -emit-module -emit-module-path "$out/Validation.swiftmodule" \
    -emit-library -static -o "$out/libValidation.a" "${validation[@]}"
mapfile -t arguments < <(find "$out/src/Arguments" -name '*.swift' | sort)
"$swiftc" "${flags[@]}" -module-name Arguments -emit-module -emit-module-path "$out/Arguments.swiftmodule" \
    -emit-library -static -o "$out/libArguments.a" "${arguments[@]}"
mapfile -t lint < <(find "$out/src/Lint" -name '*.swift' | sort)
"$swiftc" "${flags[@]}" -module-name Lint -I "$out" -emit-module -emit-module-path "$out/Lint.swiftmodule" \
    -emit-library -static -o "$out/libLint.a" "${lint[@]}"
"$swiftc" -O -wmo -enforce-exclusivity=unchecked -swift-version 6 -package-name connections_api -module-name BodyCost \
    -I "$out" "$root/bench/body-cost/main.swift" "$out/libLint.a" "$out/libArguments.a" "$out/libValidation.a" "$out/libJSON.a" \
    -o "$out/body-cost"

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
