"""History, restore, ETags and conditional writes, dry-run change reports (API.md, "Revisions,
history and conditional writes", PATCH `?dry_run=true`, `PATCH /prompts?dry_run=true`).

Auth0 has none of these, so they go through raw HTTP; the official SDK is used where it can
be (it ignores the additions) to show an Auth0 client still works beside them.
"""

import threading

import pytest
import requests
from auth0.management import Auth0

from support import BACKENDS, REQUEST_TIMEOUT, Server, assert_error, describe, fresh_db, unique_name
from test_auth_scopes import issue, register

API = "/api/v2/connections"

PASSWORDLESS_OPTIONS = {
    "attributes": {
        "email": {
            "identifier": {"active": True, "default_method": "email_otp"},
            "verification_method": "otp",
            "signup": {"status": "required", "verification": {"active": True}},
        }
    },
    "authentication_methods": {"password": {"enabled": False}, "email_otp": {"enabled": True}},
}


@pytest.fixture(scope="module")
def srv():
    server = Server()
    yield server
    server.stop()


def history(srv, cid, **params):
    resp = srv.get(f"{API}/{cid}/revisions", params=params)
    assert resp.status_code == 200, describe(resp)
    return resp.json()


def test_every_write_appends_a_revision_and_history_survives_delete(srv):
    sdk = Auth0(base_url=f"{srv.base}/api/v2", token=srv.token, max_retries=0, timeout=15)
    created = sdk.connections.create(name=unique_name("hist"), strategy="auth0")
    cid = created.id
    sdk.connections.update(cid, display_name="Sign in")
    resp = srv.patch(f"{API}/{cid}/clients", [{"client_id": "app1", "status": True}])
    assert resp.status_code == 204, describe(resp)
    # The same PATCH again changes nothing: no revision.
    assert sdk.connections.update(cid, display_name="Sign in").display_name == "Sign in"
    resp = srv.delete(f"{API}/{cid}")
    assert resp.status_code == 202, describe(resp)

    revisions = history(srv, cid)["revisions"]
    assert [r["revision"] for r in revisions] == [4, 3, 2, 1]
    assert [r["operation"] for r in revisions] == ["delete", "update_clients", "update", "create"]
    assert all(r["actor"] == {"type": "admin"} and "connection" not in r for r in revisions)
    assert all(r["created_at"].endswith("Z") and len(r["created_at"]) == 24 for r in revisions)

    second = srv.get(f"{API}/{cid}/revisions/2").json()
    assert second["connection"]["display_name"] == "Sign in" and second["connection"]["id"] == cid
    third = srv.get(f"{API}/{cid}/revisions/3").json()
    assert "enabled_clients" not in third["connection"], "a revision shows the connection as GET does"
    assert srv.get(f"{API}/{cid}/revisions/4").json()["connection"] is None

    assert_error(srv.get(f"{API}/{cid}/revisions/9"), 404, "Not Found", "The revision does not exist", "inexistent_revision")
    assert_error(srv.get(f"{API}/{cid}/revisions/x"), 404, "Not Found", "The revision does not exist", "inexistent_revision")
    never = "con_" + "Z" * 16
    for path in (f"{API}/{never}/revisions", f"{API}/{never}/revisions/1"):
        assert_error(srv.get(path), 404, "Not Found", "The connection does not exist", "inexistent_connection")


def test_history_pages_with_take_and_from(srv):
    cid = srv.create(unique_name("page"))["id"]
    for index in range(4):
        assert srv.patch(f"{API}/{cid}", {"display_name": f"v{index}"}).status_code == 200
    first = history(srv, cid, take=2)
    assert [r["revision"] for r in first["revisions"]] == [5, 4] and "next" in first
    # Appends between pages do not shift the next page.
    assert srv.patch(f"{API}/{cid}", {"display_name": "later"}).status_code == 200
    second = history(srv, cid, take=2, **{"from": first["next"]})
    assert [r["revision"] for r in second["revisions"]] == [3, 2]
    third = history(srv, cid, take=2, **{"from": second["next"]})
    assert [r["revision"] for r in third["revisions"]] == [1] and "next" not in third
    for take in ("0", "101", "x"):
        resp = srv.get(f"{API}/{cid}/revisions", params={"take": take})
        assert_error(resp, 400, "Bad Request", None, "invalid_query_string")
    resp = srv.get(f"{API}/{cid}/revisions", params={"from": "garbage!"})
    assert_error(resp, 400, "Bad Request", None, "invalid_query_string")


