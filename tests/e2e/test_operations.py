"""The operator's view (API.md "Operations"): request log lines in text and JSON, X-Request-Id,
the shutdown line, never a secret in the log, and `/metrics` read by Prometheus's own parser."""

import json
import re
import secrets
import subprocess
import time

import pytest
from prometheus_client.parser import text_string_to_metric_families

import rawhttp
from support import describe, server_binary, unique_name
from test_auth_scopes import issue, register, request_token

API = "/api/v2/connections"
TIMESTAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
TEXT_REQUEST = re.compile(
    rf"^(?P<ts>{TIMESTAMP}) (?P<level>info|warn|error) (?P<request_id>[!-~]+) (?P<actor>[!-~]+) "
    r"(?P<method>[A-Z-]+) (?P<path>[!-~]+) (?P<status>\d{3}) (?P<duration>\d+\.\d{3})ms (?P<bytes>\d+)B$"
)
REQUEST_KEYS = {"ts", "level", "request_id", "actor", "method", "path", "status", "duration_ms", "bytes"}


def log_lines(srv):
    with open(srv.stderr_path, "rb") as handle:
        return handle.read().decode("utf-8").splitlines()


def stopped_lines(srv):
    """Stops `srv` with SIGTERM and returns its stderr lines."""
    assert srv.stop_gracefully() == 0
    return log_lines(srv)


def text_requests(lines):
    return [m.groupdict() for m in map(TEXT_REQUEST.match, lines) if m]


def json_requests(lines):
    objects = [json.loads(line) for line in lines if line.startswith("{")]
    return [o for o in objects if "request_id" in o], [o for o in objects if "msg" in o]


def test_text_request_lines_carry_every_field(fresh_server):
    srv = fresh_server
    created = srv.post(API, {"name": unique_name("ops"), "strategy": "auth0"}, headers={"X-Request-Id": "create-1"})
    assert created.status_code == 201, describe(created)
    listed = srv.get(API, params={"strategy": "auth0", "include_totals": "true"}, headers={"X-Request-Id": "list-1"})
    unauthenticated = srv.get(API, token=False, headers={"X-Request-Id": "anon-1"})
    assert unauthenticated.status_code == 401
    lines = stopped_lines(srv)
    requests_ = {r["request_id"]: r for r in text_requests(lines)}
    create = requests_["create-1"]
    assert (create["actor"], create["method"], create["path"], create["status"]) == ("admin", "POST", API, "201")
    assert int(create["bytes"]) == len(created.content)
    listing = requests_["list-1"]
    assert listing["path"] == API, "the query string is never logged"
    assert (listing["status"], int(listing["bytes"])) == ("200", len(listed.content))
    anonymous = requests_["anon-1"]
    assert (anonymous["actor"], anonymous["status"]) == ("-", "401")
    # The shutdown line counts every answered request.
    stopped = [line for line in lines if re.match(rf"^{TIMESTAMP} info stopped\b", line)]
    assert len(stopped) == 1, lines[-5:]
    count = int(re.search(r"requests_served=(\d+)", stopped[0]).group(1))
    assert count == len(text_requests(lines)) >= 3


def test_json_lines_have_the_keys_of_api_md(server_factory):
    srv = server_factory(["--log-format", "json"])
    client_id, secret = register(srv, ["read:connections"])
    token = issue(srv, client_id, secret)
    ok = srv.get(API, token=token, headers={"X-Request-Id": 'quote"and\\slash'})
    assert ok.status_code == 200, describe(ok)
    assert ok.headers["X-Request-Id"] == 'quote"and\\slash'
    lines = stopped_lines(srv)
    for line in lines:
        if line.startswith("listening on") or line.startswith("admin token"):
            continue
        assert line.startswith("{"), f"not JSON: {line!r}"
    requests_, messages = json_requests(lines)
    assert requests_, lines
    for entry in requests_:
        assert set(entry) == REQUEST_KEYS, entry
        assert re.fullmatch(TIMESTAMP, entry["ts"]) and entry["level"] in ("info", "error")
        assert isinstance(entry["status"], int) and isinstance(entry["bytes"], int)
        assert isinstance(entry["duration_ms"], (int, float)) and entry["duration_ms"] >= 0
    mine = [e for e in requests_ if e["request_id"] == 'quote"and\\slash']
    assert len(mine) == 1
    assert (mine[0]["actor"], mine[0]["method"], mine[0]["path"], mine[0]["status"]) == (client_id, "GET", API, 200)
    assert mine[0]["bytes"] == len(ok.content)
    stopped = [m for m in messages if m["msg"] == "stopped"]
    assert len(stopped) == 1 and stopped[0]["requests_served"] == len(requests_), messages
    assert all({"ts", "level", "msg"} <= set(m) for m in messages)


