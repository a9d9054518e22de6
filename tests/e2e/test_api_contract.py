"""The routes of API.md over real HTTP: list shapes, filters, fields, ordering, delete,
enabled clients, prompts, dry runs, PATCH semantics, 404/405 and the error bodies.

Every test runs twice: on a tenant created today (no `enabled_clients` on connections) and
on a legacy one (`serve --legacy-enabled-clients`)."""

import json
import re
import subprocess
import threading

import pytest
import requests

from conftest import ENABLED_CLIENTS_MODES
from support import ABSENT, BACKENDS, REQUEST_TIMEOUT, assert_error, describe, server_binary, unique_name

API = "/api/v2/connections"
ALWAYS = {"id", "is_domain_connection", "authentication", "connected_accounts"}
NO_ENABLED_CLIENTS = "Payload validation error: 'Additional properties not allowed: enabled_clients'."


@pytest.fixture(scope="module", params=ENABLED_CLIENTS_MODES)
def enabled_clients_mode(request):
    return request.param


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request):
    return request.param


def ids(items):
    return [item["id"] for item in items]


# -- basics ---------------------------------------------------------------


def test_healthz_needs_no_token(server):
    resp = requests.get(server.url("/healthz"), timeout=REQUEST_TIMEOUT)
    assert resp.status_code == 200 and resp.json() == {"status": "ok"}
    assert resp.headers["Content-Type"] == "application/json; charset=utf-8"


def test_create_returns_stored_connection_with_defaults(server):
    name = unique_name("create")
    resp = server.post(API, {"name": name, "strategy": "auth0", "realms": [],
                             "enabled_clients": ["zzz00000000000000000000000000000", "aaa00000000000000000000000000000"]})
    assert resp.status_code == 201, describe(resp)
    assert resp.headers["Content-Type"] == "application/json; charset=utf-8"
    for header in ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"):
        assert header in resp.headers, describe(resp)
    conn = resp.json()
    assert re.fullmatch(r"con_[A-Za-z0-9]{16}", conn["id"])
    assert conn["realms"] == [name]
    if server.legacy:
        assert conn["enabled_clients"] == ["aaa00000000000000000000000000000", "zzz00000000000000000000000000000"]
    else:
        assert "enabled_clients" not in conn, "a tenant created today has no enabled_clients on connections"
    assert conn["is_domain_connection"] is False
    assert conn["authentication"] == {"active": True}
    assert conn["connected_accounts"] == {"active": False}
    assert "display_name" not in conn and "show_as_button" not in conn
    assert conn["options"] == {
        "brute_force_protection": True,
        "strategy_version": 2,
        "mfa": {"active": True, "return_enroll_settings": True},
        "passwordPolicy": "good",
        "passkey_options": {"challenge_ui": "both", "progressive_enrollment_enabled": True,
                            "local_enrollment_enabled": True},
        "authentication_methods": {"password": {"enabled": True, "api_behavior": "required", "signup_behavior": "allow"},
                                   "passkey": {"enabled": False}},
    }
    assert server.get(f"{API}/{conn['id']}").json() == conn


def test_duplicate_name_conflicts(server):
    name = unique_name("dup")
    server.create(name)
    assert_error(server.post(API, {"name": name, "strategy": "email"}), 409, "Conflict",
                 "A connection with the same name already exists", "connection_conflict")
    server.create(name.upper())  # uniqueness is an exact match


@pytest.mark.parametrize("body,detail", [
    ({"strategy": "auth0"}, "'Missing required property: name'."),
    ({"name": "a", "strategy": "auth0", "bogus": 1}, "'Additional properties not allowed: bogus'."),
    ({"name": "a", "strategy": "nope"},
     "'No enum match for: \"nope\"' on property strategy"),
    ({"name": "-a", "strategy": "auth0"},
     "'String does not match pattern ^[a-zA-Z0-9](-[a-zA-Z0-9]|[a-zA-Z0-9])*$: -a' on property name"),
    ({"name": "a" * 129, "strategy": "auth0"}, "'String is too long (129 chars), maximum 128' on property name"),
    ({"name": "a", "strategy": "auth0", "realms": [f"r{i}" for i in range(11)]},
     "'Array is too long (11), maximum 10' on property realms"),
    ({"name": "a", "strategy": "auth0", "metadata": {f"k{i}": "v" for i in range(11)}},
     "'Too many properties defined (11), maximum 10' on property metadata"),
    ({"name": "a", "strategy": "auth0", "is_domain_connection": 1},
     "'Expected type boolean but found type integer' on property is_domain_connection"),
])
def test_schema_errors_have_auth0_wording_and_violations(server, body, detail):
    resp = server.post(API, body)
    err = assert_error(resp, 400, "Bad Request", None, "invalid_body")
    assert err["message"].startswith("Payload validation error: " + detail), describe(resp)
    assert err["violations"] and err["violations"][0]["rule"] == "schema", describe(resp)
    assert err["violations"][0]["severity"] == "error"
    assert err["violations"][0]["message"] == err["message"]


