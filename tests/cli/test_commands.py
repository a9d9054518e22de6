"""`--version`, `--help` and usage errors of every command (CLI.md), and `serve`'s environment."""
import os
import re
import signal
import subprocess

import pytest

COMMANDS = ["serve", "lint", "migrate", "clients"]
FLAG_LINE = re.compile(r"^  (?:-h, )?(--[a-z][a-z-]*)(?: [^ ]+)?  +(\S.*)$")


def run(binary, *args, env=None):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CONNECTIONS_API_")}
    environment.update(env or {})
    return subprocess.run([binary, *args], capture_output=True, text=True, timeout=30, env=environment)


def described_flags(text):
    """{flag: description} for every option line of a usage text."""
    flags = {}
    for line in text.splitlines():
        match = FLAG_LINE.match(line)
        if match:
            flags[match.group(1)] = match.group(2)
    return flags


def test_version_prints_name_and_version(binary):
    completed = run(binary, "--version")
    assert completed.returncode == 0, completed.stderr
    assert re.fullmatch(r"connections-api \d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\n", completed.stdout), completed.stdout
    assert completed.stderr == ""


def test_main_help_lists_every_command_and_version(binary):
    completed = run(binary, "--help")
    assert completed.returncode == 0
    assert completed.stdout.startswith("Usage: connections-api [command]")
    for command in COMMANDS:
        assert re.search(rf"^  {command} +\S", completed.stdout, re.M), command
    assert "--version" in described_flags(completed.stdout)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_flag_of_every_command_has_a_description(binary, command):
    completed = run(binary, command, "--help")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith(f"Usage: connections-api {command}")
    assert "usage:" not in completed.stdout, "Usage is spelled one way"
    flags = described_flags(completed.stdout)
    assert "--help" in flags
    # Every flag the synopsis mentions is described on its own line.
    synopsis = completed.stdout.split("\n\n")[0]
    for flag in set(re.findall(r"--[a-z][a-z-]*", synopsis)):
        assert flag in flags, f"{flag} of {command} has no description"
    for flag, description in flags.items():
        assert len(description.split()) >= 2, f"{command} {flag}: {description!r}"


def test_serve_help_describes_its_flags(binary):
    flags = described_flags(run(binary, "serve", "--help").stdout)
    for flag in ["--host", "--port", "--db", "--rate-limit", "--rate-limit-admin", "--token-lifetime",
                 "--max-connections", "--head-timeout", "--body-timeout", "--idle-timeout", "--event-loops",
                 "--log-format", "--metrics", "--quiet"]:
        assert flag in flags, flag


@pytest.mark.parametrize("command", COMMANDS)
def test_a_wrong_flag_prints_usage_to_stderr_and_exits_64(binary, command):
    completed = run(binary, command, "--no-such-flag")
    assert completed.returncode == 64
    assert completed.stdout == ""
    assert "--no-such-flag" in completed.stderr
    assert f"Usage: connections-api {command}" in completed.stderr


def test_an_unknown_command_exits_64(binary):
    completed = run(binary, "frobnicate")
    assert completed.returncode == 64
    assert "Usage: connections-api" in completed.stderr


def start(binary, *args, env=None):
    """Starts `serve`, returns (process, ready line) once it is listening, or (process, None) if it exited."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CONNECTIONS_API_")}
    environment.update({"CONNECTIONS_API_TOKEN": "cli-test-token"}, **(env or {}))
    proc = subprocess.Popen([binary, "serve", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=environment)
    line = proc.stdout.readline()
    return proc, (line or None)


STDERR = {}


def stop(proc):
    """SIGTERM, wait, and keep what it wrote on stderr for `proc_stderr`."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        code = proc.wait(timeout=20)
        STDERR[proc.pid] = proc.stderr.read().splitlines()
        return code
    finally:
        proc.stdout.close()
        proc.stderr.close()


def proc_stderr(proc):
    return STDERR.get(proc.pid, [])


def test_serve_reads_its_flags_from_the_environment(binary):
    # CONNECTIONS_API_EVENT_LOOPS=0 is refused like --event-loops 0: the variable is read.
    completed = run(binary, "serve", "--port", "0", "--db", ":memory:", env={"CONNECTIONS_API_EVENT_LOOPS": "0"})
    assert completed.returncode == 64
    assert "--event-loops" in completed.stderr
    # A switch takes 1 or 0.
    completed = run(binary, "serve", "--port", "0", "--db", ":memory:", env={"CONNECTIONS_API_QUIET": "perhaps"})
    assert completed.returncode == 64
    assert "CONNECTIONS_API_QUIET" in completed.stderr


@pytest.mark.parametrize("args", [["--log-format", "yaml"], ["--metrics", "maybe"]])
def test_serve_refuses_unknown_values(binary, args):
    completed = run(binary, "serve", "--port", "0", "--db", ":memory:", *args)
    assert completed.returncode == 64
    assert args[0] in completed.stderr and "Usage: connections-api serve" in completed.stderr


def test_log_format_from_the_environment(binary):
    proc, line = start(binary, "--port", "0", "--db", ":memory:", env={"CONNECTIONS_API_LOG_FORMAT": "json"})
    try:
        assert line is not None, proc.stderr.read()
    finally:
        assert stop(proc) == 0
    lines = [l for l in proc_stderr(proc) if l.strip()]
    assert lines and all(l.startswith("{") for l in lines), lines


def test_serve_flags_win_over_the_environment(binary):
    proc, line = start(binary, "--port", "0", "--db", ":memory:", "--event-loops", "1",
                       env={"CONNECTIONS_API_EVENT_LOOPS": "0", "CONNECTIONS_API_PORT": "not-a-port",
                            "CONNECTIONS_API_DB": "/nonexistent/dir/x.sqlite"})
    try:
        assert line is not None and line.startswith("listening on http://127.0.0.1:"), proc.stderr.read()
        assert "(db :memory:)" in line
    finally:
        assert stop(proc) == 0


def test_serve_takes_port_and_db_from_the_environment(binary, tmp_path):
    db = tmp_path / "env.sqlite"
    proc, line = start(binary, env={"CONNECTIONS_API_PORT": "0", "CONNECTIONS_API_DB": str(db)})
    try:
        assert line is not None, proc.stderr.read()
        assert re.match(r"listening on http://127\.0\.0\.1:\d+ ", line) and f"(db {db})" in line
        assert db.exists()
    finally:
        assert stop(proc) == 0
