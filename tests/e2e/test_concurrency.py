"""Racing writers (API.md, "Consistency").

Every thread has its own keep-alive connection, opened before the race, and all
of them are released by one barrier so the requests reach the server together.
The assertions are about outcomes only (which answers, which final state), never
about timing.
"""

import re
import subprocess
import threading

import pytest
import requests

from support import BACKENDS, REQUEST_TIMEOUT, Server, assert_error, describe, fresh_db, server_binary, unique_name

API = "/api/v2/connections"
ROUNDS = 4


@pytest.fixture(scope="module", params=BACKENDS)
def server(request):
    """Four event loops whatever the machine's core count, so racing connections land on different loops.
    On both stores: on PostgreSQL, racing writes to one connection fall in one group, whose
    rows are locked by one statement and written by one per table."""
    srv = Server(["--event-loops", "4"], db=fresh_db(request.param))
    yield srv
    srv.stop()


def race(server, count, send):
    """Runs `send(session, index)` on `count` threads at once; returns the responses by index."""
    sessions = []
    for _ in range(count):
        session = requests.Session()
        # Open the keep-alive connection now, so the barrier releases requests, not handshakes.
        assert session.get(server.url("/healthz"), timeout=REQUEST_TIMEOUT).status_code == 200
        sessions.append(session)
    barrier = threading.Barrier(count, timeout=30)
    results = [None] * count

    def run(index):
        barrier.wait()
        try:
            results[index] = send(sessions[index], index)
        except Exception as error:  # reported below with the index, instead of dying silently
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(REQUEST_TIMEOUT + 30)
        assert not thread.is_alive(), "a racing request did not finish"
    for session in sessions:
        session.close()
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, f"racing requests failed without an answer: {errors[:3]}"
    return results


def headers(server):
    return {"Authorization": f"Bearer {server.token}", "Content-Type": "application/json"}


def pair(index):
    """A complete, distinct (display_name, metadata, options tag) triple: any mix of two is detectable."""
    metadata = {f"k{key}": f"writer-{index}-{key}" for key in range(10)}
    return {"display_name": f"writer-{index}", "metadata": metadata, "options": {"disable_signup": True, "writer_tag": f"writer-{index}"}}


def state_of(conn):
    return {
        "display_name": conn.get("display_name"),
        "metadata": conn.get("metadata"),
        "options": {"disable_signup": conn.get("options", {}).get("disable_signup"),
                    "writer_tag": conn.get("options", {}).get("writer_tag")},
    }


def test_concurrent_patches_leave_exactly_one_complete_write(server):
    conn = server.create(unique_name("race-patch"))
    writers = 16
    for round_no in range(ROUNDS):
        sent = [pair(round_no * writers + i) for i in range(writers)]

        def send(session, index):
            return session.patch(server.url(f"{API}/{conn['id']}"), json=sent[index], headers=headers(server),
                                 timeout=REQUEST_TIMEOUT)

        responses = race(server, writers, send)
        for index, resp in enumerate(responses):
            assert resp.status_code == 200, describe(resp)
            # Every response reflects its own write, whole.
            assert state_of(resp.json()) == sent[index], describe(resp)
        final = server.get(f"{API}/{conn['id']}")
        assert final.status_code == 200, describe(final)
        assert state_of(final.json()) in sent, f"torn final state: {state_of(final.json())}"
        listed = server.get(API, params={"name": conn["name"]})
        assert listed.status_code == 200, describe(listed)
        assert [state_of(item) for item in listed.json()] == [state_of(final.json())], describe(listed)


