#!/usr/bin/env bash
# The benchmark of issue 5, one command: builds the server (clean, release), seeds it through the
# API, runs every scenario with wrk against it and against its ceilings (nginx on the same bytes,
# SQLite single-row FULL commits) in alternating rounds, and writes BENCHMARKS.md.
#
#   bench/run.sh                  3 rounds of 10 s per scenario, writes BENCHMARKS.md
#   bench/run.sh --quick          1 round of 3 s, results only under bench/out/ (smoke test)
#
# Safe by construction: everything binds and connects to 127.0.0.1 only, every step has a timeout,
# and every process this script starts is stopped (by its own pid) when it exits, however it exits.
# Raw output: bench/out/<UTC time>/ (git-ignored).
set -euo pipefail

ROUNDS=3
DURATION=10
CLEAN_BUILD=1
WRITE_REPORT=1
SEED_COUNT=1000
RSS_COUNT=10000

usage() {
    cat <<'USAGE'
Usage: bench/run.sh [--quick] [--rounds N] [--duration SECONDS] [--no-clean-build] [--no-report]

  --quick            1 round, 3 s per scenario, no BENCHMARKS.md (report written under bench/out/)
  --rounds N         alternating rounds (default 3; medians are reported)
  --duration S       seconds per wrk run (default 10)
  --no-clean-build   reuse .build-bench instead of a clean release build (build time is then not reported)
  --no-report        leave BENCHMARKS.md alone (report written under bench/out/)
USAGE
}

while [ $# -gt 0 ]; do
    case "$1" in
        --quick) ROUNDS=1; DURATION=3; WRITE_REPORT=0 ;;
        --rounds) ROUNDS="${2:?--rounds needs a number}"; shift ;;
        --duration) DURATION="${2:?--duration needs seconds}"; shift ;;
        --no-clean-build) CLEAN_BUILD=0 ;;
        --no-report) WRITE_REPORT=0 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown option: $1" >&2; usage >&2; exit 64 ;;
    esac
    shift
done
case "$ROUNDS$DURATION" in *[!0-9]*) echo "--rounds and --duration take whole numbers" >&2; exit 64 ;; esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
OUT="$BENCH/out/$(date -u +%Y%m%dT%H%M%SZ)"
DATA="$OUT/data"       # ids, request templates, the bytes nginx serves
DBDIR="$OUT/db"        # databases: on the repository's disk, the same one for server and ceiling
RAW="$OUT/raw"         # every tool's own output
META="$OUT/meta"       # one file per measured fact, read by report.py
RESULTS="$OUT/results.jsonl"
SCRATCH_PATH="$ROOT/.build-bench"
BIN="$SCRATCH_PATH/release/connections-api"
mkdir -p "$DATA" "$DBDIR" "$RAW" "$META" "$OUT/nginx"
: >"$RESULTS"

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$OUT/run.log" >&2; }
die() { log "FAILED: $*"; exit 1; }

# ------------------------------------------------------------------ processes we own
STARTED_PIDS=()

forget_pid() {
    local keep=() pid
    for pid in "${STARTED_PIDS[@]}"; do [ "$pid" = "$1" ] || keep+=("$pid"); done
    STARTED_PIDS=("${keep[@]+"${keep[@]}"}")
}

# TERM, then KILL after a bounded wait.
stop_pid() {
    local pid="$1" i
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for i in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            log "pid $pid ignored SIGTERM for 15 s: SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
}

