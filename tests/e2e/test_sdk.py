"""The official Auth0 Python SDK (auth0-python 6.8.0) drives the server unchanged.

A client written for Auth0 must work by changing only the base URL and the
token (API.md). Every call goes through the SDK's own request building and
response parsing, so a shape the SDK cannot parse fails here. Every test runs
on a tenant created today and on a legacy one (`--legacy-enabled-clients`).
"""

import pytest
from auth0.management import Auth0
from auth0.management import UpdateEnabledClientConnectionsRequestContentItem as Item
from auth0.management.errors import BadRequestError, ConflictError, NotFoundError

from conftest import ENABLED_CLIENTS_MODES
from support import BACKENDS, unique_name


@pytest.fixture(scope="module", params=ENABLED_CLIENTS_MODES)
def enabled_clients_mode(request):
    return request.param


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture(scope="module")
def sdk(server):
    return Auth0(base_url=f"{server.base}/api/v2", token=server.token, max_retries=0, timeout=15)


def as_dict(value):
    if value is None or isinstance(value, dict):
        return value
    return value.model_dump(exclude_unset=True) if hasattr(value, "model_dump") else value.dict()


def test_create_get_update_delete_round_trip(sdk, server):
    name = unique_name("sdk")
    created = sdk.connections.create(
        name=name,
        strategy="auth0",
        display_name="SDK round trip",
        metadata={"team": "identity", "gone": None},
        options={"brute_force_protection": False, "disable_signup": True},
    )
    assert created.id and created.id.startswith("con_") and len(created.id) == 20
    assert created.name == name
    assert created.strategy == "auth0"
    assert created.display_name == "SDK round trip"
    assert created.realms == [name]
    assert created.is_domain_connection is False
    assert created.metadata == {"team": "identity", "gone": None}
    options = as_dict(created.options)
    assert options["brute_force_protection"] is False
    assert options["disable_signup"] is True
    assert options["strategy_version"] == 2
    assert options["passwordPolicy"] == "good"

    fetched = sdk.connections.get(created.id)
    assert fetched.id == created.id and fetched.name == name
    assert as_dict(fetched.options) == options

    updated = sdk.connections.update(created.id, display_name="Renamed", metadata={"team": "core"})
    assert updated.display_name == "Renamed"
    assert updated.metadata == {"team": "core"}
    assert updated.name == name

    only_some = sdk.connections.get(created.id, fields="name,strategy", include_fields=True)
    assert only_some.name == name and only_some.strategy == "auth0"
    assert only_some.options is None and only_some.display_name is None

    sdk.connections.delete(created.id)
    with pytest.raises(NotFoundError) as info:
        sdk.connections.get(created.id)
    assert info.value.status_code == 404
    assert info.value.body == {
        "statusCode": 404,
        "error": "Not Found",
        "message": "The connection does not exist",
        "errorCode": "inexistent_connection",
    }
    # A second delete of a well-formed id that is gone is a 204; the SDK treats it as success.
    sdk.connections.delete(created.id)


def test_list_pages_with_checkpoint_over_more_than_one_page(sdk, server):
    prefix = unique_name("page")
    created = [server.create(f"{prefix}-{i:03d}", "email" if i % 3 == 0 else "auth0")["id"] for i in range(57)]

    pager = sdk.connections.list()  # the SDK's default: include_totals=true&take=50 (checkpoint mode)
    pages = list(pager.iter_pages())
    assert len(pages) >= 2, "57+ connections with take=50 must span at least two pages"
    assert all(len(page.items) <= 50 for page in pages)
    seen = [item.id for page in pages for item in page.items]
    assert len(seen) == len(set(seen)), "checkpoint paging repeated an item"
    assert set(created) <= set(seen)

    small = list(sdk.connections.list(take=7, name=None, strategy="email").iter_pages())
    emails = [item for page in small for item in page.items]
    assert all(item.strategy == "email" for item in emails)
    assert {item.id for item in emails} >= set(created[0::3])
    assert all(len(page.items) <= 7 for page in small)
    assert small[-1].response.next is None


def test_list_by_name_returns_the_one_connection(sdk, server):
    name = unique_name("byname")
    conn = server.create(name)
    items = list(sdk.connections.list(name=name))
    assert [item.id for item in items] == [conn["id"]]
    assert items[0].name == name


def test_duplicate_name_is_conflict(sdk):
    name = unique_name("dup")
    sdk.connections.create(name=name, strategy="auth0")
    with pytest.raises(ConflictError) as info:
        sdk.connections.create(name=name, strategy="auth0")
    assert info.value.status_code == 409
    assert info.value.body == {
        "statusCode": 409,
        "error": "Conflict",
        "message": "A connection with the same name already exists",
        "errorCode": "connection_conflict",
    }