def test_revision_hides_options_without_read_connections_options(srv):
    cid = srv.create(unique_name("scoped"), options={"disable_signup": True})["id"]
    client_id, secret = register(srv, ["read:connections"])
    token = issue(srv, client_id, secret)
    one = srv.get(f"{API}/{cid}/revisions/1", token=token)
    assert one.status_code == 200, describe(one)
    assert "options" not in one.json()["connection"]
    assert srv.get(f"{API}/{cid}/revisions/1").json()["connection"]["options"]["disable_signup"] is True


def test_etag_and_if_none_match(srv):
    created = srv.post(API, {"name": unique_name("etag"), "strategy": "auth0"})
    assert created.headers.get("ETag") == '"1"', describe(created)
    cid = created.json()["id"]
    got = srv.get(f"{API}/{cid}")
    assert got.headers.get("ETag") == '"1"', describe(got)
    for tag in ('"1"', "*", 'W/"1"', '"7", "1"'):
        resp = srv.get(f"{API}/{cid}", headers={"If-None-Match": tag})
        assert resp.status_code == 304 and resp.content == b"" and resp.headers.get("ETag") == '"1"', describe(resp)
    assert srv.get(f"{API}/{cid}", headers={"If-None-Match": '"2"'}).status_code == 200
    patched = srv.patch(f"{API}/{cid}", {"display_name": "x"})
    assert patched.headers.get("ETag") == '"2"', describe(patched)
    resp = srv.get(f"{API}/{cid}", headers={"If-None-Match": '"1"'})
    assert resp.status_code == 200 and resp.headers.get("ETag") == '"2"', describe(resp)


def test_if_match_on_every_write(srv):
    cid = srv.create(unique_name("ifmatch"))["id"]
    ok = srv.patch(f"{API}/{cid}", {"display_name": "a"}, headers={"If-Match": '"1"'})
    assert ok.status_code == 200 and ok.headers.get("ETag") == '"2"', describe(ok)
    stale = srv.patch(f"{API}/{cid}", {"display_name": "b"}, headers={"If-Match": '"1"'})
    assert_error(stale, 412, "Precondition Failed", "The connection has changed: current revision is 2", "precondition_failed")
    for tag in ('W/"2"', '"abc"'):
        resp = srv.patch(f"{API}/{cid}", {"display_name": "b"}, headers={"If-Match": tag})
        assert_error(resp, 412, "Precondition Failed", "The connection has changed: current revision is 2", "precondition_failed")
    for bad in ("2", "abc", "", '"2', 'W/2'):
        resp = srv.patch(f"{API}/{cid}", {"display_name": "b"}, headers={"If-Match": bad})
        assert_error(resp, 400, "Bad Request", "Invalid If-Match header", "invalid_headers")
    assert srv.get(f"{API}/{cid}").json()["display_name"] == "a"
    assert srv.patch(f"{API}/{cid}", {"display_name": "c"}, headers={"If-Match": '"9", "2"'}).status_code == 200
    clients = srv.patch(f"{API}/{cid}/clients", [{"client_id": "a", "status": True}], headers={"If-Match": '"2"'})
    assert_error(clients, 412, "Precondition Failed", "The connection has changed: current revision is 3", "precondition_failed")
    assert srv.patch(f"{API}/{cid}/clients", [{"client_id": "a", "status": True}], headers={"If-Match": "*"}).status_code == 204
    resp = srv.delete(f"{API}/{cid}", headers={"If-Match": '"3"'})
    assert_error(resp, 412, "Precondition Failed", "The connection has changed: current revision is 4", "precondition_failed")
    assert srv.delete(f"{API}/{cid}", headers={"If-Match": '"4"'}).status_code == 202
    # Not live: 412 "does not exist" instead of 404/204.
    for method, body in (("PATCH", {"display_name": "x"}), ("DELETE", None)):
        resp = srv.request(method, f"{API}/{cid}", body, headers={"If-Match": "*"})
        assert_error(resp, 412, "Precondition Failed", "The connection does not exist", "precondition_failed")
    assert srv.delete(f"{API}/{cid}").status_code == 204