def test_racing_creates_of_one_name_make_exactly_one(server):
    for _ in range(ROUNDS):
        name = unique_name("race-create")

        def send(session, index):
            return session.post(server.url(API), json={"name": name, "strategy": "auth0", "display_name": f"creator-{index}"},
                                headers=headers(server), timeout=REQUEST_TIMEOUT)

        responses = race(server, 20, send)
        created = [r for r in responses if r.status_code == 201]
        assert len(created) == 1, [r.status_code for r in responses]
        for resp in responses:
            if resp.status_code != 201:
                assert_error(resp, 409, "Conflict", "A connection with the same name already exists", "connection_conflict")
        winner = created[0].json()
        listed = server.get(API, params={"name": name})
        assert listed.status_code == 200, describe(listed)
        assert [(c["id"], c["display_name"]) for c in listed.json()] == [(winner["id"], winner["display_name"])]


def test_racing_deletes_of_one_id_give_exactly_one_202(server):
    for _ in range(ROUNDS):
        conn = server.create(unique_name("race-delete"))

        def send(session, index):
            return session.delete(server.url(f"{API}/{conn['id']}"), headers=headers(server), timeout=REQUEST_TIMEOUT)

        responses = race(server, 12, send)
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [202] + [204] * 11, statuses
        for resp in responses:
            if resp.status_code == 202:
                assert set(resp.json()) == {"deleted_at"}, describe(resp)
            else:
                assert resp.content == b"", describe(resp)
        gone = server.get(f"{API}/{conn['id']}")
        assert_error(gone, 404, "Not Found", "The connection does not exist", "inexistent_connection")
        again = server.post(API, {"name": conn["name"], "strategy": "auth0"})
        assert again.status_code == 201, describe(again)


