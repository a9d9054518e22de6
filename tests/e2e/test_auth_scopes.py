"""Machine clients, scoped tokens and what never leaks (API.md, "Authentication and scopes").

Clients are registered with the CLI against the running server's own SQLite file
(WAL lets both open it), tokens come from `POST /oauth/token`, and every route is
checked with a token that lacks exactly its scope and with one that holds only it.
"""

import glob
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time

import pytest
import requests

import rawhttp
from support import READY_LINE, REQUEST_TIMEOUT, START_TIMEOUT, STOP_TIMEOUT, assert_error, describe, server_binary, unique_name

API = "/api/v2/connections"
ALL_SCOPES = (
    "read:connections", "create:connections", "update:connections", "delete:connections",
    "read:connections_options", "update:connections_options", "read:prompts", "update:prompts",
)


def cli(*args):
    out = subprocess.run([server_binary(), *args], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, f"{args}: exit {out.returncode}\n{out.stderr}"
    return out.stdout


def register(srv, scopes):
    """`clients create` on the server's database; returns (client_id, client_secret)."""
    out = cli("clients", "create", "--name", unique_name("m2m"), "--scopes", ",".join(scopes), "--db", srv.db)
    client_id = re.search(r"client_id:\s*(\S+)", out).group(1)
    secret = re.search(r"client_secret:\s*(\S+)", out).group(1)
    return client_id, secret


def request_token(srv, client_id, secret):
    return requests.post(srv.url("/oauth/token"), json={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret,
        "audience": f"{srv.base}/api/v2/"}, timeout=REQUEST_TIMEOUT)


def issue(srv, client_id, secret):
    resp = request_token(srv, client_id, secret)
    assert resp.status_code == 200, describe(resp)
    return resp.json()["access_token"]


def assert_invalid_token(resp, message="Invalid token"):
    assert_error(resp, 401, "Unauthorized", message)
    challenge = resp.headers.get("WWW-Authenticate", "")
    assert challenge.split(" ")[0] == "Bearer", describe(resp)


@pytest.fixture(scope="module")
def tokens(server):
    """Tokens by scope set on the module's server, registered once each."""
    cache = {}

    def get(scopes):
        key = frozenset(scopes)
        if key not in cache:
            cache[key] = issue(server, *register(server, sorted(key)))
        return cache[key]

    return get


# -- the token endpoint --------------------------------------------------------


def test_token_endpoint_issues_a_bearer_token_with_the_client_scopes(server):
    client_id, secret = register(server, ["read:connections", "update:prompts"])
    resp = request_token(server, client_id, secret)
    assert resp.status_code == 200, describe(resp)
    body = resp.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"}, body
    assert body["token_type"] == "Bearer"
    assert isinstance(body["expires_in"], int) and body["expires_in"] > 0
    assert set(body["scope"].split(" ")) == {"read:connections", "update:prompts"}
    assert body["access_token"] not in (secret, client_id, server.token)
    # RFC 6749 §5.1: a response carrying a token must not be cached.
    assert resp.headers.get("Cache-Control") == "no-store", describe(resp)
    assert server.get(API, token=body["access_token"]).status_code == 200


def test_bad_client_credentials_get_401_and_no_token(server):
    client_id, secret = register(server, ["read:connections"])
    other_id, other_secret = register(server, ["read:connections"])
    for cid, sec in ((client_id, secret + "x"), (client_id, other_secret), ("no-such-client", secret), (client_id, "")):
        resp = request_token(server, cid, sec)
        assert resp.status_code == 401, describe(resp)
        assert "access_token" not in resp.text, describe(resp)


# -- scopes per route ------------------------------------------------------------


def route_cases(server):
    """(label, scope it needs, function token -> response, success status) for every /api/v2 route."""
    def fresh():
        return server.create(unique_name("scope"))["id"]

    return [
        ("GET /connections", "read:connections", lambda t: server.get(API, token=t), 200),
        ("GET /connections/{id}", "read:connections", lambda t: server.get(f"{API}/{fresh()}", token=t), 200),
        ("GET /connections/{id}/clients", "read:connections", lambda t: server.get(f"{API}/{fresh()}/clients", token=t), 200),
        ("POST /connections", "create:connections",
         lambda t: server.post(API, {"name": unique_name("scope"), "strategy": "auth0"}, token=t), 201),
        ("PATCH /connections/{id}", "update:connections",
         lambda t: server.patch(f"{API}/{fresh()}", {"display_name": "scoped"}, token=t), 200),
        ("PATCH /connections/{id}/clients", "update:connections",
         lambda t: server.patch(f"{API}/{fresh()}/clients", [{"client_id": "scopedclient1", "status": True}], token=t), 204),
        ("DELETE /connections/{id}", "delete:connections", lambda t: server.delete(f"{API}/{fresh()}", token=t), 202),
        ("GET /prompts", "read:prompts", lambda t: server.get("/api/v2/prompts", token=t), 200),
        ("PATCH /prompts", "update:prompts", lambda t: server.patch("/api/v2/prompts", {"identifier_first": False}, token=t), 200),
    ]


ROUTE_LABELS = [
    "GET /connections", "GET /connections/{id}", "GET /connections/{id}/clients", "POST /connections",
    "PATCH /connections/{id}", "PATCH /connections/{id}/clients", "DELETE /connections/{id}", "GET /prompts",
    "PATCH /prompts",
]


@pytest.mark.parametrize("label", ROUTE_LABELS)
def test_each_route_needs_its_scope(server, tokens, label):
    (_, scope, call, success), = [case for case in route_cases(server) if case[0] == label]
    without = tokens([s for s in ALL_SCOPES if s != scope])
    assert_error(call(without), 403, "Forbidden", f"Insufficient scope, expected any of: {scope}", "insufficient_scope")
    only = tokens([scope])
    resp = call(only)
    assert resp.status_code == success, describe(resp)


def test_scope_is_checked_before_existence_and_body(server, tokens):
    reader = tokens(["read:connections"])
    missing = f"{API}/con_{'Z' * 16}"
    forbidden = ("Forbidden", "insufficient_scope")
    cases = [
        (server.post(API, raw=b"{not json", token=reader, headers={"Content-Type": "application/json"}), "create:connections"),
        (server.post(API, {"name": "bad name!", "strategy": "nope"}, token=reader), "create:connections"),
        (server.patch(missing, {"display_name": "x"}, token=reader), "update:connections"),
        (server.delete(missing, token=reader), "delete:connections"),
        (server.get(missing, token=tokens(["create:connections"])), "read:connections"),
    ]
    for resp, scope in cases:
        assert_error(resp, 403, forbidden[0], f"Insufficient scope, expected any of: {scope}", forbidden[1])


def test_options_are_left_out_without_read_options_scope(server, tokens):
    conn = server.create(unique_name("opts"), options={"disable_signup": True})
    plain = tokens(["read:connections"])
    full = tokens(["read:connections", "read:connections_options"])
    views = {
        "get": lambda t: [server.get(f"{API}/{conn['id']}", token=t).json()],
        "get fields=options,name": lambda t: [server.get(f"{API}/{conn['id']}", token=t,
                                                          params={"fields": "options,name"}).json()],
        "list": lambda t: server.get(API, token=t, params={"name": conn["name"]}).json(),
        "list totals": lambda t: server.get(API, token=t, params={"name": conn["name"], "include_totals": "true"}).json()["connections"],
        "list checkpoint": lambda t: server.get(API, token=t, params={"name": conn["name"], "take": "5"}).json()["connections"],
    }
    for label, view in views.items():
        hidden = view(plain)
        assert len(hidden) == 1 and hidden[0]["id"] == conn["id"], (label, hidden)
        assert "options" not in hidden[0], (label, hidden[0])
        shown = view(full)
        assert shown[0]["options"]["disable_signup"] is True, (label, shown[0])


def test_patching_options_needs_update_options_scope(server, tokens):
    conn = server.create(unique_name("optpatch"), options={"disable_signup": True})
    updater = tokens(["update:connections", "read:connections", "read:connections_options"])
    resp = server.patch(f"{API}/{conn['id']}", {"display_name": "d", "options": {"disable_signup": False}}, token=updater)
    assert_error(resp, 403, "Forbidden", "Insufficient scope, expected any of: update:connections_options", "insufficient_scope")
    stored = server.get(f"{API}/{conn['id']}").json()
    assert stored["options"]["disable_signup"] is True and "display_name" not in stored, "a rejected PATCH changed something"
    both = tokens(["update:connections", "update:connections_options"])
    resp = server.patch(f"{API}/{conn['id']}", {"options": {"disable_signup": False}}, token=both)
    assert resp.status_code == 200, describe(resp)
    assert server.get(f"{API}/{conn['id']}").json()["options"]["disable_signup"] is False


# -- tokens that stop working ----------------------------------------------------


def test_revoking_a_client_rejects_its_token_at_once(server):
    client_id, secret = register(server, ["read:connections"])
    token = issue(server, client_id, secret)
    second = issue(server, client_id, secret)
    bystander = issue(server, *register(server, ["read:connections"]))
    assert server.get(API, token=token).status_code == 200
    cli("clients", "revoke", client_id, "--db", server.db)
    assert_invalid_token(server.get(API, token=token))
    assert_invalid_token(server.get(API, token=second))
    assert request_token(server, client_id, secret).status_code == 401
    assert server.get(API, token=bystander).status_code == 200
    listing = cli("clients", "list", "--db", server.db)
    line = [row for row in listing.splitlines() if client_id in row]
    assert len(line) == 1 and "revoked" in line[0], listing


def test_an_expired_token_is_rejected(server_factory):
    # Lifetime 2, not 1: the server counts whole seconds, so a 1-second token may already be
    # past its expiry on its first use, and this test first proves the token worked.
    srv = server_factory(["--token-lifetime", "2"])
    client_id, secret = register(srv, ["read:connections"])
    issued_at = time.monotonic()
    resp = request_token(srv, client_id, secret)
    assert resp.status_code == 200, describe(resp)
    assert resp.json()["expires_in"] == 2
    token = resp.json()["access_token"]
    assert srv.get(API, token=token).status_code == 200
    time.sleep(max(0.0, issued_at + 3.1 - time.monotonic()))
    assert_invalid_token(srv.get(API, token=token))


# -- how a token may be presented ------------------------------------------------


def test_401_answers_carry_a_bearer_challenge(server):
    assert_invalid_token(server.get(API, token=False), "Missing authentication")
    assert_invalid_token(server.get(API, token="not-a-token-" + secrets.token_hex(8)))
    assert_invalid_token(server.post(API, {"name": unique_name("x"), "strategy": "auth0"}, token="nope"))


@pytest.mark.parametrize("value", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Bearer a b", "Token abc", "Bearerabc"])
def test_malformed_authorization_is_400_bearer(server, value):
    resp = server.get(API, token=False, headers={"Authorization": value})
    assert_error(resp, 400, "Bad Request", "Bad HTTP authentication header format", "Bearer")


def test_two_authorization_headers_are_400_bearer(server):
    request = (f"GET {API} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {server.token}\r\n"
               f"Authorization: Bearer {server.token}\r\nConnection: close\r\n\r\n").encode()
    resp = rawhttp.exchange(server.port, request)
    assert resp.status == 400, resp
    assert resp.json() == {"statusCode": 400, "error": "Bad Request", "message": "Bad HTTP authentication header format",
                           "errorCode": "Bearer"}, resp


def test_the_scheme_is_case_insensitive_for_client_tokens_too(server, tokens):
    reader = tokens(["read:connections"])
    for scheme in ("bearer", "BEARER", "bEaReR"):
        resp = server.get(API, token=False, headers={"Authorization": f"{scheme} {reader}"})
        assert resp.status_code == 200, describe(resp)


def test_tokens_in_the_query_string_are_never_accepted(server, tokens):
    reader = tokens(["read:connections"])
    for param in ("access_token", "token"):
        for token in (server.token, reader):
            assert_invalid_token(server.get(API, token=False, params={param: token}), "Missing authentication")
    # A weak header plus a strong query token must not add up to the strong one.
    name = unique_name("query")
    resp = server.post(API, {"name": name, "strategy": "auth0"}, token=reader, params={"access_token": server.token})
    assert resp.status_code in (400, 403), describe(resp)
    assert server.get(API, params={"name": name}).json() == [], "the query-string token created a connection"


# -- what must never be kept or written in clear --------------------------------


def database_bytes(srv):
    chunks = []
    for path in sorted(glob.glob(srv.db + "*")):
        with open(path, "rb") as handle:
            chunks.append((path, handle.read()))
    return chunks


def test_database_keeps_no_secret_or_token_in_clear(fresh_server):
    srv = fresh_server
    client_id, secret = register(srv, ["read:connections", "create:connections"])
    issued = [issue(srv, client_id, secret) for _ in range(3)]
    for token in issued:
        assert srv.post(API, {"name": unique_name("db"), "strategy": "auth0"}, token=token).status_code == 201
    srv.proc.terminate()
    assert srv.proc.wait(10) == 0
    files = database_bytes(srv)
    assert any(data for _, data in files), "no database bytes to inspect"
    joined = b"".join(data for _, data in files)
    assert client_id.encode() in joined, "the client id should be stored (sanity check of this test)"
    for label, value in [("client secret", secret), ("admin token", srv.token)] + [("access token", t) for t in issued]:
        for path, data in files:
            assert value.encode() not in data, f"{label} stored in clear in {path}"


def test_log_never_contains_tokens_secrets_or_bodies(fresh_server):
    srv = fresh_server
    marker = "MARKER" + secrets.token_hex(8)
    client_id, secret = register(srv, ["read:connections", "create:connections", "update:connections"])
    token = issue(srv, client_id, secret)
    bogus = "bogus" + secrets.token_hex(12)
    created = srv.post(API, {"name": unique_name("log"), "strategy": "auth0", "display_name": marker,
                             "metadata": {"note": marker}, "options": {"configuration": {"key": marker}}}, token=token)
    assert created.status_code == 201, describe(created)
    conn_id = created.json()["id"]
    exchanges = [
        srv.patch(f"{API}/{conn_id}", {"display_name": marker + "p"}, token=token),
        srv.post(API, raw=(marker + "{").encode(), token=token, headers={"Content-Type": "application/json"}),
        srv.post(API, {"name": marker + " bad", "strategy": "auth0"}, token=token),
        srv.get(API, token=bogus),
        srv.get(API, token=False, headers={"Authorization": f"Basic {marker}"}),
        srv.get(API, params={"name": marker, "access_token": token}, token=token),
        request_token(srv, client_id, secret + marker),
        srv.get(f"{API}/{conn_id}", token=token),
    ]
    assert [r.status_code for r in exchanges] == [200, 400, 400, 401, 400, 400, 401, 200], [r.status_code for r in exchanges]
    srv.proc.terminate()
    srv.proc.wait(10)
    with open(srv.stderr_path, "rb") as handle:
        log = handle.read().decode("utf-8", "replace")
    assert "/api/v2/connections" in log and "/oauth/token" in log, f"requests are not logged at all:\n{log[-2000:]}"
    for label, value in (("access token", token), ("client secret", secret), ("admin token", srv.token),
                         ("unknown token", bogus), ("body or query marker", marker)):
        assert value not in log, f"{label} found in the server log"


# -- the generated admin token ----------------------------------------------------


def start_without_admin_token(db, log):
    """`serve` with no CONNECTIONS_API_TOKEN; returns (process, port, lines printed before ready)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONNECTIONS_API_")}
    proc = subprocess.Popen([server_binary(), "serve", "--port", "0", "--db", db], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=log, env=env)
    printed = []
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        line = proc.stdout.readline().decode("utf-8", "replace")
        if not line:
            break
        match = READY_LINE.search(line)
        if match:
            return proc, int(match.group(1)), printed
        printed.append(line.rstrip("\n"))
    proc.kill()
    proc.wait(STOP_TIMEOUT)
    raise AssertionError(f"server without admin token did not start; printed {printed}")


def stop_process(proc):
    proc.terminate()
    try:
        proc.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(STOP_TIMEOUT)


@pytest.fixture
def scratch():
    path = tempfile.mkdtemp(prefix="connections-auth-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


def get_with(port, token):
    return requests.get(f"http://127.0.0.1:{port}{API}", headers={"Authorization": f"Bearer {token}"},
                        timeout=REQUEST_TIMEOUT)


def test_a_generated_admin_token_is_printed_once_and_kept_as_a_hash(scratch):
    db = os.path.join(scratch, "x.sqlite")
    with open(os.path.join(scratch, "stderr.log"), "wb") as log:
        proc, port, printed = start_without_admin_token(db, log)
        try:
            lines = [line for line in printed if "token" in line.lower()]
            assert len(lines) == 1, f"expected one line with the generated token, got {printed}"
            token = lines[0].split()[-1]
            assert len(token) >= 32, lines[0]
            assert get_with(port, token).status_code == 200
            assert get_with(port, token + "x").status_code == 401
        finally:
            stop_process(proc)
        proc, port, printed = start_without_admin_token(db, log)
        try:
            assert not any(token in line for line in printed), "the generated token was printed again"
            assert get_with(port, token).status_code == 200, "the generated token did not survive a restart"
        finally:
            stop_process(proc)
    for path in glob.glob(db + "*"):
        with open(path, "rb") as handle:
            assert token.encode() not in handle.read(), f"the generated admin token is stored in clear in {path}"
    with open(os.path.join(scratch, "stderr.log"), "rb") as handle:
        assert token.encode() not in handle.read(), "the generated admin token is in the log"


def test_no_admin_token_is_generated_when_clients_exist(scratch):
    db = os.path.join(scratch, "x.sqlite")
    out = cli("clients", "create", "--name", "first", "--scopes", "read:connections", "--db", db)
    client_id = re.search(r"client_id:\s*(\S+)", out).group(1)
    secret = re.search(r"client_secret:\s*(\S+)", out).group(1)
    with open(os.path.join(scratch, "stderr.log"), "wb") as log:
        proc, port, printed = start_without_admin_token(db, log)
        try:
            assert not any("token" in line.lower() for line in printed), printed
            resp = requests.post(f"http://127.0.0.1:{port}/oauth/token", json={
                "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret,
                }, timeout=REQUEST_TIMEOUT)
            assert resp.status_code == 200, describe(resp)
            assert get_with(port, resp.json()["access_token"]).status_code == 200
        finally:
            stop_process(proc)
