"""Start-up with stored connections (issue 9): `serve` answers before it has loaded them all.

A restarted server is sent requests as soon as its port accepts, before its ready line: a GET
by id is answered from the store, and whatever needs every stored connection (a write judged
against them, a dry run's name conflict, a list's total, /healthz) is answered as if it came
after the load. Whether a request lands inside the load's window depends on the machine; the
answers must be right either way. A stored row the service cannot serve still refuses the
start (exit 1, no ready line), and requests that waited get 503.
"""

import concurrent.futures
import socket
import sqlite3
import subprocess
import time

import pytest
import requests

from support import BACKENDS, REQUEST_TIMEOUT, START_TIMEOUT, Server, fresh_db, server_binary, wait_for_ready_line

API = "/api/v2/connections"
STORED = 600


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request):
    return request.param


def options(index):
    """A realistic `options` (~1 KB stored), so loading takes a while."""
    return {
        "attributes": {
            "email": {"identifier": {"active": True}, "profile_required": True,
                      "signup": {"status": "required", "verification": {"active": True}}, "unique": True},
            "username": {"identifier": {"active": index % 2 == 0}, "signup": {"status": "optional"},
                         "validation": {"min_length": 3, "max_length": 32}},
        },
        "authentication_methods": {"password": {"enabled": True}, "passkey": {"enabled": False}},
        "mfa": {"active": True, "return_enroll_settings": True},
        "passwordPolicy": "good",
        "password_history": {"enable": True, "size": 5},
        "password_dictionary": {"enable": True, "dictionary": ["acme", "password", "welcome"]},
    }


def seed(srv, count):
    """`count` connections named cold-00000... (list order), created in parallel; their ids in order."""
    def create(index):
        return srv.create(f"cold-{index:05d}", display_name=f"Customers {index}", options=options(index),
                          metadata={"team": "identity", "n": str(index)})["id"]

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(create, range(count)))


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def restart(srv, port):
    """Starts a second server on `srv`'s database and token; returns once its port accepts
    (before its ready line, which comes when the catalog is loaded)."""
    proc = subprocess.Popen(
        [server_binary(), "serve", "--port", str(port), "--db", srv.db, "--quiet"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={"CONNECTIONS_API_TOKEN": srv.token, "PATH": "/usr/bin:/bin"},
    )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.001)
    if proc.poll() is None:
        stop(proc)
        raise AssertionError(f"the restarted server never accepted on {port}")
    return proc  # it exited: the caller reads why


def stop(proc):
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_requests_sent_while_loading_see_every_stored_connection(backend):
    srv = Server(db=fresh_db(backend))
    proc = None
    try:
        ids = seed(srv, STORED)
        before = srv.get(f"{API}/{ids[-1]}")
        assert before.status_code == 200
        assert srv.stop_gracefully() == 0

        port = free_port()
        proc = restart(srv, port)
        base = f"http://127.0.0.1:{port}"
        auth = {"Authorization": f"Bearer {srv.token}"}
        taken = {"name": "cold-00007", "strategy": "auth0"}
        calls = {
            "get": lambda: requests.get(f"{base}{API}/{ids[-1]}", headers=auth, timeout=REQUEST_TIMEOUT),
            "patch": lambda: requests.patch(f"{base}{API}/{ids[0]}", json={"display_name": "First"}, headers=auth,
                                            timeout=REQUEST_TIMEOUT),
            "dry_run": lambda: requests.post(f"{base}{API}?dry_run=true", json=taken, headers=auth,
                                             timeout=REQUEST_TIMEOUT),
            "create": lambda: requests.post(f"{base}{API}", json={"name": "cold-new", "strategy": "auth0"},
                                            headers=auth, timeout=REQUEST_TIMEOUT),
            "totals": lambda: requests.get(f"{base}{API}?include_totals=true&per_page=1", headers=auth,
                                           timeout=REQUEST_TIMEOUT),
            "by_name": lambda: requests.get(f"{base}{API}?name=cold-00599", headers=auth, timeout=REQUEST_TIMEOUT),
            "healthz": lambda: requests.get(f"{base}/healthz", timeout=REQUEST_TIMEOUT),
        }
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(calls)) as pool:
            futures = {name: pool.submit(call) for name, call in calls.items()}
            replies = {name: future.result() for name, future in futures.items()}

        assert replies["get"].status_code == 200
        assert replies["get"].content == before.content
        assert replies["get"].headers["ETag"] == before.headers["ETag"]
        assert replies["patch"].status_code == 200, replies["patch"].text
        assert replies["patch"].json()["display_name"] == "First"
        assert replies["dry_run"].status_code == 409, replies["dry_run"].text
        assert replies["create"].status_code == 201, replies["create"].text
        # The total counts every stored connection, and the create if it came first.
        assert replies["totals"].json()["total"] in (STORED, STORED + 1)
        assert [item["id"] for item in replies["by_name"].json()] == [ids[-1]]
        assert replies["healthz"].status_code == 200

        assert wait_for_ready_line(proc) == port
        listed = requests.get(f"{base}{API}?include_totals=true&per_page=1", headers=auth, timeout=REQUEST_TIMEOUT)
        assert listed.json()["total"] == STORED + 1
    finally:
        if proc is not None:
            stop(proc)
        srv.stop()


def test_a_stored_row_that_is_not_json_still_refuses_the_start():
    srv = Server()
    try:
        ids = seed(srv, 50)
        assert srv.stop_gracefully() == 0
        with sqlite3.connect(srv.db) as database:
            # The current body is the newest revision's: in the slot its history's head names.
            changed = database.execute(
                "UPDATE revisions SET body = '[]' WHERE connection_id = ?1 AND slot = "
                "(SELECT head % ring FROM histories WHERE connection_id = ?1)", (ids[-1],)).rowcount
            assert changed == 1
        port = free_port()
        proc = restart(srv, port)
        try:
            status = requests.get(f"http://127.0.0.1:{port}{API}", headers={"Authorization": f"Bearer {srv.token}"},
                                  timeout=REQUEST_TIMEOUT).status_code
        except requests.ConnectionError:
            status = None  # refused: the server had stopped already
        out, err = proc.communicate(timeout=START_TIMEOUT)
        assert proc.returncode == 1
        assert b"listening on" not in out
        assert f"stored connection {ids[-1]} is not a JSON object".encode() in err, err.decode()[-2000:]
        # A request that waited for the load gets 503: never an answer from a partial catalog.
        assert status in (503, None)
    finally:
        srv.stop()