def test_rule_errors_list_every_violation(server):
    server.set_identifier_first(False)
    resp = server.post(API, {"name": unique_name("rules"), "strategy": "auth0", "options": {
        "attributes": {"phone_number": {"identifier": {"active": True}, "profile_required": True,
                                        "signup": {"status": "inactive"}}},
        "authentication_methods": {"password": {"enabled": True}, "passkey": {"enabled": True}},
    }})
    err = assert_error(resp, 400, "Bad Request", "attribute phone_number must also be required on signup",
                       "invalid_body")
    rules = [v["rule"] for v in err["violations"]]
    assert rules[0] == "attribute-required-on-signup"
    assert "identifier-first-passkey" in rules
    for violation in err["violations"]:
        assert set(violation) == {"rule", "severity", "path", "message"}
        assert violation["severity"] in ("error", "warning")
        assert violation["path"].startswith("/")
    assert err["violations"][0]["path"] == "/options/attributes/phone_number/signup/status"
    passkey = next(v for v in err["violations"] if v["rule"] == "identifier-first-passkey")
    assert passkey["message"] == "Passkey authentication is only compatible with Identifier First."
    assert passkey["path"] == "/options/authentication_methods/passkey/enabled"


def test_cross_app_access_on_auth0_is_not_supported(server):
    resp = server.post(API, {"name": unique_name("xaa"), "strategy": "auth0",
                             "cross_app_access_requesting_app": {"active": True}})
    err = assert_error(resp, 400, "Bad Request",
                       "Cross App Access Requesting App is not supported for this connection.",
                       "operation_not_supported")
    assert err["violations"][0]["rule"] == "cross-app-access-unsupported"


# -- list shapes, filters, fields, ordering -------------------------------


@pytest.fixture
def tenant(fresh_server):
    """A fresh server with a known set of connections."""
    names = ["beta", "Alpha", "alpha2", "Gamma-1", "delta", "ALPHA", "epsilon", "zeta"]
    strategies = ["auth0", "email", "sms", "auth0", "samlp", "email", "auth0", "sms"]
    conns = [fresh_server.create(n, s) for n, s in zip(names, strategies)]
    return fresh_server, conns


def expected_order(conns):
    return [c["id"] for c in sorted(conns, key=lambda c: (c["name"].lower(), c["id"]))]


def test_plain_array_is_ordered_case_insensitively_then_by_id(tenant):
    srv, conns = tenant
    resp = srv.get(API)
    assert resp.status_code == 200, describe(resp)
    assert isinstance(resp.json(), list)
    assert ids(resp.json()) == expected_order(conns)
    alphas = [c for c in resp.json() if c["name"].lower() == "alpha"]
    assert [c["id"] for c in alphas] == sorted(c["id"] for c in alphas)


def test_plain_array_pages(tenant):
    srv, conns = tenant
    order = expected_order(conns)
    assert ids(srv.get(f"{API}?per_page=3&page=0").json()) == order[0:3]
    assert ids(srv.get(f"{API}?per_page=3&page=2").json()) == order[6:8]
    assert srv.get(f"{API}?per_page=3&page=5").json() == []


def test_include_totals_shape(tenant):
    srv, conns = tenant
    body = srv.get(f"{API}?include_totals=true&per_page=3&page=1").json()
    assert set(body) == {"start", "limit", "total", "connections"}
    assert (body["start"], body["limit"], body["total"]) == (3, 3, len(conns))
    assert ids(body["connections"]) == expected_order(conns)[3:6]
    # API.md: on a legacy tenant every connection carries it, list items included.
    assert all(("enabled_clients" in item) == srv.legacy for item in body["connections"])


def test_checkpoint_shape_and_last_page(tenant):
    srv, conns = tenant
    first = srv.get(f"{API}?take=5&include_totals=true&per_page=1&page=3").json()
    assert set(first) == {"connections", "next"}, "per_page/page/include_totals are ignored with take"
    assert isinstance(first["next"], str) and first["next"]
    second = srv.get(API, params={"take": 5, "from": first["next"]}).json()
    assert set(second) == {"connections"}, "no next on the last page"
    assert ids(first["connections"]) + ids(second["connections"]) == expected_order(conns)
    exact = srv.get(f"{API}?take=8").json()
    assert "next" not in exact or srv.get(API, params={"take": 8, "from": exact["next"]}).json() == {"connections": []}


def test_checkpoint_is_stable_under_concurrent_inserts_and_deletes(fresh_server):
    srv = fresh_server
    survivors = {srv.create(f"m{i:02d}")["id"] for i in range(20)}
    doomed = [srv.create(f"n{i:02d}")["id"] for i in range(6)]
    seen, token, round_ = [], None, 0
    while True:
        params = {"take": 4} if token is None else {"take": 4, "from": token}
        body = srv.get(API, params=params).json()
        seen += ids(body["connections"])
        # Between pages: new names before and after the cursor, and deletes of unseen rows.
        srv.create(f"a{round_:02d}-new")
        srv.create(f"z{round_:02d}-new")
        if doomed:
            assert srv.delete(f"{API}/{doomed.pop()}").status_code == 202
        round_ += 1
        assert round_ < 50, "paging did not end"
        if "next" not in body:
            break
        token = body["next"]
    assert len(seen) == len(set(seen)), "an item was repeated"
    assert survivors <= set(seen), f"skipped: {survivors - set(seen)}"


