#!/usr/bin/env bash
# Runs the end-to-end suite against a built server binary.
# Usage: tests/e2e/run.sh path/to/connections-api [extra pytest args...]
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 BINARY [pytest args...]" >&2
    exit 64
fi
if [ ! -f "$1" ] || [ ! -x "$1" ]; then
    echo "not an executable file: $1" >&2
    exit 66
fi
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift

repo=$(cd "$(dirname "$0")/../.." && pwd)
venv="$repo/.venv"
requirements="$repo/tests/e2e/requirements.txt"
constraints="$repo/tests/e2e/constraints.txt"

"$repo/scripts/python-venv" e2e "$requirements" "$constraints"

export CONNECTIONS_API_BIN="$binary"
cd "$repo"
# The whole run is bounded: each request and subprocess has its own timeout, and this caps the sum.
exec timeout --kill-after=10 600 "$venv/bin/python" -m pytest tests/e2e -p no:cacheprovider "$@"
