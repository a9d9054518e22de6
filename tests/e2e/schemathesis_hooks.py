"""Checks of ours that schemathesis runs (SCHEMATHESIS_HOOKS=schemathesis_hooks), replacing two
of its own whose premise contradicts the contract (see schemathesis.toml)."""

import requests
import schemathesis
from schemathesis.core.parameters import ParameterLocation

BEARER_ONLY = [{"bearerAuth": []}]
# Ids answered 202 by a DELETE during this run.
DELETED = set()


def _resend(case, authorization):
    """`case` sent again with `authorization` as the Authorization header (None: no header)."""
    kwargs = case.as_transport_kwargs()
    headers = {k: v for k, v in (kwargs.get("headers") or {}).items() if k.lower() != "authorization"}
    if authorization is not None:
        headers["Authorization"] = authorization
    kwargs["headers"] = headers
    kwargs.setdefault("timeout", 15)
    return requests.request(**kwargs)


@schemathesis.check
def authentication_is_enforced(ctx, response, case):
    """Whenever a bearer-protected call succeeds, the same call without a token or with an
    unknown one is 401, and with an Authorization header that is not `Bearer <token>` it is 400
    `Bad HTTP authentication header format` (API.md)."""
    if case.operation.definition.raw.get("security") != BEARER_ONLY or not 200 <= response.status_code < 300:
        return None
    for authorization, status in ((None, 401), ("Bearer SCHEMATHESIS-INVALID-VALUE", 401),
                                  ("SCHEMATHESIS-INVALID-VALUE", 400)):
        answer = _resend(case, authorization)
        if answer.status_code != status:
            raise AssertionError(
                f"with Authorization {authorization!r} the API answered {answer.status_code}, expected {status}: "
                f"{answer.text[:300]}")
        if status == 400 and answer.json().get("message") != "Bad HTTP authentication header format":
            raise AssertionError(f"unexpected 400 for a malformed Authorization header: {answer.text[:300]}")
    return None


@schemathesis.check
def deleted_connections_stay_deleted(ctx, response, case):
    """After a DELETE answered 202, every call on that connection is 404, except another
    DELETE, which is 204, and its history: the revisions stay readable after a delete, and a
    restore brings the connection back (docs/API.md, "Revisions")."""
    if not case.operation.path.startswith("/api/v2/connections/{id}"):
        return None
    connection_id = (case.path_parameters or {}).get("id")
    method = case.method.upper()
    if case.operation.path.startswith("/api/v2/connections/{id}/revisions"):
        if method == "POST" and 200 <= response.status_code < 300 and str((case.query or {}).get("dry_run", "")).lower() != "true":
            DELETED.discard(connection_id)
        return None
    if method == "DELETE" and response.status_code == 202:
        DELETED.add(connection_id)
        return None
    if connection_id not in DELETED or not 200 <= response.status_code < 300:
        return None
    if method == "DELETE" and case.operation.path == "/api/v2/connections/{id}" and response.status_code == 204:
        return None
    raise AssertionError(f"{method} {case.formatted_path} answered {response.status_code} after the connection was deleted")


@schemathesis.hook
def before_call(context, case, kwargs):
    """A dry run answers 200 with the verdict for any body it can judge (API.md), so a body
    made invalid on purpose is sent as the real call, which must refuse it. Dry runs of valid
    bodies, and invalid `dry_run` values themselves, are sent as generated."""
    meta = case.meta
    if meta is None or not isinstance(case.query, dict):
        return
    body = meta.components.get(ParameterLocation.BODY)
    query = meta.components.get(ParameterLocation.QUERY)
    body_is_invalid = body is not None and body.mode.is_negative
    query_is_invalid = query is not None and query.mode.is_negative
    if body_is_invalid and not query_is_invalid and str(case.query.get("dry_run")).lower() == "true":
        case.query["dry_run"] = "false"
