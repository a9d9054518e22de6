"""`lint` on Terraform plans (`terraform show -json`): the provider's schema translated to
the API's JSON, creates as POSTs, updates as PATCHes of `before`, values unknown until
apply, addresses and schema paths (fixtures: Tests/Fixtures/lint/terraform, written by
make_plans.py), and one configuration in all four forms."""
import json

import pytest

from conftest import FIXTURES
from test_lint import check_sarif


def run_json(lint, *args):
    run = lint("--format", "json", *args)
    return run, json.loads(run.stdout)


def place(fixture, *anchors):
    """Line and column of the value after the last anchor, each found after the one before."""
    text = (FIXTURES / fixture).read_text()
    at = 0
    for anchor in anchors:
        at = text.index(anchor, at) + len(anchor)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def test_passwordless_create_passes(lint):
    run, items = run_json(lint, "terraform/passwordless.json")
    assert run.code == 0 and items == []
    assert lint("terraform/passwordless.json").stderr == "0 errors, 0 warnings in 1 connection, 1 file\n"


SEED = "terraform/seed-rules.json"


@pytest.mark.parametrize(
    "address,rule,anchor,value,schema_path",
    [
        ("auth0_connection.no_otp", "password-disable-requires-otp", '"password":[{"enabled":', "false",
         "options[0].authentication_methods[0].password[0].enabled"),
        ('module.idp.auth0_connection.passkey["eu"]', "passkey-requires-alternative", '"passkey":[{"enabled":', "true",
         "options[0].authentication_methods[0].passkey[0].enabled"),
        ("auth0_connection.username_otp", "username-requires-password", '"username":[{"identifier":[{"active":', "true",
         "options[0].attributes[0].username[0].identifier[0].active"),
        ("auth0_connection.no_verification", "otp-signup-verification", '"verification":[{"active":', "false",
         "options[0].attributes[0].email[0].signup[0].verification[0].active"),
    ],
)
def test_each_seed_rule_fails_with_address_schema_path_and_position(lint, address, rule, anchor, value, schema_path):
    run, items = run_json(lint, SEED)
    assert run.code == 1
    found = [item for item in items if item["address"] == address and item["rule"] == rule]
    assert len(found) == 1, items
    item = found[0]
    assert item["schema_path"] == schema_path
    quoted = json.dumps(address)
    assert (item["line"], item["column"]) == place(SEED, f'"address":{quoted}', '"after":', anchor)
    assert item["path"].startswith("/resource_changes/") and "/change/after/" in item["path"]
    assert (FIXTURES / SEED).read_text()[
        sum(len(line) + 1 for line in (FIXTURES / SEED).read_text().split("\n")[: item["line"] - 1]) + item["column"] - 1 :
    ].startswith(value)


def test_every_finding_on_a_plan_has_an_address(lint):
    _, items = run_json(lint, SEED)
    assert items and all(item["address"] and "schema_path" in item for item in items)
    assert {item["address"] for item in items} == {
        "auth0_connection.no_otp", 'module.idp.auth0_connection.passkey["eu"]',
        "auth0_connection.username_otp", "auth0_connection.no_verification"}


def test_update_flipping_email_unique_is_judged_as_a_patch_of_before(lint):
    run, items = run_json(lint, "terraform/update-unique.json")
    fixture = "terraform/update-unique.json"
    immutable = [item for item in items if item["rule"] == "email-unique-immutable"]
    assert len(immutable) == 1
    assert immutable[0]["schema_path"] == "options[0].attributes[0].email[0].unique"
    assert (immutable[0]["line"], immutable[0]["column"]) == place(fixture, '"after":', '"unique":')
    # The state's empty strings and zeros were not sent: no schema errors about them.
    assert "schema" not in {item["rule"] for item in items}


def test_unknown_values_are_absent_with_one_warning(lint):
    run, items = run_json(lint, "terraform/unknown.json")
    assert [item["rule"] for item in items] == ["unknown-at-plan"]
    warning = items[0]
    assert warning["severity"] == "warning" and run.code == 0
    assert warning["address"] == "auth0_connection.unknown"
    assert warning["schema_path"] == "options[0].attributes[0].email[0].identifier[0].default_method"
    # id and show_as_button are unknown too, but only because the API fills them.
    assert "(options[0].attributes[0].email[0].identifier[0].default_method)" in warning["message"]


def test_sarif_names_the_resource_as_a_logical_location(lint):
    log = json.loads(lint("--format", "sarif", SEED).stdout)
    check_sarif(log)
    logical = log["runs"][0]["results"][0]["locations"][0]["logicalLocations"][0]
    assert logical["fullyQualifiedName"] == f'{logical["fullyQualifiedName"].split(".options")[0]}.{logical["name"]}'
    assert logical["kind"] == "resource"
    addresses = {result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] for result in log["runs"][0]["results"]}
    assert 'module.idp.auth0_connection.passkey["eu"].options[0].authentication_methods[0].passkey[0].enabled' in addresses


def test_text_names_the_address(lint):
    lines = lint(SEED).stdout.splitlines()
    assert any(': error: module.idp.auth0_connection.passkey["eu"]: ' in line for line in lines)


def test_input_is_told_by_content_or_flag(lint):
    by_content = run_json(lint, SEED)[1]
    stdin = (FIXTURES / SEED).read_text()
    run = lint("--format", "json", "--input", "terraform-plan", "-", stdin=stdin)
    assert [item["rule"] for item in json.loads(run.stdout)] == [item["rule"] for item in by_content]
    # Read as API JSON, a plan is one connection with unknown keys.
    as_api = json.loads(lint("--format", "json", "--input", "api", SEED).stdout)
    assert {item["rule"] for item in as_api} == {"schema"}


FORMS = [
    ("API JSON", ["--tenant", "prompts-classic.json", "same-config/api.json"]),
    ("Terraform plan", ["same-config/plan.json"]),
    ("deploy CLI YAML", ["same-config/tenant.yaml"]),
    ("deploy CLI directory", ["same-config/directory"]),
]


def test_the_same_configuration_in_four_forms_gives_the_same_rule_findings(lint):
    results = {}
    for name, args in FORMS:
        _, items = run_json(lint, *args)
        results[name] = sorted((item["rule"], item["severity"], item["message"]) for item in items)
    first = results["API JSON"]
    assert len(first) >= 4
    assert {rule for rule, _, _ in first} >= {"password-disable-requires-otp", "passkey-requires-alternative", "identifier-first-passkey"}
    for name, found in results.items():
        assert found == first, name


def test_a_tenant_file_wins_over_the_plans_prompt(lint):
    run, items = run_json(lint, "--tenant", "prompts-classic.json", "terraform/passwordless.json")
    assert run.code == 1
    assert {item["rule"] for item in items} == {"identifier-first-otp", "identifier-first-email-verification"}
    assert all(item["address"] == "auth0_connection.passwordless" for item in items)
