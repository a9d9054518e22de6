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

if [ ! -x "$venv/bin/python" ]; then
    if ! python3 -m venv "$venv"; then
        echo "python3 -m venv failed; on Debian: apt-get install python3-venv" >&2
        rm -rf "$venv"
        exit 69
    fi
fi
# Reinstall only when the pinned lists change; pip itself is bounded by its timeout.
stamp="$venv/.e2e-requirements"
if ! cat "$requirements" "$constraints" | cmp -s - "$stamp"; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --timeout 60 \
        -r "$requirements" -c "$constraints"
    cat "$requirements" "$constraints" > "$stamp"
fi

export CONNECTIONS_API_BIN="$binary"
cd "$repo"
# The whole run is bounded: each request and subprocess has its own timeout, and this caps the sum.
exec timeout --kill-after=10 600 "$venv/bin/python" -m pytest tests/e2e -p no:cacheprovider "$@"
