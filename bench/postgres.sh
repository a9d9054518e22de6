#!/usr/bin/env bash
# PostgreSQL (issue 12): durable writes against the pgbench ceiling, and GET by id against a
# SQLite-backed instance, in one run on one throwaway cluster (scripts/postgres-cluster). As
# root on Debian, after `swift build -c release`.
#
#   bench/postgres.sh [--rounds N] [--duration S] [--clients N] [--bin PATH] [--scenarios "post patch get"]
#
# --bin: the binary to measure (default: the release build), e.g. main's, for a before/after.
# --scenarios: which API scenarios to run (all three by default; pgbench runs in every round).
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
# reported. Same client count everywhere. Prints each run and the medians with their range, and
# the CPU each request (or pgbench transaction) cost: our server's, the cluster's (postmaster,
# backends, walwriter...: every process of it, those that exited included) and the load
# client's (wrk or pgbench); on 2 shared cores the rate alone says little.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=3
duration=10
clients=64
bin=""
scenarios="post patch get"
while [[ $# -gt 0 ]]; do
    case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    *) echo "usage: $0 [--rounds N] [--duration S] [--clients N] [--bin PATH] [--scenarios LIST]" >&2; exit 2 ;;
    esac
done

[[ -n "$bin" ]] || bin="$(swift build -c release --show-bin-path)/connections-api"
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

declare -A port pid
# start NAME DB: one instance on a free loopback port, seeded with 1,000 connections.
start() {
    local name="$1" db="$2" i
    "$bin" serve --host 127.0.0.1 --port 0 --db "$db" --rate-limit off --quiet \
        >"$work/$name.out" 2>"$work/$name.err" </dev/null &
    pids+=("$!")
    pid[$name]="$!"
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

# cpu_seconds PID [cluster]: the CPU seconds a process used; with "cluster", a postmaster's and
# every child's, those it reaped included (cutime, cstime: pgbench's backends exit).
cpu_seconds() {
    python3 - "$@" <<'PY'
import os, sys
hz = os.sysconf("SC_CLK_TCK")
root, cluster = int(sys.argv[1]), len(sys.argv) > 2
def fields(p):
    text = open(f"/proc/{p}/stat").read()
    return text[text.rindex(")") + 2:].split()
total = 0
for entry in os.listdir("/proc"):
    if not entry.isdigit():
        continue
    try:
        f = fields(entry)
    except OSError:
        continue
    if int(entry) == root:
        total += sum(int(x) for x in f[11:15 if cluster else 13])
    elif cluster and int(f[1]) == root:
        total += int(f[11]) + int(f[12])
print(total / hz)
PY
}
postmaster() { head -n 1 "$cluster/data/postmaster.pid"; }

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
    local out before after cpu_before cpu_after
    before="$(commits "$3")"
    cpu_before="$(cpu_seconds "${pid[$3]}") $(cpu_seconds "$(postmaster)" cluster)"
    out="$(BENCH_SCENARIO="$2" BENCH_IDS="$work/ids-$3.txt" timeout $((duration + 60)) \
        /usr/bin/time -f 'CLIENT_CPU %U %S' -o "$work/client.cpu" \
        wrk -t 2 -c "$clients" -d "${duration}s" --timeout 5s -s bench/checked.lua "http://127.0.0.1:${port[$3]}")"
    cpu_after="$(cpu_seconds "${pid[$3]}") $(cpu_seconds "$(postmaster)" cluster)"
    after="$(commits "$3")"
    python3 - "$1" "$2" "$3" "$out" "$before" "$after" "$cpu_before" "$cpu_after" "$(cat "$work/client.cpu")" >>"$results" <<'PY'
import json, sys
round_, scenario, name, out, before, after, cpu_before, cpu_after, client = sys.argv[1:10]
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
(server0, cluster0), (server1, cluster1) = ([float(x) for x in text.split()] for text in (cpu_before, cpu_after))
client_s = sum(float(x) for x in client.split()[1:3])
per = lambda s: f"{s / fields['requests'] * 1e6:.0f}"
cluster_us = per(cluster1 - cluster0) if name == "postgresql" else "-"
print(f"{round_}\t{scenario}\t{name}\t{rate:.0f}\t{fields['p99_us'] / 1000:.1f}\t{fields['not_2xx']}\t{errors}\t{group}\t{busy}"
      f"\t{per(server1 - server0)}\t{cluster_us}\t{per(client_s)}")
PY
    tail -n 1 "$results"
}
ceiling() {
    local out tps transactions cluster_before cluster_after
    cluster_before="$(cpu_seconds "$(postmaster)" cluster)"
    out="$(/usr/bin/time -f 'CLIENT_CPU %U %S' -o "$work/client.cpu" \
        "$pgbin/pgbench" -n -f "$work/insert.sql" -c "$clients" -j 2 -T "$duration" "$url" 2>&1)"
    cluster_after="$(cpu_seconds "$(postmaster)" cluster)"
    tps="$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out")"
    transactions="$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")"
    python3 - "$1" "$tps" "$transactions" "$cluster_before" "$cluster_after" "$(cat "$work/client.cpu")" <<'PY' | tee -a "$results"
import sys
round_, tps, transactions, before, after, client = sys.argv[1:7]
n = int(transactions)
client_s = sum(float(x) for x in client.split()[1:3])
print(f"{round_}\tinsert\tpgbench\t{float(tps):.0f}\t-\t0\t0\t-\t-\t-\t{(float(after) - float(before)) / n * 1e6:.0f}\t{client_s / n * 1e6:.0f}")
PY
}

echo "round	scenario	target	per_s	p99_ms	not_2xx	socket_errors	writes_per_commit	writer_busy	server_us	cluster_us	client_us"
for round in $(seq "$rounds"); do
    order=(postgresql sqlite)
    ((round % 2 == 0)) && order=(sqlite postgresql)
    ceiling "$round"
    for scenario in $scenarios; do
        for name in "${order[@]}"; do api "$round" "$scenario" "$name"; done
    done
done

echo
echo "medians of $rounds rounds, ${duration}s each, $clients clients (min-max):"
python3 - "$results" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    round_, scenario, target, rate, p99, not_2xx, errors, group, busy, server, cluster, client = line.rstrip("\n").split("\t")
    runs.setdefault((scenario, target), []).append(
        (float(rate), p99, int(not_2xx), int(errors), group, busy, server, cluster, client))
ceiling = statistics.median(r[0] for r in runs[("insert", "pgbench")])
for (scenario, target), values in runs.items():
    rates = [v[0] for v in values]
    median = statistics.median(rates)
    bad = sum(v[2] for v in values) + sum(v[3] for v in values)
    print(f"{scenario:7} {target:10} {median:8.0f}/s ({min(rates):.0f}-{max(rates):.0f}), "
          f"{median / ceiling:.2f}x pgbench, p99 ms {' '.join(v[1] for v in values)}, "
          f"writes/commit {' '.join(v[4] for v in values)}, writer busy {' '.join(v[5] for v in values)}, "
          f"CPU us/request server {' '.join(v[6] for v in values)} cluster {' '.join(v[7] for v in values)} "
          f"client {' '.join(v[8] for v in values)}, not 2xx or socket errors: {bad}")
PY
