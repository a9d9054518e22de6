"""`POST /oauth/token` as Auth0's token endpoint answers (API.md): JSON or form bodies, client
authentication in the body or with HTTP Basic (RFC 6749 §2.3.1) but not both, the grant type,
the audience (`serve --audience`, by default the server's own /api/v2/ URL) and requested scopes.
Each case runs with body credentials and with Basic ones where both apply."""

import base64
import re
import subprocess
from urllib.parse import quote

import pytest
import requests

from support import REQUEST_TIMEOUT, describe, server_binary, unique_name

API = "/api/v2/connections"
GRANTED = ["read:connections", "update:prompts"]


def register(srv, scopes=GRANTED):
    out = subprocess.run([server_binary(), "clients", "create", "--name", unique_name("m2m"), "--scopes",
                          ",".join(scopes), "--db", srv.db], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    client_id = re.search(r"client_id:\s*(\S+)", out.stdout).group(1)
    # Auth0's shape; never a leading "-" that `clients revoke ID` would read as a flag.
    assert re.fullmatch(r"[A-Za-z0-9]{32}", client_id), client_id
    return client_id, re.search(r"client_secret:\s*(\S+)", out.stdout).group(1)


@pytest.fixture(scope="module")
def client(server):
    return register(server)


def basic(client_id, secret):
    """RFC 6749 §2.3.1: each part form-encoded, then `id:secret` in base64."""
    pair = f"{quote(client_id, safe='')}:{quote(secret, safe='')}"
    return {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}


def token_request(srv, client, how, form=False, **params):
    """Credentials `how`: "body" (client_secret_post) or "basic" (client_secret_basic)."""
    client_id, secret = client
    headers = {}
    if how == "basic":
        headers = basic(client_id, secret)
    else:
        params = {"client_id": client_id, "client_secret": secret, **params}
    params = {key: value for key, value in params.items() if value is not None}
    if form:
        return requests.post(srv.url("/oauth/token"), data=params, headers=headers, timeout=REQUEST_TIMEOUT)
    return requests.post(srv.url("/oauth/token"), json=params, headers=headers, timeout=REQUEST_TIMEOUT)


def assert_oauth_error(resp, status, error, description):
    assert resp.status_code == status, describe(resp)
    assert resp.json() == {"error": error, "error_description": description}, describe(resp)
    assert "access_token" not in resp.text
    assert resp.headers.get("Cache-Control") == "no-store", describe(resp)


def granted_token(resp):
    assert resp.status_code == 200, describe(resp)
    body = resp.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "scope"} and body["token_type"] == "Bearer"
    return body


HOW = ["body", "basic"]


@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
@pytest.mark.parametrize("how", HOW)
def test_a_token_carries_every_granted_scope_without_scope(server, client, how, form):
    body = granted_token(token_request(server, client, how, form, grant_type="client_credentials"))
    assert body["scope"].split(" ") == GRANTED
    assert server.get(API, token=body["access_token"]).status_code == 200


@pytest.mark.parametrize("how", HOW)
def test_scope_narrows_the_token(server, client, how):
    body = granted_token(token_request(server, client, how, grant_type="client_credentials", scope="update:prompts"))
    assert body["scope"] == "update:prompts"
    # The narrowed token lacks read:connections.
    assert server.get(API, token=body["access_token"]).status_code == 403
    assert server.get("/api/v2/prompts", token=body["access_token"]).status_code == 403  # read:prompts was never granted
    assert server.patch("/api/v2/prompts", {"identifier_first": False}, token=body["access_token"]).status_code == 200


@pytest.mark.parametrize("how", HOW)
def test_a_scope_not_granted_is_refused_naming_them_in_request_order(server, client, how):
    resp = token_request(server, client, how, grant_type="client_credentials",
                         scope="delete:connections read:connections no:such update:prompts delete:connections")
    assert_oauth_error(resp, 403, "access_denied", "Client has not been granted scopes: delete:connections no:such")


@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
@pytest.mark.parametrize("how", HOW)
def test_missing_grant_type(server, client, how, form):
    assert_oauth_error(token_request(server, client, how, form), 400, "invalid_request",
                       "Missing required parameter: grant_type")


@pytest.mark.parametrize("how", HOW)
def test_other_grant_types_are_unsupported(server, client, how):
    for grant in ("password", "authorization_code", "urn:ietf:params:oauth:grant-type:device_code"):
        assert_oauth_error(token_request(server, client, how, grant_type=grant), 403, "unsupported_grant_type",
                           f"Unsupported grant type: {grant}")


@pytest.mark.parametrize("how", HOW)
def test_bad_clients_are_unauthorized(server, client, how):
    client_id, secret = client
    for bad in ((client_id, secret + "x"), ("no-such-client", secret), (client_id, "x")):
        resp = token_request(server, bad, how, grant_type="client_credentials")
        assert_oauth_error(resp, 401, "access_denied", "Unauthorized")
    # No credentials at all.
    resp = requests.post(server.url("/oauth/token"), json={"grant_type": "client_credentials"}, timeout=REQUEST_TIMEOUT)
    assert_oauth_error(resp, 401, "access_denied", "Unauthorized")


