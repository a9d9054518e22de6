"""`lint` as a new user meets it: sorted findings, a summary, rule listings and explanations,
a byte-order mark, rules judged past a schema error, the version in SARIF."""
import json
import re

from conftest import REPO
from test_lint import from_json, from_sarif, from_text


def test_findings_are_sorted_by_line_and_column(lint, tmp_path):
    # Rules report in RULES.md order; in the file these values come in the opposite order.
    (tmp_path / "c.json").write_text(
        '{"name": "a", "strategy": "auth0", "options": {\n'
        '  "disable_self_service_change_password": false,\n'
        '  "authentication_methods": {"password": {"enabled": false}},\n'
        '  "attributes": {"email": {"identifier": {"active": true}}}\n'
        "}}\n"
    )
    run = lint("--format", "json", "c.json", cwd=tmp_path)
    found = from_json(run.stdout)
    positions = [(item["line"], item["column"]) for item in found]
    assert len(found) >= 3
    assert positions == sorted(positions)
    assert {item["line"] for item in found} >= {2, 3}


def test_text_summary_on_stderr(lint, tmp_path):
    (tmp_path / "a.json").write_text('[{"name": "a", "strategy": "auth0"}, {"name": "b", "strategy": "auth0", "options": {"requires_username": true, "attributes": {"email": {"identifier": {"active": true}}}}}]')
    (tmp_path / "b.json").write_text('{"name": "c", "strategy": "auth0"}')
    run = lint("a.json", "b.json", cwd=tmp_path)
    assert run.code == 1
    assert len(from_text(run.stdout)) == 1
    assert run.stderr == "1 error, 0 warnings in 3 connections, 2 files\n"


def test_list_rules(lint):
    text = lint("--list-rules")
    assert text.code == 0 and text.stderr == ""
    lines = text.stdout.splitlines()
    assert lines[0].split()[:2] == ["json-syntax", "error"]
    assert any(line.split()[:2] == ["attribute-optional-on-signup", "warning"] for line in lines)
    as_json = json.loads(lint("--list-rules", "--format", "json").stdout)
    assert [item["id"] for item in as_json] == [line.split()[0] for line in lines]
    assert all(set(item) == {"id", "severity", "summary"} and item["summary"] for item in as_json)


def test_explain(lint, tmp_path):
    run = lint("--explain", "passkey-requires-alternative")
    assert run.code == 0
    text = run.stdout
    assert text.startswith("passkey-requires-alternative\n\nWhat it checks: ")
    assert "\nWhy: " in text
    failing = text.split("Fails:\n  POST body: ")[1].split("\n")[0]
    passing = text.split("Passes:\n  POST body: ")[1].split("\n")[0]
    # The examples are real: lint finds the rule in one and not in the other.
    (tmp_path / "fail.json").write_text(failing)
    (tmp_path / "pass.json").write_text(passing)
    rules = lambda name: {item["rule"] for item in from_json(lint("--format", "json", name, cwd=tmp_path).stdout)}
    assert "passkey-requires-alternative" in rules("fail.json")
    assert "passkey-requires-alternative" not in rules("pass.json")


def test_explain_unknown_rule_is_a_usage_error(lint):
    run = lint("--explain", "no-such-rule")
    assert run.code == 64
    assert "unknown rule 'no-such-rule'" in run.stderr


def test_byte_order_mark_is_skipped(lint, tmp_path):
    (tmp_path / "bom.json").write_bytes(b'\xef\xbb\xbf{"name": "a", "strategy": "auth0", "options": {"brute_force_protection": 1}}')
    found = from_json(lint("--format", "json", "bom.json", cwd=tmp_path).stdout)
    assert [(item["rule"], item["line"], item["column"]) for item in found] == [("schema", 1, 74)]


def test_schema_error_does_not_hide_rule_findings(lint, tmp_path):
    (tmp_path / "c.json").write_text(
        '{"name": "a", "strategy": "auth0", "options": {"brute_force_protection": "yes",\n'
        ' "attributes": {"email": {"identifier": {"active": true}}}, "requires_username": true}}'
    )
    found = from_json(lint("--format", "json", "c.json", cwd=tmp_path).stdout)
    assert [(item["rule"], item["line"]) for item in found] == [("schema", 1), ("attributes-requires-username", 2)]


def test_sarif_driver_names_the_version(lint):
    log = json.loads(lint("--format", "sarif", "valid-post.json").stdout)
    source = (REPO / "Sources" / "Validation" / "BuildVersion.swift").read_text()
    version = re.search(r'static let current = "([^"]+)"', source).group(1)
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["version"] == version
