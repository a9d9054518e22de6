import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = REPO / "Tests" / "Fixtures" / "lint"


class Run:
    def __init__(self, completed):
        self.code = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr


@pytest.fixture(scope="session")
def binary():
    path = os.environ.get("CONNECTIONS_API_BIN")
    if not path:
        pytest.fail("CONNECTIONS_API_BIN is not set: run tests/cli/run.sh BINARY")
    return path


@pytest.fixture
def lint(binary):
    """Runs `connections-api lint ARGS` in the fixtures folder, so paths stay relative."""

    def run(*args, stdin=None, cwd=FIXTURES):
        completed = subprocess.run(
            [binary, "lint", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return Run(completed)

    return run


def position(fixture, before, value):
    """1-based line and column of `value` where it first follows `before` in a fixture."""
    text = (FIXTURES / fixture).read_text()
    at = text.index(before + value) + len(before)
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return line, column
