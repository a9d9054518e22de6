"""A 2xx write survives `kill -9` (API.md, "Consistency"), on both backends.

Several threads create, PATCH and DELETE connections over keep-alive connections
while the server is killed with SIGKILL mid-load; the server is then restarted on
the same SQLite file (or the same PostgreSQL database: a fresh schema of the test cluster
per test, see support.postgres_database). Each connection is written by one thread only, so every
name has a clear history: acknowledged writes (a 2xx was received) must all be
visible after the restart, and the one request a thread had in flight at the kill
may or may not have been applied. The load and the kill repeat at three
different moments on the same file, so later rounds also re-check what earlier
crashes left. What the kill left is read without a server: on SQLite from a copy of the
files (`PRAGMA integrity_check` included, and again after the final clean stop), on
PostgreSQL with psql.

The kill -9, SIGTERM and first-start cases run on both backends (the `store` fixture). The
WAL fsync trace and the disk that refuses writes stay SQLite-only: on PostgreSQL the server
writes no file of its own, so there is no WAL of ours to trace and no file size to limit
(PostgreSQL's own durability is its business; `synchronous_commit` is checked in
test_postgres.py).
"""

import http.client
import json
import os
import random
import resource
import re
import secrets
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
from collections import namedtuple
from dataclasses import dataclass, field

import pytest

from support import BACKENDS, REQUEST_TIMEOUT, STOP_TIMEOUT, postgres_database, psql, server_binary, wait_for_ready_line

API = "/api/v2/connections"
WORKERS = 6
# Kill once this many writes have been acknowledged in the round: right after the first
# acknowledgements, in the middle of the load, and after many rows (and WAL pages).
KILL_AFTER_ACKS = (1, 150, 600)
# Upper bound on how long one round of load runs before the kill, whatever the throughput.
LOAD_DEADLINE = 20
CONNECTION_ID = re.compile(r"^con_[A-Za-z0-9]{16}$")