def test_an_acknowledged_write_is_seen_by_every_later_read(server):
    """Readers on other connections (and event loops) never see a state older than the last 2xx."""
    conn = server.create(unique_name("monotonic"), metadata={"seq": "0"}, display_name="v0")
    acked = [0]
    lock = threading.Lock()
    done = threading.Event()
    problems = []

    def writer():
        session = requests.Session()
        try:
            for seq in range(1, 151):
                resp = session.patch(server.url(f"{API}/{conn['id']}"), json={"display_name": f"v{seq}", "metadata": {"seq": str(seq)}},
                                     headers=headers(server), timeout=REQUEST_TIMEOUT)
                if resp.status_code != 200:
                    problems.append(describe(resp))
                    return
                with lock:
                    acked[0] = seq
        finally:
            done.set()
            session.close()

    def reader():
        session = requests.Session()
        try:
            while not done.is_set():
                with lock:
                    floor = acked[0]
                resp = session.get(server.url(f"{API}/{conn['id']}"), headers=headers(server), timeout=REQUEST_TIMEOUT)
                if resp.status_code != 200:
                    problems.append(describe(resp))
                    return
                body = resp.json()
                seq = int(body["metadata"]["seq"])
                if seq < floor or body["display_name"] != f"v{seq}":
                    problems.append(f"read {body['display_name']}/{seq} after v{floor} was acknowledged")
                    return
        finally:
            session.close()

    threads = [threading.Thread(target=writer, daemon=True)] + [threading.Thread(target=reader, daemon=True) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
        assert not thread.is_alive(), "reader or writer did not finish"
    assert not problems, problems[:5]
    assert acked[0] == 150


def test_concurrent_patches_of_different_keys_lose_no_update(server):
    """PATCH keeps unsent keys (API.md), so writers touching different keys must all be visible."""
    conn = server.create(unique_name("race-keys"))
    for round_no in range(ROUNDS):
        tag = f"r{round_no}"
        bodies = [
            {"display_name": f"name-{tag}"},
            {"metadata": {"round": tag}},
            {"realms": [f"realm-{tag}"]},
            {"show_as_button": round_no % 2 == 0},
            {"is_domain_connection": round_no % 2 == 1},
            {"authentication": {"active": round_no % 2 == 0}},
            {"connected_accounts": {"active": round_no % 2 == 1}},
        ]

        def send(session, index):
            return session.patch(server.url(f"{API}/{conn['id']}"), json=bodies[index], headers=headers(server),
                                 timeout=REQUEST_TIMEOUT)

        for resp in race(server, len(bodies), send):
            assert resp.status_code == 200, describe(resp)
        final = server.get(f"{API}/{conn['id']}").json()
        for body in bodies:
            (key, value), = body.items()
            assert final.get(key) == value, f"lost update of {key}: sent {value}, stored {final.get(key)}"


def test_concurrent_client_enables_lose_no_update(server):
    """Each 204 from PATCH /connections/{id}/clients is an acknowledged write that later reads must see."""
    conn = server.create(unique_name("race-clients"))
    writers = 16
    expected = set()
    for round_no in range(ROUNDS):
        ids = [f"client{round_no}x{index:02d}" for index in range(writers)]
        expected |= set(ids)

        def send(session, index):
            return session.patch(server.url(f"{API}/{conn['id']}/clients"), json=[{"client_id": ids[index], "status": True}],
                                 headers=headers(server), timeout=REQUEST_TIMEOUT)

        for resp in race(server, writers, send):
            assert resp.status_code == 204, describe(resp)
        listed = server.get(f"{API}/{conn['id']}/clients", params={"take": "1000"}).json()
        enabled = {c["client_id"] for c in listed["clients"]}
        assert enabled == expected, f"lost: {sorted(expected - enabled)}"


def test_patch_racing_delete_never_resurrects(server):
    """Of a PATCH racing a DELETE, the PATCH either lands first (200) or finds nothing (404); the row stays gone."""
    for _ in range(ROUNDS):
        conn = server.create(unique_name("race-pd"))

        def send(session, index):
            url = server.url(f"{API}/{conn['id']}")
            if index == 0:
                return session.delete(url, headers=headers(server), timeout=REQUEST_TIMEOUT)
            return session.patch(url, json={"display_name": f"late-{index}"}, headers=headers(server), timeout=REQUEST_TIMEOUT)

        responses = race(server, 8, send)
        assert responses[0].status_code == 202, describe(responses[0])
        for resp in responses[1:]:
            assert resp.status_code in (200, 404), describe(resp)
        assert server.get(f"{API}/{conn['id']}").status_code == 404
        assert server.get(API, params={"name": conn["name"]}).json() == []


def test_cli_and_a_loaded_server_share_the_database(server):
    """CLI.md's `clients` commands open the server's own file; under write load neither side fails."""
    stop = threading.Event()
    answers = []

    def writer(index):
        session = requests.Session()
        count = 0
        try:
            while not stop.is_set():
                resp = session.post(server.url(API), json={"name": unique_name(f"cli-load{index}-{count}"), "strategy": "auth0"},
                                    headers=headers(server), timeout=REQUEST_TIMEOUT)
                answers.append(resp.status_code)
                count += 1
        finally:
            session.close()

    threads = [threading.Thread(target=writer, args=(i,), daemon=True) for i in range(4)]
    for thread in threads:
        thread.start()
    results = []
    try:
        for round_no in range(4):
            for args in (["create", "--name", f"cli-{round_no}", "--scopes", "read:connections"], ["list"]):
                out = subprocess.run([server_binary(), "clients", *args, "--db", server.db], capture_output=True,
                                     text=True, timeout=60)
                results.append((args[0], out.returncode, out.stderr.strip()[:300]))
                if args[0] == "create" and out.returncode == 0:
                    client_id = re.search(r"client_id:\s*(\S+)", out.stdout).group(1)
                    revoked = subprocess.run([server_binary(), "clients", "revoke", client_id, "--db", server.db],
                                             capture_output=True, text=True, timeout=60)
                    results.append(("revoke", revoked.returncode, revoked.stderr.strip()[:300]))
    finally:
        stop.set()
        for thread in threads:
            thread.join(REQUEST_TIMEOUT + 5)
    assert all(code == 0 for _, code, _ in results), results
    assert answers and set(answers) == {201}, f"server answers while the CLI wrote: {sorted(set(answers))}"
