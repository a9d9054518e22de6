#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/http/ and fuzz/corpus/json/ (committed; rerun to refresh).

JSON seeds are the request bodies of the conformance recordings (and a few list and single GET
responses, the other shapes `lint` reads), plus hand-written edge cases. HTTP seeds are real requests
as the server receives them, pipelines, and the hostile framing shapes RFC 9112 tells a server to
refuse. Usage: fuzz/make_seeds.py [recordings.json]
"""
import hashlib
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
# The repository's copy of the recorded Auth0 traffic (Tests/Fixtures/conformance).
RECORDINGS = pathlib.Path(
    sys.argv[1] if len(sys.argv) > 1 else HERE.parent / "Tests" / "Fixtures" / "conformance" / "recordings.json"
)


def write(directory, name, data):
    path = HERE / "corpus" / directory
    path.mkdir(parents=True, exist_ok=True)
    (path / name).write_bytes(data)


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


# ---------------------------------------------------------------------------------------------- JSON

recordings = json.loads(RECORDINGS.read_text())
bodies = {}
for recording in recordings:
    if recording.get("request_body") is not None:
        data = compact(recording["request_body"])
        bodies[hashlib.sha1(data).hexdigest()[:12]] = data
for key, data in sorted(bodies.items()):
    write("json", f"recorded-body-{key}", data)

# The other document shapes `lint` accepts: a GET response, an array, a list response (pretty-printed,
# so the line and column bookkeeping of the locator is exercised).
lists = [r["response_body"] for r in recordings if isinstance(r.get("response_body"), dict)
         and isinstance(r["response_body"].get("connections"), list) and r["response_body"]["connections"]]
singles = [r["response_body"] for r in recordings if r["method"] == "GET" and isinstance(r.get("response_body"), dict)
           and r["response_body"].get("strategy") == "auth0"]
for index, value in enumerate(lists[:3]):
    # A few connections each: the seeds stay small, so libFuzzer's default input size stays small.
    value = dict(value, connections=value["connections"][:3])
    write("json", f"list-response-{index}", json.dumps(value, indent=2).encode())
for index, value in enumerate(singles[:3]):
    write("json", f"get-response-{index}", json.dumps(value, indent=4).encode())
if singles:
    write("json", "array-of-connections", json.dumps(singles[:3], indent=1).encode())

edge_json = {
    "empty-object": b"{}",
    "empty-array": b"[]",
    "scalars": b'[null,true,false,0,-0,1.5,-1.25e-7,1E+400,123456789012345678901234567890]',
    "escapes": rb'{"s":"\"\\\/\b\f\n\r\t\u0000\u001f\u00e9\ud83d\ude00"}',
    "raw-utf8": '{"\u00e9":"\u65e5\u672c","e\u0301":"\U0001F600"}'.encode(),
    "lone-surrogate": rb'"\ud800"',
    "bad-utf8": b'"\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80"',
    "duplicate-key": b'{"a":1,"a":2}',
    "trailing-garbage": b'{} x',
    "leading-bom": b"\xef\xbb\xbf{}",
    "deep-64": b"[" * 64 + b"]" * 64,
    "deep-65": b"[" * 65 + b"]" * 65,
    "whitespace": b' \t\r\n{ "a" : [ 1 , 2 ] }\r\n ',
    "bad-numbers": b"[01,1.,.5,-,1e,+1]",
    "database-minimal": b'{"name":"db","strategy":"auth0"}',
    "database-passwordless": compact({
        "name": "pwless", "strategy": "auth0",
        "options": {
            "authentication_methods": {"password": {"enabled": False}, "email_otp": {"enabled": True},
                                       "phone_otp": {"enabled": True}, "passkey": {"enabled": True}},
            "attributes": {"email": {"identifier": {"active": True}, "signup": {"status": "required",
                                                                               "verification": {"active": True}}},
                           "phone_number": {"identifier": {"active": True}, "signup": {"status": "optional"}},
                           "username": {"identifier": {"active": False}, "signup": {"status": "inactive"}}},
            "precedence": ["email", "phone_number", "username"],
        },
    }),
    "database-legacy": compact({
        "name": "legacy", "strategy": "auth0",
        "options": {"requires_username": True, "validation": {"username": {"min": 1, "max": 15}},
                    "password_complexity_options": {"min_length": 8}, "passwordPolicy": "good",
                    "password_options": {"complexity": {"min_length": 12}}},
    }),
    "social-free-options": b'{"name":"gh","strategy":"github","options":{"anything":[1,{"x":null}]}}',
    "list-with-strategy": b'{"connections":[{"name":"a","strategy":"auth0"}],"strategy":"auth0"}',
    "list-escaped-key": b'{"conn\\u0065ctions":[{"name":"a","strategy":"auth0","options":{"attributes":1}}]}',
}
for name, data in edge_json.items():
    write("json", name, data)

# ---------------------------------------------------------------------------------------------- HTTP


def request(head, body=b""):
    return head.replace("\n", "\r\n").encode() + body


post_body = next(iter(sorted(bodies.values(), key=len)))
big_body = max(bodies.values(), key=len)
auth = "Authorization: Bearer fuzz-token-not-a-secret\n"

http = {
    "get-list": request(f"GET /api/v2/connections?include_totals=true&take=50 HTTP/1.1\nHost: 127.0.0.1:8080\n"
                        f"{auth}User-Agent: Python/3.11 auth0-python/6.8.0\nAccept: application/json\n\n"),
    "get-one": request(f"GET /api/v2/connections/con_fTLLrSb9nEmOVHRV?fields=id,name&include_fields=true HTTP/1.1\n"
                       f"Host: localhost\n{auth}\n"),
    "post-json": request(f"POST /api/v2/connections HTTP/1.1\nHost: localhost\n{auth}"
                         f"Content-Type: application/json\nContent-Length: {len(post_body)}\n\n", post_body),
    "post-json-large": request(f"POST /api/v2/connections HTTP/1.1\nHost: localhost\n{auth}"
                               f"Content-Type: application/json\nContent-Length: {len(big_body)}\n\n", big_body),
    "patch-json": request("PATCH /api/v2/connections/con_x HTTP/1.1\nHost: h\nContent-Type: application/json\n"
                          "Content-Length: 35\n\n", b'{"options":{"mfa":{"active":true}}}'),
    "delete": request("DELETE /api/v2/connections/con_x HTTP/1.1\nHost: h\nConnection: close\n\n"),
    "oauth-token": request("POST /oauth/token HTTP/1.1\nHost: h\nContent-Type: application/json\nContent-Length: 70\n\n",
                           b'{"grant_type":"client_credentials","client_id":"a","client_secret":"b"}'),
    "chunked": request("POST /api/v2/connections HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n",
                       b'5\r\n{"nam\r\nA;ext=1;q="v"\r\ne":"db","st\r\n0014\r\nrategy":"auth0"}    \r\n0\r\n\r\n'),
    "chunked-trailers": request("POST /p HTTP/1.1\nHost: h\nTransfer-Encoding: gzip;q=1 , chunked\nTE: trailers\n\n",
                                b"3\r\nabc\r\n0\r\nX-Trailer: 1\r\nChecksum: abc\r\n\r\n"),
    "chunked-simple": request("POST /p HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n", b"1\r\na\r\n0\r\n\r\n"),
    "pipelined": request("GET /a HTTP/1.1\nHost: h\n\nPOST /b?x=1 HTTP/1.1\nHost: h\nContent-Length: 2\n\n{}"
                         "GET /c HTTP/1.1\nHost: h\nConnection: close\n\n"),
    "pipelined-partial": request("GET /a HTTP/1.1\nHost: h\n\nGET /b HTTP/1.1\nHo"),
    "http10-keepalive": request("GET / HTTP/1.0\nConnection: keep-alive\n\n"),
    "http10-no-host": request("POST / HTTP/1.0\nContent-Length: 1\n\nx"),
    "expect-continue": request("POST /p HTTP/1.1\nHost: h\nExpect: 100-continue\nContent-Length: 2\n\n"),
    "expect-continue-body": request("POST /p HTTP/1.1\nHost: h\nExpect: 100-Continue\nContent-Length: 2\n\n{}"),
    "absolute-form": request("GET http://example.com:80/api/v2/connections?take=1 HTTP/1.1\nHost: example.com\n\n"),
    "absolute-form-query": request("GET HTTPS://example.com?x HTTP/1.1\nHost: example.com\n\n"),
    "options-star": request("OPTIONS * HTTP/1.1\nHost: h\n\n"),
    "connect": request("CONNECT example.com:443 HTTP/1.1\nHost: example.com:443\n\n"),
    "leading-crlf": request("\n\nGET / HTTP/1.1\nHost: h\n\n"),
    "head": request("HEAD /api/v2/connections HTTP/1.1\nHost: h\n\n"),
    # Hostile framing: every one must be refused, the same way however the bytes arrive.
    "cl-and-te": request("POST / HTTP/1.1\nHost: h\nContent-Length: 4\nTransfer-Encoding: chunked\n\n",
                         b"0\r\n\r\n"),
    "te-and-cl": request("POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\nContent-Length: 4\n\n",
                         b"0\r\n\r\n"),
    "two-cl": request("POST / HTTP/1.1\nHost: h\nContent-Length: 1\nContent-Length: 1\n\nx"),
    "cl-list": request("POST / HTTP/1.1\nHost: h\nContent-Length: 1, 1\n\nx"),
    "cl-plus": request("POST / HTTP/1.1\nHost: h\nContent-Length: +1\n\nx"),
    "cl-huge": request("POST / HTTP/1.1\nHost: h\nContent-Length: 99999999999999999999999999\n\n"),
    "te-not-last": request("POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked, gzip\n\n"),
    "te-twice": request("POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\nTransfer-Encoding: chunked\n\n"),
    "te-http10": request("POST / HTTP/1.0\nTransfer-Encoding: chunked\n\n", b"0\r\n\r\n"),
    "te-empty": request("POST / HTTP/1.1\nHost: h\nTransfer-Encoding:\n\n"),
    "obs-fold": request("GET / HTTP/1.1\nHost: h\nX-A: 1\n  continued\n\n"),
    "space-before-colon": request("GET / HTTP/1.1\nHost : h\n\n"),
    "space-after-request-line": request("GET / HTTP/1.1\n Host: h\n\n"),
    "bare-lf": b"GET / HTTP/1.1\nHost: h\n\n",
    "bare-cr": b"GET / HTTP/1.1\rHost: h\r\n\r\n",
    "nul-in-value": request("GET / HTTP/1.1\nHost: h\nX: a\x00b\n\n"),
    "ctl-in-value": request("GET / HTTP/1.1\nHost: h\nX: a\x01b\x7f\n\n"),
    "obs-text-value": request("GET / HTTP/1.1\nHost: h\n") + b"X: caf\xc3\xa9 \xff\r\n\r\n",
    "no-host": request("GET / HTTP/1.1\n\n"),
    "two-hosts": request("GET / HTTP/1.1\nHost: a\nhost: b\n\n"),
    "http2": request("GET / HTTP/2.0\nHost: h\n\n"),
    "lowercase-version": request("GET / http/1.1\nHost: h\n\n"),
    "double-space": request("GET  / HTTP/1.1\nHost: h\n\n"),
    "tab-separator": request("GET\t/ HTTP/1.1\nHost: h\n\n"),
    "target-non-ascii": request("GET /") + b"\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n",
    "chunk-size-overflow": request("POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n",
                                   b"ffffffffffffffffffffffff\r\n"),
    "chunk-no-crlf": request("POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n", b"1\r\nab\r\n0\r\n\r\n"),
    "chunk-ext-ctl": request("POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n", b"1;a\x01\r\na\r\n0\r\n\r\n"),
    "chunk-bare-lf": request("POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n", b"1\na\r\n0\r\n\r\n"),
    "smuggle-cl-te": request("POST / HTTP/1.1\nHost: h\nContent-Length: 6\nTransfer-Encoding: chunked\n\n",
                             b"0\r\n\r\nG") + request("GET /admin HTTP/1.1\nHost: h\n\n"),
    "long-request-line": request("GET /" + "a" * 80 + " HTTP/1.1\nHost: h\n\n"),
    "many-headers": request("GET / HTTP/1.1\nHost: h\n" + "".join(f"X-{i}: v\n" for i in range(12)) + "\n"),
    "long-body": request("POST / HTTP/1.1\nHost: h\nContent-Length: 200\n\n", b"x" * 200),
    "long-chunk-line": request("POST / HTTP/1.1\nHost: h\nTransfer-Encoding: chunked\n\n",
                               b"1;" + b"e" * 40 + b"\r\na\r\n0\r\n\r\n"),
}
for name, data in http.items():
    write("http", name, data)

print(f"json seeds: {len(bodies) + len(edge_json) + min(3, len(lists)) + min(3, len(singles)) + bool(singles)}, "
      f"http seeds: {len(http)}")
