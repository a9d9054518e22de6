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

if [ ! -x "$venv/bin/python" ]; then
    # Debian ships venv separately (python3-venv); fall back to virtualenv from PyPI.
    if ! python3 -m venv "$venv" 2>/dev/null; then
        rm -rf "$venv"
        python3 -m virtualenv --version >/dev/null 2>&1 \
            || python3 -m pip install --user --quiet virtualenv \
            || python3 -m pip install --user --quiet --break-system-packages virtualenv
        python3 -m virtualenv --quiet "$venv"
    fi
fi
# Reinstall only when the pinned list changes; pip itself is bounded by its timeout.
stamp="$venv/.cli-requirements"
if ! cmp -s "$requirements" "$stamp"; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --timeout 60 -r "$requirements"
    cp "$requirements" "$stamp"
fi

export CONNECTIONS_API_BIN="$binary"
cd "$repo"
exec timeout --kill-after=10 300 "$venv/bin/python" -m pytest tests/cli -p no:cacheprovider "$@"
