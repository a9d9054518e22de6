#!/usr/bin/env python3
"""Writes a deploy CLI YAML export (tenant.yaml) of realistic database connections for the
lint benchmark: the connections of gen-lint-bench.py as `databases`, without the `id` and
`strategy` an export leaves out, in the block style `a0deploy export --format yaml` writes.

usage: gen-deploy-cli-bench.py [--count 500] [--seed 1] [--out tenant.yaml]
"""
import argparse
import importlib.util
import json
import pathlib
import re

spec = importlib.util.spec_from_file_location("gen_lint_bench", pathlib.Path(__file__).with_name("gen-lint-bench.py"))
gen_lint_bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen_lint_bench)

PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_ ./-]*$")
RESERVED = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


def scalar(value):
    if isinstance(value, str):
        return value if PLAIN.match(value) and value.lower() not in RESERVED and not value.endswith(" ") else json.dumps(value)
    return json.dumps(value)


def emit(value, indent, lines):
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{scalar(key)}:")
                emit(item, indent + 2, lines)
            else:
                lines.append(f"{pad}{scalar(key)}: {json.dumps(item) if isinstance(item, (dict, list)) else scalar(item)}")
    else:
        for item in value:
            if isinstance(item, (dict, list)) and item:
                inner = []
                emit(item, indent + 2, inner)
                inner[0] = f"{pad}- " + inner[0][indent + 2:]
                lines.extend(inner)
            else:
                lines.append(f"{pad}- {json.dumps(item) if isinstance(item, (dict, list)) else scalar(item)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default="tenant.yaml")
    args = parser.parse_args()
    databases = []
    for connection in gen_lint_bench.generate(args.count, args.seed):
        connection.pop("id", None)
        connection.pop("strategy", None)
        databases.append(connection)
    lines = []
    emit({"prompts": {"identifier_first": True, "universal_login_experience": "new"}, "databases": databases}, 0, lines)
    pathlib.Path(args.out).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