def test_a_revoked_client_is_unauthorized(server):
    revoked = register(server)
    out = subprocess.run([server_binary(), "clients", "revoke", revoked[0], "--db", server.db],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    for how in HOW:
        assert_oauth_error(token_request(server, revoked, how, grant_type="client_credentials"), 401, "access_denied",
                           "Unauthorized")


def test_basic_credentials_are_percent_decoded(server):
    """RFC 6749 §2.3.1: a client sends its form-encoded id and secret; `+` and `%XX` decode."""
    client_id, secret = register(server)
    pair = f"{client_id}:{secret}".replace("-", "%2D").replace("_", "%5F")
    headers = {"Authorization": "basic " + base64.b64encode(pair.encode()).decode()}
    resp = requests.post(server.url("/oauth/token"), json={"grant_type": "client_credentials"}, headers=headers,
                         timeout=REQUEST_TIMEOUT)
    granted_token(resp)


@pytest.mark.parametrize("value", ["Basic !!!", "Basic " + base64.b64encode(b"no-colon").decode(), "Basic"])
def test_malformed_basic_is_an_invalid_request(server, value):
    resp = requests.post(server.url("/oauth/token"), json={"grant_type": "client_credentials"},
                         headers={"Authorization": value}, timeout=REQUEST_TIMEOUT)
    if value == "Basic":
        # A scheme without credentials authenticates nothing.
        assert_oauth_error(resp, 401, "access_denied", "Unauthorized")
    else:
        assert_oauth_error(resp, 400, "invalid_request",
                           "Malformed Basic authorization header: send base64 of client_id:client_secret")


def test_only_one_client_authentication_method(server, client):
    client_id, secret = client
    headers = basic(client_id, secret)
    both = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    for body in (both, {"grant_type": "client_credentials", "client_secret": secret},
                 {"grant_type": "client_credentials", "client_id": "someone-else"}):
        resp = requests.post(server.url("/oauth/token"), json=body, headers=headers, timeout=REQUEST_TIMEOUT)
        assert_oauth_error(resp, 400, "invalid_request", "Only one client authentication method may be used")
    # The Basic client's own id in the body is fine.
    same = requests.post(server.url("/oauth/token"), data={"grant_type": "client_credentials", "client_id": client_id},
                         headers=headers, timeout=REQUEST_TIMEOUT)
    granted_token(same)


@pytest.mark.parametrize("how", HOW)
def test_the_default_audience_is_the_servers_own_api(server, client, how):
    for audience in (None, "", f"{server.base}/api/v2/", f"{server.base}/api/v2"):
        granted_token(token_request(server, client, how, grant_type="client_credentials", audience=audience))
    for audience in ("https://tenant.auth0.com/api/v2/", f"{server.base}/api/v3/", "x"):
        assert_oauth_error(token_request(server, client, how, grant_type="client_credentials", audience=audience),
                           403, "access_denied", f"Service not enabled within domain: {audience}")


@pytest.mark.parametrize("how_set", ["flag", "environment"])
def test_serve_audience_sets_the_api_identifier(server_factory, how_set):
    if how_set == "flag":
        srv = server_factory(["--audience", "https://connections.example.com/api/v2"])
    else:
        srv = server_factory(extra_env={"CONNECTIONS_API_AUDIENCE": "https://connections.example.com/api/v2"})
    client = register(srv)
    for how in HOW:
        for audience in (None, "https://connections.example.com/api/v2/", "https://connections.example.com/api/v2"):
            granted_token(token_request(srv, client, how, grant_type="client_credentials", audience=audience))
        own = f"{srv.base}/api/v2/"
        assert_oauth_error(token_request(srv, client, how, grant_type="client_credentials", audience=own),
                           403, "access_denied", f"Service not enabled within domain: {own}")


def test_error_order_grant_then_client_then_audience_then_scope(server, client):
    client_id, _ = client
    bad = {"client_id": client_id, "client_secret": "wrong", "audience": "x", "scope": "no:such"}
    post = lambda **body: requests.post(server.url("/oauth/token"), json=body, timeout=REQUEST_TIMEOUT)  # noqa: E731
    assert post(**bad).json()["error_description"] == "Missing required parameter: grant_type"
    assert post(grant_type="password", **bad).json()["error"] == "unsupported_grant_type"
    assert post(grant_type="client_credentials", **bad).status_code == 401
    good = {**bad, "client_secret": client[1]}
    assert post(grant_type="client_credentials", **good).json()["error_description"].startswith("Service not enabled")
    assert post(grant_type="client_credentials", **{**good, "audience": None}).json()["error_description"] == (
        "Client has not been granted scopes: no:such")
