#!/usr/bin/env python3
"""Instructions per request (callgrind, all threads) of one route on a release binary.

    bench/request-cost.py BINARY create|get|patch [COUNT]

Starts BINARY under callgrind with instrumentation off, seeds 50 connections, then turns
instrumentation on for COUNT requests (default 200) sent one after another on one keep-alive
connection, and prints the instructions counted divided by COUNT. Used for the before/after
comparisons in BENCHMARKS.md; every process it starts is stopped on exit. With
KEEP_CALLGRIND=FILE the callgrind output is kept there (for callgrind_annotate); with
SERVE_ARGS="--revisions-keep 2" those flags are added to `serve` (PATCHes that retire revisions).
"""
import glob
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time


def main():
    if len(sys.argv) < 3 or sys.argv[2] not in ("create", "get", "patch"):
        sys.exit(__doc__)
    binary, route = os.path.abspath(sys.argv[1]), sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    workdir = tempfile.mkdtemp(prefix="request-cost-")
    token = "cost-" + os.urandom(12).hex()
    out = os.path.join(workdir, "callgrind.out")
    env = dict(os.environ, CONNECTIONS_API_TOKEN=token)
    server = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
         binary, "serve", "--port", "0", "--db", os.path.join(workdir, "x.sqlite"), "--rate-limit", "off", "--quiet",
         "--event-loops", "1", *os.environ.get("SERVE_ARGS", "").split()],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    try:
        line = server.stdout.readline()
        port = int(re.search(r":(\d+) ", line).group(1))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

        def call(method, path, body=None):
            conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
            resp = conn.getresponse()
            resp.read()
            return resp.status

        ids = []
        for index in range(50):
            conn.request("POST", "/api/v2/connections", body=json.dumps(
                {"name": f"seed-{index}", "strategy": "auth0", "options": {"disable_signup": True}}), headers=headers)
            resp = conn.getresponse()
            ids.append(json.loads(resp.read())["id"])
        subprocess.run(["callgrind_control", "-i", "on", str(server.pid)], check=True, capture_output=True)
        for index in range(count):
            if route == "create":
                status = call("POST", "/api/v2/connections",
                              {"name": f"c-{index}", "strategy": "auth0", "options": {"disable_signup": True}})
                assert status == 201, status
            elif route == "get":
                assert call("GET", f"/api/v2/connections/{ids[index % len(ids)]}") == 200
            else:
                assert call("PATCH", f"/api/v2/connections/{ids[index % len(ids)]}", {"display_name": f"v{index}"}) == 200
        subprocess.run(["callgrind_control", "-i", "off", str(server.pid)], check=True, capture_output=True)
        conn.close()
        server.terminate()
        server.wait(120)
        total = 0
        for path in glob.glob(out + "*"):
            with open(path) as handle:
                for text in handle:
                    # `summary:` covers only what ran since the last zeroing; `totals:` every
                    # instrumented instruction, which is the window opened above.
                    if text.startswith("totals:"):
                        total += int(text.split()[1])
        print(f"{route}: {total / count:,.0f} instructions per request ({count} requests)")
        if os.environ.get("KEEP_CALLGRIND"):
            shutil.copyfile(out, os.environ["KEEP_CALLGRIND"])
    finally:
        if server.poll() is None:
            server.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