def test_checkpoint_is_stable_while_another_client_writes(fresh_server):
    """Paging while a second thread inserts and deletes: any interleaving must keep the guarantee."""
    srv = fresh_server
    survivors = {srv.create(f"s{i:02d}")["id"] for i in range(30)}
    stop = threading.Event()
    churn_errors = []

    def churn():
        with requests.Session() as session:
            headers = {"Authorization": f"Bearer {srv.token}"}
            i = 0
            while not stop.is_set() and i < 200:
                for name in (f"a{i:03d}", f"s{i:02d}x", f"z{i:03d}"):
                    resp = session.post(srv.url(API), json={"name": name, "strategy": "auth0"}, headers=headers,
                                        timeout=REQUEST_TIMEOUT)
                    if resp.status_code != 201:
                        churn_errors.append(resp.text)
                        return
                    gone = session.delete(srv.url(f"{API}/{resp.json()['id']}"), headers=headers,
                                          timeout=REQUEST_TIMEOUT) if i % 2 else None
                    if gone is not None and gone.status_code != 202:
                        churn_errors.append(gone.text)
                        return
                i += 1

    writer = threading.Thread(target=churn, daemon=True)
    writer.start()
    try:
        seen, token, pages = [], None, 0
        while True:
            body = srv.get(API, params={"take": 3, **({"from": token} if token else {})}).json()
            seen += ids(body["connections"])
            pages += 1
            assert pages < 500, "paging did not end"
            if "next" not in body:
                break
            token = body["next"]
            assert token not in survivors and not token.startswith("con_"), "next must be opaque"
    finally:
        stop.set()
        writer.join(REQUEST_TIMEOUT * 2)
    assert not churn_errors, churn_errors[:3]
    assert len(seen) == len(set(seen)), "an item was repeated"
    assert survivors <= set(seen), f"skipped: {survivors - set(seen)}"


def test_bad_checkpoint_token_is_a_query_error(server):
    resp = server.get(API, params={"take": 2, "from": "not-a-real-token!!"})
    assert_error(resp, 400, "Bad Request", None, "invalid_query_string")


def test_strategy_filter_repeats(tenant):
    srv, conns = tenant
    resp = srv.get(f"{API}?strategy=email&strategy=sms")
    want = expected_order([c for c in conns if c["strategy"] in ("email", "sms")])
    assert ids(resp.json()) == want, describe(resp)
    assert ids(srv.get(f"{API}?strategy=samlp").json()) == [c["id"] for c in conns if c["strategy"] == "samlp"]


def test_name_filter_is_exact(tenant):
    srv, conns = tenant
    alpha = next(c for c in conns if c["name"] == "Alpha")
    assert ids(srv.get(f"{API}?name=Alpha").json()) == [alpha["id"]]
    assert srv.get(f"{API}?name=alph").json() == []


def test_fields_always_return_the_fixed_keys(tenant):
    srv, conns = tenant
    one = srv.get(f"{API}/{conns[0]['id']}?fields=name&include_fields=true").json()
    assert set(one) == ALWAYS | {"name"}
    listed = srv.get(f"{API}?fields=strategy").json()
    assert all(set(item) == ALWAYS | {"strategy"} for item in listed)
    excluded = srv.get(f"{API}/{conns[0]['id']}?fields=options,realms,id&include_fields=false").json()
    assert "options" not in excluded and "realms" not in excluded
    assert ALWAYS <= set(excluded) and "name" in excluded and "strategy" in excluded


# -- single connection routes -----------------------------------------------


def test_delete_then_gone_then_204_and_name_free(server):
    conn = server.create(unique_name("del"))
    resp = server.delete(f"{API}/{conn['id']}")
    assert resp.status_code == 202, describe(resp)
    assert set(resp.json()) == {"deleted_at"}
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z", resp.json()["deleted_at"])
    assert_error(server.get(f"{API}/{conn['id']}"), 404, "Not Found", "The connection does not exist",
                 "inexistent_connection")
    again = server.delete(f"{API}/{conn['id']}")
    assert again.status_code == 204 and again.content == b"", describe(again)
    never = server.delete(f"{API}/con_xxxxxxxxxxxxxxxx")
    assert never.status_code == 204 and never.content == b""
    server.create(conn["name"])


def test_patch_unknown_and_forbidden_keys(server):
    conn = server.create(unique_name("pk"))
    assert_error(server.patch(f"{API}/{conn['id']}", {"strategy": "sms", "display_name": "x", "name": "n"}),
                 400, "Bad Request", "Payload validation error: 'Additional properties not allowed: strategy,name'.",
                 "invalid_body")
    assert_error(server.patch(f"{API}/{conn['id']}", {}), 400, "Bad Request",
                 "Payload validation error: 'Too few properties defined (0), minimum 1'.", "invalid_body")
    assert_error(server.patch(f"{API}/con_xxxxxxxxxxxxxxxx", {"display_name": "x"}), 404, "Not Found",
                 "The connection does not exist", "inexistent_connection")
    assert server.get(f"{API}/{conn['id']}").json() == conn


