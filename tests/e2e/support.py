"""Shared helpers for the end-to-end suite: real server processes on 127.0.0.1, port 0.

Each server gets a fresh database (a temporary SQLite file, or on the PostgreSQL backend a
schema of its own in the test cluster's database) and a random admin token, so tests never see
each other's data unless they share a module-scoped server on purpose. Every request and every
subprocess wait is bounded by a timeout.

The PostgreSQL backend's tests need CONNECTIONS_API_TEST_POSTGRES_URL (scripts/test starts a
throwaway cluster and sets it). Without it they are skipped, unless
CONNECTIONS_API_REQUIRE_POSTGRES=1 (scripts/test sets it): then they fail.
"""

import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest
import requests

import openapi_check

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

REQUEST_TIMEOUT = 15
START_TIMEOUT = 30
STOP_TIMEOUT = 10

READY_LINE = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")

BACKENDS = ["sqlite", "postgres"]


def required_environment(name: str, what: str) -> str:
    """A PostgreSQL test setting; skips without it, or fails when PostgreSQL is required."""
    value = os.environ.get(name)
    if not value:
        if os.environ.get("CONNECTIONS_API_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"CONNECTIONS_API_REQUIRE_POSTGRES=1 but {name} ({what}) is not set")
        pytest.skip(f"no PostgreSQL: {name} ({what}) is not set; see scripts/postgres-cluster")
    return value


def postgres_url() -> str:
    """The test cluster's URL."""
    return required_environment("CONNECTIONS_API_TEST_POSTGRES_URL", "the test cluster's URL")


def psql(url: str, sql: str) -> str:
    """Runs SQL on the test cluster as the URL's role; returns psql's unaligned output."""
    done = subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
                          capture_output=True, text=True, timeout=30)
    if done.returncode != 0:
        raise RuntimeError(f"psql failed: {done.stderr}")
    return done.stdout


def postgres_database() -> str:
    """A fresh, empty database for one server (or several sharing it): a schema of its own in
    the cluster's database (the test role owns that database, but may not create others)."""
    url = postgres_url()
    schema = "e2e_" + secrets.token_hex(6)
    psql(url, f"CREATE SCHEMA {schema}")
    return url + ("&" if "?" in url else "?") + "options=-csearch_path%3D" + schema


def fresh_db(backend: str):
    """`--db` for a new server on `backend`: None (a temporary SQLite file) or a PostgreSQL URL."""
    return postgres_database() if backend == "postgres" else None


# `serve` flag for a tenant that kept Auth0's legacy enabled-client management (API.md).
LEGACY_ENABLED_CLIENTS = "--legacy-enabled-clients"


def conformance_file(name: str) -> Path:
    """The contract's conformance data: `$CONNECTIONS_SHARED_DIR/conformance` when set, else the
    repository's copy (refreshed by scripts/sync-conformance), so the suite runs from any clone."""
    env = os.environ.get("CONNECTIONS_SHARED_DIR")
    base = Path(env) / "conformance" if env else REPO / "Tests" / "Fixtures" / "conformance"
    return base / name


def wait_for_ready_line(proc, timeout=START_TIMEOUT):
    """The port of the server's `listening on` line on `proc`'s stdout, or None if it did not print
    one within `timeout` seconds (or exited first). Keeps draining stdout so the server never blocks."""
    found = {}
    ready = threading.Event()

    def read_stdout():
        for raw in proc.stdout:
            match = READY_LINE.search(raw.decode("utf-8", "replace"))
            if match and "port" not in found:
                found["port"] = int(match.group(1))
                ready.set()
        ready.set()

    threading.Thread(target=read_stdout, daemon=True).start()
    ready.wait(timeout)
    return found.get("port")


def server_binary() -> str:
    binary = os.environ.get("CONNECTIONS_API_BIN")
    if not binary:
        pytest.exit("CONNECTIONS_API_BIN is not set; run tests/e2e/run.sh BINARY", returncode=2)
    if not os.access(binary, os.X_OK):
        pytest.exit(f"CONNECTIONS_API_BIN={binary} is not an executable file", returncode=2)
    return binary


