"""Checks responses against this service's own OpenAPI document (docs/openapi.json).

`support.Server.request` calls `check` for every response the suite gets through it, so every
test doubles as a conformance test: the status must be declared for the operation, the body
must validate against its schema, and every response must carry `X-Request-Id`. Requests to a
path and method the document does not have (the suite's 404/405/501 probes) are checked only
for the header.
"""

import json
import re
from pathlib import Path

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DOCUMENT_PATH = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"
DOC_URI = "urn:connections-api-openapi"
REQUEST_ID = re.compile(r"^[!-~]{1,128}$")

_state = {}
# Responses checked, and those checked against an operation's schema (the suite's summary line).
COUNTS = {"checked": 0, "operations": 0}


def document():
    if "document" not in _state:
        _state["document"] = json.loads(DOCUMENT_PATH.read_text())
    return _state["document"]


def _registry():
    if "registry" not in _state:
        _state["registry"] = Registry().with_resource(
            DOC_URI, Resource.from_contents(document(), default_specification=DRAFT202012))
    return _state["registry"]


def _operations():
    """[(regex, template)] for every path of the document."""
    if "operations" not in _state:
        table = []
        for template in document()["paths"]:
            pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
            table.append((re.compile(pattern), template))
        _state["operations"] = table
    return _state["operations"]


def _pointer(*parts):
    return "/".join(["#"] + [str(p).replace("~", "~0").replace("/", "~1") for p in parts])


def _resolve(node):
    while "$ref" in node:
        target = document()
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def check(method, path, resp):
    """Raises AssertionError when `resp` does not conform to the document."""
    problems = []
    COUNTS["checked"] += 1
    request_id = resp.headers.get("X-Request-Id")
    if request_id is None or not REQUEST_ID.match(request_id):
        problems.append(f"X-Request-Id missing or malformed: {request_id!r}")
    template = next((t for regex, t in _operations() if regex.match(path)), None)
    operation = document()["paths"].get(template, {}).get(method.lower()) if template else None
    if operation is not None:
        COUNTS["operations"] += 1
        status = str(resp.status_code)
        declared = operation["responses"]
        if status not in declared:
            problems.append(f"status {status} is not declared for {method} {template} (declared: {sorted(declared)})")
        else:
            response = _resolve(declared[status])
            content = response.get("content")
            if not content:
                if resp.content and method.upper() != "HEAD":
                    problems.append("the operation declares no body but one was sent")
            elif method.upper() != "HEAD":
                media = resp.headers.get("Content-Type", "").split(";")[0].strip()
                match = next((m for m in content if m.split(";")[0].strip() == media), None)
                if match is None:
                    problems.append(f"content type {media!r} is not declared ({sorted(content)})")
                elif media == "application/json":
                    schema = {"$ref": DOC_URI + _schema_pointer(template, method, status, declared[status], match)}
                    validator = jsonschema.Draft202012Validator(schema, registry=_registry())
                    try:
                        body = resp.json()
                    except ValueError:
                        problems.append("the body is not JSON")
                    else:
                        for error in sorted(validator.iter_errors(body), key=lambda e: list(e.path))[:5]:
                            problems.append(f"{list(error.absolute_path)}: {error.message[:300]}")
    if problems:
        raise AssertionError(f"{method} {path} → {resp.status_code} does not conform to docs/openapi.json:\n  "
                             + "\n  ".join(problems) + f"\n  body: {resp.text[:800]}")


def _schema_pointer(template, method, status, declared, media):
    """A JSON pointer to the schema of one response, through its components/responses $ref if any."""
    if "$ref" in declared:
        return declared["$ref"] + "/" + "/".join(["content", media.replace("~", "~0").replace("/", "~1"), "schema"])
    return _pointer("paths", template, method.lower(), "responses", status, "content", media, "schema")