def test_rule_rejection_is_bad_request_with_auth0_message(sdk):
    with pytest.raises(BadRequestError) as info:
        sdk.connections.create(
            name=unique_name("rule"),
            strategy="auth0",
            options={
                "requires_username": True,
                "attributes": {
                    "email": {
                        "identifier": {"active": True},
                        "profile_required": True,
                        "signup": {"status": "required", "verification": {"active": False}},
                    }
                },
            },
        )
    body = info.value.body
    assert info.value.status_code == 400
    assert body["statusCode"] == 400
    assert body["error"] == "Bad Request"
    assert body["errorCode"] == "invalid_body"
    assert body["message"] == "Cannot set both options.attributes and options.requires_username"
    assert body["violations"][0]["rule"] == "attributes-requires-username"
    assert body["violations"][0]["path"] == "/options/requires_username"


def test_passkey_needs_identifier_first_via_prompts(fresh_server):
    sdk = Auth0(base_url=f"{fresh_server.base}/api/v2", token=fresh_server.token, max_retries=0, timeout=15)
    options = {"authentication_methods": {"password": {"enabled": True}, "passkey": {"enabled": True}}}
    with pytest.raises(BadRequestError) as info:
        sdk.connections.create(name=unique_name("pk"), strategy="auth0", options=options)
    assert info.value.body["message"] == "Passkey authentication is only compatible with Identifier First."

    settings = sdk.prompts.update_settings(identifier_first=True)
    assert settings.identifier_first is True
    assert sdk.prompts.get_settings().identifier_first is True

    created = sdk.connections.create(name=unique_name("pk"), strategy="auth0", options=options)
    methods = as_dict(created.options)["authentication_methods"]
    assert methods["passkey"] == {"enabled": True}
    assert methods["password"] == {"enabled": True, "api_behavior": "required", "signup_behavior": "allow"}


def test_enabled_clients_through_the_sdk(sdk, server):
    conn = server.create(unique_name("clients"))
    sdk.connections.clients.update(
        conn["id"],
        request=[Item(client_id="zClient000000000000000000000000a", status=True),
                 Item(client_id="aClient000000000000000000000000b", status=True)],
    )
    clients = [c.client_id for c in sdk.connections.clients.get(conn["id"])]
    assert sorted(clients) == ["aClient000000000000000000000000b", "zClient000000000000000000000000a"]
    # The field describes the same set on a legacy tenant, and is gone on one created today.
    assert sdk.connections.get(conn["id"]).enabled_clients == (sorted(clients) if server.legacy else None)
    # The SDK's list item type has no such field: a legacy tenant's arrives as an extra one.
    listed = [getattr(item, "enabled_clients", None) for item in sdk.connections.list(name=conn["name"])]
    assert listed == [sorted(clients) if server.legacy else None]

    sdk.connections.clients.update(conn["id"], request=[Item(client_id="zClient000000000000000000000000a", status=False)])
    assert [c.client_id for c in sdk.connections.clients.get(conn["id"])] == ["aClient000000000000000000000000b"]


def test_update_with_enabled_clients_follows_the_mode(sdk, server):
    """Tools that still send `enabled_clients` on update get Auth0's 2026 answer on a tenant
    created today, and move to `/connections/{id}/clients`; a legacy tenant accepts it."""
    client = "cClient000000000000000000000000c"
    conn = sdk.connections.create(name=unique_name("ecu"), strategy="auth0", enabled_clients=["aClient000000000000000000000000b"])
    if server.legacy:
        assert conn.enabled_clients == ["aClient000000000000000000000000b"]
        updated = sdk.connections.update(conn.id, enabled_clients=[client])
        assert updated.enabled_clients == [client]
        assert [c.client_id for c in sdk.connections.clients.get(conn.id)] == [client]
        return
    assert conn.enabled_clients is None
    with pytest.raises(BadRequestError) as info:
        sdk.connections.update(conn.id, enabled_clients=[client])
    assert info.value.status_code == 400
    assert info.value.body["message"] == "Payload validation error: 'Additional properties not allowed: enabled_clients'."
    assert info.value.body["errorCode"] == "invalid_body"
    assert [c.client_id for c in sdk.connections.clients.get(conn.id)] == ["aClient000000000000000000000000b"]
    # The dedicated endpoint does what the refused update meant.
    sdk.connections.clients.update(
        conn.id, request=[Item(client_id=client, status=True),
                          Item(client_id="aClient000000000000000000000000b", status=False)])
    assert [c.client_id for c in sdk.connections.clients.get(conn.id)] == [client]
    assert sdk.connections.get(conn.id).enabled_clients is None


def test_unknown_connection_update_is_not_found(sdk):
    with pytest.raises(NotFoundError) as info:
        sdk.connections.update("con_xxxxxxxxxxxxxxxx", display_name="x")
    assert info.value.body["errorCode"] == "inexistent_connection"