def test_patch_keeps_unsent_keys_and_replaces_sent_ones(server):
    conn = server.create(unique_name("keep"), display_name="D", metadata={"a": "1", "b": "2"}, show_as_button=True)
    patched = server.patch(f"{API}/{conn['id']}", {"metadata": {"c": "3"}, "is_domain_connection": True}).json()
    assert patched["metadata"] == {"c": "3"}
    assert patched["display_name"] == "D" and patched["show_as_button"] is True
    assert patched["is_domain_connection"] is True
    assert patched["options"] == conn["options"]


def test_patch_replaces_options_wholesale_but_keeps_login_method_keys(server):
    server.set_identifier_first(True)
    methods = {"password": {"enabled": True, "api_behavior": "optional", "signup_behavior": "allow"},
               "passkey": {"enabled": True}}
    passkey_options = {"challenge_ui": "button", "progressive_enrollment_enabled": False,
                       "local_enrollment_enabled": False}
    conn = server.create(unique_name("opts"), options={
        "brute_force_protection": False, "authentication_methods": methods, "passkey_options": passkey_options,
        "mfa": {"active": False, "return_enroll_settings": False}, "disable_signup": True, "custom_key": [1, 2]})
    filled = {**methods, "email_otp": {"enabled": False}, "phone_otp": {"enabled": False}}
    assert conn["options"]["authentication_methods"] == filled
    patched = server.patch(f"{API}/{conn['id']}", {"options": {"import_mode": True}})
    assert patched.status_code == 200, describe(patched)
    assert patched.json()["options"] == {
        "import_mode": True,
        "brute_force_protection": False,
        "authentication_methods": filled,
        "passkey_options": passkey_options,
    }
    assert server.get(f"{API}/{conn['id']}").json() == patched.json()


def test_rejected_patch_changes_nothing(server):
    conn = server.create(unique_name("rej"), display_name="Before")
    resp = server.patch(f"{API}/{conn['id']}", {"display_name": "After", "options": {
        "requires_username": True, "attributes": {"email": {"identifier": {"active": True}}}}})
    assert_error(resp, 400, "Bad Request", "Cannot set both options.attributes and options.requires_username",
                 "invalid_body")
    assert server.get(f"{API}/{conn['id']}").json() == conn


def test_email_attribute_defaults_on_create(server):
    conn = server.create(unique_name("attr"), options={
        "attributes": {"email": {"identifier": {"active": True}}},
        "authentication_methods": {"password": {"enabled": True}},
        "password_options": {"history": {"active": True}}})
    opts = conn["options"]
    assert opts["attributes"] == {"email": {"identifier": {"active": True}, "unique": True,
                                            "verification_method": "link"}}
    assert opts["authentication_methods"] == {
        "password": {"enabled": True, "api_behavior": "required", "signup_behavior": "allow"},
        "passkey": {"enabled": False}, "email_otp": {"enabled": False}, "phone_otp": {"enabled": False}}
    assert "passwordPolicy" not in opts
    assert opts["password_options"]["history"] == {"active": True, "size": 3}
    assert opts["password_options"]["complexity"]["min_length"] == 15
    assert opts["password_options"]["dictionary"] == {"active": False, "custom": [], "default": "en_100k"}


def test_bodies_that_are_not_json_objects_say_why(server):
    """Auth0's message, plus one violation with the reason (docs/DECISIONS.md)."""
    deep = b'{"a":' * 65 + b"1" + b"}" * 65
    cases = [
        (b'[{"name":"a","strategy":"auth0"}]', "schema",
         "Payload validation error: 'Expected type object but found type array'."),
        (deep, "json-syntax", "Nesting deeper than 64 levels at line 1, column 321"),
        (b'{"name":"a",\n "name":"b"}', "json-syntax", 'Duplicate key "name" at line 2, column 2'),
    ]
    for raw, rule, reason in cases:
        resp = server.post(API, raw=raw, headers={"Content-Type": "application/json"})
        body = assert_error(resp, 400, "Bad Request", "Invalid request payload JSON format", "invalid_body")
        assert body["violations"] == [{"rule": rule, "severity": "error", "path": "", "message": reason}], describe(resp)


def test_more_than_10000_arrays_and_objects_in_a_body_are_refused(server):
    """docs/DECISIONS.md, "Containers in a request body": 1 MiB of nested arrays would cost
    ~75 ms of CPU to build and free; no connection needs more than a few dozen containers."""
    def body(inner):
        # The body, "options" and "x" are three containers; each "[]" one more.
        head = b'{"name":"many-containers","strategy":"auth0","options":{"x":['
        return head, head + b",".join([b"[]"] * inner) + b"]}}"

    _, at_limit = body(10_000 - 3)
    resp = server.post(API + "?dry_run=true", raw=at_limit, headers={"Content-Type": "application/json"})
    assert resp.status_code == 200, describe(resp)

    head, over = body(10_000 - 3 + 1)
    resp = server.post(API, raw=over, headers={"Content-Type": "application/json"})
    body_ = assert_error(resp, 400, "Bad Request", "Invalid request payload JSON format", "invalid_body")
    column = len(head) + (10_000 - 3) * 3 + 1  # the 10,001st container's "["
    assert body_["violations"] == [{
        "rule": "json-syntax", "severity": "error", "path": "",
        "message": f"More than 10000 arrays and objects at line 1, column {column}"}], describe(resp)
    assert server.get(API + "?name=many-containers").json() == []


