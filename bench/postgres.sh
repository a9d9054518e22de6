#!/usr/bin/env bash
# Durable writes on PostgreSQL (issue 12): the pgbench ceiling beside creates through the API,
# in the same run, on the same throwaway cluster (scripts/postgres-cluster), at the same client
# count. As root on Debian, after `swift build -c release`.
#
#   bench/postgres.sh [--duration S] [--clients N]
#
# pgbench runs a one-row INSERT of a ~1.5 KB text per transaction (autocommit, synchronous_commit
# on): one transaction per request, what the API beats by grouping. wrk then POSTs minimal
# connections, unique names per request, against one release instance on the same database.
set -euo pipefail
cd "$(dirname "$0")/.."

duration=10
clients=64
while [[ $# -gt 0 ]]; do
    case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    *) echo "usage: $0 [--duration S] [--clients N]" >&2; exit 2 ;;
    esac
done

bin="$(swift build -c release --show-bin-path)/connections-api"
[[ -x "$bin" ]] || { echo "build first: swift build -c release" >&2; exit 1; }
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
pgbin="$(ls -d /usr/lib/postgresql/*/bin | tail -n 1)"

work="$(mktemp -d /tmp/connections-api-pgbench.XXXXXX)"
cluster="$work/cluster"
server_pid=""
cleanup() {
    [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    scripts/postgres-cluster stop "$cluster" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# The cluster runs as the unprivileged postgres user, which must reach its directory.
chmod 755 "$work"
url="$(scripts/postgres-cluster start "$cluster")"

# The ceiling: one INSERT per transaction, as many clients.
psql "$url" -qc "CREATE TABLE bench_rows (id BIGSERIAL PRIMARY KEY, body TEXT NOT NULL)"
body="$(python3 -c 'print("x" * 1500)')"
echo "INSERT INTO bench_rows (body) VALUES ('$body');" >"$work/insert.sql"
echo "== pgbench: one-row INSERT, $clients clients, ${duration}s"
"$pgbin/pgbench" -n -f "$work/insert.sql" -c "$clients" -j 2 -T "$duration" "$url" 2>&1 | grep -E "tps|latency average"

# Creates through the API.
token="bench-$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
CONNECTIONS_API_TOKEN="$token" "$bin" serve --port 0 --db "$url" >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
for _ in $(seq 100); do
    port="$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/server.out" | grep -o '[0-9]*$' || true)"
    [[ -n "$port" ]] && break
    sleep 0.1
done
[[ -n "$port" ]] || { cat "$work/server.err" >&2; exit 1; }
cat >"$work/post.lua" <<LUA
local count = 0
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init(args) prefix = "b" .. os.time() .. "t" .. tid end
function request()
  count = count + 1
  return wrk.format("POST", "/api/v2/connections",
    { ["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json" },
    '{"name":"' .. prefix .. "-" .. count .. '","strategy":"auth0"}')
end
LUA
echo "== API creates on PostgreSQL: wrk, $clients connections, ${duration}s"
wrk -t 2 -c "$clients" -d "${duration}s" --timeout 5s -s "$work/post.lua" "http://127.0.0.1:$port" 2>&1 \
    | grep -E "Requests/sec|Latency|Non-2xx|Socket errors"
