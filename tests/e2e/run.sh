#!/usr/bin/env bash
# Runs the end-to-end suite against a built server binary.
# Usage: tests/e2e/run.sh path/to/connections-api [extra pytest args...]
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
requirements="$repo/tests/e2e/requirements.txt"

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
# Reinstall only when the pinned list changes; pip itself is bounded by its timeout.
stamp="$venv/.e2e-requirements"
if ! cmp -s "$requirements" "$stamp"; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --timeout 60 -r "$requirements"
    cp "$requirements" "$stamp"
fi

export CONNECTIONS_API_BIN="$binary"
cd "$repo"
# The whole run is bounded: each request and subprocess has its own timeout, and this caps the sum.
exec timeout --kill-after=10 600 "$venv/bin/python" -m pytest tests/e2e -p no:cacheprovider "$@"
