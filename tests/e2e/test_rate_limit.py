"""Per-client rate limits (API.md, "Rate limits" and "Limits and HTTP details").

The server runs with `--rate-limit 5/5`: a bucket of 5 per machine client (all its
tokens together), refilled at 5 a second. Requests on one keep-alive connection take
milliseconds, so a client that sends 30 in a row must run dry; the assertions count
answers, not time. The only waits are the delays the server itself advertises.
"""

import math
import os
import subprocess
import threading
import time

import httpx
import pytest
import requests
from auth0.management import Auth0

from support import REQUEST_TIMEOUT, Server, assert_error, describe, server_binary, unique_name
from test_auth_scopes import issue, register

API = "/api/v2/connections"
ATTEMPTS = 30


@pytest.fixture(scope="module")
def limited():
    srv = Server(["--rate-limit", "5/5"])
    yield srv
    srv.stop()


def fresh_token(srv, scopes=("read:connections", "create:connections")):
    """A token of a new client, so a bucket of its own (the limit is per client)."""
    return issue(srv, *register(srv, list(scopes)))


def assert_rate_headers(resp, limit):
    for name in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"):
        assert resp.headers.get(name, "").isdigit(), f"{name} missing or not an integer" + describe(resp)
    assert int(resp.headers["x-ratelimit-limit"]) == limit, describe(resp)
    assert 0 <= int(resp.headers["x-ratelimit-remaining"]) <= limit, describe(resp)
    # Unix seconds, not a delta: within the time it takes an empty bucket to refill.
    now = time.time()
    assert now - 5 <= int(resp.headers["x-ratelimit-reset"]) <= now + 5, describe(resp)


def until_limited(srv, token, path=API):
    """Sends requests with `token` until the first 429; returns (answers before it, the 429)."""
    session = requests.Session()
    before = []
    try:
        for _ in range(ATTEMPTS):
            resp = session.get(srv.url(path), headers={"Authorization": f"Bearer {token}"}, timeout=REQUEST_TIMEOUT)
            if resp.status_code == 429:
                return before, resp
            before.append(resp)
    finally:
        session.close()
    return before, None


def test_every_api_response_carries_rate_limit_headers(limited):
    conn = limited.create(unique_name("rl"))
    answers = {
        "200 list": limited.get(API, token=fresh_token(limited)),
        "200 get": limited.get(f"{API}/{conn['id']}", token=fresh_token(limited)),
        "201 create": limited.post(API, {"name": unique_name("rl"), "strategy": "auth0"}, token=fresh_token(limited)),
        "400 query": limited.get(API, params={"per_page": "0"}, token=fresh_token(limited)),
        "403 scope": limited.delete(f"{API}/{conn['id']}", token=fresh_token(limited)),
        "404 connection": limited.get(f"{API}/con_{'Q' * 16}", token=fresh_token(limited)),
        "200 admin": limited.get(API),
        "401 no token": limited.get(API, token=False),
        "401 bad token": limited.get(API, token="nope"),
    }
    expected = {label: int(label.split()[0]) for label in answers}
    assert {label: r.status_code for label, r in answers.items()} == expected
    for label, resp in answers.items():
        assert_rate_headers(resp, 5)


def test_unrouted_api_responses_carry_rate_limit_headers_too(limited):
    """API.md: *every* `/api/v2` response, so also the 404 and 405 answered before authentication."""
    answers = {
        "404 unknown route": limited.get("/api/v2/nope"),
        "405 wrong method": limited.request("PUT", API),
    }
    assert {label: r.status_code for label, r in answers.items()} == {label: int(label.split()[0]) for label in answers}
    for label, resp in answers.items():
        assert_rate_headers(resp, 5)


def test_a_token_past_its_burst_gets_429_with_retry_after(limited):
    client = register(limited, ["read:connections"])
    token = issue(limited, *client)
    second = issue(limited, *client)
    before, limited_resp = until_limited(limited, token)
    assert limited_resp is not None, f"no 429 after {ATTEMPTS} requests at 5/5"
    assert len(before) >= 5, f"the burst of 5 was not honoured: 429 after {len(before)}"
    assert all(r.status_code == 200 for r in before), [r.status_code for r in before]
    for resp in before:
        assert_rate_headers(resp, 5)
    remaining = [int(r.headers["x-ratelimit-remaining"]) for r in before]
    assert remaining[0] == 4, remaining
    assert_error(limited_resp, 429, "Too Many Requests", "Global limit has been reached", "too_many_requests")
    assert_rate_headers(limited_resp, 5)
    assert limited_resp.headers["x-ratelimit-remaining"] == "0", describe(limited_resp)
    retry_after = limited_resp.headers.get("Retry-After", "")
    assert retry_after.isdigit() and int(retry_after) >= 1, describe(limited_resp)

    # The bucket is the client's: its other token finds it empty (a token's own bucket would
    # show 4 remaining; at most what refilled since the 429 is left).
    shared = limited.get(API, token=second)
    assert shared.status_code == 429 or shared.headers["x-ratelimit-remaining"] == "0", describe(shared)
    before_second, second_limited = until_limited(limited, second)
    assert second_limited is not None and len(before_second) < 5, [r.status_code for r in before_second]
    # Another client is not limited.
    assert limited.get(API, token=fresh_token(limited)).status_code == 200
    # After the advertised delay the same token is served again.
    time.sleep(int(retry_after))
    again = limited.get(API, token=token)
    assert again.status_code == 200, describe(again)


