#!/usr/bin/env bash
# What authenticating a request costs on PostgreSQL (docs/DECISIONS.md, "Credentials across
# instances"): wrk GETs of one connection by id with a machine client's token and with the admin
# token, at 1 and 16 connections, against a server on the PostgreSQL database at URL.
#
#   bench/credentials-check.sh BINARY URL [SECONDS]
#
# URL should name an empty schema or database (the server migrates it). Wall-clock figures:
# run the binaries to compare back to back on an otherwise idle machine.
set -euo pipefail
bin="$1"
url="$2"
duration="${3:-5}"
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
token="bench-$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
CONNECTIONS_API_TOKEN="$token" "$bin" serve --port 0 --db "$url" --rate-limit off >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 1 300); do
    port="$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/out" | grep -o '[0-9]*$' || true)"
    [[ -n "$port" ]] && break
    sleep 0.1
done
[[ -n "$port" ]] || { cat "$work/err" >&2; exit 1; }
api="http://127.0.0.1:$port"
id="$(curl -sf -X POST "$api/api/v2/connections" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench-$RANDOM\",\"strategy\":\"auth0\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
created="$("$bin" clients create --name bench --scopes read:connections --db "$url")"
client_id="$(sed -n 's/^client_id: *//p' <<<"$created")"
secret="$(sed -n 's/^client_secret: *//p' <<<"$created")"
client_token="$(curl -sf -X POST "$api/oauth/token" -H 'Content-Type: application/json' \
    -d "{\"grant_type\":\"client_credentials\",\"client_id\":\"$client_id\",\"client_secret\":\"$secret\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')"
for who in client admin; do
    bearer="$client_token"
    [[ "$who" == admin ]] && bearer="$token"
    for connections in 1 16; do
        echo "== GET /api/v2/connections/{id}, $who token, $connections connection(s), ${duration}s"
        wrk -t 1 -c "$connections" -d "${duration}s" --timeout 5s --latency -H "Authorization: Bearer $bearer" \
            "$api/api/v2/connections/$id" 2>&1 | grep -E "Requests/sec|^ +(50|99)%|Non-2xx|Socket errors"
    done
done
