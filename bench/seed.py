#!/usr/bin/env python3
"""Seed generator for the benchmark: realistic strategy-`auth0` connections.

Subcommands:
  seed       POST N connections through the API (keep-alive, a few parallel clients), write their ids.
  templates  write the request bodies the wrk Lua scripts use (POST templates, PATCH options).
  fetch      save one GET-by-id body and one 50-item list page: the bytes nginx serves as the ceiling.
  coldstart  exec -> first 200 on /healthz, repeated, median in milliseconds.

Only the standard library; only 127.0.0.1; every network call has a timeout.
"""

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

HOST = "127.0.0.1"

LOGIN_SCRIPT = (
    "function login(email, password, callback) {\n"
    "  users(configuration).verify(email, password, (err, user) =>\n"
    "    callback(err || (user ? null : new WrongUsernameOrPasswordError(email)), user));\n"
    "}\n"
)

TEAMS = ["identity", "payments", "growth", "platform", "support", "mobile", "partners", "internal"]
ENVS = ["prod", "staging", "dev"]


def client_id(rng):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(rng.choice(alphabet) for _ in range(32))


def options_for(i, rng):
    """Options of connection i: flexible identifiers and password login, as Terraform sends them.

    Passkeys and OTP stay off: a fresh tenant has Identifier First disabled (RULES.md 23-25).
    One in four uses the modern `password_options` (the others the legacy policy fields), one in
    four a custom database (scripts and configuration); the server fills in passkey_options,
    strategy_version and the password_options defaults, so a stored one is about 1.5 KB.
    """
    options = {
        "attributes": {
            "email": {
                "identifier": {"active": True},
                "profile_required": True,
                "signup": {"status": "required", "verification": {"active": True}},
                "unique": True,
                "verification_method": "link",
            },
            "username": {
                "identifier": {"active": i % 3 != 0},
                "profile_required": False,
                "signup": {"status": "optional"},
                "validation": {"min_length": 3 + i % 4, "max_length": 32 + i % 8},
            },
        },
        "authentication_methods": {
            "password": {"enabled": True, "api_behavior": "required", "signup_behavior": "allow"},
            "passkey": {"enabled": False},
        },
        "mfa": {"active": True, "return_enroll_settings": True},
        "brute_force_protection": True,
        "disable_signup": i % 5 == 0,
        "import_mode": False,
        "disable_self_service_change_password": False,
    }
    if i % 2 == 1:
        options["non_persistent_attrs"] = ["ethnicity", "gender"]
    if i % 4 == 1:
        options["enabledDatabaseCustomization"] = True
        options["customScripts"] = {"login": LOGIN_SCRIPT}
        options["configuration"] = {
            "DB_HOST": f"users-{i % 17}.db.internal.example.com",
            "DB_USER": f"auth0_{rng.randrange(10**6):06d}",
        }
    if i % 4 == 0:
        options["password_options"] = {
            "complexity": {
                "min_length": 12 + i % 6,
                "character_types": ["uppercase", "lowercase", "number", "special"],
                "character_type_rule": "three_of_four",
            },
            "dictionary": {"active": True, "default": "en_10k"},
            "history": {"active": True, "size": 5},
            "profile_data": {"active": True},
        }
    else:
        options["passwordPolicy"] = ["fair", "good", "excellent"][i % 3]
        options["password_history"] = {"enable": True, "size": 5}
        options["password_no_personal_info"] = {"enable": True}
        options["password_dictionary"] = {"enable": True, "dictionary": ["acme", "password", "welcome"]}
        options["password_complexity_options"] = {"min_length": 10 + i % 6}
    return options


def connection_body(i, name):
    rng = random.Random(i)
    return {
        "name": name,
        "strategy": "auth0",
        "display_name": f"Acme customers {i}",
        "options": options_for(i, rng),
        "enabled_clients": sorted(client_id(rng) for _ in range(2)),
        "is_domain_connection": False,
        "realms": [name],
        "metadata": {"team": TEAMS[i % len(TEAMS)], "env": ENVS[i % len(ENVS)], "cost": f"cc{i % 41}"},
        "authentication": {"active": True},
        "connected_accounts": {"active": False},
    }


def compact(value):
    return json.dumps(value, separators=(",", ":"))


# ---------------------------------------------------------------- seed