def test_the_admin_token_is_exempt_by_default(limited):
    before, limited_resp = until_limited(limited, limited.token)
    assert limited_resp is None, describe(limited_resp)
    for resp in before:
        assert resp.status_code == 200, describe(resp)
        assert_rate_headers(resp, 5)


def test_rate_limit_admin_limits_the_admin_token_too(server_factory):
    srv = server_factory(["--rate-limit", "5/5", "--rate-limit-admin"])
    before, limited_resp = until_limited(srv, srv.token)
    assert limited_resp is not None, f"admin token never limited with --rate-limit-admin after {ATTEMPTS} requests"
    assert len(before) >= 5
    assert_error(limited_resp, 429, "Too Many Requests", "Global limit has been reached", "too_many_requests")
    assert limited_resp.headers.get("Retry-After", "").isdigit(), describe(limited_resp)


def test_rate_limit_off_never_answers_429(server_factory):
    srv = server_factory(["--rate-limit", "off"])
    before, limited_resp = until_limited(srv, fresh_token(srv))
    assert limited_resp is None, describe(limited_resp)
    assert len(before) == ATTEMPTS


def test_the_auth0_sdk_backs_off_and_succeeds(limited):
    """auth0-python 6.8.0 retries 429 after `Retry-After` (core/http_client.py `_retry_timeout`)."""
    conn = limited.create(unique_name("sdk-rl"))
    seen = []

    def record(response):
        seen.append((response.status_code, response.headers.get("retry-after")))

    http = httpx.Client(timeout=REQUEST_TIMEOUT, event_hooks={"response": [record]})
    sdk = Auth0(base_url=f"{limited.base}/api/v2", token=fresh_token(limited), max_retries=3, httpx_client=http)
    calls = 12
    started = time.monotonic()
    try:
        for _ in range(calls):
            assert sdk.connections.get(conn["id"]).id == conn["id"]
    finally:
        http.close()
    elapsed = time.monotonic() - started
    statuses = [status for status, _ in seen]
    assert set(statuses) <= {200, 429}, statuses
    assert statuses.count(200) == calls, statuses
    assert len(seen) > calls, f"the SDK never had to retry: {statuses}"
    waits = [int(retry_after) for status, retry_after in seen if status == 429]
    assert all(w >= 1 for w in waits), seen
    assert elapsed >= sum(waits), f"the SDK retried before the advertised Retry-After ({elapsed:.2f}s < {sum(waits)}s)"


def test_concurrent_requests_cannot_overdraw_the_bucket(limited):
    """The bucket is taken atomically: racing requests get at most the burst plus what refilled meanwhile."""
    token = fresh_token(limited)
    count = 30
    sessions = []
    for _ in range(count):
        session = requests.Session()
        assert session.get(limited.url("/healthz"), timeout=REQUEST_TIMEOUT).status_code == 200
        sessions.append(session)
    barrier = threading.Barrier(count + 1, timeout=30)
    statuses = [None] * count

    def run(index):
        barrier.wait()
        resp = sessions[index].get(limited.url(API), headers={"Authorization": f"Bearer {token}"}, timeout=REQUEST_TIMEOUT)
        statuses[index] = resp.status_code

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join(REQUEST_TIMEOUT + 30)
    elapsed = time.monotonic() - started
    for session in sessions:
        session.close()
    assert set(statuses) <= {200, 429}, statuses
    allowed = statuses.count(200)
    # Every request was answered within `elapsed`, so at most 5 * elapsed tokens came back.
    assert 5 <= allowed <= 5 + math.ceil(5 * elapsed), f"{allowed} allowed in {elapsed:.2f}s: {statuses}"


@pytest.mark.parametrize("value", ["0/5", "5/0", "-1/5", "abc", "5", "5/5/5"])
def test_a_bad_rate_limit_value_is_a_usage_error(value):
    out = subprocess.run([server_binary(), "serve", "--port", "0", "--db", ":memory:", "--rate-limit", value],
                         capture_output=True, text=True, timeout=30, env={**os.environ, "CONNECTIONS_API_TOKEN": "x"})
    assert out.returncode == 64, (value, out.returncode, out.stdout, out.stderr)
    assert "listening" not in out.stdout
    assert "Usage" in out.stderr or "usage" in out.stderr, out.stderr


def test_the_default_limit_is_a_burst_of_200(server):
    """API.md: default 100 requests/s with bursts of 200."""
    resp = server.get(API, token=fresh_token(server))
    assert resp.status_code == 200, describe(resp)
    assert_rate_headers(resp, 200)
    assert resp.headers["x-ratelimit-remaining"] == "199", describe(resp)
