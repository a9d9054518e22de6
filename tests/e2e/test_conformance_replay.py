"""Replays recorded Auth0 traffic (conformance/recordings.json) against the server.

Rules from conformance/README.md: one fresh server per scenario (in legacy
enabled_clients mode, as the recording tenants were), Identifier First enabled
first, recorded connection ids mapped to the ids this server returned, statuses
compared exactly, error bodies compared on
statusCode/error/errorCode/message, success bodies compared per strategy
(see `compare_auth0` and `compare_other`). Cases that cannot pass under
API.md/RULES.md are listed with a reason in replay_skips.json.
"""

import copy
import json
import re
from collections import defaultdict
from urllib.parse import parse_qs, urlsplit

import pytest

from support import BACKENDS, HERE, LEGACY_ENABLED_CLIENTS, REPLAY_COUNTS, Server, conformance_file, fresh_db

ID = re.compile(r"\bcon_[A-Za-z0-9]{16}\b")
DELETED_AT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
ERROR_KEYS = ("statusCode", "error", "errorCode", "message")

# Auth0's 2026 default for a new database connection when no policy is sent
# (RULES.md "Deep-filled defaults"); older tenants answered passwordPolicy "good".
DEFAULT_PASSWORD_OPTIONS = {
    "complexity": {
        "min_length": 15,
        "character_types": [],
        "character_type_rule": "all",
        "identical_characters": "allow",
        "sequential_characters": "allow",
        "max_length_exceeded": "error",
    },
    "dictionary": {"active": False, "custom": [], "default": "en_100k"},
    "history": {"active": False, "size": 3},
    "profile_data": {
        "active": False,
        "blocked_fields": [
            "name", "username", "nickname", "email", "phone_number",
            "user_metadata.name", "user_metadata.first", "user_metadata.last",
        ],
    },
}

# Keys Auth0 added over time: an older recording may lack them (README.md).
# `authentication_methods` is the object that carries `api_behavior`/`signup_behavior`;
# recordings from before 2024 have no such object at all, so it is treated the same way.
ADDED_TOP_LEVEL = ("authentication", "connected_accounts")
ADDED_OPTIONS = ("passkey_options", "authentication_methods")
ADDED_PASSWORD_METHOD = ("api_behavior", "signup_behavior")

# Disabled one-time-password methods: some recording tenants list them as {"enabled": false},
# others leave them out, for the same request (2026-03 and 2026-04 recordings both ways).
# RULES.md judges an absent `enabled` as false, so both forms mean the same.
OPTIONAL_DISABLED_METHODS = ("email_otp", "phone_otp")

FIXED_KEYS_OTHER = ("id", "name", "strategy", "is_domain_connection", "realms", "enabled_clients")


def load_scenarios():
    cases = json.loads(conformance_file("recordings.json").read_text())
    scenarios = defaultdict(list)
    for case in cases:
        scenarios[case["scenario"]].append(case)
    for cases_of in scenarios.values():
        cases_of.sort(key=lambda c: c["seq"])
    return dict(sorted(scenarios.items()))


def load_skips():
    data = json.loads((HERE / "replay_skips.json").read_text())
    for key, reason in {**data["scenarios"], **data["cases"]}.items():
        assert isinstance(reason, str) and reason.strip(), f"skip {key} has no reason"
    return data["scenarios"], data["cases"]


SCENARIOS = load_scenarios()
SKIP_SCENARIOS, SKIP_CASES = load_skips()


def short(scenario: str) -> str:
    repo, _, path = scenario.partition(":")
    return repo.split("/")[-1] + ":" + path.split("recordings/")[-1]


def remap(value, ids):
    """Replace recorded connection ids with this server's ids, leaving unknown ids as they are."""
    text = json.dumps(value)
    text = ID.sub(lambda m: ids.get(m.group(0), m.group(0)), text)
    return json.loads(text)


# -- comparison -------------------------------------------------------------


def normalize_password_policy(options):
    """passwordPolicy "good" without password_options == the filled default password_options."""
    if options.get("passwordPolicy") == "good" and "password_options" not in options:
        del options["passwordPolicy"]
        options["password_options"] = copy.deepcopy(DEFAULT_PASSWORD_OPTIONS)
    elif options.get("password_options") == DEFAULT_PASSWORD_OPTIONS and options.get("passwordPolicy", None) is None:
        options.pop("passwordPolicy", None)


def mask_configuration(body):
    options = body.get("options")
    if isinstance(options, dict) and isinstance(options.get("configuration"), dict):
        options["configuration"] = {key: "<masked>" for key in options["configuration"]}


def prepare(body):
    body = copy.deepcopy(body)
    mask_configuration(body)
    if isinstance(body.get("enabled_clients"), list):
        body["enabled_clients"] = sorted(body["enabled_clients"])
    if isinstance(body.get("options"), dict):
        normalize_password_policy(body["options"])
    return body