class FileServer:
    """A `serve` process on a database file the test owns, so it can be killed and restarted on it."""

    def __init__(self, db, token, log_path, prefix=()):
        self.token = token
        self._log = open(log_path, "ab")
        env = dict(os.environ)
        for key in ("CONNECTIONS_API_HOST", "CONNECTIONS_API_PORT", "CONNECTIONS_API_DB"):
            env.pop(key, None)
        env["CONNECTIONS_API_TOKEN"] = token
        self.proc = subprocess.Popen(
            [*prefix, server_binary(), "serve", "--port", "0", "--db", db],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._log, env=env,
        )
        self.port = self._wait_ready(log_path)

    def _wait_ready(self, log_path):
        port = wait_for_ready_line(self.proc)
        if port is None:
            self.kill()
            with open(log_path, "rb") as handle:
                tail = handle.read()[-4000:].decode("utf-8", "replace")
            raise AssertionError(f"server did not become ready on restart; stderr:\n{tail}")
        return port

    def connect(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)

    def call(self, conn, method, path, body=None):
        headers = {"Authorization": f"Bearer {self.token}"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        raw = resp.read()
        # The revision an answer names (API.md: ETag), for the history checks.
        conn.last_etag = resp.getheader("ETag")
        return resp.status, raw

    def kill(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(STOP_TIMEOUT)
        self._log.close()

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM, then SIGKILL if it is ignored; returns the exit status, or "hung"."""
        outcome = self.proc.poll()
        if outcome is None:
            self.proc.terminate()
            try:
                outcome = self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                outcome = "hung"
                self.proc.kill()
                self.proc.wait(STOP_TIMEOUT)
        self._log.close()
        return outcome


@dataclass
class Entry:
    """What is known about one connection name, written by exactly one worker."""

    name: str
    owner: int
    id: str | None = None
    # True, False, or None while a create or delete is in doubt (in flight at the kill).
    exists: bool | None = None
    # Sequence numbers the stored display_name/metadata may carry: one when the history is
    # fully acknowledged, two when a PATCH was in flight at the kill.
    allowed: set = field(default_factory=set)
    next_seq: int = 1
    history: list = field(default_factory=list)
    # Revision number -> (operation, seq) of each acknowledged create and PATCH (from its ETag).
    acked_revisions: dict = field(default_factory=dict)
    # Writes sent for this name, answered or not: no history may hold more revisions.
    sent: int = 0


class Ledger:
    def __init__(self):
        self.entries: dict[str, Entry] = {}
        self.lock = threading.Lock()
        self.acked = 0
        self.acked_changed = threading.Condition(self.lock)
        self.in_doubt = 0
        self.failures: list[str] = []

    def ack(self):
        with self.lock:
            self.acked += 1
            self.acked_changed.notify_all()

    def live(self, owner):
        with self.lock:
            return [e for e in self.entries.values() if e.owner == owner and e.exists is True]


def create_body(name, seq):
    return {
        "name": name,
        "strategy": "auth0",
        "display_name": f"v{seq}",
        "metadata": {"seq": str(seq), "owner": name},
        "options": {"disable_signup": True, "requires_username": False},
    }


def patch_body(name, seq):
    return {"display_name": f"v{seq}", "metadata": {"seq": str(seq), "owner": name}}


def run_worker(srv, ledger, owner, round_no, stop):
    """Writes until the server dies (or `stop` is set); records each op's outcome in the ledger."""
    rng = random.Random(f"{round_no}-{owner}")
    conn = srv.connect()
    created = 0
    try:
        while not stop.is_set():
            live = ledger.live(owner)
            roll = rng.random()
            if not live or roll < 0.45:
                name = f"r{round_no}-w{owner}-{created}-{secrets.token_hex(3)}"
                created += 1
                entry = Entry(name=name, owner=owner, allowed={0})
                with ledger.lock:
                    ledger.entries[name] = entry
                op = ("POST", API, create_body(name, 0))
            elif roll < 0.85:
                entry = rng.choice(live)
                seq = entry.next_seq
                entry.next_seq += 1
                op = ("PATCH", f"{API}/{entry.id}", patch_body(entry.name, seq))
            else:
                entry = rng.choice(live)
                op = ("DELETE", f"{API}/{entry.id}", None)
            method, path, body = op
            entry.history.append(f"{method} sent")
            entry.sent += 1
            try:
                status, raw = srv.call(conn, method, path, body)
            except (OSError, http.client.HTTPException):
                # No answer: the request may or may not have been applied before the kill.
                entry.history.append(f"{method} in doubt")
                with ledger.lock:
                    ledger.in_doubt += 1
                if method == "PATCH":
                    entry.allowed = entry.allowed | {seq}
                else:
                    entry.exists = None
                return
            expected = {"POST": 201, "PATCH": 200, "DELETE": 202}[method]
            if status != expected:
                with ledger.lock:
                    ledger.failures.append(f"{method} {path} {json.dumps(body)} -> {status} {raw[:500]!r}")
                return
            entry.history.append(f"{method} {status}")
            if method != "DELETE":
                operation = "create" if method == "POST" else "update"
                entry.acked_revisions[int(conn.last_etag.strip('"'))] = (operation, seq if method == "PATCH" else 0)
            if method == "POST":
                stored = json.loads(raw)
                entry.id = stored["id"]
                entry.exists = True
            elif method == "PATCH":
                stored = json.loads(raw)
                if stored.get("display_name") != f"v{seq}" or stored.get("metadata", {}).get("seq") != str(seq):
                    with ledger.lock:
                        ledger.failures.append(f"PATCH {path} answered a state that is not its own write: {raw[:500]!r}")
                    return
                entry.allowed = {seq}
            else:
                entry.exists = False
            ledger.ack()
    finally:
        conn.close()


def list_all(srv):
    """Every stored connection via checkpoint pagination, by name."""
    conn = srv.connect()
    found = {}
    cursor = None
    try:
        for _ in range(1000):
            path = f"{API}?take=100" + (f"&from={cursor}" if cursor else "")
            status, raw = srv.call(conn, "GET", path)
            assert status == 200, f"GET {path} -> {status} {raw[:500]!r}"
            page = json.loads(raw)
            for item in page["connections"]:
                assert item["name"] not in found, f"listing repeated {item['name']}"
                found[item["name"]] = item
            cursor = page.get("next")
            if not cursor:
                return found
    finally:
        conn.close()
    raise AssertionError("listing did not end within 1000 pages")


def check_shape(item, entry):
    """The full stored shape: a half-written row could not produce all of this."""
    problems = []
    if not CONNECTION_ID.match(str(item.get("id"))):
        problems.append("id")
    if item.get("name") != entry.name or item.get("strategy") != "auth0":
        problems.append("name/strategy")
    if item.get("realms") != [entry.name]:
        problems.append("realms")
    options = item.get("options")
    if not isinstance(options, dict) or options.get("disable_signup") is not True or options.get("strategy_version") != 2:
        problems.append("options")
    if not isinstance(item.get("is_domain_connection"), bool):
        problems.append("is_domain_connection")
    if not isinstance(item.get("authentication"), dict) or "active" not in item["authentication"]:
        problems.append("authentication")
    if not isinstance(item.get("connected_accounts"), dict) or "active" not in item["connected_accounts"]:
        problems.append("connected_accounts")
    metadata = item.get("metadata")
    if not isinstance(metadata, dict) or set(metadata) != {"seq", "owner"} or metadata["owner"] != entry.name:
        problems.append("metadata")
    elif item.get("display_name") != f"v{metadata['seq']}":
        problems.append("display_name does not match metadata.seq (torn write)")
    return problems


def verify(srv, ledger):
    """Every acknowledged effect is visible; in-doubt effects are resolved to what is stored."""
    listed = list_all(srv)
    errors = []
    phantom = set(listed) - set(ledger.entries)
    if phantom:
        errors.append(f"connections nobody created: {sorted(phantom)[:5]}")
    conn = srv.connect()
    try:
        for name, entry in ledger.entries.items():
            item = listed.get(name)
            if entry.exists is False:
                if item is not None:
                    errors.append(f"{name}: acknowledged DELETE but still listed ({entry.history})")
                if entry.id:
                    status, raw = srv.call(conn, "GET", f"{API}/{entry.id}")
                    if status != 404:
                        errors.append(f"{name}: acknowledged DELETE but GET {entry.id} -> {status}")
                continue
            if item is None:
                if entry.exists is True:
                    errors.append(f"{name}: acknowledged but missing after restart ({entry.history})")
                else:
                    entry.exists = False
                continue
            if entry.id is not None and item["id"] != entry.id:
                errors.append(f"{name}: id changed from {entry.id} to {item['id']}")
            status, raw = srv.call(conn, "GET", f"{API}/{item['id']}")
            if status != 200:
                errors.append(f"{name}: listed but GET -> {status} {raw[:300]!r}")
                continue
            fetched = json.loads(raw)
            if fetched != item:
                errors.append(f"{name}: GET and list disagree: {fetched} vs {item}")
            problems = check_shape(fetched, entry)
            if problems:
                errors.append(f"{name}: bad stored shape {problems}: {raw[:600]!r}")
                continue
            seq = int(fetched["metadata"]["seq"])
            if seq not in entry.allowed:
                errors.append(f"{name}: stored seq {seq}, expected one of {sorted(entry.allowed)} ({entry.history})")
            entry.id = fetched["id"]
            errors.extend(check_history(srv, conn, entry, fetched))
            # What is stored now is the truth the next round builds on.
            entry.id = fetched["id"]
            entry.exists = True
            entry.allowed = {seq}
            entry.next_seq = max(entry.next_seq, seq + 1)
    finally:
        conn.close()
    for entry in ledger.entries.values():
        if entry.exists is False and entry.id:
            errors.extend(check_history(srv, None, entry, None))
    assert not errors, f"{len(errors)} durability violations:\n" + "\n".join(errors[:40])
    return listed


def check_history(srv, conn, entry, fetched):
    """Every acknowledged write has its revision, and no revision is without its write: the
    newest revision is the stored state (or a delete), and there are no more than were sent."""
    own = conn is None
    # The caller's last call was the GET of the live connection: its ETag names the current revision.
    etag = None if own else conn.last_etag
    conn = conn or srv.connect()
    try:
        status, raw = srv.call(conn, "GET", f"{API}/{entry.id}/revisions?take=100")
        if status != 200:
            return [f"{entry.name}: GET revisions -> {status} {raw[:300]!r}"]
        revisions = json.loads(raw)["revisions"]
        numbers = [r["revision"] for r in revisions]
        errors = []
        if numbers != list(range(len(numbers), 0, -1)):
            errors.append(f"{entry.name}: revisions are not 1..n newest first: {numbers}")
        if len(numbers) > entry.sent:
            errors.append(f"{entry.name}: {len(numbers)} revisions for {entry.sent} writes sent ({entry.history})")
        by_number = {r["revision"]: r for r in revisions}
        for number, (operation, _) in entry.acked_revisions.items():
            if by_number.get(number, {}).get("operation") != operation:
                errors.append(f"{entry.name}: acknowledged {operation} has no revision {number}: {numbers}")
        newest = revisions[0] if revisions else None
        if fetched is None:
            if newest is None or newest["operation"] != "delete":
                errors.append(f"{entry.name}: deleted, but the newest revision is {newest}")
            return errors
        status, raw = srv.call(conn, "GET", f"{API}/{entry.id}/revisions/{numbers[0]}")
        recorded = json.loads(raw).get("connection") if status == 200 else None
        if recorded != fetched or etag != f'"{numbers[0]}"':
            errors.append(f"{entry.name}: newest revision {numbers[0]} (ETag {etag}) is not the stored state: {raw[:300]!r}")
        return errors
    finally:
        if own:
            conn.close()


# PostgreSQL: each stored connection is its newest revision, byte for byte: the write and its
# revision are in one transaction, so a kill leaves both or neither.
UNMATCHED_REVISIONS = (
    "SELECT count(*) FROM connections AS c WHERE NOT EXISTS (SELECT 1 FROM revisions AS r "
    "WHERE r.connection_id = c.id AND r.revision = c.revision AND r.body = c.body) "
    "OR EXISTS (SELECT 1 FROM revisions AS r WHERE r.connection_id = c.id AND r.revision > c.revision)"
)
# SQLite keeps a connection's body only in its newest revision, in the slot of its ring that
# `histories.head` names: every stored connection has one, holding that revision and a body (not a
# delete's NULL). A missing history or slot reads as a NULL body.
SQLITE_CURRENT_BODIES = (
    "SELECT c.id, c.name, r.body FROM connections AS c "
    "LEFT JOIN histories AS h ON h.connection_id = c.id "
    "LEFT JOIN revisions AS r ON r.connection_id = c.id AND r.slot = h.head % h.ring AND r.revision = h.head"
)


class Store:
    """A test's database on one backend: `--db` for its servers, and what it holds, read without one."""

    def __init__(self, backend, workdir):
        self.backend = backend
        self.workdir = workdir
        self.db = self.fresh("x")

    def fresh(self, label):
        """Another new database (a file in the workdir, or a new schema in the test cluster)."""
        return os.path.join(self.workdir, f"{label}.sqlite") if self.backend == "sqlite" else postgres_database()

    def crashed_state(self, label, db=None):
        """(integrity, names stored, bodies consistent) as the kill left them. SQLite: on a copy of
        the files; PostgreSQL: by psql (it recovers its own WAL; `integrity` is then "ok" by
        definition, since amcheck is an extension and the role may not create one)."""
        db = db or self.db
        if self.backend == "postgres":
            names = {line for line in psql(db, "SELECT name FROM connections").splitlines() if line}
            nameless = int(psql(db, "SELECT count(*) FROM connections WHERE (body::jsonb ->> 'name') IS NULL"))
            unmatched = int(psql(db, UNMATCHED_REVISIONS))
            return [("ok",)], names, nameless == 0 and unmatched == 0
        target = os.path.join(self.workdir, f"crashed-{label}")
        os.makedirs(target)
        copy = os.path.join(target, "x.sqlite")
        for suffix in ("", "-wal"):
            if os.path.exists(db + suffix):
                shutil.copyfile(db + suffix, copy + suffix)
        with sqlite3.connect(copy) as handle:
            check = handle.execute("PRAGMA integrity_check").fetchall()
            names = {row[0] for row in handle.execute("SELECT name FROM connections")}
            bodies_ok = all(
                body is not None and json.loads(body).get("name") == name and json.loads(body).get("id") == id_
                for id_, name, body in handle.execute(SQLITE_CURRENT_BODIES))
        return check, names, bodies_ok

    def assert_intact(self, db=None):
        """After a clean stop: SQLite's integrity_check (PostgreSQL has no check without an extension)."""
        if self.backend == "sqlite":
            with sqlite3.connect(db or self.db) as handle:
                assert handle.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

    def stored_names(self):
        _, names, _ = self.crashed_state("final")
        return names


@pytest.fixture
def workdir():
    path = tempfile.mkdtemp(prefix="connections-crash-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(params=BACKENDS)
def store(request, workdir):
    return Store(request.param, workdir)


def test_acknowledged_writes_survive_kill_9_at_three_moments(store, workdir):
    db = store.db
    log = os.path.join(workdir, "stderr.log")
    token = "crash-" + secrets.token_urlsafe(24)
    ledger = Ledger()
    srv = FileServer(db, token, log)
    try:
        for round_no, kill_after in enumerate(KILL_AFTER_ACKS):
            with ledger.lock:
                ledger.acked = 0
                ledger.in_doubt = 0
            stop = threading.Event()
            threads = [
                threading.Thread(target=run_worker, args=(srv, ledger, owner, round_no, stop), daemon=True)
                for owner in range(WORKERS)
            ]
            for thread in threads:
                thread.start()
            with ledger.lock:
                ledger.acked_changed.wait_for(lambda: ledger.acked >= kill_after or ledger.failures, LOAD_DEADLINE)
            srv.kill()
            stop.set()
            for thread in threads:
                thread.join(REQUEST_TIMEOUT + 5)
                assert not thread.is_alive(), "a worker did not notice the kill"
            assert not ledger.failures, "unexpected answers under load:\n" + "\n".join(ledger.failures[:20])
            assert ledger.acked >= 1, "no write was acknowledged before the kill"
            # With six writers looping, some request was on the wire when SIGKILL landed.
            assert ledger.in_doubt >= 1, "no request was in flight at the kill; the round proved nothing"

            check, names_on_disk, bodies_ok = store.crashed_state(round_no)
            assert check == [("ok",)], f"integrity_check after kill {round_no}: {check}"
            assert bodies_ok, "a stored body has no name, or is not its connection's newest revision"

            srv = FileServer(db, token, log)
            listed = verify(srv, ledger)
            assert set(listed) == names_on_disk, (
                "the restarted server does not show what the crashed file holds: "
                f"only on disk {sorted(names_on_disk - set(listed))[:5]}, only served {sorted(set(listed) - names_on_disk)[:5]}"
            )
        live = sum(1 for e in ledger.entries.values() if e.exists)
        deleted = sum(1 for e in ledger.entries.values() if e.exists is False)
        assert live > 0 and deleted > 0, f"the load did not exercise both creates and deletes ({live} live, {deleted} gone)"
    finally:
        srv.stop()
    store.assert_intact()
    assert store.stored_names() == {e.name for e in ledger.entries.values() if e.exists}


def test_acknowledged_tokens_prompts_and_client_links_survive_kill_9(store, workdir):
    """The other 2xx writes: an issued token, PATCH /prompts, PATCH /connections/{id}/clients."""
    db = store.db
    log = os.path.join(workdir, "stderr.log")
    token = "crash-" + secrets.token_urlsafe(24)
    srv = FileServer(db, token, log)
    try:
        created = subprocess.run(
            [server_binary(), "clients", "create", "--name", "crash-m2m", "--scopes", "read:connections", "--db", db],
            capture_output=True, text=True, timeout=30)
        assert created.returncode == 0, created.stderr
        client_id = re.search(r"client_id:\s*(\S+)", created.stdout).group(1)
        secret = re.search(r"client_secret:\s*(\S+)", created.stdout).group(1)
        conn = srv.connect()
        status, raw = srv.call(conn, "POST", API, create_body("crash-links", 0))
        assert status == 201, raw
        conn_id = json.loads(raw)["id"]
        status, raw = srv.call(conn, "PATCH", f"{API}/{conn_id}/clients", [{"client_id": client_id, "status": True}])
        assert status == 204, raw
        status, raw = srv.call(conn, "PATCH", "/api/v2/prompts", {"identifier_first": True})
        assert status == 200, raw
        conn.request("POST", "/oauth/token", body=json.dumps({
            "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}),
            headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        issued = json.loads(resp.read())
        assert resp.status == 200, issued
        conn.close()
        # Nothing else happens between the last acknowledgement and the kill.
        srv.kill()

        srv = FileServer(db, token, log)
        conn = srv.connect()
        conn.request("GET", f"{API}/{conn_id}", headers={"Authorization": f"Bearer {issued['access_token']}"})
        resp = conn.getresponse()
        body = resp.read()
        assert resp.status == 200, f"the acknowledged token did not survive the kill: {resp.status} {body[:300]!r}"
        status, raw = srv.call(conn, "GET", f"{API}/{conn_id}/clients")
        assert status == 200 and json.loads(raw)["clients"] == [{"client_id": client_id}], raw
        status, raw = srv.call(conn, "GET", "/api/v2/prompts")
        assert status == 200 and json.loads(raw)["identifier_first"] is True, raw
        conn.close()
    finally:
        srv.stop()


# -- power loss: the answer comes after the fsync ---------------------------------------
#
# kill -9 leaves the kernel's page cache alone, so it cannot tell a synced commit from one
# that only reached the cache. A power loss can. With one client sending one write at a
# time, the window between two answers must hold that write's WAL append *and then* an
# fsync/fdatasync of the WAL that completed before the answer was sent.

TRACE_LINE = re.compile(r"^(\d+)\s+(.*)$")
Event = namedtuple("Event", "kind line")


def trace_events(path):
    """WAL writes, WAL syncs (at completion) and HTTP answers (at their start), in order."""
    pending = {}
    events = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for raw in handle:
            match = TRACE_LINE.match(raw.rstrip("\n"))
            if not match:
                continue
            tid, text = match.groups()
            if text.endswith("<unfinished ...>"):
                pending[tid] = text
                if re.match(r'^(sendto|sendmsg|write|writev)\(\d+<(socket|TCP)[^>]*>, (\[\{iov_base=)?"HTTP/1\.[01] ', text):
                    events.append(Event("answer", text))
                continue
            if text.startswith("<... "):
                text = pending.pop(tid, "") + " " + text
                resumed = True
            else:
                resumed = False
            if re.match(r"^(fsync|fdatasync)\(\d+<[^>]*-wal>", text) and re.search(r"= 0$", text):
                events.append(Event("sync", text))
            elif re.match(r"^(pwrite64|pwritev|write)\(\d+<[^>]*-wal>", text):
                events.append(Event("wal-write", text))
            elif not resumed and re.match(r'^(sendto|sendmsg|write|writev)\(\d+<(socket|TCP)[^>]*>, (\[\{iov_base=)?"HTTP/1\.[01] ', text):
                events.append(Event("answer", text))
    return events


def strace_available(workdir):
    if shutil.which("strace") is None:
        return "strace is not installed"
    probe = subprocess.run(["strace", "-f", "-qq", "-o", os.path.join(workdir, "probe.txt"), "true"],
                           capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        return f"strace cannot trace here: {probe.stderr.strip()[:200]}"
    return None


# SQLite only: on PostgreSQL the commit's flush is the database server's, not a system call of ours.
def test_no_write_is_acknowledged_before_its_wal_is_synced(workdir):
    reason = strace_available(workdir)
    if reason:
        pytest.skip(reason)
    db = os.path.join(workdir, "x.sqlite")
    trace = os.path.join(workdir, "trace.txt")
    token = "sync-" + secrets.token_urlsafe(24)
    created = subprocess.run(
        [server_binary(), "clients", "create", "--name", "sync-m2m", "--scopes", "read:connections", "--db", db],
        capture_output=True, text=True, timeout=30)
    assert created.returncode == 0, created.stderr
    client_id = re.search(r"client_id:\s*(\S+)", created.stdout).group(1)
    secret = re.search(r"client_secret:\s*(\S+)", created.stdout).group(1)
    prefix = ["strace", "-f", "-qq", "-y", "-s", "24", "-o", trace,
              "-e", "trace=write,pwrite64,pwritev,writev,sendto,sendmsg,fsync,fdatasync"]
    srv = FileServer(db, token, os.path.join(workdir, "stderr.log"), prefix)
    labels = ["GET /healthz"]
    try:
        conn = srv.connect()
        conn.request("GET", "/healthz")
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 200
        ids = []
        for index in range(6):
            status, raw = srv.call(conn, "POST", API, create_body(f"sync-{index}", 0))
            assert status == 201, raw
            ids.append(json.loads(raw)["id"])
            labels.append("POST /connections")
        for index, conn_id in enumerate(ids):
            status, raw = srv.call(conn, "PATCH", f"{API}/{conn_id}", patch_body(f"sync-{index}", 1))
            assert status == 200, raw
            labels.append("PATCH /connections/{id}")
        status, raw = srv.call(conn, "PATCH", f"{API}/{ids[0]}/clients", [{"client_id": client_id, "status": True}])
        assert status == 204, raw
        labels.append("PATCH /connections/{id}/clients")
        status, raw = srv.call(conn, "PATCH", "/api/v2/prompts", {"identifier_first": True})
        assert status == 200, raw
        labels.append("PATCH /prompts")
        conn.request("POST", "/oauth/token", body=json.dumps({
            "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}),
            headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 200
        labels.append("POST /oauth/token")
        for conn_id in ids[:3]:
            status, raw = srv.call(conn, "DELETE", f"{API}/{conn_id}")
            assert status == 202, raw
            labels.append("DELETE /connections/{id}")
        conn.close()
    finally:
        # SIGTERM goes to the server itself (strace's child); strace ends with it.
        children = open(f"/proc/{srv.proc.pid}/task/{srv.proc.pid}/children").read().split()
        for child in children:
            os.kill(int(child), signal.SIGTERM)
        srv.stop()
    events = trace_events(trace)
    answers = [i for i, event in enumerate(events) if event.kind == "answer"]
    assert len(answers) == len(labels), f"expected {len(labels)} answers in the trace, found {len(answers)}"
    unsynced = []
    for number in range(1, len(labels)):
        window = events[answers[number - 1] + 1:answers[number]]
        kinds = [event.kind for event in window]
        if "wal-write" not in kinds or "sync" not in kinds[len(kinds) - 1 - kinds[::-1].index("wal-write"):]:
            unsynced.append(f"{labels[number]}: {kinds}")
    assert not unsynced, "answered before the WAL was synced:\n" + "\n".join(unsynced)


def test_sigterm_right_after_the_ready_line_shuts_down_cleanly(store, workdir):
    """CLI.md: SIGTERM closes the database cleanly and exits 0, also just after start-up.

    A supervisor (or a test) that stops a server as soon as it reports ready must not get a
    process killed by the signal's default action, nor one that ignores the signal."""
    outcomes = []
    for attempt in range(5):
        srv = FileServer(store.fresh(f"s{attempt}"), "sig-" + secrets.token_urlsafe(16),
                         os.path.join(workdir, "stderr.log"))
        # FileServer returns as soon as the ready line is read; nothing is in flight, so 5 s is ample.
        outcomes.append(srv.stop(timeout=5))
    assert outcomes == [0] * 5, f"exit statuses after SIGTERM at the ready line: {outcomes} (-15: killed by the signal; hung: ignored it)"


# -- a disk that refuses writes ------------------------------------------------------------


def file_sizes(db):
    return max(os.path.getsize(path) for path in (db, db + "-wal") if os.path.exists(path))


# SQLite only: on PostgreSQL the server writes no file whose size a limit could stop (a full
# disk there is the database server's error, answered like any unreachable store).
def test_a_disk_that_refuses_writes_gets_503s_and_nothing_half_done(workdir):
    """RLIMIT_FSIZE makes the WAL append fail (EFBIG) as a full disk would; SIGXFSZ is ignored.

    Each create is answered 201 or 503 (API.md, "Store failures"); what the server shows during the failures is what
    the file holds after a kill -9 and restart; once the disk has room again, writes succeed
    without a restart."""
    db = os.path.join(workdir, "x.sqlite")
    log = os.path.join(workdir, "stderr.log")
    token = "disk-" + secrets.token_urlsafe(24)
    srv = FileServer(db, token, log, prefix=["sh", "-c", 'trap "" XFSZ; exec "$@"', "sh"])
    acked, refused = [], []
    try:
        conn = srv.connect()
        for index in range(5):
            status, raw = srv.call(conn, "POST", API, create_body(f"disk-a{index}", 0))
            assert status == 201, raw
            acked.append(f"disk-a{index}")
        # Lowering a soft limit needs no privilege; the hard limit stays unlimited for later.
        resource.prlimit(srv.proc.pid, resource.RLIMIT_FSIZE, (file_sizes(db) + 16384, resource.RLIM_INFINITY))
        for index in range(400):
            name = f"disk-b{index}"
            status, raw = srv.call(conn, "POST", API, create_body(name, 0))
            assert status in (201, 503), f"POST {name} -> {status} {raw[:300]!r}"
            if status == 503:
                assert json.loads(raw) == {"statusCode": 503, "error": "Service Unavailable",
                                           "message": "The store is unavailable"}, raw
                refused.append(name)
                if len(refused) >= 5:
                    break
            else:
                acked.append(name)
        assert len(refused) >= 5, "the file size limit never made a write fail; the test proved nothing"
        shown = set(list_all(srv))
        assert set(acked) <= shown, f"acknowledged but not shown: {sorted(set(acked) - shown)}"
        assert not shown & set(refused), f"answered 503 but shown: {sorted(shown & set(refused))}"

        resource.prlimit(srv.proc.pid, resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
        for index in range(5):
            status, raw = srv.call(conn, "POST", API, create_body(f"disk-c{index}", 0))
            assert status == 201, f"writes did not recover once the disk had room: {status} {raw[:300]!r}"
            acked.append(f"disk-c{index}")
        conn.close()
        shown = set(list_all(srv))
        srv.kill()

        srv = FileServer(db, token, log)
        after = set(list_all(srv))
        assert after == shown, f"vanished {sorted(shown - after)[:5]}, appeared {sorted(after - shown)[:5]}"
        assert after == set(acked)
    finally:
        srv.stop()
    with sqlite3.connect(db) as handle:
        assert handle.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_kill_9_during_the_first_start_leaves_a_file_the_next_start_accepts(store, workdir):
    """The first start creates the file (or the schema) and applies the migrations; a kill
    anywhere in that must not leave a half-migrated database that the next start refuses or
    mis-reads."""
    for attempt, delay in enumerate((0.005, 0.015, 0.03, 0.06, 0.1)):
        db = store.fresh(f"first{attempt}")
        log = os.path.join(workdir, "stderr.log")
        with open(log, "ab") as handle:
            victim = subprocess.Popen([server_binary(), "serve", "--port", "0", "--db", db], stdin=subprocess.DEVNULL,
                                      stdout=subprocess.DEVNULL, stderr=handle,
                                      env={**os.environ, "CONNECTIONS_API_TOKEN": "first-start"})
            # Not a synchronisation: the kill lands at a different point of start-up each time.
            time.sleep(delay)
            victim.send_signal(signal.SIGKILL)
            victim.wait(STOP_TIMEOUT)
        srv = FileServer(db, "first-start", log)
        try:
            conn = srv.connect()
            status, raw = srv.call(conn, "POST", API, create_body(f"first-{attempt}", 0))
            assert status == 201, f"after a kill {delay}s into the first start: {status} {raw[:300]!r}"
            conn.close()
        finally:
            srv.stop()
        status = subprocess.run([server_binary(), "migrate", "--status", "--db", db], capture_output=True, text=True,
                                timeout=30)
        assert status.returncode == 0 and "pending" not in status.stdout.lower(), status.stdout + status.stderr
        store.assert_intact(db)


def test_sigterm_under_load_exits_0_and_keeps_every_acknowledged_write(store, workdir):
    """CLI.md: SIGTERM stops accepting, finishes in-flight requests, closes the database, exits 0."""
    db = store.db
    log = os.path.join(workdir, "stderr.log")
    token = "term-" + secrets.token_urlsafe(24)
    ledger = Ledger()
    srv = FileServer(db, token, log)
    stop = threading.Event()
    threads = [threading.Thread(target=run_worker, args=(srv, ledger, owner, 0, stop), daemon=True)
               for owner in range(WORKERS)]
    for thread in threads:
        thread.start()
    with ledger.lock:
        ledger.acked_changed.wait_for(lambda: ledger.acked >= 200 or ledger.failures, LOAD_DEADLINE)
    outcome = srv.stop()
    stop.set()
    for thread in threads:
        thread.join(REQUEST_TIMEOUT + 5)
        assert not thread.is_alive(), "a worker did not notice the shutdown"
    assert outcome == 0, f"exit status after SIGTERM under load: {outcome}"
    assert not ledger.failures, "answers during shutdown:\n" + "\n".join(ledger.failures[:20])
    srv = FileServer(db, token, log)
    try:
        verify(srv, ledger)
    finally:
        srv.stop()
    store.assert_intact()
