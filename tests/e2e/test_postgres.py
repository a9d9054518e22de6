"""Several instances on one PostgreSQL database (API.md, "Storage and running several
instances"): cross-instance visibility and its lag, uniqueness and If-Match decided by the
database, revoked clients refused everywhere, kill -9 of an instance and a PostgreSQL restart
under write load with no acknowledged write lost, and start-up against an unreachable server.

Needs CONNECTIONS_API_TEST_POSTGRES_URL (and, for the restart, CONNECTIONS_API_TEST_POSTGRES_DIR,
the cluster's directory for scripts/postgres-cluster); see support.py for when they are skipped.
"""

import contextlib
import os
import pathlib
import re
import select
import signal
import socket
import statistics
import subprocess
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from support import (REPO, REQUEST_TIMEOUT, Server, describe, postgres_database, postgres_url, psql,
                     required_environment, server_binary, unique_name, wait_until)

SHARED_TOKEN = "e2e-shared-admin-token-for-several-instances"


def instances(db, count):
    """`count` servers on one database, sharing one admin token (API.md)."""
    return [Server(extra_env={"CONNECTIONS_API_TOKEN": SHARED_TOKEN}, db=db) for _ in range(count)]


def started_on_one_database(count):
    servers = instances(postgres_database(), count)
    yield servers
    for srv in servers:
        srv.stop()


@pytest.fixture
def pair():
    yield from started_on_one_database(2)


@pytest.fixture
def trio():
    yield from started_on_one_database(3)