cleanup() {
    local status=$? pid
    for pid in "${STARTED_PIDS[@]+"${STARTED_PIDS[@]}"}"; do stop_pid "$pid"; done
    rm -f "$DBDIR"/*.sqlite "$DBDIR"/*.sqlite-wal "$DBDIR"/*.sqlite-shm 2>/dev/null || true
    [ -n "${POLICY_RC_CREATED:-}" ] && rm -f /usr/sbin/policy-rc.d
    exit "$status"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# ------------------------------------------------------------------ tools
ensure_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
    command -v cc >/dev/null || missing+=(gcc)
    [ -f /usr/include/sqlite3.h ] || missing+=(libsqlite3-dev)
    command -v python3 >/dev/null || missing+=(python3)
    command -v curl >/dev/null || missing+=(curl)
    command -v timeout >/dev/null || missing+=(coreutils)
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}: run as root or install them (apt-get install ${missing[*]})"
    log "installing ${missing[*]}"
    # Debian starts a packaged service (nginx on port 80, all interfaces) on install unless
    # policy-rc.d forbids it; this benchmark only ever listens on loopback.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
        POLICY_RC_CREATED=1
    fi
    timeout 600 apt-get update -qq >>"$RAW/apt.txt" 2>&1 || die "apt-get update (see $RAW/apt.txt)"
    DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq "${missing[@]}" >>"$RAW/apt.txt" 2>&1 \
        || die "apt-get install ${missing[*]} (see $RAW/apt.txt)"
    if [ -n "${POLICY_RC_CREATED:-}" ]; then rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=; fi
}

NGINX_BIN="$(command -v nginx || echo /usr/sbin/nginx)"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# ------------------------------------------------------------------ our server
SERVER_PID=
SERVER_PORT=

# start_server DB_PATH LABEL: starts it on a free loopback port, waits for its "listening on" line.
start_server() {
    local db="$1" label="$2" i
    CONNECTIONS_API_TOKEN="$TOKEN" "$BIN" serve --host 127.0.0.1 --port 0 --db "$db" --rate-limit off --quiet \
        >"$RAW/server-$label.out" 2>"$RAW/server-$label.err" </dev/null &
    SERVER_PID=$!
    STARTED_PIDS+=("$SERVER_PID")
    SERVER_PORT=
    for i in $(seq 300); do
        SERVER_PORT="$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$RAW/server-$label.out" | head -1)"
        [ -n "$SERVER_PORT" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || die "server ($label) exited: $(tail -5 "$RAW/server-$label.err")"
        sleep 0.1
    done
    [ -n "$SERVER_PORT" ] || die "server ($label) did not print its port within 30 s"
}

stop_server() {
    [ -n "$SERVER_PID" ] && stop_pid "$SERVER_PID"
    SERVER_PID=
}

remove_db() { rm -f "$1" "$1-wal" "$1-shm"; }

seed() { # seed COUNT CONCURRENCY IDS_FILE PREFIX
    CONNECTIONS_API_TOKEN="$TOKEN" timeout -k 5 900 python3 "$BENCH/seed.py" seed --port "$SERVER_PORT" \
        --count "$1" --concurrency "$2" --ids "$3" --prefix "$4" --timeout 800 >>"$RAW/seed.txt" 2>&1 \
        || die "seeding $1 connections failed: $(tail -3 "$RAW/seed.txt")"
    tail -1 "$RAW/seed.txt" | tee -a "$OUT/run.log" >&2
}

stored_total() {
    curl -sS --max-time 10 -H "Authorization: Bearer $TOKEN" \
        "http://127.0.0.1:$SERVER_PORT/api/v2/connections?include_totals=true&per_page=1" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])' 2>/dev/null || echo null
}

# ------------------------------------------------------------------ measuring
# Peak RSS (VmHWM, KiB) of a process and, for nginx, of its workers; resettable (clear_refs 5).
process_tree() { echo "$1"; pgrep -P "$1" 2>/dev/null || true; }
reset_peak() { local p; for p in $(process_tree "$1"); do echo 5 >"/proc/$p/clear_refs" 2>/dev/null || true; done; }
peak_kib() {
    local p total=0 v
    for p in $(process_tree "$1"); do
        v="$(awk '/^VmHWM:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)"
        total=$((total + ${v:-0}))
    done
    echo "$total"
}

# CPU time (utime + stime, clock ticks) of a process and its children (nginx's workers).
cpu_ticks() {
    local p total=0 v
    for p in $(process_tree "$1"); do
        v="$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || true)"
        total=$((total + ${v:-0}))
    done
    echo "$total"
}
CLOCK_TICKS="$(getconf CLK_TCK 2>/dev/null || echo 100)"

# run_wrk ROUND SCENARIO TARGET PORT SCRIPT CONNECTIONS PID: one wrk run, one line in results.jsonl.
# Besides wrk's own figures: the server's peak RSS and CPU seconds during the run, and wrk's CPU
# seconds (the cores are shared, so CPU per request tells apart a slower server from a busier machine).
run_wrk() {
    local round="$1" scenario="$2" target="$3" port="$4" script="$5" conns="$6" pid="$7"
    local raw="$RAW/r$round-$scenario-$target.txt" timing="$RAW/r$round-$scenario-$target.cpu"
    local result rss cpu_before server_cpu wrk_cpu status=0
    reset_peak "$pid"
    cpu_before="$(cpu_ticks "$pid")"
    { TIMEFORMAT='%U %S'; time BENCH_DIR="$BENCH" BENCH_DATA="$DATA" BENCH_IDS="$IDS" BENCH_RUN="$round$RANDOM" \
        CONNECTIONS_API_TOKEN="$TOKEN" timeout -k 5 $((DURATION + 60)) wrk -t 2 -c "$conns" -d "${DURATION}s" --timeout 5s \
        -s "$BENCH/$script" "http://127.0.0.1:$port/" >"$raw" 2>&1; } 2>"$timing" || status=$?
    [ "$status" -eq 0 ] || log "wrk exited with $status ($scenario/$target), see $raw"
    wrk_cpu="$(awk '{print $1 + $2}' "$timing")"
    server_cpu="$(awk -v t=$(($(cpu_ticks "$pid") - cpu_before)) -v hz="$CLOCK_TICKS" 'BEGIN {print t / hz}')"
    rss="$(peak_kib "$pid")"
    result="$(sed -n 's/^BENCH_RESULT //p' "$raw" | tail -1)"
    [ -n "$result" ] || die "no result from wrk ($scenario/$target): $(tail -3 "$raw")"
    printf '{"round":%d,"scenario":"%s","target":"%s","connections":%d,"peak_rss_kib":%d,"server_cpu_s":%s,"wrk_cpu_s":%s,"wrk":%s}\n' \
        "$round" "$scenario" "$target" "$conns" "$rss" "$server_cpu" "${wrk_cpu:-0}" "$result" >>"$RESULTS"
    log "r$round $scenario/$target: $(python3 -c 'import json, sys; r = json.loads(sys.argv[1]); print("%.0f req/s, p50 %.2f ms, p99 %.2f ms, >=400: %d, peak RSS %.1f MiB, server CPU %.1f us/req" % (r["requests"] / r["duration_us"] * 1e6, r["p50_us"] / 1e3, r["p99_us"] / 1e3, r["non2xx"], int(sys.argv[2]) / 1024, float(sys.argv[3]) * 1e6 / max(1, r["requests"])))' "$result" "$rss" "$server_cpu")"
}

run_sqlite() { # run_sqlite ROUND
    local round="$1" db="$DBDIR/sqlite-ceiling.sqlite" result
    remove_db "$db"
    result="$(timeout -k 5 $((DURATION + 60)) "$OUT/sqlite_commits" "$db" "$DURATION" 1536 2>>"$RAW/sqlite.txt")" \
        || die "sqlite_commits failed: $(tail -3 "$RAW/sqlite.txt")"
    remove_db "$db"
    echo "$result" >>"$RAW/sqlite.txt"
    printf '{"round":%d,"scenario":"write","target":"sqlite","sqlite":%s}\n' "$round" "$result" >>"$RESULTS"
    log "r$round sqlite single-row FULL commits: $result"
}

# ------------------------------------------------------------------ 0. machine and tools
ensure_tools
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
TOKEN="bench$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"

log "output: $OUT"
nproc >"$META/nproc"
{ lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1; } >"$META/cpu"
[ -s "$META/cpu" ] || sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1 >"$META/cpu"
uname -r >"$META/kernel"
awk '/MemTotal/ {printf "%.1f GiB\n", $2 / 1048576}' /proc/meminfo >"$META/memory"
(
    source="$(findmnt -no SOURCE -T "$DBDIR" 2>/dev/null || df --output=source "$DBDIR" | tail -1)"
    fstype="$(findmnt -no FSTYPE -T "$DBDIR" 2>/dev/null || echo '?')"
    device="$(basename "$source")"
    rotational="$(cat "/sys/block/$device/queue/rotational" 2>/dev/null || echo '?')"
    size="$(lsblk -dno SIZE "$source" 2>/dev/null | tr -d ' ' || true)"
    echo "$source ($fstype${size:+, $size}, rotational=$rotational)"
) >"$META/disk"
{ wrk --version 2>&1 | head -1 | cut -d' ' -f1-2; } >"$META/wrk" || true
{ "$NGINX_BIN" -v 2>&1 | sed 's/^nginx version: //'; } >"$META/nginx"
python3 -c 'import sqlite3; print(sqlite3.sqlite_version)' >"$META/sqlite" 2>/dev/null || true
git -C "$ROOT" rev-parse --short HEAD >"$META/commit" 2>/dev/null || echo unknown >"$META/commit"
{ git -C "$ROOT" status --porcelain -- Sources Package.swift migrations 2>/dev/null | grep -q . && echo dirty || echo clean; } >"$META/tree"
echo "$ROUNDS" >"$META/rounds"
echo "$DURATION" >"$META/duration"
uptime | sed 's/.*load average: //' >"$META/load_before"
log "machine: $(cat "$META/nproc") cores, $(cat "$META/cpu"), kernel $(cat "$META/kernel"), disk $(cat "$META/disk")"

# ------------------------------------------------------------------ 1. build
if [ "$CLEAN_BUILD" = 1 ]; then
    log "clean release build (swift build -c release --scratch-path .build-bench)"
    rm -rf "$SCRATCH_PATH"
fi
# Wall time and CPU time (user + system, compiler processes included): on shared cores the
# second tells how much of the first was waiting for a core.
# A source edited during the build (a shared working tree) fails it: start again, clean again.
for attempt in 1 2 3; do
    build_status=0
    # A simple command, not a subshell: bash's `time` report of a redirected subshell is lost.
    { TIMEFORMAT='%R %U %S'; time timeout 1800 swift build --package-path "$ROOT" -c release --scratch-path "$SCRATCH_PATH" \
        --product connections-api >"$RAW/build.txt" 2>&1; } 2>"$RAW/build.time" || build_status=$?
    [ "$build_status" -ne 0 ] && grep -q 'was modified during the build' "$RAW/build.txt" || break
    log "a source changed during the build (attempt $attempt): building again"
    [ "$CLEAN_BUILD" = 1 ] && rm -rf "$SCRATCH_PATH"
done
[ "$build_status" -eq 0 ] || die "release build failed: $(tail -5 "$RAW/build.txt")"
if [ "$CLEAN_BUILD" = 1 ]; then
    awk '{printf "%.1f\n", $1}' "$RAW/build.time" >"$META/build_seconds"
    awk '{printf "%.1f\n", $2 + $3}' "$RAW/build.time" >"$META/build_cpu_seconds"
    log "clean release build: $(cat "$META/build_seconds") s wall, $(cat "$META/build_cpu_seconds") s CPU"
fi
stat -c %s "$BIN" >"$META/binary_bytes"
strip -o "$OUT/connections-api.stripped" "$BIN" 2>/dev/null && stat -c %s "$OUT/connections-api.stripped" >"$META/binary_stripped_bytes"
rm -f "$OUT/connections-api.stripped"
log "binary: $(cat "$META/binary_bytes") bytes"

log "compiling the SQLite commit-rate program"
cc -O2 -o "$OUT/sqlite_commits" "$BENCH/sqlite_commits.c" -lsqlite3 2>"$RAW/cc.txt" || die "cc sqlite_commits.c: $(cat "$RAW/cc.txt")"

# ------------------------------------------------------------------ 2. seed once: nginx bytes, cold start
python3 "$BENCH/seed.py" templates --out "$DATA"
SETUP_DB="$DBDIR/setup.sqlite"
remove_db "$SETUP_DB"
start_server "$SETUP_DB" setup
log "seeding $SEED_COUNT connections (setup)"
seed "$SEED_COUNT" 8 "$DATA/ids-setup.txt" bench
CONNECTIONS_API_TOKEN="$TOKEN" timeout 60 python3 "$BENCH/seed.py" fetch --port "$SERVER_PORT" \
    --one "$DATA/one.json" --page "$DATA/page.json" || die "could not fetch the bytes for nginx"
stat -c %s "$DATA/one.json" >"$META/one_bytes"
stat -c %s "$DATA/page.json" >"$META/page_bytes"
log "nginx will serve one connection of $(cat "$META/one_bytes") bytes and a page of $(cat "$META/page_bytes") bytes"
stop_server

log "cold start: exec -> first 200 on /healthz"
CONNECTIONS_API_TOKEN="$TOKEN" timeout 300 python3 "$BENCH/seed.py" coldstart --binary "$BIN" --scratch "$DBDIR" --runs 7 >"$META/coldstart_empty.json" \
    || die "cold start (empty database) failed"
CONNECTIONS_API_TOKEN="$TOKEN" timeout 300 python3 "$BENCH/seed.py" coldstart --binary "$BIN" --db "$SETUP_DB" --runs 7 >"$META/coldstart_1000.json" \
    || die "cold start (1,000 connections) failed"
log "cold start: empty $(cat "$META/coldstart_empty.json"); 1,000 stored $(cat "$META/coldstart_1000.json")"
remove_db "$SETUP_DB"

# ------------------------------------------------------------------ 3. nginx (for the whole run)
chmod 755 "$OUT" "$DATA" && chmod 644 "$DATA/one.json" "$DATA/page.json"
NGINX_PORT="$(free_port)"
sed -e "s|@PREFIX@|$OUT/nginx|g" -e "s|@ROOT@|$DATA|g" -e "s|@PORT@|$NGINX_PORT|g" -e "s|@USER@|$(id -un)|g" \
    "$BENCH/nginx.conf.template" >"$OUT/nginx/nginx.conf"
"$NGINX_BIN" -t -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx" >"$RAW/nginx-t.txt" 2>&1 || die "nginx config: $(cat "$RAW/nginx-t.txt")"
"$NGINX_BIN" -c "$OUT/nginx/nginx.conf" -p "$OUT/nginx" >"$RAW/nginx.out" 2>&1 </dev/null &
NGINX_PID=$!
STARTED_PIDS+=("$NGINX_PID")
for i in $(seq 100); do
    curl -sf --max-time 1 -o /dev/null "http://127.0.0.1:$NGINX_PORT/healthz" && break
    kill -0 "$NGINX_PID" 2>/dev/null || die "nginx exited: $(cat "$RAW/nginx.out" "$OUT/nginx/nginx-error.log" 2>/dev/null | tail -3)"
    sleep 0.1
done
cmp -s <(curl -sf --max-time 5 "http://127.0.0.1:$NGINX_PORT/api/v2/connections/x") "$DATA/one.json" \
    || die "nginx does not serve one.json"

# ------------------------------------------------------------------ 4. alternating rounds
# Each round: a fresh server and database seeded through the API; each scenario runs against the
# server and its ceiling back to back, the server first in odd rounds and the ceiling first in even
# ones, so slow drift on the shared machine falls on both. Creates run last: they grow the store.
pair() { # pair ROUND SCENARIO SCRIPT CONNECTIONS
    if [ $(($1 % 2)) -eq 1 ]; then
        run_wrk "$1" "$2" ours "$SERVER_PORT" "$3" "$4" "$SERVER_PID"
        run_wrk "$1" "$2" nginx "$NGINX_PORT" "$3" "$4" "$NGINX_PID"
    else
        run_wrk "$1" "$2" nginx "$NGINX_PORT" "$3" "$4" "$NGINX_PID"
        run_wrk "$1" "$2" ours "$SERVER_PORT" "$3" "$4" "$SERVER_PID"
    fi
}

for round in $(seq "$ROUNDS"); do
    log "round $round of $ROUNDS"
    ROUND_DB="$DBDIR/round-$round.sqlite"
    remove_db "$ROUND_DB"
    start_server "$ROUND_DB" "round-$round"
    IDS="$DATA/ids-round-$round.txt"
    seed "$SEED_COUNT" 8 "$IDS" "bench"
    pair "$round" get get.lua 64
    pair "$round" list list.lua 64
    pair "$round" get1000 get.lua 1000
    run_wrk "$round" mixed ours "$SERVER_PORT" mixed.lua 64 "$SERVER_PID"
    if [ $((round % 2)) -eq 1 ]; then
        run_wrk "$round" patch ours "$SERVER_PORT" patch.lua 64 "$SERVER_PID"
        run_sqlite "$round"
        run_wrk "$round" post ours "$SERVER_PORT" post.lua 64 "$SERVER_PID"
    else
        run_sqlite "$round"
        run_wrk "$round" patch ours "$SERVER_PORT" patch.lua 64 "$SERVER_PID"
        run_wrk "$round" post ours "$SERVER_PORT" post.lua 64 "$SERVER_PID"
    fi
    stored_total >"$META/stored_after_round_$round"
    stop_server
    remove_db "$ROUND_DB"
done

# ------------------------------------------------------------------ 5. peak RSS with 10,000 stored
# Twice: seeded through the API into a running server, then the same database after a restart.
log "peak RSS: seeding $RSS_COUNT connections, then GET by id and list; again after a restart"
RSS_DB="$DBDIR/rss.sqlite"
remove_db "$RSS_DB"
start_server "$RSS_DB" rss
IDS="$DATA/ids-rss.txt"
seed "$RSS_COUNT" 16 "$IDS" "rss"
peak_kib "$SERVER_PID" >"$META/rss10k_seed_peak_kib"   # peak since exec, seeding included
stored_total >"$META/rss10k_stored"
# Round 0 in results.jsonl: these runs only measure memory; report.py takes the largest peak.
run_wrk 0 rss-get ours "$SERVER_PORT" get.lua 64 "$SERVER_PID"
run_wrk 0 rss-list ours "$SERVER_PORT" list.lua 64 "$SERVER_PID"
awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status" >"$META/rss10k_current_kib"
stop_server
# The same 10,000 after a restart: the server loads them all at start-up.
start_server "$RSS_DB" rss-restart
peak_kib "$SERVER_PID" >"$META/rss10k_restart_peak_kib"
run_wrk 0 rss-restart-get ours "$SERVER_PORT" get.lua 64 "$SERVER_PID"
run_wrk 0 rss-restart-list ours "$SERVER_PORT" list.lua 64 "$SERVER_PID"
stop_server
CONNECTIONS_API_TOKEN="$TOKEN" timeout 300 python3 "$BENCH/seed.py" coldstart --binary "$BIN" --db "$RSS_DB" --runs 3 \
    >"$META/coldstart_10000.json" || die "cold start (10,000 connections) failed"
log "cold start with $RSS_COUNT stored: $(cat "$META/coldstart_10000.json")"
remove_db "$RSS_DB"
stop_pid "$NGINX_PID"

uptime | sed 's/.*load average: //' >"$META/load_after"
date -u +%Y-%m-%dT%H:%MZ >"$META/date"

# ------------------------------------------------------------------ 6. report
REPORT="$OUT/BENCHMARKS.md"
[ "$WRITE_REPORT" = 1 ] && REPORT="$ROOT/BENCHMARKS.md"
python3 "$BENCH/report.py" --out "$OUT" --report "$REPORT" || die "report.py failed"
log "report: $REPORT"
