"""`connections-api lint` as CLI.md describes it, run as a built binary on fixture files."""
import json
import re
import shutil

import pytest
import sarif_pydantic
from pydantic import BaseModel

from conftest import FIXTURES, position

TEXT_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): (?P<message>.*) \[(?P<rule>[a-z0-9-]+)\]$")
GITHUB_LINE = re.compile(
    r"^::(?P<severity>error|warning) file=(?P<file>[^,]*),line=(?P<line>\d+),col=(?P<column>\d+),title=(?P<rule>[^:,]*)::(?P<message>.*)$"
)

REQUIRES_USERNAME = "Cannot set both options.attributes and options.requires_username"
PASSKEY_IDENTIFIER_FIRST = "Passkey authentication is only compatible with Identifier First."
UNIQUE_IMMUTABLE = "cannot patch unique property on email attribute"


def finding(file, before, value, rule, severity, message=None):
    line, column = position(file, before, value)
    return {"file": file, "line": line, "column": column, "rule": rule, "severity": severity, "message": message}


SYNTAX = finding("invalid-syntax.json", '"brute_force_protection": true,', "}", "json-syntax", "error")
LIST_ERROR = finding(
    "list-response.json", '"requires_username": ', "true", "attributes-requires-username", "error", REQUIRES_USERNAME
)
ARRAY_WARNING = finding("array-warning.json", '"status": ', '"optional"', "attribute-optional-on-signup", "warning")
PASSKEY = dict(finding("passkey.json", '"passkey": {"enabled": ', "true", "identifier-first-passkey", "warning"), message=PASSKEY_IDENTIFIER_FIRST)


def from_text(stdout):
    found = []
    for line in stdout.splitlines():
        match = TEXT_LINE.match(line)
        assert match, f"not a text finding: {line!r}"
        found.append(normalized(match.groupdict()))
    return found


def from_json(stdout):
    items = json.loads(stdout)
    assert isinstance(items, list)
    for item in items:
        assert set(item) == {"file", "line", "column", "rule", "severity", "path", "message"}
        assert item["path"] == "" or item["path"].startswith("/")
    return [normalized(item) for item in items]


def unescape_github(text):
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def from_github(stdout):
    found = []
    for line in stdout.splitlines():
        match = GITHUB_LINE.match(line)
        assert match, f"not a workflow command: {line!r}"
        item = match.groupdict()
        item["file"] = unescape_github(item["file"])
        item["message"] = unescape_github(item["message"])
        found.append(normalized(item))
    return found


def from_sarif(stdout):
    log = json.loads(stdout)
    check_sarif(log)
    run = log["runs"][0]
    found = []
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]
        found.append(
            normalized(
                {
                    "file": location["artifactLocation"]["uri"],
                    "line": location["region"]["startLine"],
                    "column": location["region"]["startColumn"],
                    "rule": result["ruleId"],
                    "severity": result["level"],
                    "message": result["message"]["text"],
                }
            )
        )
    return found


def normalized(item):
    return {
        "file": item["file"],
        "line": int(item["line"]),
        "column": int(item["column"]),
        "rule": item["rule"],
        "severity": item["severity"],
        "message": item["message"],
    }


PARSERS = {"text": from_text, "json": from_json, "sarif": from_sarif, "github": from_github}


# SARIF 2.1.0 properties that sarif-pydantic 0.6.2 does not model (run.columnKind is §3.14.17).
SPEC_PROPERTIES_MISSING_FROM_MODEL = {"Run": {"columnKind"}}


def no_extra_fields(model, where="$"):
    """sarif-pydantic accepts unknown keys; a misspelt SARIF property must still fail here."""
    extra = set(model.model_extra or {}) - SPEC_PROPERTIES_MISSING_FROM_MODEL.get(type(model).__name__, set())
    assert not extra, f"{where}: properties not in SARIF 2.1.0: {sorted(extra)}"
    for name in type(model).model_fields:
        value = getattr(model, name)
        values = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) and name != "properties" else [value]
        for index, item in enumerate(values):
            if isinstance(item, BaseModel):
                no_extra_fields(item, f"{where}.{name}[{index}]")