# -- dry runs ----------------------------------------------------------------


def test_plain_array_pages_default_to_100(fresh_server):
    """The OAS: per_page "Defaults to 100 if not provided" (take defaults to 50)."""
    srv = fresh_server
    for index in range(101):
        srv.create(f"page-{index:03d}", "email")
    assert len(srv.get(API).json()) == 100
    totals = srv.get(API, params={"include_totals": "true"}).json()
    assert (totals["limit"], totals["total"], len(totals["connections"])) == (100, 101, 100)
    assert len(srv.get(API, params={"page": "1"}).json()) == 1
    assert len(srv.get(API, params={"take": "100"}).json()["connections"]) == 100
    assert len(srv.get(API, params={"from": ""}).json()["connections"]) == 50
    assert_error(srv.get(API, params={"per_page": "101"}), 400, "Bad Request", None, "invalid_query_string")
    message = srv.get(API, params={"per_page": "0"}).json()["message"]
    assert message.endswith("on property per_page (The amount of entries per page. Defaults to 100 if not provided)."), message


def test_dry_run_post_stores_nothing(server):
    name = unique_name("dry")
    resp = server.post(f"{API}?dry_run=true", {"name": name, "strategy": "auth0"})
    assert resp.status_code == 200, describe(resp)
    body = resp.json()
    assert set(body) == {"valid", "violations", "connection"}
    assert body["valid"] is True and body["violations"] == []
    assert body["connection"]["name"] == name
    assert body["connection"]["options"]["passwordPolicy"] == "good"
    assert server.get(API, params={"name": name}).json() == []
    server.create(name)


def test_dry_run_post_judges_before_the_name_conflict(server):
    """The real call answers an invalid body 400 before it looks at the name, so a dry run of an
    invalid body with a taken name reports the violations; a valid body with a taken name is 409."""
    name = unique_name("dry")
    server.create(name)
    invalid = server.post(f"{API}?dry_run=true", {"name": name, "strategy": "auth0", "realms": "not-a-list"})
    assert invalid.status_code == 200, describe(invalid)
    assert invalid.json()["valid"] is False and invalid.json()["violations"][0]["rule"] == "schema"
    real = server.post(API, {"name": name, "strategy": "auth0", "realms": "not-a-list"})
    assert real.status_code == 400, describe(real)
    taken = server.post(f"{API}?dry_run=true", {"name": name, "strategy": "auth0"})
    assert_error(taken, 409, "Conflict", "A connection with the same name already exists", "connection_conflict")


def test_dry_run_post_reports_violations(server):
    server.set_identifier_first(True)
    resp = server.post(f"{API}?dry_run=true", {"name": unique_name("dry"), "strategy": "auth0", "options": {
        "attributes": {"email": {"identifier": {"active": True}, "profile_required": True,
                                 "signup": {"status": "inactive"}}}}})
    assert resp.status_code == 200, describe(resp)
    body = resp.json()
    assert body["valid"] is False and body["connection"] is None
    assert body["violations"][0]["rule"] == "attribute-required-on-signup"
    assert body["violations"][0]["message"] == "attribute email must also be required on signup"


def test_dry_run_patch_changes_nothing(server):
    conn = server.create(unique_name("dryp"), display_name="Before")
    resp = server.patch(f"{API}/{conn['id']}?dry_run=true", {"display_name": "After"})
    assert resp.status_code == 200, describe(resp)
    body = resp.json()
    assert body["valid"] is True and body["connection"]["display_name"] == "After"
    assert body["connection"]["id"] == conn["id"]
    assert server.get(f"{API}/{conn['id']}").json() == conn


# -- rules 33-35: a PATCH judged against what is stored ----------------------

NON_UNIQUE_EMAIL = {"attributes": {
    "email": {"unique": False, "identifier": {"active": False}},
    "username": {"identifier": {"active": True}},
}}


def test_non_unique_email_keeps_its_attributes(server):
    conn = server.create(unique_name("nue"), options=NON_UNIQUE_EMAIL)
    body = assert_error(server.patch(f"{API}/{conn['id']}", {"options": {"disable_signup": True}}), 400, "Bad Request",
                        "options.attributes can't be removed while the stored options.attributes.email.unique is false: "
                        "send options.attributes again, with the email attribute", "invalid_body")
    assert body["violations"][0]["rule"] == "non-unique-email-keeps-attributes"
    assert body["violations"][0]["path"] == "/options/attributes"
    assert server.get(f"{API}/{conn['id']}").json() == conn
    kept = server.patch(f"{API}/{conn['id']}", {"options": {**NON_UNIQUE_EMAIL, "disable_signup": True}})
    assert kept.status_code == 200, describe(kept)
    # A unique email's connection may drop its attributes.
    unique = server.create(unique_name("ue"), options={"attributes": {"email": {"identifier": {"active": True}}}})
    assert server.patch(f"{API}/{unique['id']}", {"options": {"disable_signup": True}}).status_code == 200


