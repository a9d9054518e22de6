#!/usr/bin/env python3
"""Writes a list response of realistic Auth0 database connections for the lint benchmark.

The shapes follow what Auth0 returns for strategy `auth0` (see the recorded traffic
in Tests/Fixtures/conformance): legacy password-policy connections, `password_options` connections,
flexible identifiers with attributes, and passwordless ones. About one in fifty
carries a deliberate mistake, so the benchmark also pays for locating and printing
findings. Deterministic for a given seed.

usage: gen-lint-bench.py [--count 5000] [--seed 1] [--out bench-connections.json] [--indent 2]
"""
import argparse
import json
import random
import string

ALPHANUMERIC = string.ascii_letters + string.digits


def connection_id(rng):
    return "con_" + "".join(rng.choice(ALPHANUMERIC) for _ in range(16))


def client_ids(rng):
    return sorted("".join(rng.choice(ALPHANUMERIC) for _ in range(32)) for _ in range(rng.randint(0, 4)))


def base(rng, index, options):
    name = f"db-{index:05d}-{rng.choice(['users', 'staff', 'partners', 'customers', 'test'])}"
    connection = {
        "id": connection_id(rng),
        "options": options,
        "strategy": "auth0",
        "name": name,
        "is_domain_connection": False,
        "enabled_clients": client_ids(rng),
        "realms": [name],
        "authentication": {"active": True},
        "connected_accounts": {"active": False},
    }
    if rng.random() < 0.4:
        connection["display_name"] = f"Sign in ({index})"
    if rng.random() < 0.3:
        connection["metadata"] = {"team": rng.choice(["identity", "growth", "platform"]), "tier": "gold"}
    return connection


def common_options(rng):
    return {
        "mfa": {"active": True, "return_enroll_settings": True},
        "brute_force_protection": True,
        "strategy_version": 2,
        "passkey_options": {
            "challenge_ui": "both",
            "progressive_enrollment_enabled": True,
            "local_enrollment_enabled": True,
        },
        "authentication_methods": {
            "password": {"enabled": True, "api_behavior": "required", "signup_behavior": "allow"},
            "passkey": {"enabled": rng.random() < 0.3},
            "email_otp": {"enabled": False},
            "phone_otp": {"enabled": False},
        },
    }


def defaults(rng):
    """What Auth0 returns for a plain create: most recorded connections look like this."""
    options = common_options(rng)
    options["passwordPolicy"] = "good"
    return options


def legacy(rng):
    options = common_options(rng)
    options.update({
        "passwordPolicy": rng.choice(["low", "fair", "good", "excellent"]),
        "password_history": {"enable": True, "size": rng.randint(1, 24)},
        "password_no_personal_info": {"enable": rng.random() < 0.5},
        "password_dictionary": {"enable": True, "dictionary": ["password", "admin", "123456"]},
        "password_complexity_options": {"min_length": rng.randint(8, 16)},
        "requires_username": rng.random() < 0.3,
        "disable_signup": rng.random() < 0.2,
        "import_mode": False,
        "enabledDatabaseCustomization": False,
        "disable_self_service_change_password": False,
        "non_persistent_attrs": ["gender", "hair_color"],
    })
    if options["requires_username"]:
        options["validation"] = {"username": {"min": 1, "max": 15}}
        # Passkeys with a required legacy username is an error (RULES.md 26), not a realistic setup.
        options["authentication_methods"]["passkey"]["enabled"] = False
    return options


def modern_password(rng):
    options = common_options(rng)
    options["password_options"] = {
        "complexity": {
            "min_length": rng.randint(12, 20),
            "character_types": ["uppercase", "lowercase", "number", "special"],
            "character_type_rule": rng.choice(["all", "three_of_four"]),
            "identical_characters": "block",
            "sequential_characters": "block",
            "max_length_exceeded": "error",
        },
        "dictionary": {"active": True, "custom": ["acme", "acme123"], "default": "en_100k"},
        "history": {"active": True, "size": 5},
        "profile_data": {
            "active": True,
            "blocked_fields": ["name", "username", "nickname", "email", "phone_number"],
        },
    }
    return options


def flexible(rng):
    options = modern_password(rng)
    options["attributes"] = {
        "email": {
            "identifier": {"active": True, "default_method": "password"},
            "unique": True,
            "profile_required": True,
            "verification_method": "link",
            "signup": {"status": "required", "verification": {"active": True}},
        },
        "phone_number": {
            "identifier": {"active": rng.random() < 0.5},
            "profile_required": False,
            "signup": {"status": "optional", "verification": {"active": False}},
        },
        "username": {
            "identifier": {"active": True},
            "profile_required": False,
            "signup": {"status": "optional"},
            "validation": {"min_length": 3, "max_length": 32, "allowed_types": {"email": False, "phone_number": False}},
        },
    }
    options["precedence"] = ["email", "username", "phone_number"]
    return options


def passwordless(rng):
    options = common_options(rng)
    options["authentication_methods"] = {
        "password": {"enabled": False, "api_behavior": "optional", "signup_behavior": "block"},
        "passkey": {"enabled": False},
        "email_otp": {"enabled": True},
        "phone_otp": {"enabled": False},
    }
    options["disable_self_service_change_password"] = True
    options["attributes"] = {
        "email": {
            "identifier": {"active": True, "default_method": "email_otp"},
            "unique": True,
            "profile_required": True,
            "verification_method": "otp",
            "signup": {"status": "required", "verification": {"active": True}},
        }
    }
    return options


def with_mistake(rng, options):
    """One realistic slip: a rule the engine reports."""
    kind = rng.randrange(3)
    if kind == 0 and "attributes" in options:
        options["requires_username"] = True
    elif kind == 1 and "attributes" in options:
        options["attributes"]["email"]["signup"]["status"] = "optional"
    else:
        options["authentication_methods"]["password"]["enabled"] = False
    return options


def generate(count, seed):
    """`count` connections, the same ones for the same seed."""
    rng = random.Random(seed)
    # Weights follow the recordings: mostly defaults and legacy policies, fewer flexible
    # identifiers and passwordless connections.
    shapes = [(defaults, 0.35), (legacy, 0.25), (modern_password, 0.15), (flexible, 0.15), (passwordless, 0.1)]
    connections = []
    for index in range(count):
        shape = rng.choices([s for s, _ in shapes], weights=[w for _, w in shapes])[0]
        options = shape(rng)
        if rng.random() < 0.02:
            options = with_mistake(rng, options)
        connections.append(base(rng, index, options))
    return connections


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="bench-connections.json")
    parser.add_argument("--indent", type=int, default=2, help="0 writes compact JSON")
    args = parser.parse_args()

    connections = generate(args.count, args.seed)

    with open(args.out, "w") as out:
        if args.indent > 0:
            json.dump({"connections": connections}, out, indent=args.indent)
        else:
            json.dump({"connections": connections}, out, separators=(",", ":"))
        out.write("\n")
    print(f"wrote {args.count} connections to {args.out}")


if __name__ == "__main__":
    main()