def visible_on(srv, conn_id, timeout=5.0):
    """Seconds until GET of `conn_id` on `srv` answers 200 (polled every millisecond)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if srv.get(f"/api/v2/connections/{conn_id}").status_code == 200:
            return time.monotonic() - start
        time.sleep(0.001)
    raise AssertionError(f"{conn_id} not visible on the other instance within {timeout}s")


def test_instances_that_start_together_migrate_once_and_all_serve():
    db = postgres_database()
    servers = []
    errors = []

    def start():
        try:
            servers.append(Server(extra_env={"CONNECTIONS_API_TOKEN": SHARED_TOKEN}, db=db))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        assert not errors, errors
        assert len(servers) == 3
        schema = re.search(r"search_path%3D(\w+)", db).group(1)
        rows = psql(postgres_url(), f"SELECT version FROM {schema}.schema_migrations ORDER BY version").split()
        shipped = sorted(int(name[:4]) for name in os.listdir(os.path.join(os.path.dirname(__file__), "..", "..",
                                                                           "migrations", "postgres"))
                         if name.endswith(".sql"))
        assert rows == [str(version) for version in shipped], "each migration applied once"
        for srv in servers:
            assert srv.healthy()
    finally:
        for srv in servers:
            srv.stop()


def test_a_write_on_one_instance_is_seen_by_the_other_within_a_second(pair):
    a, b = pair
    lags = []
    for i in range(40):
        created = a.create(unique_name(f"lag{i}"))
        # Read-your-writes on the instance that wrote.
        assert a.get(f"/api/v2/connections/{created['id']}").status_code == 200
        lags.append(visible_on(b, created["id"]))
    lags.sort()
    p50, p99 = statistics.median(lags), lags[int(len(lags) * 0.99) - 1]
    print(f"\ncross-instance visibility lag over {len(lags)} creates: p50 {p50 * 1000:.1f} ms, "
          f"p99 {p99 * 1000:.1f} ms, max {lags[-1] * 1000:.1f} ms")
    assert lags[-1] < 1.0, lags

    # Updates, deletes and /prompts travel too.
    conn = a.create(unique_name("travels"))
    resp = a.patch(f"/api/v2/connections/{conn['id']}", {"display_name": "Changed on A"})
    assert resp.status_code == 200, describe(resp)
    assert wait_until(lambda: b.get(f"/api/v2/connections/{conn['id']}").json().get("display_name") == "Changed on A", 1.0)
    assert b.delete(f"/api/v2/connections/{conn['id']}").status_code in (202, 204)
    assert wait_until(lambda: a.get(f"/api/v2/connections/{conn['id']}").status_code == 404, 1.0)
    a.set_identifier_first(True)
    assert wait_until(lambda: b.get("/api/v2/prompts").json().get("identifier_first") is True, 1.0)


def test_racing_creates_of_one_name_across_instances_give_exactly_one_201(trio):
    for round_ in range(5):
        name = unique_name(f"race{round_}")
        barrier = threading.Barrier(len(trio) * 2)
        statuses = []

        def create(srv):
            barrier.wait()
            statuses.append(srv.post("/api/v2/connections", {"name": name, "strategy": "auth0"}).status_code)

        threads = [threading.Thread(target=create, args=(srv,)) for srv in trio for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(statuses) == [201] + [409] * (len(threads) - 1), statuses
        for srv in trio:
            assert wait_until(lambda: len([c for c in srv.get("/api/v2/connections").json() if c["name"] == name]) == 1, 1.0)


def test_racing_if_match_patches_across_instances_give_exactly_one_200(trio):
    a = trio[0]
    for round_ in range(5):
        conn = a.create(unique_name(f"ifmatch{round_}"))
        etag = a.get(f"/api/v2/connections/{conn['id']}").headers["ETag"]
        for srv in trio:
            visible_on(srv, conn["id"])
        barrier = threading.Barrier(len(trio))
        statuses = []

        def patch(srv, label):
            barrier.wait()
            resp = srv.patch(f"/api/v2/connections/{conn['id']}", {"display_name": label}, headers={"If-Match": etag})
            statuses.append(resp.status_code)

        threads = [threading.Thread(target=patch, args=(srv, f"by {i}")) for i, srv in enumerate(trio)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(statuses) == [200] + [412] * (len(trio) - 1), statuses
        history = a.get(f"/api/v2/connections/{conn['id']}/revisions").json()
        revisions = history["revisions"] if isinstance(history, dict) else history
        assert len(revisions) == 2, revisions


def burst(work, send):
    """Calls `send(*item)` for every item of `work` at once, each on its own thread, released
    together; returns what the calls returned, in the order they returned."""
    barrier = threading.Barrier(len(work))
    answers = []

    def run(*item):
        barrier.wait()
        answers.append(send(*item))

    threads = [threading.Thread(target=run, args=item) for item in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(answers) == len(work)
    return answers


def test_in_a_burst_on_one_instance_the_jobs_that_fail_fail_alone_and_the_rest_commit(pair, cluster_dir):
    """Concurrent writes share a transaction (PostgresWriter's groups, sent as a pipeline). A
    name taken already or twice in the burst (decided by the database), and an If-Match beaten
    by another PATCH of the same burst, fail alone; every other write commits, once, and the
    other instance sees exactly those. The writer's statements are prepared after a group
    commits (PostgresConnection.prepareWanted): after the group the duplicate name broke, the
    next burst commits too, and the server never runs a statement by a name it lacks."""
    log = pathlib.Path(cluster_dir) / "server.log"
    log_start = log.stat().st_size
    a, b = pair
    taken = a.create(unique_name("taken"))
    target = a.create(unique_name("target"))
    etag = a.get(f"/api/v2/connections/{target['id']}").headers["ETag"]
    fresh = [unique_name(f"burst{i}") for i in range(24)]
    twice = unique_name("twice")
    work = ([("post", name) for name in fresh] + [("post", taken["name"])] * 4 + [("post", twice)] * 2
            + [("patch", f"by {i}") for i in range(4)])

    def send(kind, value, if_match=etag):
        if kind == "post":
            resp = a.post("/api/v2/connections", {"name": value, "strategy": "auth0"})
        else:
            headers = {"If-Match": if_match} if if_match else {}
            resp = a.patch(f"/api/v2/connections/{target['id']}", {"display_name": value}, headers=headers)
        return kind, value, resp.status_code, resp.json()

    answers = burst(work, send)

    def statuses(kind, value=None):
        return sorted(status for k, v, status, _ in answers if k == kind and value in (None, v))

    for name in fresh:
        assert statuses("post", name) == [201], answers
    assert statuses("post", taken["name"]) == [409] * 4
    assert statuses("post", twice) == [201, 409]
    assert statuses("patch") == [200] + [412] * 3
    created = [body for kind, _, status, body in answers if kind == "post" and status == 201]
    for conn in created:
        visible_on(b, conn["id"])
        assert b.get(f"/api/v2/connections/{conn['id']}").json()["name"] == conn["name"]
    names = [c["name"] for c in b.get("/api/v2/connections", params={"per_page": 100}).json()]
    assert names.count(taken["name"]) == 1 and names.count(twice) == 1
    winner = next(body for kind, _, status, body in answers if kind == "patch" and status == 200)
    assert wait_until(lambda: b.get(f"/api/v2/connections/{target['id']}").json().get("display_name")
                      == winner["display_name"], 1.0)
    history = a.get(f"/api/v2/connections/{target['id']}/revisions").json()
    revisions = history["revisions"] if isinstance(history, dict) else history
    assert len(revisions) == 2, revisions

    after = [("post", unique_name(f"after{i}"), None) for i in range(12)] + [("patch", f"after {i}", None) for i in range(4)]
    assert sorted(status for _, _, status, _ in burst(after, send)) == [200] * 4 + [201] * 12
    server_log = log.read_bytes()[log_start:].decode(errors="replace")
    assert "prepared statement" not in server_log, server_log[-2000:]


def machine_client(srv):
    """A client registered through the CLI on `srv`'s database, and a token issued by `srv`."""
    out = subprocess.run([server_binary(), "clients", "create", "--name", unique_name("m2m"), "--scopes",
                          "read:connections", "--db", srv.db], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    client_id = re.search(r"client_id:\s*(\S+)", out.stdout).group(1)
    secret = re.search(r"client_secret:\s*(\S+)", out.stdout).group(1)
    wall = time.time()
    resp = token_request(srv, client_id, secret)
    assert resp.status_code == 200, describe(resp) + f"{wall}" + srv.stderr_tail()
    return client_id, secret, resp.json()["access_token"]


def token_request(srv, client_id, secret):
    return requests.post(srv.url("/oauth/token"), json={"grant_type": "client_credentials", "client_id": client_id,
                                                         "client_secret": secret}, timeout=REQUEST_TIMEOUT)


def test_a_revoked_client_is_refused_by_every_instance_at_its_next_request(pair):
    a, b = pair
    client_id, _, token = machine_client(a)
    for srv in (a, b):
        assert srv.get("/api/v2/connections", token=token).status_code == 200
    out = subprocess.run([server_binary(), "clients", "revoke", client_id, "--db", a.db],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    for srv in (b, a):
        assert srv.get("/api/v2/connections", token=token).status_code == 401


def test_a_revocation_reaches_the_other_instance_before_its_next_request():
    """Revoked through the CLI (as an operator does), then used at once on the other instance,
    round after round: never accepted. Meanwhile a thread keeps using the token on B, so the
    printed window counts requests that *started* after the revoking command returned and were
    still accepted (B learns of it from its change feed, not from a read per request). Rate
    limits are off so that the hammering thread is never answered 429."""
    db = postgres_database()
    a, b = [Server(["--rate-limit", "off"], extra_env={"CONNECTIONS_API_TOKEN": SHARED_TOKEN}, db=db) for _ in range(2)]
    try:
        revocation_rounds(a, b)
    finally:
        a.stop()
        b.stop()


def revocation_rounds(a, b):
    late, windows = 0, []
    for round_ in range(8):
        client_id, _, token = machine_client(a)
        assert b.get("/api/v2/connections", token=token).status_code == 200
        answers = []
        stop = threading.Event()

        def hammer():
            session = requests.Session()
            while not stop.is_set():
                started = time.monotonic()
                status = session.get(b.url("/api/v2/connections?per_page=1"), timeout=REQUEST_TIMEOUT,
                                     headers={"Authorization": f"Bearer {token}"}).status_code
                answers.append((started, status))

        thread = threading.Thread(target=hammer, daemon=True)
        thread.start()
        try:
            time.sleep(0.05)
            out = subprocess.run([server_binary(), "clients", "revoke", client_id, "--db", a.db],
                                 capture_output=True, text=True, timeout=30)
            returned = time.monotonic()
            assert out.returncode == 0, out.stderr
            # The next request, on either instance, is refused.
            assert b.get("/api/v2/connections", token=token).status_code == 401, f"round {round_}"
            assert a.get("/api/v2/connections", token=token).status_code == 401, f"round {round_}"
        finally:
            stop.set()
            thread.join(REQUEST_TIMEOUT)
        late += sum(1 for started, status in answers if started >= returned and status != 401)
        accepted = [started for started, status in answers if status == 200]
        refused = [started for started, status in answers if status == 401]
        if accepted and refused:
            windows.append(min(refused) - max(accepted))
    print(f"\nrevocation on B: {late} request(s) started after `clients revoke` returned were accepted; "
          f"gap between B's last 200 and first 401 (hammering thread): max {max(windows, default=0) * 1000:.1f} ms")
    assert late == 0


class SilentProxy:
    """A TCP proxy to the test cluster that can stop forwarding while keeping every socket open:
    a database that hangs without refusing anything (the kernel still acknowledges, so neither
    connection attempts nor TCP keepalives fail: only a timeout of our own can notice)."""

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.forwarding = threading.Event()
        self.forwarding.set()
        self.closed = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed.is_set():
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, client, upstream):
        pair = {client: upstream, upstream: client}
        try:
            while not self.closed.is_set():
                if not self.forwarding.wait(0.1):
                    continue
                readable, _, _ = select.select(list(pair), [], [], 0.1)
                for source in readable:
                    if not self.forwarding.is_set():
                        break
                    data = source.recv(65536)
                    if not data:
                        return
                    pair[source].sendall(data)
        except OSError:
            return
        finally:
            client.close()
            upstream.close()

    def url(self, db_url):
        parts = urlsplit(db_url)
        netloc = parts.netloc.rsplit("@", 1)
        hostport = f"127.0.0.1:{self.port}"
        return urlunsplit(parts._replace(netloc=f"{netloc[0]}@{hostport}" if len(netloc) == 2 else hostport))

    def close(self):
        self.closed.set()
        self.forwarding.set()
        self.listener.close()


@contextlib.contextmanager
def instance_behind_silent_proxy(direct):
    """An instance on `direct`'s database through a SilentProxy: (proxy, server), both closed after."""
    proxy = SilentProxy("127.0.0.1", urlsplit(direct.db).port)
    try:
        srv = Server(extra_env={"CONNECTIONS_API_TOKEN": SHARED_TOKEN}, db=proxy.url(direct.db))
        try:
            yield proxy, srv
        finally:
            srv.stop()
    finally:
        proxy.close()


def timed(call):
    start = time.monotonic()
    resp = call()
    return resp, time.monotonic() - start


def test_a_database_that_hangs_stalls_no_get_with_a_client_token_nor_healthz(pair):
    """The database stops answering (a proxy that forwards nothing, sockets open). On the
    instance behind it: /healthz answers at once throughout and turns degraded within 5 s; a
    client token it verified keeps working: its first GETs wait at most for the credentials
    check's 2 s silence limit (as a write gets its 503 within 2 s), then are answered from memory
    at once; a token it never saw gets a 503 (not a hang); and everything recovers once the
    database answers again. No event loop waits meanwhile: /healthz shows it."""
    direct, _ = pair
    with instance_behind_silent_proxy(direct) as (proxy, srv):
        kept = srv.create(unique_name("kept"))
        client_id, secret, token = machine_client(srv)
        assert srv.get(f"/api/v2/connections/{kept['id']}", token=token).status_code == 200
        proxy.forwarding.clear()
        silent_at = time.monotonic()
        try:
            # Minted by the other instance while this one cannot see the database: looked
            # up on a worker thread, which waits for the silent server while GETs go on.
            unseen = token_request(direct, client_id, secret).json()["access_token"]
            first_lookup = {}
            lookup = threading.Thread(target=lambda: first_lookup.update(zip(("resp", "took"), timed(
                lambda: srv.get(f"/api/v2/connections/{kept['id']}", token=unseen)))), daemon=True)
            lookup.start()
            slowest_get, slowest_health, degraded_after, after_degraded = 0.0, 0.0, None, []
            while time.monotonic() - silent_at < 6.0:
                resp, took = timed(lambda: srv.get(f"/api/v2/connections/{kept['id']}", token=token))
                assert resp.status_code == 200, describe(resp)
                slowest_get = max(slowest_get, took)
                if degraded_after is not None:
                    after_degraded.append(took)
                health, took = timed(lambda: srv.get("/healthz"))
                slowest_health = max(slowest_health, took)
                if health.status_code == 503 and degraded_after is None:
                    degraded_after = time.monotonic() - silent_at
                    assert health.json() == {"status": "degraded", "store": "unavailable"}
                time.sleep(0.02)
            print(f"\nhung database: slowest /healthz {slowest_health * 1000:.1f} ms, slowest client-token GET "
                  f"{slowest_get * 1000:.1f} ms ({max(after_degraded, default=0) * 1000:.1f} ms once degraded); "
                  f"/healthz degraded after {degraded_after:.2f} s")
            assert slowest_health < 0.5, slowest_health
            assert slowest_get < 2.5, slowest_get
            assert degraded_after is not None and degraded_after < 5.0, degraded_after
            assert after_degraded and max(after_degraded) < 0.5, after_degraded
            lookup.join(REQUEST_TIMEOUT)
            assert first_lookup["resp"].status_code == 503, describe(first_lookup["resp"])
            assert first_lookup["took"] < 2.5, first_lookup["took"]
            # Known to be down now: answered at once.
            resp, took = timed(lambda: srv.get(f"/api/v2/connections/{kept['id']}", token=unseen))
            assert resp.status_code == 503 and took < 0.5, (took, describe(resp))
        finally:
            proxy.forwarding.set()
        back_at = time.monotonic()
        assert wait_until(lambda: srv.get("/healthz").status_code == 200, 15.0)
        print(f"recovered {time.monotonic() - back_at:.2f} s after the database answered again")
        assert wait_until(
            lambda: srv.get(f"/api/v2/connections/{kept['id']}", token=unseen).status_code == 200, 5.0)


def test_a_database_that_hangs_answers_writes_503_within_2_s_and_they_resume_after(pair):
    """The database stops answering (the silent proxy) while the writer is idle, then while a
    write is under way: every create and PATCH meanwhile is answered 503 within ~2 s (the
    writer's 2 s silence limit, then a reconnect not tried again for a second), never left
    waiting as on a server that merely stopped sending; none is acknowledged. Once the
    database answers again, writes succeed, and what was acknowledged before is there."""
    direct, _ = pair
    with instance_behind_silent_proxy(direct) as (proxy, srv):
        kept = srv.create(unique_name("kept"))
        proxy.forwarding.clear()
        try:
            answers, names = [], []
            for i in range(4):
                names.append(unique_name(f"hung{i}"))
                resp, took = timed(lambda: srv.post("/api/v2/connections", {"name": names[-1], "strategy": "auth0"}))
                answers.append((resp.status_code, took))
                resp, took = timed(lambda: srv.patch(
                    f"/api/v2/connections/{kept['id']}", {"options": {"mfa": {"active": i % 2 == 0}}}))
                answers.append((resp.status_code, took))
            print(f"\nwrites to a hung database: {[(code, round(took, 2)) for code, took in answers]}")
            assert all(code == 503 for code, _ in answers), answers
            assert max(took for _, took in answers) < 2.6, answers
        finally:
            proxy.forwarding.set()
        assert wait_until(lambda: srv.get("/healthz").status_code == 200, 15.0)
        after = srv.create(unique_name("after"))
        assert srv.get(f"/api/v2/connections/{after['id']}").status_code == 200
        assert direct.get(f"/api/v2/connections/{kept['id']}").json()["name"] == kept["name"]
        # No write answered 503 was stored: not even the first, sent before the writer knew
        # (its COMMIT waits for the statements' answers, which never came).
        for name in names:
            assert direct.get("/api/v2/connections", params={"name": name}).json() == [], name
        assert direct.get(f"/api/v2/connections/{kept['id']}").headers["ETag"] == '"1"'


def test_a_commit_whose_answer_was_lost_reaches_the_instance_that_sent_it():
    """A COMMIT that goes out but is not answered within the writer's 2 s silence limit is
    answered 503, yet may commit (here a deferred trigger holds the COMMIT for 3.5 s, then lets
    it through). The instance's feed passes its own instance's rows over, so without more it
    would never serve that connection until a restart, while other instances do. The writer
    tells its feed, which waits for the transaction to end and reads everything again."""
    db = postgres_database()
    srv = Server(extra_env={"CONNECTIONS_API_TOKEN": SHARED_TOKEN}, db=db)
    try:
        psql(db, """
            CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.name LIKE 'slow-commit%' THEN PERFORM pg_sleep(3.5); END IF; RETURN NULL; END $$;
            CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON connections
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit();""")
        name = unique_name("slow-commit")
        resp, took = timed(lambda: srv.post("/api/v2/connections", {"name": name, "strategy": "auth0"}))
        assert resp.status_code == 503 and took < 3.0, (describe(resp), took)
        assert wait_until(lambda: psql(db, f"SELECT count(*) FROM connections WHERE name = '{name}'").strip() == "1", 10.0), \
            "the COMMIT answered 503 did not commit (the test's premise)"
        assert wait_until(lambda: srv.get("/api/v2/connections", params={"name": name}).json() != [], 10.0), \
            "a connection committed by this instance's unanswered COMMIT is never served by it"
        # The writer is back: a write after it is acknowledged as usual.
        assert srv.create(unique_name("after"))["id"]
    finally:
        srv.stop()


def test_an_instance_away_longer_than_changes_are_kept_reads_everything_again():
    """`changes` rows are pruned after a retention (an hour; 1 s here). An instance cut off for
    longer cannot catch up from them: it must notice and read every connection again, or it
    would keep serving connections deleted meanwhile and miss ones created."""
    db = postgres_database()
    env = {"CONNECTIONS_API_TOKEN": SHARED_TOKEN, "CONNECTIONS_API_CHANGES_RETENTION_SECONDS": "1"}
    a = Server(extra_env=env, db=db)
    proxy = SilentProxy("127.0.0.1", urlsplit(db).port)
    try:
        b = Server(extra_env=env, db=proxy.url(db))
        try:
            doomed = a.create(unique_name("doomed"))
            visible_on(b, doomed["id"])
            proxy.forwarding.clear()
            assert wait_until(lambda: b.get("/healthz").status_code == 503, 6.0)
            created = a.create(unique_name("while-away"))
            assert a.delete(f"/api/v2/connections/{doomed['id']}").status_code in (202, 204)
            # A prunes its feed's rows older than 1 s about once a second.
            assert wait_until(lambda: psql(db, "SELECT seq FROM changes_pruned").strip() not in ("", "0")
                              and psql(db, "SELECT count(*) FROM changes").strip() == "0", 10.0)
            proxy.forwarding.set()
            assert wait_until(lambda: b.get(f"/api/v2/connections/{doomed['id']}").status_code == 404, 15.0), \
                "a connection deleted while B was away is still served by B"
            visible_on(b, created["id"], timeout=1.0)
        finally:
            b.stop()
    finally:
        proxy.close()
        a.stop()


class WriteLoad:
    """Threads creating connections through some servers, recording every acknowledged id."""

    def __init__(self, servers, threads_per_server=3):
        self.acknowledged = set()
        self.statuses = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(srv, i), daemon=True)
                        for srv in servers for i in range(threads_per_server)]

    def run(self, srv, index):
        session = requests.Session()
        n = 0
        while not self.stop.is_set():
            n += 1
            name = unique_name(f"load{index}-{n}")
            try:
                resp = session.post(srv.url("/api/v2/connections"), json={"name": name, "strategy": "auth0"},
                                    headers={"Authorization": f"Bearer {srv.token}"}, timeout=REQUEST_TIMEOUT)
            except requests.RequestException:
                with self.lock:
                    self.statuses.append("error")
                time.sleep(0.01)
                continue
            with self.lock:
                self.statuses.append(resp.status_code)
                if resp.status_code == 201:
                    self.acknowledged.add(resp.json()["id"])
            if resp.status_code != 201:
                time.sleep(0.01)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(30)


