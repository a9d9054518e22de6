#!/usr/bin/env bash
# Runs the lint CLI tests against a built binary.
# Usage: tests/cli/run.sh path/to/connections-api [extra pytest args...]
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 BINARY [pytest args...]" >&2
    exit 64
fi
binary=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
if [ ! -x "$binary" ]; then
    echo "not an executable: $binary" >&2
    exit 66
fi

repo=$(cd "$(dirname "$0")/../.." && pwd)
venv="$repo/.venv"
requirements="$repo/tests/cli/requirements.txt"

"$repo/scripts/python-venv" cli "$requirements"

export CONNECTIONS_API_BIN="$binary"
cd "$repo"
exec timeout --kill-after=10 300 "$venv/bin/python" -m pytest tests/cli -p no:cacheprovider "$@"
