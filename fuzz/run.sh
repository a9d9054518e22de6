#!/usr/bin/env bash
# Builds the libFuzzer targets, replays the known reproducers (fuzz/repro/), then runs each target for
# a bounded time (default 600 s), both at once under `nice`.
# Usage: fuzz/run.sh [seconds]   (FUZZ_BUILD_ONLY=1 to build without running)
#
# Slow inputs are findings too (issue 10, API.md "CPU budget"): an input that takes longer than
# FUZZ_TIMEOUT seconds (default 5) fails as a timeout-* artifact, the 1 MiB reproducers are replayed
# under FUZZ_REPLAY_TIMEOUT (default 120), and inputs slower than 1 s are reported
# (-report_slow_units) in the summary.
#
# SwiftPM cannot link a libFuzzer binary (an executable target needs `main`), so the targets are built
# with swiftc directly: JSON, Validation and Lint as instrumented static modules, then each entry file against them.
# The HTTP target compiles Sources/HTTP/*.swift (the HTTP module, which names nothing of ours but JSON)
# into one module with its entry file, against JSON. Everything lands in fuzz/out/ (git-ignored).
set -euo pipefail

seconds="${1:-600}"
timeout="${FUZZ_TIMEOUT:-5}"
# A 1 MiB reproducer takes ~5 s of CPU through the instrumented JSON target (parse, judge under
# three tenants, PATCH, lint) and several times that in wall time on a busy machine; a quadratic
# path makes it many minutes.
replay_timeout="${FUZZ_REPLAY_TIMEOUT:-120}"
root="$(cd "$(dirname "$0")/.." && pwd)"
fuzz="$root/fuzz"
out="$fuzz/out"
build="$out/build"
swiftc="${SWIFTC:-$(command -v swiftc || echo /opt/swift/usr/bin/swiftc)}"
# ASan as well as libFuzzer: -O drops the bounds checks of UnsafeBufferPointer subscripts, which both
# parsers use, so only AddressSanitizer turns an out-of-bounds read into a crash. One package name for
# every module, as SwiftPM gives them, so `package` declarations are seen across them.
flags=(-O -wmo -use-ld=lld -sanitize=fuzzer,address -parse-as-library -swift-version 6 -warnings-as-errors
    -package-name connections_api)

mkdir -p "$build" "$out/http" "$out/json" "$out/yaml" "$out/corpus-http" "$out/corpus-json" "$out/corpus-yaml"

# Build from a snapshot, so edits made to the tree during a build (or a long run) cannot break it.
src="$out/src"
rm -rf "$src"
mkdir -p "$src"
cp -R "$root/Sources/JSON" "$src/JSON"
cp -R "$root/Sources/Validation" "$src/Validation"
cp -R "$root/Sources/Arguments" "$src/Arguments"
cp -R "$root/Sources/Lint" "$src/Lint"
cp -R "$root/Sources/HTTP" "$src/HTTP"
echo "sources: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    "$(git -C "$root" status --porcelain -- Sources/JSON Sources/Validation Sources/Lint Sources/HTTP 2>/dev/null | grep -q . && echo '(with uncommitted changes)')"

echo "== building JSON"
mapfile -t json < <(find "$src/JSON" -name '*.swift' | sort)
"$swiftc" "${flags[@]}" -module-name JSON -emit-module -emit-module-path "$build/JSON.swiftmodule" \
    -emit-library -static -o "$build/libJSON.a" "${json[@]}"

echo "== building Validation"
mapfile -t validation < <(find "$src/Validation" -name '*.swift' | sort)
"$swiftc" "${flags[@]}" -module-name Validation -I "$build" -emit-module -emit-module-path "$build/Validation.swiftmodule" \
    -emit-library -static -o "$build/libValidation.a" "${validation[@]}"

echo "== building Arguments"
mapfile -t arguments < <(find "$src/Arguments" -name '*.swift' | sort)
"$swiftc" "${flags[@]}" -module-name Arguments -I "$build" -emit-module -emit-module-path "$build/Arguments.swiftmodule" \
    -emit-library -static -o "$build/libArguments.a" "${arguments[@]}"

echo "== building Lint"
mapfile -t lint < <(find "$src/Lint" -name '*.swift' | sort)
"$swiftc" "${flags[@]}" -module-name Lint -I "$build" -emit-module -emit-module-path "$build/Lint.swiftmodule" \
    -emit-library -static -o "$build/libLint.a" "${lint[@]}"