def test_script_context_cannot_be_turned_off(server):
    conn = server.create(unique_name("sc"), options={"enable_script_context": True})
    message = ("options.enable_script_context can't be turned off once it is on: "
               "send enable_script_context true with the new options")
    for options in ({"enable_script_context": False}, {"disable_signup": True}):
        body = assert_error(server.patch(f"{API}/{conn['id']}", {"options": options}), 400, "Bad Request", message,
                            "invalid_body")
        assert body["violations"][0]["rule"] == "script-context-irreversible"
    assert server.patch(f"{API}/{conn['id']}", {"display_name": "no options sent"}).status_code == 200
    resp = server.patch(f"{API}/{conn['id']}", {"options": {"enable_script_context": True, "disable_signup": True}})
    assert resp.status_code == 200 and resp.json()["options"]["enable_script_context"] is True, describe(resp)
    off = server.create(unique_name("sc-off"), options={"enable_script_context": False})
    assert server.patch(f"{API}/{off['id']}", {"options": {"enable_script_context": True}}).status_code == 200


def test_erased_configuration_keys_are_a_warning_that_names_no_value(server):
    conn = server.create(unique_name("cfg"), options={"configuration": {"API_KEY": "s3cret-value", "REGION": "eu"}})
    patch = {"options": {"configuration": {"REGION": "us"}}}
    dry = server.patch(f"{API}/{conn['id']}?dry_run=true", patch).json()
    assert dry["valid"] is True, dry
    assert dry["violations"] == [{
        "rule": "configuration-keys-erased", "severity": "warning", "path": "/options/configuration",
        "message": "options.configuration loses API_KEY: options are replaced wholesale, so send this key again to keep it",
    }]
    assert "s3cret-value" not in json.dumps(dry["violations"])
    # A warning never rejects the write.
    resp = server.patch(f"{API}/{conn['id']}", patch)
    assert resp.status_code == 200 and resp.json()["options"]["configuration"] == {"REGION": "us"}, describe(resp)
    again = server.patch(f"{API}/{conn['id']}?dry_run=true", {"options": {"configuration": {"REGION": "eu", "NEW": "1"}}})
    assert again.json()["violations"] == []


# -- enabled clients -------------------------------------------------------


def test_clients_routes_stay_in_sync_with_enabled_clients(server):
    conn = server.create(unique_name("cl"), enabled_clients=["c" * 32, "c" * 32])
    clients = [f"client{i:02d}" + "x" * 24 for i in range(5)]
    resp = server.patch(f"{API}/{conn['id']}/clients", [{"client_id": c, "status": True} for c in clients])
    assert resp.status_code == 204 and resp.content == b"", describe(resp)
    fetched = server.get(f"{API}/{conn['id']}").json()
    assert fetched.get("enabled_clients", ABSENT) == (sorted(clients + ["c" * 32]) if server.legacy else ABSENT)
    listed = server.get(f"{API}/{conn['id']}/clients").json()
    assert sorted(c["client_id"] for c in listed["clients"]) == sorted(clients + ["c" * 32])
    pages, token = [], None
    while True:
        body = server.get(f"{API}/{conn['id']}/clients", params={"take": 2, **({"from": token} if token else {})}).json()
        pages.append(body["clients"])
        assert len(pages) < 10
        if "next" not in body:
            break
        token = body["next"]
    assert sorted(c["client_id"] for page in pages for c in page) == sorted(clients + ["c" * 32])
    assert server.patch(f"{API}/{conn['id']}/clients", [{"client_id": "c" * 32, "status": False}]).status_code == 204
    resp = server.patch(f"{API}/{conn['id']}", {"enabled_clients": [clients[0]]})
    if server.legacy:
        assert resp.status_code == 200 and resp.json()["enabled_clients"] == [clients[0]], describe(resp)
        assert [c["client_id"] for c in server.get(f"{API}/{conn['id']}/clients").json()["clients"]] == [clients[0]]
    else:
        assert_error(resp, 400, "Bad Request", NO_ENABLED_CLIENTS, "invalid_body")
        assert len(server.get(f"{API}/{conn['id']}/clients").json()["clients"]) == 5, "a rejected PATCH changed the set"


def test_the_environment_turns_legacy_enabled_clients_on(server_factory):
    for value in ("1", "true"):
        srv = server_factory(extra_env={"CONNECTIONS_API_LEGACY_ENABLED_CLIENTS": value})
        assert srv.create(unique_name("env"), enabled_clients=["e" * 32])["enabled_clients"] == ["e" * 32]
    off = server_factory(extra_env={"CONNECTIONS_API_LEGACY_ENABLED_CLIENTS": "0"})
    assert ("enabled_clients" in off.create(unique_name("env"))) == off.legacy


@pytest.mark.parametrize("value", [["a" * 32], [], None])
def test_patch_with_enabled_clients_follows_the_mode(server, value):
    conn = server.create(unique_name("pec"), enabled_clients=["b" * 32])
    resp = server.patch(f"{API}/{conn['id']}", {"display_name": "x", "enabled_clients": value})
    if not server.legacy:
        body = assert_error(resp, 400, "Bad Request", NO_ENABLED_CLIENTS, "invalid_body")
        assert body["violations"] == [{"rule": "schema", "severity": "error", "path": "", "message": NO_ENABLED_CLIENTS}]
        dry = server.patch(f"{API}/{conn['id']}?dry_run=true", {"enabled_clients": value}).json()
        assert dry["valid"] is False and dry["violations"][0]["message"] == NO_ENABLED_CLIENTS
        assert server.get(f"{API}/{conn['id']}").json() == conn, "a rejected PATCH changed the connection"
        return
    assert resp.status_code == 200, describe(resp)
    # null names no client list: the stored set stays (the OAS allows null here).
    assert resp.json()["enabled_clients"] == (["b" * 32] if value is None else value)


