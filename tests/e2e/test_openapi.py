"""`/openapi.json` (API.md "Operations"): the service's own OpenAPI 3.1 document, kept in
docs/openapi.json, served as it is, valid, and true of the live service (schemathesis)."""

import json
import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
import requests
from openapi_spec_validator import validate

import openapi_check
from support import REQUEST_TIMEOUT, server_binary


def test_the_document_is_valid_openapi_3_1():
    document = openapi_check.document()
    assert document["openapi"].startswith("3.1")
    validate(document)


def test_the_served_document_is_the_one_in_docs(server):
    resp = requests.get(server.url("/openapi.json"), timeout=REQUEST_TIMEOUT)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/json; charset=utf-8"
    # The same document, members in the same order, served without indentation.
    assert list(resp.json().items()) == list(openapi_check.document().items())
    assert json.dumps(resp.json()) == json.dumps(openapi_check.document())
    assert b"\n" not in resp.content
    version = subprocess.run([server_binary(), "--version"], capture_output=True, text=True, timeout=30).stdout.split()[1]
    assert resp.json()["info"]["version"] == version


def test_every_route_is_described(server):
    paths = openapi_check.document()["paths"]
    expected = {
        "/api/v2/connections": {"get", "post"},
        "/api/v2/connections/{id}": {"get", "patch", "delete"},
        "/api/v2/connections/{id}/clients": {"get", "patch"},
        "/api/v2/connections/{id}/revisions": {"get"},
        "/api/v2/connections/{id}/revisions/{n}": {"get"},
        "/api/v2/connections/{id}/revisions/{n}/restore": {"post"},
        "/api/v2/prompts": {"get", "patch"},
        "/oauth/token": {"post"},
        "/healthz": {"get", "head"},
        "/metrics": {"get"},
        "/openapi.json": {"get"},
    }
    described = {path: {m for m in item if m != "parameters"} for path, item in paths.items()}
    assert described == expected
    # The service's additions are marked.
    marked = json.dumps(paths["/api/v2/connections"]["post"]["parameters"])
    assert '"x-connections-api": true' in marked
    assert openapi_check.document()["components"]["schemas"]["DryRunResult"]["x-connections-api"] is True


def fake(status, body, headers):
    return SimpleNamespace(status_code=status, headers=headers, content=json.dumps(body).encode(), text=json.dumps(body),
                           json=lambda: body)


def test_the_response_check_can_fail():
    good_headers = {"X-Request-Id": "r-1", "Content-Type": "application/json; charset=utf-8"}
    openapi_check.check("GET", "/healthz", fake(200, {"status": "ok"}, good_headers))
    with pytest.raises(AssertionError, match="X-Request-Id"):
        openapi_check.check("GET", "/healthz", fake(200, {"status": "ok"}, {"Content-Type": "application/json"}))
    with pytest.raises(AssertionError, match="not declared"):
        openapi_check.check("GET", "/healthz", fake(418, {"status": "ok"}, good_headers))
    with pytest.raises(AssertionError, match="status"):
        openapi_check.check("GET", "/healthz", fake(200, {"status": "fine"}, good_headers))
    with pytest.raises(AssertionError, match="statusCode"):
        openapi_check.check("GET", "/api/v2/connections/con_0000000000000000",
                            fake(404, {"error": "Not Found", "message": "x"}, good_headers))


SCHEMATHESIS_EXAMPLES = 15
# Every operation of the document.
OPERATIONS = sum(1 for item in openapi_check.document()["paths"].values() for method in item if method != "parameters")
SCHEMATHESIS_SEED = 20261202


def test_schemathesis_finds_the_live_service_true_to_its_document(server_factory):
    """Every operation, every phase (coverage, fuzzing, stateful), every check, a fixed seed and
    a bounded number of examples per operation. schemathesis.toml says which defaults the
    contract overrides and why; schemathesis_hooks.py holds the stricter replacements."""
    srv = server_factory(["--rate-limit", "off", "--quiet"])
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, SCHEMATHESIS_HOOKS="schemathesis_hooks",
               PYTHONPATH=here + os.pathsep + os.environ.get("PYTHONPATH", ""))
    command = [
        os.path.join(os.path.dirname(sys.executable), "schemathesis"),
        "--config-file", os.path.join(here, "schemathesis.toml"),
        "run", srv.url("/openapi.json"),
        "--header", f"Authorization: Bearer {srv.token}",
        "--checks", "all",
        "--max-examples", str(SCHEMATHESIS_EXAMPLES),
        "--seed", str(SCHEMATHESIS_SEED),
        "--generation-database", "none",
        "--generation-with-security-parameters", "false",
        "--no-color",
    ]
    completed = subprocess.run(command, cwd=here, env=env, capture_output=True, text=True, timeout=400)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-6000:]
    assert f"Tested: {OPERATIONS}" in output, output[-3000:]
    assert "No issues found" in output, output[-3000:]