def seed(args):
    token = os.environ["CONNECTIONS_API_TOKEN"]
    ids = [None] * args.count
    failures = []
    next_index = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + args.timeout

    def worker():
        conn = http.client.HTTPConnection(HOST, args.port, timeout=10)
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        while time.monotonic() < deadline:
            with lock:
                i = next_index[0]
                if i >= args.count or failures:
                    break
                next_index[0] += 1
            body = compact(connection_body(i, f"{args.prefix}-{i:05d}"))
            try:
                conn.request("POST", "/api/v2/connections", body=body, headers=headers)
                response = conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    failures.append(f"connection {i}: {error}")
                break
            if response.status != 201:
                with lock:
                    failures.append(f"connection {i}: HTTP {response.status} {payload[:300]!r}")
                break
            ids[i] = json.loads(payload)["id"]
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if failures or any(i is None for i in ids):
        print("seed failed: " + ("; ".join(failures[:3]) or "timed out"), file=sys.stderr)
        return 1
    with open(args.ids, "w") as handle:
        handle.write("\n".join(ids) + "\n")
    print(f"seeded {args.count} connections in {elapsed:.2f} s ({args.count / elapsed:.0f}/s)")
    return 0


# ---------------------------------------------------------------- templates

def templates(args):
    """POST bodies with the placeholder NAME_PLACEHOLDER (wrk fills in unique names), one per line;
    PATCH `options` values, one per line."""
    placeholder = "NAME_PLACEHOLDER"
    with open(os.path.join(args.out, "post_bodies.txt"), "w") as handle:
        for i in range(16):
            handle.write(compact(connection_body(100_000 + i, placeholder)) + "\n")
    with open(os.path.join(args.out, "patch_options.txt"), "w") as handle:
        for i in range(16):
            handle.write(compact(options_for(200_000 + i, random.Random(i))) + "\n")
    return 0


# ---------------------------------------------------------------- fetch

def fetch(args):
    """Saves the first page of 50 as the server sends it, and, of the GET bodies of that page's
    connections, the one closest to their mean size: the fixed bytes nginx serves."""
    token = os.environ["CONNECTIONS_API_TOKEN"]
    conn = http.client.HTTPConnection(HOST, args.port, timeout=10)
    headers = {"Authorization": f"Bearer {token}"}

    def get(path):
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        if response.status != 200:
            raise RuntimeError(f"fetch {path}: HTTP {response.status}")
        return payload

    try:
        page = get("/api/v2/connections?per_page=50&page=0")
        bodies = [get(f"/api/v2/connections/{item['id']}") for item in json.loads(page)]
        mean = sum(len(body) for body in bodies) / len(bodies)
        one = min(bodies, key=lambda body: abs(len(body) - mean))
    except (OSError, http.client.HTTPException, RuntimeError, ValueError) as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        conn.close()
    with open(args.page, "wb") as handle:
        handle.write(page)
    with open(args.one, "wb") as handle:
        handle.write(one)
    return 0


# ---------------------------------------------------------------- coldstart

def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def healthz_ok(port):
    try:
        with socket.create_connection((HOST, port), timeout=1) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            data = sock.recv(64)
            return data.startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def stop(process):
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def coldstart(args):
    """Milliseconds from just before exec to the first 200 on /healthz (a port picked beforehand,
    polled as fast as connect() refuses)."""
    # A SIGTERM from run.sh's timeout must not leave a server behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    samples = []
    for run in range(args.runs):
        db = args.db if args.db else os.path.join(args.scratch, f"cold-{run}.sqlite")
        port = free_port()
        command = [args.binary, "serve", "--port", str(port), "--db", db, "--rate-limit", "off", "--quiet"]
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ok = False
        try:
            while time.perf_counter() - started < 10:
                if healthz_ok(port):
                    ok = True
                    break
                if process.poll() is not None:
                    break
                time.sleep(0.0005)  # leave the CPU to the server starting up
            elapsed = (time.perf_counter() - started) * 1000
        finally:
            stop(process)
        if not args.db:
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.remove(db + suffix)
                except FileNotFoundError:
                    pass
        if not ok:
            print(f"coldstart: no 200 on /healthz within 10 s (run {run})", file=sys.stderr)
            return 1
        samples.append(elapsed)
    print(json.dumps({"median_ms": statistics.median(samples), "samples_ms": [round(s, 2) for s in samples]}))
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("seed")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--count", type=int, default=1000)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--prefix", default="bench")
    p.add_argument("--ids", required=True)
    p.add_argument("--timeout", type=float, default=300)

    p = commands.add_parser("templates")
    p.add_argument("--out", required=True)

    p = commands.add_parser("fetch")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--one", required=True)
    p.add_argument("--page", required=True)

    p = commands.add_parser("coldstart")
    p.add_argument("--binary", required=True)
    p.add_argument("--db", help="an existing database (default: a new empty one per run)")
    p.add_argument("--scratch", default=".")
    p.add_argument("--runs", type=int, default=7)

    args = parser.parse_args()
    return {"seed": seed, "templates": templates, "fetch": fetch, "coldstart": coldstart}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