def test_every_response_shows_enabled_clients_only_on_a_legacy_tenant(server):
    """GET by id and list, POST, PATCH and dry runs; `fields` may leave it out on a legacy tenant,
    and selects nothing on a tenant created today."""
    name = unique_name("ecv")
    clients = ["z" * 32, "a" * 32]
    expected = sorted(clients) if server.legacy else ABSENT

    def shown(connection):
        return connection.get("enabled_clients", ABSENT)

    dry_post = server.post(f"{API}?dry_run=true", {"name": name, "strategy": "auth0", "enabled_clients": clients}).json()
    assert shown(dry_post["connection"]) == expected, dry_post
    conn = server.create(name, enabled_clients=clients)
    assert shown(conn) == expected
    assert shown(server.get(f"{API}/{conn['id']}").json()) == expected
    for params in ({"name": name}, {"name": name, "include_totals": "true"}, {"name": name, "take": "5"}):
        body = server.get(API, params=params).json()
        items = body if isinstance(body, list) else body["connections"]
        assert [shown(item) for item in items] == [expected], (params, body)
    assert shown(server.patch(f"{API}/{conn['id']}", {"display_name": "V"}).json()) == expected
    dry_patch = server.patch(f"{API}/{conn['id']}?dry_run=true", {"display_name": "W"}).json()
    assert shown(dry_patch["connection"]) == expected, dry_patch

    selected = server.get(f"{API}/{conn['id']}", params={"fields": "enabled_clients"}).json()
    assert set(selected) == ALWAYS | ({"enabled_clients"} if server.legacy else set())
    assert shown(selected) == expected
    listed = server.get(API, params={"name": name, "fields": "enabled_clients"}).json()
    assert [shown(item) for item in listed] == [expected]
    left_out = server.get(f"{API}/{conn['id']}", params={"fields": "enabled_clients", "include_fields": "false"}).json()
    assert "enabled_clients" not in left_out and left_out["name"] == name
    assert "enabled_clients" not in server.get(f"{API}/{conn['id']}", params={"fields": "name"}).json()


@pytest.mark.parametrize("body", [[], [{"client_id": "a"}], [{"client_id": "a", "status": "yes"}],
                                  [{"client_id": f"c{i}", "status": True} for i in range(51)], {"client_id": "a"}])
def test_clients_patch_rejects_bad_bodies(server, body):
    conn = server.create(unique_name("clb"))
    assert_error(server.patch(f"{API}/{conn['id']}/clients", body), 400, "Bad Request", None, "invalid_body")


def test_clients_of_unknown_connection(server):
    assert_error(server.get(f"{API}/con_xxxxxxxxxxxxxxxx/clients"), 404, "Not Found",
                 "The connection does not exist", "inexistent_connection")


# -- prompts -----------------------------------------------------------------


def test_prompts_default_and_merge(fresh_server):
    srv = fresh_server
    assert srv.get("/api/v2/prompts").json() == {
        "universal_login_experience": "new", "identifier_first": False, "webauthn_platform_first_factor": False}
    merged = srv.patch("/api/v2/prompts", {"identifier_first": True}).json()
    assert merged == {"universal_login_experience": "new", "identifier_first": True,
                      "webauthn_platform_first_factor": False}
    assert srv.get("/api/v2/prompts").json() == merged
    assert_error(srv.patch("/api/v2/prompts", {"bogus": True}), 400, "Bad Request", None, "invalid_body")


# -- routing -----------------------------------------------------------------


@pytest.mark.parametrize("method,path,allowed", [
    ("PUT", API, {"GET", "POST"}),
    ("DELETE", API, {"GET", "POST"}),
    ("POST", f"{API}/con_xxxxxxxxxxxxxxxx", {"GET", "PATCH", "DELETE"}),
    ("PUT", f"{API}/con_xxxxxxxxxxxxxxxx/clients", {"GET", "PATCH"}),
    ("DELETE", "/api/v2/prompts", {"GET", "PATCH"}),
])
def test_wrong_method_is_405_with_allow(server, method, path, allowed):
    resp = server.request(method, path)
    assert_error(resp, 405, "Method Not Allowed", "Method Not Allowed", ABSENT)
    got = {m.strip() for m in resp.headers.get("Allow", "").split(",") if m.strip()}
    assert allowed <= got and got <= allowed | {"HEAD", "OPTIONS"}, describe(resp)


@pytest.mark.parametrize("path", ["/api/v2/nope", "/api/v2/connections/con_xxxxxxxxxxxxxxxx/nope", "/api/v3/connections",
                                  "/", "/api/v2/clients"])
