"""The admin token across restarts and beside a running server (CLI.md, "serve"):
`CONNECTIONS_API_TOKEN` set, dropped, `admin-token rotate` and `revoke`, a token generated only
when the database holds neither an admin token nor a machine client, and the start line
that says which is in force.
"""

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import pytest
import requests

from support import READY_LINE, REQUEST_TIMEOUT, START_TIMEOUT, STOP_TIMEOUT, server_binary

API = "/api/v2/connections"
# A server log line: `<timestamp> info ` before it in the text format (the default).
START_LINE = re.compile(r"^(?:\S+ info )?connections-api \S+ starting: backend sqlite, db (\S+), admin token: (.+)$", re.M)
SHOWN_ONCE = re.compile(r"admin token \(shown once; only its hash is kept\): (\S+)")


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONNECTIONS_API_")}
    env.update(extra)
    return env


def cli(*args, db):
    done = subprocess.run([server_binary(), *args, "--db", db], capture_output=True, text=True, timeout=30,
                          env=clean_env())
    return done


class Started:
    """A server started with or without CONNECTIONS_API_TOKEN: what it printed and its start line."""

    def __init__(self, db, workdir, token=None):
        self.stderr_path = os.path.join(workdir, f"stderr-{time.monotonic_ns()}.log")
        self._stderr = open(self.stderr_path, "wb")
        env = clean_env(**({"CONNECTIONS_API_TOKEN": token} if token else {}))
        self.proc = subprocess.Popen([server_binary(), "serve", "--port", "0", "--db", db], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=self._stderr, env=env)
        self.printed = []
        self.port = None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline().decode("utf-8", "replace")
            if not line:
                break
            match = READY_LINE.search(line)
            if match:
                self.port = int(match.group(1))
                break
            self.printed.append(line.rstrip("\n"))
        if self.port is None:
            self.stop()
            raise AssertionError(f"server did not start; printed {self.printed}; stderr {self.stderr()}")

    def stderr(self):
        with open(self.stderr_path, "rb") as handle:
            return handle.read().decode("utf-8", "replace")

    @property
    def admin_source(self):
        match = START_LINE.search(self.stderr())
        assert match, f"no start line on stderr: {self.stderr()}"
        return match.group(2)

    @property
    def generated(self):
        tokens = [m.group(1) for line in self.printed if (m := SHOWN_ONCE.search(line))]
        assert len(tokens) <= 1, self.printed
        return tokens[0] if tokens else None

    def status_with(self, token):
        return requests.get(f"http://127.0.0.1:{self.port}{API}", headers={"Authorization": f"Bearer {token}"},
                            timeout=REQUEST_TIMEOUT).status_code

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(STOP_TIMEOUT)
        self._stderr.close()
        return self.proc.returncode


@pytest.fixture
def db():
    path = tempfile.mkdtemp(prefix="connections-admin-")
    yield os.path.join(path, "x.sqlite")
    shutil.rmtree(path, ignore_errors=True)


def start(db, token=None):
    return Started(db, os.path.dirname(db), token)


def test_the_environment_token_replaces_a_generated_one_and_stays_when_dropped(db):
    srv = start(db)
    generated = srv.generated
    assert generated and srv.admin_source == "generated"
    assert srv.status_with(generated) == 200
    assert srv.stop() == 0

    srv = start(db, token="from-the-environment")
    try:
        assert srv.generated is None and srv.admin_source == "from CONNECTIONS_API_TOKEN"
        assert srv.status_with("from-the-environment") == 200
        assert srv.status_with(generated) == 401, "the token generated earlier stops working"
    finally:
        assert srv.stop() == 0

    srv = start(db)
    try:
        assert srv.generated is None, "nothing is generated while a token is stored"
        assert srv.admin_source == "stored"
        assert srv.status_with("from-the-environment") == 200, "the last configured token stays in force"
        assert srv.status_with(generated) == 401, "dropping the variable does not bring back the first token"
    finally:
        assert srv.stop() == 0


def test_rotate_beside_a_running_server_takes_effect_at_its_next_request(db):
    srv = start(db, token="before-rotation")
    try:
        assert srv.status_with("before-rotation") == 200
        done = cli("admin-token", "rotate", db=db)
        assert done.returncode == 0, done.stderr
        rotated = SHOWN_ONCE.search(done.stdout).group(1)
        assert len(rotated) >= 32
        assert srv.status_with("before-rotation") == 401
        assert srv.status_with(rotated) == 200
    finally:
        assert srv.stop() == 0
    assert rotated.encode() not in open(srv.stderr_path, "rb").read()

    srv = start(db)
    try:
        assert srv.admin_source == "stored" and srv.generated is None
        assert srv.status_with(rotated) == 200
    finally:
        assert srv.stop() == 0


def test_revoke_leaves_only_machine_clients(db):
    rotated = cli("admin-token", "rotate", db=db)
    assert rotated.returncode == 0, rotated.stderr
    refused = cli("admin-token", "revoke", db=db)
    assert refused.returncode == 1 and "no active machine client" in refused.stderr, refused.stderr
    created = cli("clients", "create", "--name", "ci", "--scopes", "read:connections", db=db)
    assert created.returncode == 0, created.stderr
    client_id = re.search(r"client_id:\s*(\S+)", created.stdout).group(1)
    secret = re.search(r"client_secret:\s*(\S+)", created.stdout).group(1)

    srv = start(db, token="admin-before-revoke")
    try:
        assert srv.status_with("admin-before-revoke") == 200
        done = cli("admin-token", "revoke", db=db)
        assert done.returncode == 0, done.stderr
        assert srv.status_with("admin-before-revoke") == 401, "a revoked admin token is refused at the next request"
        issued = requests.post(f"http://127.0.0.1:{srv.port}/oauth/token", timeout=REQUEST_TIMEOUT, json={
            "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
        assert issued.status_code == 200, issued.text
        assert srv.status_with(issued.json()["access_token"]) == 200
    finally:
        assert srv.stop() == 0

    srv = start(db)
    try:
        assert srv.generated is None, "machine clients exist: no token is generated"
        assert srv.admin_source.startswith("none")
        assert srv.status_with("admin-before-revoke") == 401
    finally:
        assert srv.stop() == 0


def test_a_token_is_generated_only_when_nothing_is_stored(db):
    srv = start(db)
    first = srv.generated
    assert first and srv.admin_source == "generated"
    assert srv.stop() == 0
    srv = start(db)
    try:
        assert srv.generated is None and srv.admin_source == "stored"
        assert srv.status_with(first) == 200
    finally:
        assert srv.stop() == 0
