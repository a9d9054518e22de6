"""`lint` on auth0-deploy-cli configuration: tenant.yaml and the directory format, keyword
replacement, positions in the files as written (fixtures: Tests/Fixtures/lint/deploy-cli)."""
import json
import os

import pytest

from conftest import FIXTURES, position

KEYWORDS = "deploy-cli/keywords.json"


def findings(lint, *args, env=None):
    run = lint("--format", "json", *args) if env is None else lint_env(lint, env, "--format", "json", *args)
    return run, from_json_with_paths(run.stdout)


def from_json_with_paths(stdout):
    items = json.loads(stdout)
    for item in items:
        assert {"file", "line", "column", "rule", "severity", "path", "message"} <= set(item)
    return items


def lint_env(lint, env, *args):
    previous = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        return lint(*args)
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def at(items, rule):
    return [(item["line"], item["column"]) for item in items if item["rule"] == rule]


def test_passwordless_database_passes(lint):
    run = lint("deploy-cli/passwordless.yaml")
    assert run.code == 0, run.stdout
    assert run.stdout == ""
    assert run.stderr == "0 errors, 0 warnings in 2 connections, 1 file\n"


SEED = "deploy-cli/seed-rules.yaml"


@pytest.mark.parametrize(
    "rule,index,before,value",
    [
        ("password-disable-requires-otp", 0, "password: {enabled: ", "false"),
        ("passkey-requires-alternative", 1, "passkey: {enabled: ", "true"),
        ("username-requires-password", 2, "username:\n          identifier: {active: ", "true"),
        ("otp-signup-verification", 3, "verification:\n              active: ", "false"),
    ],
)
def test_each_seed_rule_fails_at_its_value(lint, rule, index, before, value):
    run, items = findings(lint, SEED)
    assert run.code == 1
    located = [item for item in items if item["rule"] == rule and item["path"].startswith(f"/databases/{index}/")]
    assert located, items
    assert (located[0]["line"], located[0]["column"]) == position(SEED, before, value)
    assert located[0]["severity"] == "error"


def test_a_database_without_strategy_is_auth0(lint):
    # The seed databases name no strategy: the rules ran, so they were judged as auth0.
    _, items = findings(lint, SEED)
    assert {item["rule"] for item in items} >= {"password-disable-requires-otp", "passkey-requires-alternative"}
    assert "schema" not in {item["rule"] for item in items}


def test_prompts_give_identifier_first(lint, tmp_path):
    text = (FIXTURES / "deploy-cli" / "passwordless.yaml").read_text()
    (tmp_path / "tenant.yaml").write_text(text.replace("identifier_first: true", "identifier_first: false"))
    items = from_json_with_paths(lint("--format", "json", "tenant.yaml", cwd=tmp_path).stdout)
    assert {item["rule"] for item in items} >= {"identifier-first-otp", "identifier-first-email-verification"}
    assert all(item["severity"] == "error" for item in items)


@pytest.mark.parametrize("source", ["config.json", "environment"])
def test_keyword_replacement_both_ways(lint, source):
    if source == "config.json":
        run, items = findings(lint, "--keywords", KEYWORDS, "deploy-cli/keywords.yaml")
    else:
        mappings = json.loads((FIXTURES / KEYWORDS).read_text())
        env = {"AUTH0_KEYWORD_REPLACE_MAPPINGS": json.dumps(mappings["AUTH0_KEYWORD_REPLACE_MAPPINGS"])}
        run, items = findings(lint, "deploy-cli/keywords.yaml", env=env)
    # ATTRIBUTES (@@, an object) turned off sign-up verification; PASSKEYS (##, text) enabled
    # passkeys, which IDENTIFIER_FIRST (@@, a boolean) allows; ENV (##) made a valid name.
    assert [item["rule"] for item in items] == ["otp-signup-verification"]
    # The position is the keyword's own, in the file as written.
    assert (items[0]["line"], items[0]["column"]) == position("deploy-cli/keywords.yaml", "attributes: ", "@@ATTRIBUTES@@")
    assert items[0]["path"] == "/databases/0/options/attributes/email/signup/verification/active"


def test_unresolved_keywords_are_errors_at_the_keyword(lint):
    run, items = findings(lint, "deploy-cli/unresolved.yaml")
    assert run.code == 1
    assert at(items, "keyword-unresolved") == [
        position("deploy-cli/unresolved.yaml", "users-", "##ENV##"),
        position("deploy-cli/unresolved.yaml", "'", "@@PASSWORD_ENABLED@@"),
    ]
    messages = [item["message"] for item in items if item["rule"] == "keyword-unresolved"]
    assert "ENV" in messages[0] and "PASSWORD_ENABLED" in messages[1]


def test_directory_format(lint):
    env = {"AUTH0_KEYWORD_REPLACE_MAPPINGS": '{"PASSWORD": false}'}
    run = lint_env(lint, env, "--format", "json", "deploy-cli/directory")
    items = from_json_with_paths(run.stdout)
    file = "deploy-cli/directory/database-connections/Username-OTP/database.json"
    assert [(item["file"], item["rule"]) for item in items] == [(file, "username-requires-password")]
    assert (items[0]["line"], items[0]["column"]) == position(file, '"username": {"identifier": {"active": ', "true")
    # Three connections in four files (prompts.json gives identifier_first: no tenant warnings).
    text = lint_env(lint, env, "deploy-cli/directory")
    assert text.stderr == "1 error, 0 warnings in 3 connections, 4 files\n"


def test_directory_unresolved_keyword_replaces_the_syntax_error(lint):
    run, items = findings(lint, "deploy-cli/directory")
    file = "deploy-cli/directory/database-connections/Username-OTP/database.json"
    assert [(item["file"], item["rule"]) for item in items] == [(file, "keyword-unresolved")]
    assert (items[0]["line"], items[0]["column"]) == position(file, '"password": {"enabled": ', "##PASSWORD##")


def test_yaml_from_stdin_with_input(lint):
    run = lint("--format", "json", "--input", "deploy-cli", "-", stdin="databases:\n  - name: a\n    options: {requires_username: true, attributes: {email: {identifier: {active: true}}}}\n")
    items = from_json_with_paths(run.stdout)
    assert [(item["rule"], item["line"], item["file"]) for item in items] == [("attributes-requires-username", 3, "<stdin>")]


def test_yaml_syntax_finding(lint, tmp_path):
    (tmp_path / "tenant.yaml").write_text("databases:\n  - &db\n    name: a\n")
    run = lint("--format", "json", "tenant.yaml", cwd=tmp_path)
    items = from_json_with_paths(run.stdout)
    assert [(item["rule"], item["line"], item["column"]) for item in items] == [("yaml-syntax", 2, 5)]
    assert "Anchors" in items[0]["message"]


def test_a_tenant_file_wins_over_the_configurations_prompts(lint):
    # passwordless.yaml says identifier_first: true; the tenant file says false.
    run, items = findings(lint, "--tenant", "prompts-classic.json", "deploy-cli/passwordless.yaml")
    assert run.code == 1
    assert {item["rule"] for item in items} == {"identifier-first-otp", "identifier-first-email-verification"}