def test_unknown_route_is_404(server, path):
    assert_error(server.get(path), 404, "Not Found", "Not Found", ABSENT)


def test_unknown_route_before_authentication(server):
    assert_error(server.get("/api/v2/nope", token=False), 404, "Not Found", "Not Found", ABSENT)
    assert_error(server.request("PUT", API, token=False), 405, "Method Not Allowed", "Method Not Allowed", ABSENT)


def test_lowercase_bearer_scheme_works(server):
    resp = server.get(API, token=False, headers={"Authorization": f"bearer {server.token}"})
    assert resp.status_code == 200, describe(resp)


# -- machine clients and scopes ----------------------------------------------


def register_client(srv, scopes):
    """`clients create` on the server's own database (CLI.md), then the client-credentials grant."""
    out = subprocess.run([server_binary(), "clients", "create", "--name", unique_name("m2m"), "--scopes", scopes,
                          "--db", srv.db], capture_output=True, text=True, timeout=30)
    assert out.returncode == 0, out.stderr
    client_id = re.search(r"client_id:\s*(\S+)", out.stdout).group(1)
    secret = re.search(r"client_secret:\s*(\S+)", out.stdout).group(1)
    resp = requests.post(srv.url("/oauth/token"), json={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret,
        "audience": f"{srv.base}/api/v2/"}, timeout=REQUEST_TIMEOUT)
    assert resp.status_code == 200, describe(resp)
    token = resp.json()
    assert token["token_type"] == "Bearer" and token["access_token"] and token["expires_in"] > 0
    assert set(token["scope"].split()) == set(scopes.split(","))
    return token["access_token"]


def test_scopes_limit_what_a_machine_client_can_do(fresh_server):
    srv = fresh_server
    conn = srv.create(unique_name("scoped"))
    token = register_client(srv, "read:connections")
    listed = srv.get(API, token=token)
    assert listed.status_code == 200, describe(listed)
    assert [c["id"] for c in listed.json()] == [conn["id"]]
    assert "options" not in listed.json()[0], "options need read:connections_options"
    assert "options" not in srv.get(f"{API}/{conn['id']}", token=token).json()
    assert_error(srv.post(API, {"name": unique_name("no"), "strategy": "auth0"}, token=token), 403, "Forbidden",
                 "Insufficient scope, expected any of: create:connections", "insufficient_scope")
    assert_error(srv.delete(f"{API}/{conn['id']}", token=token), 403, "Forbidden", None, "insufficient_scope")
    assert srv.get(f"{API}/{conn['id']}").status_code == 200


def test_options_patch_needs_options_scope(fresh_server):
    srv = fresh_server
    conn = srv.create(unique_name("optscope"))
    token = register_client(srv, "read:connections,update:connections")
    ok = srv.patch(f"{API}/{conn['id']}", {"display_name": "By client"}, token=token)
    assert ok.status_code == 200, describe(ok)
    assert_error(srv.patch(f"{API}/{conn['id']}", {"options": {"import_mode": True}}, token=token), 403,
                 "Forbidden", None, "insufficient_scope")


# -- rate limits, logs, shutdown ----------------------------------------------


def test_client_rate_limit_answers_429_and_admin_is_exempt(server_factory):
    srv = server_factory(["--rate-limit", "1/2"])
    token = register_client(srv, "read:connections")
    answers = [srv.get(API, token=token) for _ in range(6)]
    limited = [r for r in answers if r.status_code == 429]
    assert limited, "6 requests against a burst of 2 at 1/s must hit the limit"
    assert all(r.status_code in (200, 429) for r in answers)
    resp = limited[0]
    assert_error(resp, 429, "Too Many Requests", "Global limit has been reached", "too_many_requests")
    assert int(resp.headers["Retry-After"]) >= 0, describe(resp)
    assert resp.headers["x-ratelimit-remaining"] == "0", describe(resp)
    assert int(resp.headers["x-ratelimit-limit"]) >= 1
    assert all(srv.get(API).status_code == 200 for _ in range(6)), "the admin token is exempt by default"


def test_logs_never_contain_tokens_secrets_or_bodies(fresh_server):
    srv = fresh_server
    secret = "s3cr3t-" + unique_name("value")
    conn = srv.create(unique_name("logged"), "oidc", options={"client_secret": secret,
                                                              "configuration": {"api_key": secret}})
    srv.patch(f"{API}/{conn['id']}", {"metadata": {"note": secret}})
    srv.get(f"{API}?name={conn['name']}&fields=name")
    srv.get(API, token="wrong-" + secret)
    srv.stop_gracefully()
    log = srv.stderr_tail(limit=1_000_000)
    assert f"{API}/{conn['id']}" in log, "one log line per request with its path"
    for forbidden in (srv.token, secret, conn["name"] + "&", "fields=name"):
        assert forbidden not in log, f"{forbidden!r} leaked into the log"


def test_sigterm_stops_cleanly_and_data_survives(server_factory):
    srv = server_factory()
    conn = srv.create(unique_name("durable"))
    assert srv.stop_gracefully() == 0
    again = server_factory(extra_env={"CONNECTIONS_API_TOKEN": srv.token}, db=srv.db)
    assert again.get(f"{API}/{conn['id']}").json() == conn