def check_sarif(log):
    """SARIF 2.1.0 by a real object model, plus what GitHub code scanning requires."""
    model = sarif_pydantic.Sarif.model_validate(log)
    no_extra_fields(model)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "connections-api"
    assert driver["informationUri"].startswith("https://")
    rules = driver["rules"]
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids))
    assert {"schema", "json-syntax"} <= set(ids)
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
    for result in run["results"]:
        assert result["ruleId"] in ids
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning")
        assert result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"]
        assert location["region"]["startLine"] >= 1
        assert location["region"]["startColumn"] >= 1


def matches(found, expected):
    """Expected findings carry `message: None` where RULES.md leaves the wording to us."""
    assert len(found) == len(expected), f"{found} != {expected}"
    for got, want in zip(found, expected):
        for key, value in want.items():
            if value is not None:
                assert got[key] == value, f"{key}: {got} != {want}"
        assert got["message"]


# --- every format, same findings ---------------------------------------------------------

MIXED = ["valid-post.json", "get-response.json", "list-response.json", "array-warning.json", "invalid-syntax.json"]


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_every_format_reports_the_same_located_findings(lint, fmt):
    run = lint("--format", fmt, *MIXED)
    assert run.code == 1, run.stderr
    # One connection each in the first two, the list's and the array's, none in the broken file.
    connections = 2 + len(json.loads((FIXTURES / "list-response.json").read_text())["connections"])
    connections += len(json.loads((FIXTURES / "array-warning.json").read_text()))
    summary = f"2 errors, 1 warning in {connections} connections, 5 files\n"
    assert run.stderr == (summary if fmt == "text" else "")
    found = PARSERS[fmt](run.stdout)
    matches(found, [LIST_ERROR, ARRAY_WARNING, SYNTAX])


def test_formats_agree_exactly(lint):
    outputs = {fmt: PARSERS[fmt](lint("--format", fmt, *MIXED).stdout) for fmt in PARSERS}
    assert outputs["text"] == outputs["json"] == outputs["sarif"] == outputs["github"]


def test_text_format_line(lint):
    run = lint("invalid-syntax.json")
    line, column = SYNTAX["line"], SYNTAX["column"]
    assert run.stdout == f"invalid-syntax.json:{line}:{column}: error: Invalid JSON: Expected a string key [json-syntax]\n"
    assert run.code == 1


def test_github_format_line(lint):
    run = lint("--format", "github", "list-response.json")
    line, column = LIST_ERROR["line"], LIST_ERROR["column"]
    assert run.stdout == (
        f"::error file=list-response.json,line={line},col={column},title=attributes-requires-username::{REQUIRES_USERNAME}\n"
    )


def test_json_paths_point_into_the_file(lint):
    items = json.loads(lint("--format", "json", "list-response.json", "array-warning.json").stdout)
    assert [item["path"] for item in items] == [
        "/connections/1/options/requires_username",
        "/1/options/attributes/email/signup/status",
    ]


# --- document kinds ----------------------------------------------------------------------

@pytest.mark.parametrize("fixture", ["valid-post.json", "get-response.json"])
@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_clean_files_exit_zero(lint, fixture, fmt):
    run = lint("--format", fmt, fixture)
    assert run.code == 0, run.stdout + run.stderr
    assert PARSERS[fmt](run.stdout) == []


def test_get_response_with_id_is_judged_as_a_create(lint, tmp_path):
    # The same connection as a POST body and as a GET response (with `id`) judges the same.
    body = json.loads((FIXTURES / "get-response.json").read_text())
    assert "id" in body
    del body["id"]
    (tmp_path / "post.json").write_text(json.dumps(body, indent=2))
    assert lint("post.json", cwd=tmp_path).code == 0
    assert lint("get-response.json").code == 0