def test_racing_conditional_patches_exactly_one_succeeds():
    server = Server(["--event-loops", "4"])
    try:
        for round_ in range(3):
            cid = server.create(unique_name("race"))["id"]
            count = 8
            sessions = [requests.Session() for _ in range(count)]
            for session in sessions:
                assert session.get(server.url("/healthz"), timeout=REQUEST_TIMEOUT).status_code == 200
            barrier = threading.Barrier(count, timeout=30)
            statuses = [None] * count

            def send(index):
                barrier.wait()
                statuses[index] = sessions[index].patch(
                    server.url(f"{API}/{cid}"), json={"display_name": f"writer {index}"},
                    headers={"Authorization": f"Bearer {server.token}", "If-Match": '"1"'}, timeout=REQUEST_TIMEOUT,
                ).status_code

            threads = [threading.Thread(target=send, args=(i,)) for i in range(count)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(REQUEST_TIMEOUT + 30)
            for session in sessions:
                session.close()
            assert sorted(statuses) == [200] + [412] * (count - 1), f"round {round_}: {statuses}"
            revisions = history(server, cid)["revisions"]
            assert [r["revision"] for r in revisions] == [2, 1]
    finally:
        server.stop()


def test_restore_brings_a_deleted_connection_back(srv):
    name = unique_name("restore")
    cid = srv.create(name, display_name="first")["id"]
    assert srv.patch(f"{API}/{cid}/clients", [{"client_id": "app9", "status": True}]).status_code == 204
    assert srv.delete(f"{API}/{cid}").status_code == 202
    refused = srv.post(f"{API}/{cid}/revisions/3/restore")
    assert_error(refused, 400, "Bad Request", "Revision 3 records a deletion and cannot be restored", "operation_not_supported")
    # `*` matches live connections only; the delete revision's tag matches.
    star = srv.post(f"{API}/{cid}/revisions/2/restore", headers={"If-Match": "*"})
    assert_error(star, 412, "Precondition Failed", None, "precondition_failed")
    dry = srv.post(f"{API}/{cid}/revisions/2/restore", params={"dry_run": "true"})
    assert dry.status_code == 200 and dry.json()["valid"] is True, describe(dry)
    assert srv.get(f"{API}/{cid}").status_code == 404, "a dry run restored"
    restored = srv.post(f"{API}/{cid}/revisions/2/restore", headers={"If-Match": '"3"'})
    assert restored.status_code == 200 and restored.headers.get("ETag") == '"4"', describe(restored)
    body = restored.json()
    assert body["id"] == cid and body["name"] == name and body["display_name"] == "first"
    assert srv.get(f"{API}/{cid}/clients").json()["clients"] == [{"client_id": "app9"}]
    top = history(srv, cid)["revisions"][0]
    assert top["operation"] == "restore" and top["restored_from"] == 2 and top["revision"] == 4
    # Restoring what is already stored is a no-op: 200, no revision.
    again = srv.post(f"{API}/{cid}/revisions/4/restore", raw=b"{}", headers={"Content-Type": "application/json"})
    assert again.status_code == 200 and again.headers.get("ETag") == '"4"', describe(again)
    assert history(srv, cid)["revisions"][0]["revision"] == 4
    # Restoring a deleted connection whose name is taken meanwhile is a 409.
    assert srv.delete(f"{API}/{cid}").status_code == 202
    srv.create(name)
    assert_error(
        srv.post(f"{API}/{cid}/revisions/4/restore"), 409, "Conflict", "A connection with the same name already exists",
        "connection_conflict")


def test_restore_is_refused_when_todays_rules_reject_it():
    server = Server()
    try:
        server.set_identifier_first(True)
        cid = server.create(unique_name("pwless"), options=PASSWORDLESS_OPTIONS)["id"]
        assert server.patch(f"{API}/{cid}", {"display_name": "Passwordless"}).status_code == 200
        # A settings change that breaks it is accepted; the dry run names it first.
        dry = server.patch("/api/v2/prompts", {"identifier_first": False}, params={"dry_run": "true"})
        assert dry.status_code == 200, describe(dry)
        report = dry.json()
        assert report["settings"]["identifier_first"] is False
        assert [a["id"] for a in report["affected"]] == [cid]
        assert any(v["severity"] == "error" for v in report["affected"][0]["violations"])
        assert server.get("/api/v2/prompts").json()["identifier_first"] is True, "a dry run changed the settings"
        server.set_identifier_first(False)
        assert "leaves 1 stored connection(s) invalid" in server.stderr_tail(), server.stderr_tail()
        refused = server.post(f"{API}/{cid}/revisions/1/restore")
        assert refused.status_code == 400, describe(refused)
        assert refused.json()["violations"], describe(refused)
        assert server.get(f"{API}/{cid}").headers.get("ETag") == '"2"'
        assert [r["revision"] for r in history(server, cid)["revisions"]] == [2, 1]
    finally:
        server.stop()


def test_restore_scopes(srv):
    cid = srv.create(unique_name("rscope"))["id"]
    assert srv.patch(f"{API}/{cid}", {"display_name": "x"}).status_code == 200
    client_id, secret = register(srv, ["update:connections"])
    token = issue(srv, client_id, secret)
    resp = srv.post(f"{API}/{cid}/revisions/1/restore", token=token)
    assert_error(resp, 403, "Forbidden", "Insufficient scope, expected any of: update:connections_options", "insufficient_scope")
    client_id, secret = register(srv, ["update:connections", "update:connections_options"])
    token = issue(srv, client_id, secret)
    assert srv.post(f"{API}/{cid}/revisions/1/restore", token=token).status_code == 200
    assert history(srv, cid)["revisions"][0]["actor"] == {"type": "client", "client_id": client_id}
    assert srv.delete(f"{API}/{cid}").status_code == 202
    resp = srv.post(f"{API}/{cid}/revisions/1/restore", token=token)
    assert_error(resp, 403, "Forbidden", "Insufficient scope, expected any of: create:connections", "insufficient_scope")


def test_dry_run_patch_reports_changes_and_erased_without_configuration_values(srv):
    cid = srv.create(
        unique_name("erase"), options={"configuration": {"API_KEY": "s3cr3t-one", "REGION": "s3cr3t-two"}}
    )["id"]
    stored = srv.get(f"{API}/{cid}").json()
    assert "mfa" in stored["options"]
    resp = srv.patch(
        f"{API}/{cid}", {"options": {"configuration": {"REGION": "s3cr3t-three"}}}, params={"dry_run": "true"}
    )
    assert resp.status_code == 200, describe(resp)
    assert "s3cr3t" not in resp.text, "a configuration value leaked into the dry run"
    report = resp.json()
    assert report["valid"] is True
    assert "/options/mfa" in report["erased"]
    assert "/options/configuration/API_KEY" in report["erased"]
    assert "/options/authentication_methods" not in report["erased"], "kept by the PATCH merge"
    assert report["connection"]["options"]["configuration"] == {"REGION": "<hidden>"}
    ops = {op["path"]: op for op in report["changes"]}
    assert ops["/options/mfa"] == {"op": "remove", "path": "/options/mfa"}
    assert ops["/options/configuration/REGION"] == {"op": "replace", "path": "/options/configuration/REGION"}
    assert ops["/options/configuration/API_KEY"] == {"op": "remove", "path": "/options/configuration/API_KEY"}
    assert srv.get(f"{API}/{cid}").json() == stored, "a dry run changed the connection"
    # A PATCH that names nothing stored away erases nothing and changes one value.
    small = srv.patch(f"{API}/{cid}", {"display_name": "Hi"}, params={"dry_run": "true"}).json()
    assert small["erased"] == [] and small["changes"] == [{"op": "add", "path": "/display_name", "value": "Hi"}]


def test_revisions_keep_prunes_and_refuses_zero(tmp_path):
    import subprocess

    from support import server_binary

    for bad in ("0", "-1", "x"):
        out = subprocess.run(
            [server_binary(), "serve", "--port", "0", "--db", str(tmp_path / "x.sqlite"), "--revisions-keep", bad],
            capture_output=True, text=True, timeout=30,
        )
        assert out.returncode != 0 and "--revisions-keep" in out.stderr, out
    server = Server(["--revisions-keep", "2"])
    try:
        cid = server.create(unique_name("keep"))["id"]
        for index in range(3):
            assert server.patch(f"{API}/{cid}", {"display_name": f"v{index}"}).status_code == 200
        assert [r["revision"] for r in history(server, cid)["revisions"]] == [4, 3]
        assert_error(server.get(f"{API}/{cid}/revisions/1"), 404, "Not Found", "The revision does not exist", "inexistent_revision")
    finally:
        server.stop()


@pytest.mark.parametrize("backend", BACKENDS)
def test_retention_is_exact_between_deletes_and_across_a_smaller_keep(backend, tmp_path):
    """Old rows are recycled or deleted in bulk (SQLite recycles the oldest row, both delete
    leftovers every 32 revisions), so reads alone keep history to the newest `keep`: here across
    revision 32 and a restart with a smaller `--revisions-keep`."""
    db = fresh_db(backend) or str(tmp_path / "keep.sqlite")
    server = Server(["--revisions-keep", "5"], db=db)
    try:
        cid = server.create(unique_name("exact"))["id"]
        for index in range(2, 31):
            assert server.patch(f"{API}/{cid}", {"display_name": f"v{index}"}).status_code == 200
        assert [r["revision"] for r in history(server, cid)["revisions"]] == [30, 29, 28, 27, 26]
        assert server.get(f"{API}/{cid}/revisions/25").status_code == 404
        assert server.post(f"{API}/{cid}/revisions/25/restore").status_code == 404
        restored = server.post(f"{API}/{cid}/revisions/26/restore")
        assert restored.status_code == 200 and restored.json()["display_name"] == "v26", describe(restored)
        assert server.patch(f"{API}/{cid}", {"display_name": "v32"}).status_code == 200
        assert [r["revision"] for r in history(server, cid)["revisions"]] == [32, 31, 30, 29, 28]
        first = history(server, cid, take=3)
        assert [r["revision"] for r in first["revisions"]] == [32, 31, 30]
        rest = history(server, cid, take=3, **{"from": first["next"]})
        assert [r["revision"] for r in rest["revisions"]] == [29, 28] and "next" not in rest
    finally:
        server.stop()
    server = Server(["--revisions-keep", "2"], db=db)
    try:
        assert [r["revision"] for r in history(server, cid)["revisions"]] == [32, 31]
        assert server.get(f"{API}/{cid}/revisions/30").status_code == 404
        assert server.get(f"{API}/{cid}/revisions/31").json()["operation"] == "restore"
        assert server.delete(f"{API}/{cid}").status_code == 202
        # A deleted connection's history counts back from its `delete` revision.
        assert [r["revision"] for r in history(server, cid)["revisions"]] == [33, 32]
        assert server.post(f"{API}/{cid}/revisions/31/restore").status_code == 404
    finally:
        server.stop()


def test_restore_dry_run_reports_what_it_would_change(srv):
    cid = srv.create(unique_name("rdry"), display_name="first")["id"]
    assert srv.patch(f"{API}/{cid}", {"display_name": "second", "metadata": {"team": "core"}}).status_code == 200
    resp = srv.post(f"{API}/{cid}/revisions/1/restore", params={"dry_run": "true"})
    assert resp.status_code == 200, describe(resp)
    report = resp.json()
    assert report["valid"] is True and report["connection"]["display_name"] == "first"
    assert {"op": "replace", "path": "/display_name", "value": "first"} in report["changes"]
    assert {"op": "remove", "path": "/metadata"} in report["changes"]
    # A restore keeps nothing of the current state: what the revision lacks is erased.
    assert report["erased"] == ["/metadata"]
    assert srv.get(f"{API}/{cid}").headers.get("ETag") == '"2"', "a dry run restored"
    stale = srv.post(f"{API}/{cid}/revisions/1/restore", params={"dry_run": "true"}, headers={"If-Match": '"1"'})
    assert_error(stale, 412, "Precondition Failed", "The connection has changed: current revision is 2", "precondition_failed")


def test_legacy_tenant_revisions_show_enabled_clients():
    server = Server(["--legacy-enabled-clients"])
    try:
        cid = server.create(unique_name("legacy"))["id"]
        assert server.patch(f"{API}/{cid}/clients", [{"client_id": "app1", "status": True}]).status_code == 204
        assert server.get(f"{API}/{cid}/revisions/2").json()["connection"]["enabled_clients"] == ["app1"]
        assert server.patch(f"{API}/{cid}", {"enabled_clients": []}).status_code == 200
        restored = server.post(f"{API}/{cid}/revisions/2/restore")
        assert restored.status_code == 200 and restored.json()["enabled_clients"] == ["app1"], describe(restored)
        assert [r["operation"] for r in history(server, cid)["revisions"]] == ["restore", "update", "update_clients", "create"]
    finally:
        server.stop()