echo "== building fuzz-json"
"$swiftc" "${flags[@]}" -module-name JSONFuzz -I "$build" "$fuzz/json/FuzzEntry.swift" \
    "$build/libLint.a" "$build/libArguments.a" "$build/libValidation.a" "$build/libJSON.a" -o "$out/fuzz-json"

echo "== building fuzz-yaml"
"$swiftc" "${flags[@]}" -module-name YAMLFuzz -I "$build" "$fuzz/yaml/FuzzEntry.swift" \
    "$build/libLint.a" "$build/libArguments.a" "$build/libValidation.a" "$build/libJSON.a" -o "$out/fuzz-yaml"

echo "== building fuzz-http"
"$swiftc" "${flags[@]}" -module-name HTTPFuzz -I "$build" "$src"/HTTP/*.swift \
    "$fuzz/http/FuzzEntry.swift" "$build/libJSON.a" -o "$out/fuzz-http"

[[ "${FUZZ_BUILD_ONLY:-0}" == 1 ]] && exit 0

# Swift's own crash handler reads the stack in a way AddressSanitizer reports as an error of its own;
# with it off, a broken property is a plain trap that libFuzzer reports with the input.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=detect_leaks=0

# Known reproducers are kept out of the seed corpus (a crashing seed would stop every run before it
# starts) and replayed here instead: a file is an input, a .py file prints one (for inputs too large
# to commit). Each line says whether the bug is still there.
echo "== replaying fuzz/repro/"
for target in http json yaml; do
    mkdir -p "$out/repro/$target"
    shopt -s nullglob
    for reproducer in "$fuzz/repro/$target"/*; do
        input="$reproducer"
        if [[ "$reproducer" == *.py ]]; then
            input="$out/repro/$target/$(basename "$reproducer" .py)"
            python3 "$reproducer" >"$input"
        fi
        if "$out/fuzz-$target" -timeout="$replay_timeout" "$input" >"$out/repro/$target/$(basename "$input").log" 2>&1; then
            echo "fixed:       $target/$(basename "$reproducer")"
        else
            echo "reproduces:  $target/$(basename "$reproducer"): $(grep -m1 -E 'property broken|ERROR:|timeout' \
                "$out/repro/$target/$(basename "$input").log" || echo crash)"
        fi
    done
    shopt -u nullglob
done

# The working corpus (first directory) collects what the fuzzer finds; the committed seeds are read only.
# JSON inputs may be 64 KiB, long enough for a quadratic path over thousands of keys or items to
# pass the timeout under ASan; HTTP framing needs less.
run() {
    local target="$1" max_len=16384
    [[ "$target" == json ]] && max_len=65536
    nice -n 10 "$out/fuzz-$target" \
        -max_total_time="$seconds" -max_len="$max_len" -timeout="$timeout" -report_slow_units=1 -print_final_stats=1 \
        -dict="$fuzz/$target/$target.dict" -artifact_prefix="$out/$target/" \
        "$out/corpus-$target" "$fuzz/corpus/$target" >"$out/$target.log" 2>&1 || true
}

echo "== fuzzing the three targets for ${seconds}s (logs: fuzz/out/{http,json,yaml}.log)"
run http &
http_pid=$!
run json &
json_pid=$!
run yaml &
yaml_pid=$!
wait "$http_pid" "$json_pid" "$yaml_pid"

status=0
for target in http json yaml; do
    log="$out/$target.log"
    echo "== $target"
    # The last status line carries the coverage (cov: edges, ft: features) and corpus size.
    grep -E '^#[0-9]+' "$log" | tail -n 1 || true
    grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb' "$log" || true
    # -report_slow_units: the slowest input so far each time it got slower (none when all were fast).
    grep -E 'Slowest unit' "$log" | tail -n 1 || true
    shopt -s nullglob
    findings=("$out/$target"/crash-* "$out/$target"/leak-* "$out/$target"/timeout-* "$out/$target"/oom-*)
    shopt -u nullglob
    if ((${#findings[@]} > 0)); then
        status=1
        echo "findings: ${#findings[@]}"
        printf '  %s\n' "${findings[@]}"
        grep -E 'property broken|Fatal error|ERROR: AddressSanitizer|ERROR: libFuzzer' "$log" | head -n 5 || true
        echo "reproduce: SWIFT_BACKTRACE=enable=no $out/fuzz-$target <file>"
        echo "minimise:  SWIFT_BACKTRACE=enable=no $out/fuzz-$target -minimize_crash=1 -runs=20000 <file>"
    else
        echo "findings: none"
    fi
done
exit "$status"