def compare_auth0(recorded, ours):
    """Whole body, after masking and the documented allowances. Returns a list of differences."""
    want, got = prepare(recorded), prepare(ours)
    for key in ADDED_TOP_LEVEL:
        if key not in want:
            got.pop(key, None)
    want_opts, got_opts = want.get("options"), got.get("options")
    if isinstance(want_opts, dict) and isinstance(got_opts, dict):
        for key in ADDED_OPTIONS:
            if key not in want_opts:
                got_opts.pop(key, None)
        # A 2026 tenant fills the default password_options next to a sent legacy passwordPolicy
        # ("low" and the like); API.md fills it only for a sent partial password_options.
        if want_opts.get("password_options") == DEFAULT_PASSWORD_OPTIONS and "password_options" not in got_opts:
            del want_opts["password_options"]
        want_methods = want_opts.get("authentication_methods")
        got_methods = got_opts.get("authentication_methods")
        if isinstance(want_methods, dict) and isinstance(got_methods, dict):
            for key in OPTIONAL_DISABLED_METHODS:
                if want_methods.get(key, {"enabled": False}) == got_methods.get(key, {"enabled": False}) == {"enabled": False}:
                    want_methods.pop(key, None)
                    got_methods.pop(key, None)
            want_pw, got_pw = want_methods.get("password"), got_methods.get("password")
            if isinstance(want_pw, dict) and isinstance(got_pw, dict):
                for key in ADDED_PASSWORD_METHOD:
                    if key not in want_pw:
                        got_pw.pop(key, None)
    return diff(want, got, "")


def compare_other(recorded, ours, sent, fields_limited):
    """Keys sent come back as sent; the fixed keys as recorded."""
    problems = []
    want, got = prepare(recorded), prepare(ours)
    for key in FIXED_KEYS_OTHER:
        if key in want:
            problems += diff(want[key], got.get(key, "<absent>"), key)
    sent = prepare(sent or {})
    for key, value in sent.items():
        if key in FIXED_KEYS_OTHER:
            continue
        if fields_limited and key not in want:
            continue
        if key not in got:
            if value is not None:  # a sent null removes the key (recorded PATCH {"cross_app_access_resource_app": null})
                problems.append(f"{key}: sent but absent from the response")
            continue
        problems += subset_diff(value, got[key], key)
    return problems


def diff(want, got, path):
    if isinstance(want, dict) and isinstance(got, dict):
        out = []
        for key in sorted(set(want) | set(got)):
            sub = f"{path}.{key}" if path else key
            if key not in got:
                out.append(f"{sub}: missing (recorded {json.dumps(want[key])[:200]})")
            elif key not in want:
                out.append(f"{sub}: unexpected {json.dumps(got[key])[:200]}")
            else:
                out += diff(want[key], got[key], sub)
        return out
    if want != got or type(want) is not type(got):
        return [f"{path or '<body>'}: recorded {json.dumps(want)[:300]}, got {json.dumps(got)[:300]}"]
    return []


def subset_diff(sent, got, path):
    if isinstance(sent, dict) and isinstance(got, dict):
        out = []
        for key, value in sent.items():
            if key not in got:
                out.append(f"{path}.{key}: sent but absent")
            else:
                out += subset_diff(value, got[key], f"{path}.{key}")
        return out
    if sent != got or type(sent) is not type(got):
        return [f"{path}: sent {json.dumps(sent)[:300]}, got {json.dumps(got)[:300]}"]
    return []


def compare_connection(recorded, ours, state, fields_limited):
    strategy = recorded.get("strategy") or state.get("strategy", {}).get(ours.get("id"))
    if strategy == "auth0":
        return compare_auth0(recorded, ours)
    return compare_other(recorded, ours, state["sent"].get(ours.get("id")), fields_limited)


def compare_list(recorded, ours, state, query):
    """Only the connections the scenario created are compared (the tenants held others)."""
    problems = []
    if isinstance(recorded, list):
        if not isinstance(ours, list):
            return [f"shape: recorded a plain array, got {json.dumps(ours)[:200]}"]
        rec_items, our_items = recorded, ours
    else:
        if not isinstance(ours, dict) or set(ours) - {"connections", "next", "start", "limit", "total"}:
            return [f"shape: recorded {sorted(recorded)}, got {json.dumps(ours)[:200]}"]
        want_keys = set(recorded) - {"next"}
        if want_keys != set(ours) - {"next"}:
            problems.append(f"shape: recorded keys {sorted(recorded)}, got {sorted(ours)}")
        for key in ("start", "limit"):
            if key in recorded and recorded[key] != ours.get(key):
                problems.append(f"{key}: recorded {recorded[key]}, got {ours.get(key)}")
        rec_items, our_items = recorded.get("connections", []), ours.get("connections", [])
    created = set(state["ids"].values())
    want = {item["id"]: item for item in rec_items if item.get("id") in created}
    got = {item.get("id"): item for item in our_items}
    fields_limited = "fields" in query
    for conn_id, item in want.items():
        if conn_id not in got:
            problems.append(f"{conn_id}: recorded in the list, missing here")
            continue
        problems += [f"{conn_id}: {p}" for p in compare_connection(item, got[conn_id], state, fields_limited)]
    page_was_full = bool(recorded.get("next")) if isinstance(recorded, dict) else False
    # Page sizes by default as the OAS describes them: take 50, per_page 100.
    if "take" in query or "from" in query:
        limit = int((query.get("take") or ["50"])[0])
    else:
        limit = int((query.get("per_page") or ["100"])[0])
    page_was_full = page_was_full or len(rec_items) >= limit
    for conn_id in set(got) - set(want):
        if conn_id in created and conn_id in state["alive"] and not page_was_full:
            problems.append(f"{conn_id}: listed here but not in the recording")
    return problems


