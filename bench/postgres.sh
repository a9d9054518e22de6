#!/usr/bin/env bash
# PostgreSQL (issue 12): durable writes against the pgbench ceiling, and GET by id against a
# SQLite-backed instance, in one run on one throwaway cluster (scripts/postgres-cluster). As
# root on Debian, after `swift build -c release`.
#
#   bench/postgres.sh [--rounds N] [--duration S] [--clients N]
#
# Two instances of the same release binary: one on the cluster, one on a SQLite file, each
# seeded through the API with the same 1,000 connections (bench/seed.py). Then, in each of N
# rounds (alternating, so load from other work on the machine falls on every arm alike):
#   pgbench    one-row INSERT of a ~1.5 KB text per transaction (autocommit, synchronous_commit
#              on): one transaction per request, the ceiling the API's group commit must beat
#   post       POST /api/v2/connections, a name unique to the request (nothing can 409)
#   patch      PATCH /api/v2/connections/{id} of a random seeded id, a body that changes it
#   get        GET /api/v2/connections/{id} of a random seeded id
# each write scenario on both instances, the PostgreSQL one first in odd rounds and second in
# even ones. wrk's Lua checks every status (bench/checked.lua); any answer that is not 2xx is
# reported. Same client count everywhere. Prints each run and the medians with their range.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3
duration=10
clients=64
while [[ $# -gt 0 ]]; do
    case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    *) echo "usage: $0 [--rounds N] [--duration S] [--clients N]" >&2; exit 2 ;;
    esac
done

bin="$(swift build -c release --show-bin-path)/connections-api"
[[ -x "$bin" ]] || { echo "build first: swift build -c release" >&2; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
pgbin="$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)"

work="$(mktemp -d /tmp/connections-api-pgbench.XXXXXX)"
cluster="$work/cluster"
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]+"${pids[@]}"}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    scripts/postgres-cluster stop "$cluster" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# The cluster runs as the unprivileged postgres user, which must reach its directory.
chmod 755 "$work"
url="$(scripts/postgres-cluster start "$cluster")"
psql "$url" -qc "CREATE TABLE bench_rows (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)"
python3 -c 'print("INSERT INTO bench_rows (body) VALUES (\x27" + "x" * 1500 + "\x27);")' >"$work/insert.sql"

token="bench-$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
export CONNECTIONS_API_TOKEN="$token" BENCH_DIR="$PWD/bench" BENCH_DATA="$work/data" BENCH_RUN="$(date +%s)"
mkdir -p "$work/data"
python3 bench/seed.py templates --out "$work/data" >/dev/null

declare -A port
# start NAME DB: one instance on a free loopback port, seeded with 1,000 connections.
start() {
    local name="$1" db="$2" i
    "$bin" serve --host 127.0.0.1 --port 0 --db "$db" --rate-limit off --quiet \
        >"$work/$name.out" 2>"$work/$name.err" </dev/null &
    pids+=("$!")
    for i in $(seq 300); do
        port[$name]="$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9][0-9]*\).*|\1|p' "$work/$name.out" | head -1)"
        [[ -n "${port[$name]}" ]] && break
        sleep 0.1
    done
    [[ -n "${port[$name]}" ]] || { cat "$work/$name.err" >&2; exit 1; }
    timeout 600 python3 bench/seed.py seed --port "${port[$name]}" --count 1000 --concurrency 8 \
        --ids "$work/ids-$name.txt" --prefix "seed" >/dev/null
}
start postgresql "$url"
start sqlite "$work/sqlite.db"

results="$work/results.tsv"
: >"$results"
# The writer's commits so far (/metrics): count, seconds spent committing, writes committed.
commits() {
    curl -sS --max-time 10 -H "Authorization: Bearer $token" "http://127.0.0.1:${port[$1]}/metrics" \
        | awk '/^connections_api_store_commit_duration_seconds_count/ {c=$2}
               /^connections_api_store_commit_duration_seconds_sum/ {s=$2}
               /^connections_api_store_commit_batch_size_sum/ {w=$2}
               END {print c, s, w}'
}
# api ROUND SCENARIO NAME: one wrk run, one line in results.tsv (requests/s, p99 ms, not 2xx,
# socket errors, and for writes the mean group size and the share of the run the writer spent
# in its transactions).
api() {
    local out before after
    before="$(commits "$3")"
    out="$(BENCH_SCENARIO="$2" BENCH_IDS="$work/ids-$3.txt" timeout $((duration + 60)) \
        wrk -t 2 -c "$clients" -d "${duration}s" --timeout 5s -s bench/checked.lua "http://127.0.0.1:${port[$3]}")"
    after="$(commits "$3")"
    python3 - "$1" "$2" "$3" "$out" "$before" "$after" >>"$results" <<'PY'
import json, sys
round_, scenario, name, out, before, after = sys.argv[1:7]
fields = {}
for line in out.splitlines():
    for tag in ("BENCH_RESULT ", "BENCH_STATUS "):
        if line.startswith(tag):
            fields.update(json.loads(line[len(tag):]))
seconds = fields["duration_us"] / 1e6
rate = fields["requests"] / seconds
errors = fields["connect_errors"] + fields["read_errors"] + fields["write_errors"] + fields["timeouts"]
(c0, s0, w0), (c1, s1, w1) = ([float(x) for x in text.split()] for text in (before, after))
group = f"{(w1 - w0) / (c1 - c0):.1f}" if c1 > c0 else "-"
busy = f"{(s1 - s0) / seconds:.0%}" if c1 > c0 else "-"
print(f"{round_}\t{scenario}\t{name}\t{rate:.0f}\t{fields['p99_us'] / 1000:.1f}\t{fields['not_2xx']}\t{errors}\t{group}\t{busy}")
PY
    tail -n 1 "$results"
}
ceiling() {
    local tps
    tps="$("$pgbin/pgbench" -n -f "$work/insert.sql" -c "$clients" -j 2 -T "$duration" "$url" 2>&1 \
        | sed -n 's/^tps = \([0-9.]*\).*/\1/p')"
    printf '%s\tinsert\tpgbench\t%.0f\t-\t0\t0\t-\t-\n' "$1" "$tps" | tee -a "$results"
}

echo "round	scenario	target	per_s	p99_ms	not_2xx	socket_errors	writes_per_commit	writer_busy"
for round in $(seq "$rounds"); do
    order=(postgresql sqlite)
    ((round % 2 == 0)) && order=(sqlite postgresql)
    ceiling "$round"
    for scenario in post patch get; do
        for name in "${order[@]}"; do api "$round" "$scenario" "$name"; done
    done
done

echo
echo "medians of $rounds rounds, ${duration}s each, $clients clients (min-max):"
python3 - "$results" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    round_, scenario, target, rate, p99, not_2xx, errors, group, busy = line.rstrip("\n").split("\t")
    runs.setdefault((scenario, target), []).append((float(rate), p99, int(not_2xx), int(errors), group, busy))
ceiling = statistics.median(r[0] for r in runs[("insert", "pgbench")])
for (scenario, target), values in runs.items():
    rates = [v[0] for v in values]
    median = statistics.median(rates)
    bad = sum(v[2] for v in values) + sum(v[3] for v in values)
    print(f"{scenario:7} {target:10} {median:8.0f}/s ({min(rates):.0f}-{max(rates):.0f}), "
          f"{median / ceiling:.2f}x pgbench, p99 ms {' '.join(v[1] for v in values)}, "
          f"writes/commit {' '.join(v[4] for v in values)}, writer busy {' '.join(v[5] for v in values)}, "
          f"not 2xx or socket errors: {bad}")
PY