class Server:
    """One `connections-api serve` process with its own database and admin token."""

    def __init__(self, extra_args=(), extra_env=None, db=None):
        self.token = (extra_env or {}).get("CONNECTIONS_API_TOKEN") or "e2e-" + secrets.token_urlsafe(24)
        # Whether connections carry `enabled_clients` (flag or environment, API.md).
        self.legacy = LEGACY_ENABLED_CLIENTS in extra_args or (extra_env or {}).get(
            "CONNECTIONS_API_LEGACY_ENABLED_CLIENTS") in ("1", "true")
        self.dir = tempfile.mkdtemp(prefix="connections-e2e-")
        self.db = db or os.path.join(self.dir, "x.sqlite")
        self.stderr_path = os.path.join(self.dir, "stderr.log")
        env = dict(os.environ)
        # Every serve flag is also read from CONNECTIONS_API_<FLAG>: none leaks in from outside.
        for key in [key for key in env if key.startswith("CONNECTIONS_API_")]:
            env.pop(key)
        env["CONNECTIONS_API_TOKEN"] = self.token
        env.update(extra_env or {})
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            [server_binary(), "serve", "--port", "0", "--db", self.db, *extra_args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        self.port = self._wait_ready()
        self.base = f"http://127.0.0.1:{self.port}"
        self.session = requests.Session()

    def _wait_ready(self) -> int:
        port = wait_for_ready_line(self.proc)
        if port is None:
            self.stop()
            raise RuntimeError(
                f"server did not print its ready line within {START_TIMEOUT}s; stderr:\n{self.stderr_tail()}"
            )
        return port

    def stderr_tail(self, limit=4000) -> str:
        try:
            with open(self.stderr_path, "rb") as handle:
                return handle.read()[-limit:].decode("utf-8", "replace")
        except OSError:
            return ""

    def _terminate(self) -> bool:
        """SIGTERM and wait; SIGKILL after STOP_TIMEOUT. True when SIGTERM alone stopped it."""
        if self.proc.poll() is not None:
            return True
        self.proc.terminate()
        try:
            self.proc.wait(STOP_TIMEOUT)
            return True
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(STOP_TIMEOUT)
            return False

    def stop_gracefully(self) -> int:
        """SIGTERM and wait (CLI.md: finish in-flight requests, close the database, exit 0)."""
        if not self._terminate():
            raise AssertionError(f"server ignored SIGTERM for {STOP_TIMEOUT}s")
        return self.proc.returncode

    def stop(self):
        self._terminate()
        self._stderr.close()
        if getattr(self, "session", None) is not None:
            self.session.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- HTTP helpers -------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base + path

    def request(self, method, path, body=None, *, token=None, headers=None, raw=None, params=None):
        """`path` is the full path (`/api/v2/...`). `body` is JSON-encoded; `raw` is sent as is."""
        hdrs = {}
        use_token = self.token if token is None else token
        if use_token is not False:
            hdrs["Authorization"] = f"Bearer {use_token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        if raw is not None:
            data = raw
        hdrs.update(headers or {})
        resp = self.session.request(
            method, self.url(path), data=data, headers=hdrs, params=params, timeout=REQUEST_TIMEOUT
        )
        # Every response the suite gets conforms to the service's own OpenAPI document.
        openapi_check.check(method, path.split("?")[0], resp)
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def create(self, name, strategy="auth0", **fields):
        resp = self.post("/api/v2/connections", {"name": name, "strategy": strategy, **fields})
        assert resp.status_code == 201, describe(resp)
        return resp.json()

    def set_identifier_first(self, value=True):
        resp = self.patch("/api/v2/prompts", {"identifier_first": value})
        assert resp.status_code == 200, describe(resp)

    def healthy(self) -> bool:
        resp = requests.get(self.url("/healthz"), timeout=REQUEST_TIMEOUT)
        return resp.status_code == 200 and resp.json() == {"status": "ok"}


def describe(resp) -> str:
    """A readable request/response pair for assertion messages and the report."""
    req = resp.request
    body = req.body
    if isinstance(body, bytes):
        body = body[:600].decode("utf-8", "replace")
    return (
        f"\n>>> {req.method} {req.url}\n>>> body: {str(body)[:600] if body else ''}"
        f"\n<<< {resp.status_code} {dict(resp.headers)}\n<<< {resp.text[:1500]}"
    )


ABSENT = object()


def assert_error(resp, status, error, message, error_code=ABSENT):
    """Auth0 error body: statusCode/error/message exactly, errorCode exactly or absent."""
    assert resp.status_code == status, describe(resp)
    assert resp.headers.get("Content-Type", "").startswith("application/json"), describe(resp)
    body = resp.json()
    assert body.get("statusCode") == status, describe(resp)
    assert body.get("error") == error, describe(resp)
    if message is not None:
        assert body.get("message") == message, describe(resp)
    else:
        assert isinstance(body.get("message"), str) and body["message"], describe(resp)
    if error_code is ABSENT:
        assert "errorCode" not in body, describe(resp)
    elif error_code is not None:
        assert body.get("errorCode") == error_code, describe(resp)
    return body


def unique_name(prefix="e2e") -> str:
    return f"{prefix}-{secrets.token_hex(6)}"


def wait_until(predicate, timeout=10.0, interval=0.05):
    """Poll a condition with a deadline (used for process state, never to hide a race)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


# Case counts of the conformance replay, printed in the terminal summary.
REPLAY_COUNTS = {"pass": 0, "skip": 0, "fail": 0}