# -- replay -----------------------------------------------------------------


def track_sent(state, case, our_id, body):
    """Remember what was sent per connection (options replaced wholesale on PATCH)."""
    if case["method"] == "POST":
        state["sent"][our_id] = copy.deepcopy(body)
        state["strategy"][our_id] = body.get("strategy")
    elif case["method"] == "PATCH" and our_id in state["sent"] and isinstance(body, dict):
        state["sent"][our_id].update(copy.deepcopy(body))


def run_case(server, case, state):
    path = remap(case["path"], state["ids"])
    body = remap(case["request_body"], state["ids"]) if case["request_body"] is not None else None
    resp = server.request(case["method"], path, body)
    problems = []
    label = f"seq {case['seq']} {case['method']} {case['path']} -> recorded {case['status']}"
    if resp.status_code != case["status"]:
        problems.append(f"status {resp.status_code} != {case['status']}; body {resp.text[:600]}")
        return label, problems, resp
    recorded = case["response_body"]
    if case["status"] == 204:
        if resp.content:
            problems.append(f"204 with a body: {resp.text[:200]}")
        return label, problems, resp
    ours = resp.json()
    if case["status"] >= 400:
        for key in ERROR_KEYS:
            if recorded.get(key) != ours.get(key):
                problems.append(f"{key}: recorded {recorded.get(key)!r}, got {ours.get(key)!r}")
        return label, problems, resp
    path_only, _, query_text = path.partition("?")
    query = parse_qs(query_text)
    segments = urlsplit(path_only).path.strip("/").split("/")  # api, v2, connections, [id, [clients]]
    if case["method"] == "POST" and len(segments) == 3:
        recorded_id = recorded["id"]
        state["ids"][recorded_id] = ours.get("id")
        state["alive"].add(ours.get("id"))
        track_sent(state, case, ours.get("id"), body)
        recorded = remap(recorded, state["ids"])
        problems += compare_connection(recorded, ours, state, False)
    elif case["method"] == "DELETE":
        if set(ours) != {"deleted_at"} or not DELETED_AT.match(str(ours.get("deleted_at"))):
            problems.append(f"202 body {ours!r} is not {{deleted_at: <UTC ms>}}")
        state["alive"].discard(segments[3])
    elif len(segments) == 5:  # /connections/{id}/clients
        want = sorted(c["client_id"] for c in recorded.get("clients", []))
        got = sorted(c.get("client_id") for c in ours.get("clients", []))
        if want != got:
            problems.append(f"clients: recorded {want}, got {got}")
    elif len(segments) == 3:  # list
        problems += compare_list(remap(recorded, state["ids"]), ours, state, query)
    else:
        if case["method"] == "PATCH":
            track_sent(state, case, segments[3], body)
        problems += compare_connection(remap(recorded, state["ids"]), ours, state, "fields" in query)
    return label, problems, resp


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("scenario", list(SCENARIOS), ids=[short(s) for s in SCENARIOS])
def test_replay(scenario, backend):
    cases = SCENARIOS[scenario]
    if scenario in SKIP_SCENARIOS:
        REPLAY_COUNTS["skip"] += len(cases)
        pytest.skip(SKIP_SCENARIOS[scenario])
    # The recordings come from tenants that still had legacy enabled-client management.
    server = Server([LEGACY_ENABLED_CLIENTS], db=fresh_db(backend))
    try:
        server.set_identifier_first(True)
        state = {"ids": {}, "alive": set(), "sent": {}, "strategy": {}}
        failures = []
        for case in cases:
            key = f"{scenario}#{case['seq']}"
            if key in SKIP_CASES:
                REPLAY_COUNTS["skip"] += 1
                continue
            label, problems, resp = run_case(server, case, state)
            if problems:
                REPLAY_COUNTS["fail"] += 1
                sent = json.dumps(case["request_body"])[:800] if case["request_body"] is not None else ""
                failures.append(f"{label}\n  request: {resp.request.method} {resp.request.url} {sent}\n  "
                                + "\n  ".join(problems[:12]))
            else:
                REPLAY_COUNTS["pass"] += 1
        assert not failures, f"{len(failures)} case(s) differ:\n" + "\n".join(failures)
    finally:
        server.stop()


def test_skip_file_names_real_cases():
    """Every entry in replay_skips.json names a scenario or case that exists."""
    known_cases = {f"{c['scenario']}#{c['seq']}" for cases in SCENARIOS.values() for c in cases}
    assert set(SKIP_SCENARIOS) <= set(SCENARIOS)
    assert set(SKIP_CASES) <= known_cases