def test_non_objects_are_schema_errors(lint):
    run = lint("--format", "json", "not-objects.json")
    assert run.code == 1
    expected = [
        finding("not-objects.json", "  ", "42", "schema", "error", "Payload validation error: 'Expected type object but found type integer'."),
        finding(
            "not-objects.json", "  ", '"Username', "schema", "error",
            "Payload validation error: 'Expected type object but found type string'.",
        ),
    ]
    matches(from_json(run.stdout), expected)


def test_schema_error_points_at_the_value(lint):
    run = lint("--format", "json", "schema-error.json")
    assert run.code == 1
    items = from_json(run.stdout)
    assert [item["rule"] for item in items][:1] == ["schema"]
    line, column = position("schema-error.json", '"status": ', '"maybe"')
    assert (items[0]["line"], items[0]["column"]) == (line, column)
    assert items[0]["message"].startswith("Payload validation error: ")


# --- stdin -------------------------------------------------------------------------------

def test_stdin(lint):
    text = (FIXTURES / "list-response.json").read_text()
    run = lint("--format", "json", "-", stdin=text)
    assert run.code == 1
    matches(from_json(run.stdout), [dict(LIST_ERROR, file="<stdin>")])


def test_stdin_with_invalid_json(lint):
    run = lint("-", stdin="{\n  nope\n}")
    assert run.code == 1
    assert run.stdout == "<stdin>:2:3: error: Invalid JSON: Expected a string key [json-syntax]\n"


# --- --fail-on, --tenant, --current -------------------------------------------------------

def test_warnings_pass_unless_fail_on_warning(lint):
    run = lint("array-warning.json")
    assert run.code == 0
    matches(from_text(run.stdout), [ARRAY_WARNING])
    assert lint("--fail-on", "warning", "array-warning.json").code == 1
    assert lint("--fail-on=error", "array-warning.json").code == 0


def test_tenant_rules_are_warnings_without_tenant(lint):
    run = lint("--format", "json", "passkey.json")
    assert run.code == 0
    matches(from_json(run.stdout), [PASSKEY])


def test_tenant_without_identifier_first_makes_them_errors(lint):
    run = lint("--format", "json", "--tenant", "prompts-classic.json", "passkey.json")
    assert run.code == 1
    matches(from_json(run.stdout), [dict(PASSKEY, severity="error")])


def test_tenant_with_identifier_first_allows_passkeys(lint):
    run = lint("--tenant", "prompts-identifier-first.json", "passkey.json")
    assert (run.code, run.stdout) == (0, "")


def test_current_judges_files_as_patch_bodies(lint):
    run = lint("--format", "json", "--current", "stored.json", "patch-unique.json", "patch-display-name.json")
    assert run.code == 1, run.stderr
    expected = finding("patch-unique.json", '"unique": ', "false", "email-unique-immutable", "error", UNIQUE_IMMUTABLE)
    matches(from_json(run.stdout), [expected])


def test_current_applies_the_rules_that_compare_with_what_is_stored(lint):
    """Rules 33-35: the PATCH's options replace the stored ones wholesale."""
    run = lint("--format", "json", "--current", "stored-kept-settings.json", "patch-drops-settings.json",
               "patch-keeps-settings.json")
    assert run.code == 1, run.stderr
    matches(from_json(run.stdout), [
        finding("patch-drops-settings.json", '"options": ', "{", "non-unique-email-keeps-attributes", "error",
                "options.attributes can't be removed while the stored options.attributes.email.unique is false: "
                "send options.attributes again, with the email attribute"),
        finding("patch-drops-settings.json", '"enable_script_context": ', "false", "script-context-irreversible", "error",
                "options.enable_script_context can't be turned off once it is on: "
                "send enable_script_context true with the new options"),
        finding("patch-drops-settings.json", '"configuration": ', "{", "configuration-keys-erased", "warning",
                "options.configuration loses API_KEY: options are replaced wholesale, so send this key again to keep it"),
    ])
    assert "stored-secret-value" not in run.stdout
    # The same stored connection with a PATCH that keeps all three passes.
    assert lint("--current", "stored-kept-settings.json", "patch-keeps-settings.json").code == 0