def test_request_id_is_kept_or_made_and_always_returned(server):
    made = server.get(API)
    assert re.fullmatch(r"[!-~]{1,128}", made.headers["X-Request-Id"]), describe(made)
    again = server.get(API)
    assert again.headers["X-Request-Id"] != made.headers["X-Request-Id"]
    longest = "x" * 128
    assert server.get(API, headers={"X-Request-Id": longest}).headers["X-Request-Id"] == longest
    for unusable in ["y" * 129, "has space", "tab\there"]:
        answered = server.get(API, headers={"X-Request-Id": unusable}).headers["X-Request-Id"]
        assert answered != unusable and re.fullmatch(r"[!-~]{1,128}", answered), unusable
    # Errors carry it too: 404, 405, 401, and failures the transport answers itself.
    for resp in [server.get("/nowhere", headers={"X-Request-Id": "e404"}),
                 server.request("PUT", API, headers={"X-Request-Id": "e405"}),
                 server.get(API, token="nope", headers={"X-Request-Id": "e401"}),
                 server.get("/healthz", headers={"X-Request-Id": "h200"})]:
        assert resp.headers["X-Request-Id"] == resp.request.headers["X-Request-Id"], describe(resp)
    raw = rawhttp.exchange(server.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n")
    assert raw.status == 400 and re.fullmatch(r"[!-~]{1,128}", raw.header("X-Request-Id") or ""), raw


def test_limit_errors_are_logged_with_method_and_path(fresh_server):
    srv = fresh_server
    head = (f"POST {API}?q=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {srv.token}\r\n"
            "Content-Type: application/json\r\nContent-Length: 2000000\r\nX-Request-Id: too-big\r\n\r\n")
    raw = rawhttp.exchange(srv.port, head.encode())
    assert raw.status == 413, raw
    lines = stopped_lines(srv)
    too_big = [r for r in text_requests(lines) if r["status"] == "413"]
    assert len(too_big) == 1, lines
    assert (too_big[0]["method"], too_big[0]["path"], too_big[0]["actor"]) == ("POST", API, "-")
    assert raw.header("X-Request-Id") == too_big[0]["request_id"]


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_no_token_secret_body_or_query_in_either_format(server_factory, log_format):
    srv = server_factory(["--log-format", log_format])
    marker = "MARKER" + secrets.token_hex(8)
    client_id, secret = register(srv, ["read:connections", "create:connections"])
    token = issue(srv, client_id, secret)
    exchanges = [
        srv.post(API, {"name": unique_name("log"), "strategy": "auth0", "display_name": marker,
                       "options": {"configuration": {"key": marker}}}, token=token),
        srv.post(API, raw=(marker + "{").encode(), token=token, headers={"Content-Type": "application/json"}),
        srv.get(API, token="bogus" + marker),
        srv.get(API, params={"name": marker}, token=token),
        request_token(srv, client_id, secret + marker),
    ]
    assert [r.status_code for r in exchanges] == [201, 400, 401, 200, 401], [r.status_code for r in exchanges]
    text = "\n".join(stopped_lines(srv))
    assert API in text
    for label, value in (("access token", token), ("client secret", secret), ("admin token", srv.token),
                         ("body, query or bad token", marker)):
        assert value not in text, f"{label} found in the {log_format} log"


# -- /metrics ----------------------------------------------------------------------


def scrape(srv):
    """The families of `/metrics`, parsed by Prometheus's own client library."""
    resp = srv.get("/metrics", token=False)
    assert resp.status_code == 200, describe(resp)
    assert resp.headers["Content-Type"].startswith("text/plain; version=0.0.4"), describe(resp)
    return resp.text, {family.name: family for family in text_string_to_metric_families(resp.text)}


def value(families, family, sample_name, **labels):
    """The value of the sample with exactly `labels` (0 when the series is absent)."""
    for sample in families[family].samples:
        if sample.name == sample_name and sample.labels == labels:
            return sample.value
    return 0


EXPECTED_FAMILIES = {
    "connections_api_http_requests": "counter",
    "connections_api_http_request_duration_seconds": "histogram",
    "connections_api_store_commit_duration_seconds": "histogram",
    "connections_api_store_commit_batch_size": "histogram",
    "connections_api_connections": "gauge",
    "connections_api_rate_limited": "counter",
    "connections_api_open_http_connections": "gauge",
    "connections_api_build_info": "gauge",
    "process_resident_memory_bytes": "gauge",
    "process_start_time_seconds": "gauge",
}


def test_metrics_parse_and_counters_move_with_requests(fresh_server):
    srv = fresh_server
    _, before = scrape(srv)
    for name, kind in EXPECTED_FAMILIES.items():
        assert name in before and before[name].type == kind, (name, before.get(name))
    route = "/api/v2/connections/{id}"
    labels = {"method": "GET", "route": route, "status": "200"}
    gets_before = value(before, "connections_api_http_requests", "connections_api_http_requests_total", **labels)
    names = [unique_name("metric") for _ in range(3)]
    created = [srv.create(name) for name in names]
    for connection in created:
        assert srv.get(f"{API}/{connection['id']}").status_code == 200
    assert srv.get(f"{API}/con_doesnotexist0000").status_code == 404
    text, after = scrape(srv)
    requests_total = ("connections_api_http_requests", "connections_api_http_requests_total")
    assert value(after, *requests_total, **labels) == gets_before + 3
    assert value(after, *requests_total, method="POST", route=API, status="201") == 3
    assert value(after, *requests_total, method="GET", route=route, status="404") == 1
    assert value(after, *requests_total, method="GET", route="/metrics", status="200") >= 1
    count = value(after, "connections_api_http_request_duration_seconds",
                  "connections_api_http_request_duration_seconds_count", route=route)
    infinity = value(after, "connections_api_http_request_duration_seconds",
                     "connections_api_http_request_duration_seconds_bucket", route=route, le="+Inf")
    assert count == infinity == gets_before + 4
    assert value(after, "connections_api_connections", "connections_api_connections") == 3
    commits = value(after, "connections_api_store_commit_duration_seconds",
                    "connections_api_store_commit_duration_seconds_count")
    assert commits >= 1
    batched = value(after, "connections_api_store_commit_batch_size", "connections_api_store_commit_batch_size_sum")
    assert batched >= 3
    assert value(after, "connections_api_open_http_connections", "connections_api_open_http_connections") >= 1
    version = subprocess.run([server_binary(), "--version"], capture_output=True, text=True, timeout=30).stdout.split()[1]
    assert value(after, "connections_api_build_info", "connections_api_build_info", version=version) == 1
    assert value(after, "process_resident_memory_bytes", "process_resident_memory_bytes") > 1_000_000
    started = value(after, "process_start_time_seconds", "process_start_time_seconds")
    assert time.time() - 3600 < started <= time.time() + 1
    # Never an id or a name in a label (nor anywhere on the page).
    for connection in created:
        assert connection["id"] not in text and connection["name"] not in text
    assert srv.token not in text


def test_rate_limited_requests_are_counted(server_factory):
    srv = server_factory(["--rate-limit", "1/1", "--rate-limit-admin"])
    statuses = [srv.get(API).status_code for _ in range(4)]
    assert 429 in statuses, statuses
    _, families = scrape(srv)
    limited = value(families, "connections_api_rate_limited", "connections_api_rate_limited_total")
    assert limited == statuses.count(429)
    answered = value(families, "connections_api_http_requests", "connections_api_http_requests_total",
                     method="GET", route=API, status="429")
    assert answered == statuses.count(429)


def test_metrics_can_be_turned_off(server_factory):
    srv = server_factory(["--metrics", "off"])
    resp = srv.get("/metrics", token=False)
    assert resp.status_code == 404, describe(resp)


def test_head_healthz_answers_without_a_body(server):
    resp = server.request("HEAD", "/healthz", token=False, headers={"X-Request-Id": "head-1"})
    assert resp.status_code == 200, describe(resp)
    assert resp.content == b"" and resp.headers["X-Request-Id"] == "head-1"
    assert int(resp.headers["Content-Length"]) == len(b'{"status":"ok"}')
