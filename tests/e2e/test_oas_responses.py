"""Every 2xx body of representative calls validates against Auth0's published OpenAPI.

The document (conformance/auth0-connections.oas.json) is OpenAPI 3.1, whose
schemas are JSON Schema 2020-12; each operation's response schema is resolved
inside the document with `referencing` and checked with jsonschema.
"""

import json

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from support import conformance_file, describe, unique_name

DOC_URI = "urn:auth0-connections-oas"


def schema_validator(pointer):
    document = json.loads(conformance_file("auth0-connections.oas.json").read_text())
    registry = Registry().with_resource(DOC_URI, Resource.from_contents(document, default_specification=DRAFT202012))
    return jsonschema.Draft202012Validator({"$ref": DOC_URI + pointer}, registry=registry)


@pytest.fixture(scope="module")
def validate():
    document = json.loads(conformance_file("auth0-connections.oas.json").read_text())
    registry = Registry().with_resource(DOC_URI, Resource.from_contents(document, default_specification=DRAFT202012))

    def check(resp, template, method):
        """Validate `resp` against the schema of `method template` for its status."""
        assert 200 <= resp.status_code < 300, describe(resp)
        responses = document["paths"][template][method.lower()]["responses"]
        assert str(resp.status_code) in responses, f"status {resp.status_code} is not declared" + describe(resp)
        content = responses[str(resp.status_code)].get("content")
        if not content:
            assert resp.content == b"", "the operation declares no body" + describe(resp)
            return None
        assert resp.headers["Content-Type"].startswith("application/json"), describe(resp)
        pointer = "/".join(
            ["#", "paths", template.replace("~", "~0").replace("/", "~1"), method.lower(), "responses",
             str(resp.status_code), "content", "application~1json", "schema"]
        )
        validator = jsonschema.Draft202012Validator({"$ref": DOC_URI + pointer}, registry=registry)
        errors = sorted(validator.iter_errors(resp.json()), key=lambda e: list(e.path))
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message[:300]}" for e in errors[:10]) + describe(resp)
        return resp.json()

    return check


@pytest.fixture(scope="module")
def populated(server):
    """A few connections of different strategies, with every optional top-level key in use."""
    server.set_identifier_first(True)
    prefix = unique_name("oas")
    full = server.create(
        f"{prefix}-full",
        display_name="Full",
        enabled_clients=["client0000000000000000000000000A"],
        is_domain_connection=True,
        realms=["one", "two"],
        metadata={"team": "identity", "empty": None},
        show_as_button=True,
        authentication={"active": True},
        connected_accounts={"active": False},
        options={
            "attributes": {
                "email": {"identifier": {"active": True}, "signup": {"status": "required", "verification": {"active": True}}},
            },
            "authentication_methods": {"password": {"enabled": True}, "passkey": {"enabled": True}},
            "password_options": {"complexity": {"min_length": 12}},
        },
    )
    others = [server.create(f"{prefix}-{strategy}", strategy) for strategy in ("email", "sms", "samlp", "google-oauth2")]
    return prefix, full, others


def test_create_response(server, validate):
    resp = server.post("/api/v2/connections", {"name": unique_name("oas-create"), "strategy": "auth0"})
    validate(resp, "/connections", "POST")


def test_create_other_strategy_response(server, validate):
    resp = server.post("/api/v2/connections", {"name": unique_name("oas-oidc"), "strategy": "oidc",
                                              "options": {"client_id": "abc", "issuer": "https://example.com"}})
    validate(resp, "/connections", "POST")


def test_get_response(server, validate, populated):
    _, full, others = populated
    for conn in [full, *others]:
        validate(server.get(f"/api/v2/connections/{conn['id']}"), "/connections/{id}", "GET")
    validate(server.get(f"/api/v2/connections/{full['id']}?fields=name,options&include_fields=true"),
             "/connections/{id}", "GET")


def test_list_plain_array(server, validate, populated):
    body = validate(server.get("/api/v2/connections?per_page=3&page=1"), "/connections", "GET")
    assert isinstance(body, list) and len(body) == 3


def test_list_with_totals(server, validate, populated):
    body = validate(server.get("/api/v2/connections?include_totals=true&per_page=2"), "/connections", "GET")
    assert set(body) == {"start", "limit", "total", "connections"}


def test_list_checkpoint_pages(server, validate, populated):
    resp = server.get("/api/v2/connections?take=2")
    body = validate(resp, "/connections", "GET")
    assert set(body) == {"connections", "next"}
    pages = 1
    while "next" in body:
        resp = server.get("/api/v2/connections", params={"take": 2, "from": body["next"]})
        body = resp.json()
        pages += 1
        assert pages < 100, "paging did not end"
        if "next" in body:
            validate(resp, "/connections", "GET")
    # The last checkpoint page, {"connections": [...]} without `next`, matches both object
    # branches of the spec's oneOf (nothing in them is required), so it fails oneOf: a bug in
    # Auth0's document, see conformance/README-oas.md "The GET /connections 200 schema has a bug".
    # Assert exactly that failure, and validate the page against the checkpoint branch alone.
    assert set(body) == {"connections"}, describe(resp)
    errors = list(schema_validator("#/paths/~1connections/get/responses/200/content/application~1json/schema")
                  .iter_errors(body))
    assert len(errors) == 1 and "is valid under each of" in errors[0].message, [e.message for e in errors]
    schema_validator("#/components/schemas/ListConnectionsCheckpointPaginatedResponseContent").validate(body)


def test_patch_response(server, validate, populated):
    _, full, others = populated
    resp = server.patch(f"/api/v2/connections/{full['id']}",
                        {"display_name": "Patched", "metadata": {"k": "v"}, "options": {"brute_force_protection": False}})
    validate(resp, "/connections/{id}", "PATCH")
    resp = server.patch(f"/api/v2/connections/{others[0]['id']}", {"show_as_button": False})
    validate(resp, "/connections/{id}", "PATCH")


def test_clients_responses(server, validate, populated):
    _, full, _ = populated
    validate(server.get(f"/api/v2/connections/{full['id']}/clients"), "/connections/{id}/clients", "GET")
    resp = server.patch(f"/api/v2/connections/{full['id']}/clients",
                        [{"client_id": "client0000000000000000000000000B", "status": True}])
    validate(resp, "/connections/{id}/clients", "PATCH")
    validate(server.get(f"/api/v2/connections/{full['id']}/clients?take=1"), "/connections/{id}/clients", "GET")


def test_delete_statuses_are_declared(server):
    """DELETE declares 202 and 204 without a body schema; API.md adds {"deleted_at"} to the 202."""
    document = json.loads(conformance_file("auth0-connections.oas.json").read_text())
    declared = document["paths"]["/connections/{id}"]["delete"]["responses"]
    conn = server.create(unique_name("oas-del"))
    first = server.delete(f"/api/v2/connections/{conn['id']}")
    second = server.delete(f"/api/v2/connections/{conn['id']}")
    assert (first.status_code, second.status_code) == (202, 204), describe(first) + describe(second)
    assert {"202", "204"} <= set(declared)
    assert second.content == b""


def test_prompts_responses(server, validate):
    validate(server.get("/api/v2/prompts"), "/prompts", "GET")
    validate(server.patch("/api/v2/prompts", {"webauthn_platform_first_factor": False}), "/prompts", "PATCH")
