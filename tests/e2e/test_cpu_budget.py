"""API.md "CPU budget": clients sending costly 1 MiB bodies back to back cannot starve others.

Two hostile senders, each on its own keep-alive connection, post the worst shapes as fast as
they are answered (a 100,000-key object, and half a million wrongly typed items), while a
third client times `/healthz` and a GET of a stored connection. Before issue 10 one such
body took 21 s of CPU on an event loop and `/healthz` waited seconds; judging now runs on
worker threads, so the loops answer within milliseconds. The bound asserted is the contract's
own, p99 <= 50 ms, on a debug build: measured on this 2-core machine with 0, 2, 4 and 8 other
CPU-bound processes beside it, p99 was 7-10, 10-14, 14-20 and 24-28 ms (BENCHMARKS.md, "Hostile
bodies"), so the bound holds with room under a load of 8 on 2 cores.
"""

import statistics
import threading
import time

import requests

from support import REQUEST_TIMEOUT, describe, unique_name

API = "/api/v2/connections"
LIMIT = 1_048_576
# Samples are taken for this long while both senders keep the server busy.
PROBE_SECONDS = 6
# API.md "CPU budget": other connections are never delayed by more than 50 ms.
P99_BOUND_MS = 50


def fill(prefix: str, item, suffix: str) -> bytes:
    """`prefix` + comma-separated `item(i)` + `suffix`, as long as fits in 1 MiB."""
    parts, size, index = [prefix], len(prefix) + len(suffix), 0
    while True:
        piece = ("," if index else "") + item(index)
        if size + len(piece) > LIMIT:
            break
        parts.append(piece)
        size += len(piece)
        index += 1
    parts.append(suffix)
    body = "".join(parts).encode()
    assert len(body) <= LIMIT
    return body


def hostile_bodies():
    head = '{"name":"%s","strategy":"auth0",' % unique_name("cpu")
    many_keys = fill(head + '"options":{', lambda i: '"k%x":0' % i, "}}")
    many_violations = fill(head + '"options":{},"enabled_clients":[', lambda i: "0", "]}")
    return many_keys, many_violations


def percentile(samples, fraction):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def test_costly_bodies_do_not_starve_healthz_or_other_clients(server):
    stored = server.create(unique_name("bystander"))
    many_keys, many_violations = hostile_bodies()
    stop = threading.Event()
    answered = {"keys": [], "violations": []}
    errors = []

    def send(label, body):
        session = requests.Session()
        headers = {"Authorization": f"Bearer {server.token}", "Content-Type": "application/json"}
        try:
            while not stop.is_set():
                resp = session.post(server.url(API + "?dry_run=true"), data=body, headers=headers,
                                    timeout=REQUEST_TIMEOUT * 4)
                answered[label].append(resp.status_code)
        except Exception as error:  # noqa: BLE001 - reported by the assertions below
            errors.append(f"{label}: {error!r}")
        finally:
            session.close()

    senders = [threading.Thread(target=send, args=("keys", many_keys), daemon=True),
               threading.Thread(target=send, args=("violations", many_violations), daemon=True)]
    for thread in senders:
        thread.start()
    # Let both senders get their first bodies to the server before timing.
    time.sleep(0.5)

    healthz, reads = [], []
    probe = requests.Session()
    headers = {"Authorization": f"Bearer {server.token}"}
    try:
        deadline = time.monotonic() + PROBE_SECONDS
        while time.monotonic() < deadline:
            started = time.perf_counter()
            resp = probe.get(server.url("/healthz"), timeout=REQUEST_TIMEOUT)
            healthz.append((time.perf_counter() - started) * 1000)
            assert resp.status_code == 200, describe(resp)
            started = time.perf_counter()
            resp = probe.get(server.url(f"{API}/{stored['id']}"), headers=headers, timeout=REQUEST_TIMEOUT)
            reads.append((time.perf_counter() - started) * 1000)
            assert resp.status_code == 200 and resp.json()["id"] == stored["id"], describe(resp)
            time.sleep(0.01)
    finally:
        stop.set()
        probe.close()
        for thread in senders:
            thread.join(REQUEST_TIMEOUT * 4 + 10)

    assert not errors, errors
    # The load was real: both shapes were judged, more than once, and answered as dry runs.
    assert len(answered["keys"]) >= 2 and set(answered["keys"]) == {200}, answered["keys"]
    assert len(answered["violations"]) >= 2 and set(answered["violations"]) == {200}, answered["violations"]
    summary = (f"healthz p50 {statistics.median(healthz):.1f} ms p99 {percentile(healthz, 0.99):.1f} ms, "
               f"GET p50 {statistics.median(reads):.1f} ms p99 {percentile(reads, 0.99):.1f} ms "
               f"({len(healthz)} samples each; bodies judged: {len(answered['keys'])} + {len(answered['violations'])})")
    print(summary)
    assert percentile(healthz, 0.99) <= P99_BOUND_MS, summary
    assert percentile(reads, 0.99) <= P99_BOUND_MS, summary
