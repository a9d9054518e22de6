"""Faults an operator causes under a running server, and what start-up does before it serves
(API.md, "Store failures (SQLite)" and "Storage and running several instances"; CLI.md, "serve").

Each fault is caused for real: the database file deleted or replaced by a rename, a full
file system (a small tmpfs, mounted as root), a read-only file system, a corrupt file, a
corrupt stored row, a port already taken, a second server on the same file. After each:
no acknowledged write is lost, `PRAGMA integrity_check` is ok, and the message names the
file and the cause.
"""

import contextlib
import glob
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time

import pytest
import requests

from support import REQUEST_TIMEOUT, START_TIMEOUT, STOP_TIMEOUT, describe, server_binary, unique_name, wait_for_ready_line

API = "/api/v2/connections"
UNAVAILABLE = {"statusCode": 503, "error": "Service Unavailable", "message": "The store is unavailable"}
DEGRADED = {"status": "degraded", "store": "unavailable"}
TOKEN = "store-faults-admin-token"


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONNECTIONS_API_")}
    env.update(extra)
    return env


class Proc:
    """`connections-api serve` on a database path the test owns (kept across restarts)."""

    def __init__(self, db, workdir, token=TOKEN, args=(), cwd=None):
        self.log_path = os.path.join(workdir, "stderr.log")
        self._log = open(self.log_path, "ab")
        self.log_start = self._log.tell()
        env = clean_env(**({"CONNECTIONS_API_TOKEN": token} if token else {}))
        self.proc = subprocess.Popen([server_binary(), "serve", "--port", "0", "--db", db, *args], cwd=cwd,
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._log, env=env)
        self.port = wait_for_ready_line(self.proc)
        if self.port is None:
            self.stop()
            raise AssertionError(f"server on {db} did not start:\n{self.log()}")
        self.base = f"http://127.0.0.1:{self.port}"
        self.token = token

    def log(self):
        with open(self.log_path, "rb") as handle:
            handle.seek(self.log_start)
            return handle.read().decode("utf-8", "replace")

    def call(self, method, path, body=None):
        return requests.request(method, self.base + path, json=body, timeout=REQUEST_TIMEOUT,
                                headers={"Authorization": f"Bearer {self.token}"})

    def create(self, name):
        return self.call("POST", API, {"name": name, "strategy": "auth0"})

    def health(self):
        return requests.get(self.base + "/healthz", timeout=REQUEST_TIMEOUT)

    def stop(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(STOP_TIMEOUT)
        self._log.close()
        return self.proc.returncode


@contextlib.contextmanager
def serving(db, workdir, **kwargs):
    """A `Proc` on `db`, stopped on the way out whatever happens inside."""
    srv = Proc(db, workdir, **kwargs)
    try:
        yield srv
    finally:
        srv.stop()


def served_once(db, workdir, write):
    """Starts a server on `db`, makes `write(server)`, stops it cleanly; returns what `write` returned."""
    with serving(db, workdir) as srv:
        result = write(srv)
        assert srv.stop() == 0
    return result


def run_cli(*args, db, cwd=None):
    """A command other than `serve` on `db`, with no CONNECTIONS_API_ variables."""
    return subprocess.run([server_binary(), *args, "--db", db], cwd=cwd, capture_output=True, text=True, timeout=30,
                          env=clean_env())


def run_serve(db, workdir, port=0, token=TOKEN, timeout=START_TIMEOUT):
    """A `serve` expected to fail at start: (exit code, stdout, stderr)."""
    env = clean_env(**({"CONNECTIONS_API_TOKEN": token} if token else {}))
    done = subprocess.run([server_binary(), "serve", "--port", str(port), "--db", db], cwd=workdir,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout, env=env)
    return done.returncode, done.stdout, done.stderr


def assert_created(resp):
    assert resp.status_code == 201, describe(resp)
    return resp


def assert_unavailable(resp):
    assert resp.status_code == 503, describe(resp)
    assert resp.json() == UNAVAILABLE, describe(resp)
    assert resp.headers.get("Retry-After") == "5", describe(resp)


def assert_degraded(srv):
    resp = srv.health()
    assert resp.status_code == 503 and resp.json() == DEGRADED, describe(resp)


def wait_until(predicate, seconds=15, step=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def integrity(db):
    with sqlite3.connect(db) as handle:
        return handle.execute("PRAGMA integrity_check").fetchall()


def stored_names(db):
    with sqlite3.connect(db) as handle:
        return {row[0] for row in handle.execute("SELECT name FROM connections")}


def assert_writes_resume(srv, acknowledged, once):
    """After a passing fault is fixed: /healthz recovers without any client write, a create is
    acknowledged again (added to `acknowledged`) and the log says so."""
    assert wait_until(lambda: srv.health().status_code == 200), f"healthz did not recover once {once}"
    acknowledged.append(assert_created(srv.create(unique_name("resumed"))).json())
    assert "writes are durable again" in srv.log()


def assert_kept(db, acknowledged):
    """The file is sound and holds every acknowledged create."""
    assert integrity(db) == [("ok",)]
    names = stored_names(db)
    assert all(c["name"] in names for c in acknowledged), "an acknowledged write was lost"


def assert_restarts_afresh(db, workdir, names):
    """A restart on `db` lists exactly the connections called `names`, takes a new create and
    stops cleanly, leaving the file sound."""
    with serving(db, workdir) as again:
        assert [c["name"] for c in again.call("GET", API).json()] == names
        assert again.create(unique_name("fresh")).status_code == 201
        assert again.stop() == 0
    assert integrity(db) == [("ok",)]


def another_database(workdir):
    """A database of another server's (one connection, "theirs"), to put at the served path."""
    other = os.path.join(workdir, "other.sqlite")
    served_once(other, workdir, lambda theirs: assert_created(theirs.create("theirs")))
    return other


@pytest.fixture
def workdir():
    path = tempfile.mkdtemp(prefix="connections-faults-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def db(workdir):
    """The served database's path, in the test's own directory."""
    return os.path.join(workdir, "x.sqlite")


@pytest.fixture
def tmpfs(workdir):
    """A 2 MiB tmpfs (CI runs as root); skipped, saying why, where mounting is impossible."""
    mount = os.path.join(workdir, "mnt")
    os.mkdir(mount)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")
    yield mount
    subprocess.run(["umount", "-l", mount], capture_output=True)


# -- the database file deleted or replaced under the server ------------------------------------


def test_a_deleted_database_refuses_writes_and_keeps_serving_reads(workdir, db):
    created = run_cli("clients", "create", "--name", "ci", "--scopes", "read:connections", db=db)
    assert created.returncode == 0, created.stderr
    client_id = re.search(r"client_id:\s*(\S+)", created.stdout).group(1)
    secret = re.search(r"client_secret:\s*(\S+)", created.stdout).group(1)
    with serving(db, workdir) as srv:
        before = assert_created(srv.create(unique_name("before")))
        for path in glob.glob(db + "*"):
            os.unlink(path)
        for attempt in range(3):
            assert_unavailable(srv.create(unique_name(f"after{attempt}")))
        path = f"{API}/{before.json()['id']}"
        assert_unavailable(srv.call("PATCH", path, {"display_name": "changed"}))
        assert_unavailable(srv.call("DELETE", path))
        assert_unavailable(srv.call("PATCH", "/api/v2/prompts", {"identifier_first": True}))
        assert srv.call("GET", "/api/v2/prompts").json()["identifier_first"] is False, "a refused write changes nothing"
        # Issuing a token stores its hash: refused too, in the token endpoint's OAuth shape.
        issued = requests.post(srv.base + "/oauth/token", timeout=REQUEST_TIMEOUT, json={
            "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
        assert issued.status_code == 503, describe(issued)
        assert issued.json() == {"error": "temporarily_unavailable", "error_description": "The store is unavailable"}
        assert issued.headers.get("Retry-After") == "5"
        got = srv.call("GET", f"{API}/{before.json()['id']}")
        assert got.status_code == 200 and got.json() == before.json(), "reads are still served from memory"
        assert_degraded(srv)
        log = srv.log()
        assert f"database {db}: removed" in log, log
        assert srv.stop() == 0
    assert not os.path.exists(db), "nothing was written at the deleted file's path"
    # A restart starts afresh on the path; none of the refused writes appears.
    assert_restarts_afresh(db, workdir, [])


def test_healthz_notices_a_deleted_file_without_any_write(workdir, db):
    with serving(db, workdir) as srv:
        assert srv.health().status_code == 200
        os.unlink(db)
        # The idle writer looks at its files once a second.
        assert wait_until(lambda: srv.health().status_code == 503, seconds=10), "healthz never noticed"
        assert_degraded(srv)
        assert f"database {db}: removed" in srv.log()
        assert srv.stop() == 0


@contextlib.contextmanager
def replaced_under_the_server(db, workdir):
    """A server on `db` that has acknowledged five creates (still in its WAL: no checkpoint yet)
    when another server's database is renamed onto `db`. Yields the server and the creates; once
    it has stopped, the file is sound and holds the replacement's rows alone."""
    other = another_database(workdir)
    with serving(db, workdir) as srv:
        ours = [srv.create(unique_name("ours")) for _ in range(5)]
        assert all(resp.status_code == 201 for resp in ours)
        os.rename(other, db)
        yield srv, ours
    assert integrity(db) == [("ok",)]
    assert stored_names(db) == {"theirs"}, "the replacement holds only its own rows: no WAL replayed onto it"


def test_a_replaced_database_is_never_written_and_no_wal_replays_onto_it(workdir, db):
    with replaced_under_the_server(db, workdir) as (srv, ours):
        assert_unavailable(srv.create(unique_name("after")))
        assert srv.call("GET", f"{API}/{ours[0].json()['id']}").status_code == 200
        assert_degraded(srv)
        assert f"database {db}: replaced" in srv.log()
        assert srv.stop() == 0
    assert_restarts_afresh(db, workdir, ["theirs"])


def test_a_replacement_noticed_only_at_shutdown_gets_no_wal_either(workdir, db):
    """No write after the rename: the server must still not leave its WAL beside the new file."""
    with replaced_under_the_server(db, workdir) as (srv, _):
        assert srv.stop() == 0
        assert "replaced" in srv.log()


def test_kill_9_after_a_replacement_leaves_the_replacement_intact(workdir, db):
    with replaced_under_the_server(db, workdir) as (srv, _):
        assert_unavailable(srv.create(unique_name("after")))
        srv.stop(signal.SIGKILL)


# -- a full disk ------------------------------------------------------------------------------


def test_a_full_disk_answers_503_and_writes_resume_once_space_is_freed(workdir, tmpfs):
    db = os.path.join(tmpfs, "x.sqlite")
    acknowledged = []
    with serving(db, workdir) as srv:
        assert srv.create(unique_name("first")).status_code == 201
        filler = os.path.join(tmpfs, "filler")
        with open(filler, "wb") as handle:
            try:
                while True:
                    handle.write(b"\0" * 65536)
                    handle.flush()
            except OSError:
                pass
        refused = None
        for attempt in range(400):
            name = unique_name(f"full{attempt}")
            resp = srv.call("POST", API, {"name": name, "strategy": "auth0",
                                          "metadata": {f"k{i}": "x" * 200 for i in range(10)}})
            if resp.status_code == 201:
                acknowledged.append(resp.json())
                continue
            refused = resp
            break
        assert refused is not None, "no write was refused on a full file system"
        assert_unavailable(refused)
        assert_degraded(srv)
        assert srv.call("GET", API).status_code == 200, "reads are still served"
        log = srv.log()
        assert f"database {db}: disk full" in log, log
        os.unlink(filler)
        assert_writes_resume(srv, acknowledged, "space was freed")
        assert srv.stop() == 0
    assert_kept(db, acknowledged)


# -- another process holding the write lock -------------------------------------------------------


def test_a_write_lock_held_by_another_process_answers_503_and_passes_by_itself(workdir, db):
    """A `sqlite3` shell left in BEGIN IMMEDIATE: past the 5 s busy timeout a write is refused
    (503, Retry-After) and the log says the database is locked by another process; once the lock
    is let go, writes succeed again without a restart."""
    acknowledged = []
    with serving(db, workdir) as srv:
        first = assert_created(srv.create(unique_name("first")))
        acknowledged.append(first.json())
        holder = sqlite3.connect(db, isolation_level=None, timeout=1)
        try:
            holder.execute("BEGIN IMMEDIATE")
            started = time.monotonic()
            refused = srv.create(unique_name("locked"))
            assert time.monotonic() - started >= 4, "refused before the busy timeout"
            assert_unavailable(refused)
            assert_degraded(srv)
            assert srv.call("GET", f"{API}/{first.json()['id']}").status_code == 200, "reads are still served"
            assert f"database {db}: locked by another process" in srv.log(), srv.log()
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert_writes_resume(srv, acknowledged, "the lock was let go")
        assert srv.stop() == 0
    assert_kept(db, acknowledged)


# -- files that cannot be opened -------------------------------------------------------------


def test_a_read_only_database_is_refused_at_start_naming_the_file(workdir, tmpfs):
    db = os.path.join(tmpfs, "x.sqlite")
    created = served_once(db, workdir, lambda srv: assert_created(srv.create(unique_name("kept"))))
    done = subprocess.run(["mount", "-o", "remount,ro", tmpfs], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    code, out, err = run_serve(db, workdir)
    assert code == 1, err
    assert f"cannot open database {db}: read-only" in err, err
    assert "listening" not in out
    subprocess.run(["mount", "-o", "remount,rw", tmpfs], check=True)
    assert integrity(db) == [("ok",)]
    assert stored_names(db) == {created.json()["name"]}


def test_a_missing_directory_and_a_corrupt_file_are_named(workdir):
    missing = os.path.join(workdir, "nowhere", "x.sqlite")
    code, _, err = run_serve(missing, workdir)
    assert code == 1 and f"cannot open database {missing}: the directory {os.path.dirname(missing)} does not exist" in err, err
    corrupt = os.path.join(workdir, "corrupt.sqlite")
    with open(corrupt, "wb") as handle:
        handle.write(b"this is not a database" * 100)
    code, _, err = run_serve(corrupt, workdir)
    assert code == 1 and f"cannot open database {corrupt}: the file is not a SQLite database, or it is corrupt" in err, err


def test_a_corrupt_prompts_row_refuses_start_naming_the_row(workdir, db):
    patched = served_once(db, workdir, lambda srv: srv.call("PATCH", "/api/v2/prompts", {"identifier_first": True}))
    assert patched.status_code == 200, describe(patched)
    with sqlite3.connect(db) as handle:
        handle.execute("""UPDATE tenant_settings SET value = '{"identifier_first": "yes"}' WHERE key = 'prompts'""")
    code, out, err = run_serve(db, workdir)
    assert code == 1, out + err
    assert f"database {db}" in err and "tenant_settings row 'prompts'" in err, err
    with sqlite3.connect(db) as handle:
        handle.execute("UPDATE tenant_settings SET value = 'not json' WHERE key = 'prompts'")
    code, _, err = run_serve(db, workdir)
    assert code == 1 and "tenant_settings row 'prompts'" in err, err


# -- nothing created or printed before the server can serve ------------------------------------


def test_a_taken_port_creates_no_file_and_prints_no_token(workdir):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        code, out, err = run_serve("connections.sqlite", workdir, port=taken.getsockname()[1], token=None)
    finally:
        taken.close()
    assert code == 1, out + err
    assert "Address already in use" in err, err
    assert os.listdir(workdir) == [], f"files created before the port was bound: {os.listdir(workdir)}"
    assert "token" not in out.lower() and "token" not in err.lower(), out + err


def test_migrate_status_creates_no_file(workdir):
    done = run_cli("migrate", "--status", db=os.path.join(workdir, "new.sqlite"))
    assert done.returncode == 0, done.stderr
    assert "pending  1 initial" in done.stdout
    assert os.listdir(workdir) == []


@pytest.mark.parametrize("args", [["clients", "list"], ["clients", "revoke", "client-x"], ["admin-token", "revoke"]])
def test_commands_that_only_read_or_remove_create_no_file(workdir, args):
    db = os.path.join(workdir, "new.sqlite")
    done = run_cli(*args, db=db)
    assert done.returncode == 1 and f"cannot open database {db}: no such file" in done.stderr, done.stderr
    assert os.listdir(workdir) == []


# -- one server per SQLite file ------------------------------------------------------------------


def test_a_second_server_on_the_same_file_is_refused_by_any_spelling(workdir):
    os.mkdir(os.path.join(workdir, "data"))
    db = os.path.join(workdir, "data", "x.sqlite")
    os.symlink(db, os.path.join(workdir, "link.sqlite"))
    with serving(db, workdir) as first:
        for spelling in (db, "data/x.sqlite", "./data/x.sqlite", "data/../data/x.sqlite", "link.sqlite"):
            code, out, err = run_serve(spelling, workdir)
            assert code == 1, (spelling, out, err)
            assert f"another connections-api (pid {first.proc.pid}) is serving {spelling}" in err, err
            assert "listening" not in out
        # The CLI still works beside the running server.
        for args in (["clients", "list"], ["migrate", "--status"], ["clients", "create", "--name", "n", "--scopes",
                                                                     "read:connections"]):
            done = run_cli(*args, db="link.sqlite", cwd=workdir)
            assert done.returncode == 0, (args, done.stdout, done.stderr)
        assert first.create(unique_name("still")).status_code == 201
        assert first.stop() == 0
    assert integrity(db) == [("ok",)]


def test_a_server_killed_with_9_does_not_block_the_next_start(workdir, db):
    with serving(db, workdir) as first:
        created = assert_created(first.create(unique_name("survives")))
        first.stop(signal.SIGKILL)
    with serving(db, workdir) as again:
        got = again.call("GET", f"{API}/{created.json()['id']}")
        assert got.status_code == 200 and got.json() == created.json()
        assert again.stop() == 0
    assert integrity(db) == [("ok",)]