def test_current_judges_patch_bodies_as_a_tenant_created_today_does(lint, tmp_path):
    """Auth0 removed enabled_clients from PATCH bodies (2026-07-13): lint flags tools that still send it."""
    (tmp_path / "patch.json").write_text('{"enabled_clients": ["abc"]}')
    shutil.copy(FIXTURES / "stored.json", tmp_path / "stored.json")
    run = lint("--format", "json", "--current", "stored.json", "patch.json", cwd=tmp_path)
    assert run.code == 1
    [item] = json.loads(run.stdout)
    assert (item["rule"], item["message"]) == (
        "schema", "Payload validation error: 'Additional properties not allowed: enabled_clients'.")


def test_patch_body_alone_is_not_a_connection(lint):
    # Without --current the same file is a POST body, which needs name and strategy.
    run = lint("--format", "json", "patch-display-name.json")
    assert run.code == 1
    rules = [item["rule"] for item in from_json(run.stdout)]
    assert rules and set(rules) == {"schema"}


# --- exit codes 2 and 64 -----------------------------------------------------------------

def test_unreadable_file_exits_2_and_still_reports_the_others(lint):
    run = lint("missing.json", "list-response.json")
    assert run.code == 2
    assert "missing.json" in run.stderr
    matches(from_text(run.stdout), [LIST_ERROR])


def test_directory_exits_2(lint, tmp_path):
    run = lint(str(tmp_path))
    assert run.code == 2
    assert str(tmp_path) in run.stderr


@pytest.mark.parametrize("flag", ["--tenant", "--current"])
def test_unusable_context_file_exits_2(lint, flag):
    for context in ["missing.json", "invalid-syntax.json", "not-objects.json"]:
        run = lint(flag, context, "valid-post.json")
        assert run.code == 2, (flag, context)
        assert context in run.stderr
        assert run.stdout == ""


@pytest.mark.parametrize(
    "args",
    [[], ["--bogus", "valid-post.json"], ["--format", "xml", "valid-post.json"], ["--fail-on", "info", "valid-post.json"],
     ["valid-post.json", "--format"], ["-", "-"]],
)
def test_usage_errors_exit_64_with_usage_on_stderr(lint, args):
    run = lint(*args)
    assert run.code == 64
    assert run.stdout == ""
    assert "Usage: connections-api lint" in run.stderr


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help(lint, flag):
    run = lint(flag)
    assert run.code == 0
    assert run.stdout.startswith("Usage: connections-api lint [--format text|json|sarif|github]")
    assert run.stderr == ""


# --- SARIF for code scanning -------------------------------------------------------------

def test_sarif_without_findings_is_valid(lint):
    run = lint("--format", "sarif", "valid-post.json")
    assert run.code == 0
    log = json.loads(run.stdout)
    check_sarif(log)
    assert log["runs"][0]["results"] == []


def test_sarif_uris_are_the_paths_as_given(lint, tmp_path):
    nested = tmp_path / "connections"
    nested.mkdir()
    shutil.copy(FIXTURES / "list-response.json", nested / "prod db.json")
    run = lint("--format", "sarif", "connections/prod db.json", str(nested / "prod db.json"), cwd=tmp_path)
    log = json.loads(run.stdout)
    check_sarif(log)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
    assert uris == ["connections/prod%20db.json", "file://" + str(nested).replace(" ", "%20") + "/prod%20db.json"]


def test_sarif_lists_every_rule_of_the_engine(lint):
    log = json.loads(lint("--format", "sarif", "valid-post.json").stdout)
    ids = [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]]
    for rule in ["attributes-requires-username", "attribute-optional-on-signup", "identifier-first-passkey",
                 "email-unique-immutable", "cross-app-access-unsupported"]:
        assert rule in ids


def test_github_escapes_properties(lint, tmp_path):
    shutil.copy(FIXTURES / "invalid-syntax.json", tmp_path / "a,b:c.json")
    run = lint("--format", "github", "a,b:c.json", cwd=tmp_path)
    assert run.stdout.startswith("::error file=a%2Cb%3Ac.json,line=")