def stored_ids(db):
    schema = re.search(r"search_path%3D(\w+)", db).group(1)
    return set(psql(postgres_url(), f"SELECT id FROM {schema}.connections").split())


def test_kill_9_of_one_instance_under_write_load_loses_no_acknowledged_write(pair):
    a, b = pair
    with WriteLoad([a, b]) as load:
        time.sleep(1.5)
        a.proc.send_signal(signal.SIGKILL)
        a.proc.wait(10)
        time.sleep(1.0)
    assert len(load.acknowledged) > 20, load.statuses[-20:]
    assert load.acknowledged <= stored_ids(a.db)
    # The survivor serves every acknowledged write, the dead instance's included.
    listed = set()
    page = b.get("/api/v2/connections", params={"per_page": 100, "page": 0, "include_totals": "true"}).json()
    total = page["total"]
    for number in range((total + 99) // 100):
        listed |= {c["id"] for c in b.get("/api/v2/connections",
                                          params={"per_page": 100, "page": number}).json()}
    assert load.acknowledged <= listed


@pytest.fixture
def cluster_dir():
    return required_environment("CONNECTIONS_API_TEST_POSTGRES_DIR", "the cluster's directory, to restart it")


def cluster(action, directory):
    subprocess.run([str(REPO / "scripts" / "postgres-cluster"), action, directory], check=True, timeout=120,
                   capture_output=True)


@pytest.mark.parametrize("outage", ["down", "crash"], ids=["stop", "kill-9-postmaster"])
def test_postgresql_restart_under_load_503s_then_recovers_with_nothing_acknowledged_lost(pair, cluster_dir, outage):
    a, b = pair
    kept = a.create(unique_name("kept"))
    visible_on(b, kept["id"])
    client_id, secret, token = machine_client(a)
    assert a.get("/api/v2/connections", token=token).status_code == 200
    with WriteLoad([a, b], threads_per_server=2) as load:
        time.sleep(1.0)
        cluster(outage, cluster_dir)
        down_at = time.monotonic()
        try:
            # Writes answer 503 within 2 s, without hanging.
            start = time.monotonic()
            resp = a.post("/api/v2/connections", {"name": unique_name("while-down"), "strategy": "auth0"})
            assert resp.status_code == 503, describe(resp)
            assert time.monotonic() - start < 2.0
            assert resp.headers.get("Retry-After") == "5"
            assert resp.json() == {"statusCode": 503, "error": "Service Unavailable",
                                   "message": "The store is unavailable"}
            # Reads are served from memory.
            assert b.get(f"/api/v2/connections/{kept['id']}").status_code == 200
            # /healthz says degraded within 5 s of the outage.
            assert wait_until(lambda: a.get("/healthz").status_code == 503, max(0.1, 5.0 - (time.monotonic() - down_at)))
            assert a.get("/healthz").json() == {"status": "degraded", "store": "unavailable"}
            # A client token verified before the outage keeps working; a new one cannot be issued.
            assert a.get(f"/api/v2/connections/{kept['id']}", token=token).status_code == 200
            resp = token_request(a, client_id, secret)
            assert resp.status_code == 503 and resp.json().get("error") == "temporarily_unavailable", describe(resp)
        finally:
            cluster("up", cluster_dir)
        up_at = time.monotonic()
        # Both recover by themselves within 15 s.
        for srv in (a, b):
            assert wait_until(lambda: srv.get("/healthz").status_code == 200, 15.0 - (time.monotonic() - up_at))
        acknowledged_before = len(load.acknowledged)
        assert wait_until(lambda: len(load.acknowledged) > acknowledged_before + 5, 10.0)
    assert 503 in load.statuses
    assert load.acknowledged <= stored_ids(a.db)
    recovered = a.create(unique_name("after"))
    visible_on(b, recovered["id"], timeout=1.0)


def test_an_unreachable_database_at_start_is_retried_for_30_s_then_exit_1_without_the_password():
    url = "postgresql://api:very-secret-pw@127.0.0.1:9/connections?sslmode=disable"
    start = time.monotonic()
    done = subprocess.run([server_binary(), "serve", "--port", "0", "--db", url], capture_output=True, text=True,
                          timeout=90, env={**os.environ, "CONNECTIONS_API_TOKEN": SHARED_TOKEN})
    elapsed = time.monotonic() - start
    assert done.returncode == 1
    assert 29 <= elapsed < 45, elapsed
    assert "very-secret-pw" not in done.stdout + done.stderr
    assert "postgresql://api:***@127.0.0.1:9/connections" in done.stderr, done.stderr
