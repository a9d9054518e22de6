"""The YAML reader against an oracle: PyYAML parses the same documents, and the values and
the positions of values must agree (`lint --parse-yaml` prints what our reader made of a
file). The documents are the corpus under tests/cli/fixtures/yaml and documents generated
from a fixed seed in the styles configuration files use.

PyYAML reads YAML 1.1, whose implicit types differ from YAML 1.2's core schema (`yes`,
`0o17`, `012`, `2E-2`, `1_000`, `1:20`): those are kept out of the generated documents and
checked against expected JSON in fixtures/yaml-1.2 instead."""
import json
import pathlib
import random
import subprocess

import pytest
import yaml

HERE = pathlib.Path(__file__).resolve().parent
CORPUS = sorted((HERE / "fixtures" / "yaml").glob("*.yaml"))
SEED = 20261202
GENERATED = 300


def parse_ours(binary, paths):
    """One `--parse-yaml` run over many files: one JSON line each."""
    completed = subprocess.run(
        [binary, "lint", "--parse-yaml", *map(str, paths)], capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    lines = completed.stdout.splitlines()
    assert len(lines) == len(paths)
    return [json.loads(line) for line in lines]


def pointer(path):
    return "".join("/" + str(step).replace("~", "~0").replace("/", "~1") for step in path)


def oracle_positions(node, path=(), found=None):
    """Where PyYAML says each value starts (1-based), except empty values, which start at
    nothing in PyYAML and at their key in ours."""
    found = {} if found is None else found
    empty = isinstance(node, yaml.ScalarNode) and node.value == "" and node.style is None
    if not empty:
        found[pointer(path)] = [node.start_mark.line + 1, node.start_mark.column + 1]
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            oracle_positions(value, path + (key.value,), found)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            oracle_positions(item, path + (index,), found)
    return found


def agree(text, ours, name):
    assert "error" not in ours, f"{name}: {ours}"
    assert ours["value"] == yaml.safe_load(text), name
    expected = oracle_positions(yaml.compose(text))
    recorded = {key: value for key, value in ours["positions"].items() if key in expected}
    assert recorded == expected, name


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.name)
def test_corpus_agrees_with_pyyaml(binary, path):
    [ours] = parse_ours(binary, [path])
    agree(path.read_text(), ours, path.name)


@pytest.mark.parametrize("path", CORPUS, ids=lambda path: path.name)
def test_corpus_with_windows_line_ends_agrees_with_pyyaml(binary, path, tmp_path):
    text = path.read_text().replace("\n", "\r\n")
    crlf = tmp_path / path.name
    crlf.write_bytes(text.encode())
    [ours] = parse_ours(binary, [crlf])
    agree(text, ours, f"{path.name} (CRLF)")


def test_yaml_1_2_core_schema(binary):
    for path in sorted((HERE / "fixtures" / "yaml-1.2").glob("*.yaml")):
        [ours] = parse_ours(binary, [path])
        assert ours["value"] == json.loads(path.with_suffix(".json").read_text()), path.name


# --- generated documents ---------------------------------------------------------------

WORDS = ["name", "strategy", "options", "attributes", "email", "identifier", "active", "signup", "status",
         "enabled", "alpha", "beta_key", "with-dash", "Mixed Case", "café", "x"]
# Strings that must be quoted: they would read as something else, or hold indicators.
TRICKY = ["true", "False", "null", "~", "12", "-3.5", "0x1F", "yes", "no", "on", "off", "a: b", "a #b",
          "- dash", "[x]", "{y}", "'single'", "\"double\"", "tab\there", "line\nbreak", "", " lead", "trail ",
          "per%cent", "@at", "`tick", "é ☕ 😀", "back\\slash", "&anchor", "*alias", "!tag", "? key", "|pipe", ">fold"]


def is_plain_safe(text, flow):
    if not text or text != text.strip() or text[0] not in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZé":
        return False
    if text.lower() in {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}:
        return False
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.é☕")
    return set(text) <= allowed and not (flow and "  " in text)


class Writer:
    def __init__(self, rng):
        self.rng = rng

    def string(self, text, flow):
        if is_plain_safe(text, flow) and self.rng.random() < 0.7:
            return text
        if "\n" not in text and "\t" not in text and "\\" not in text and self.rng.random() < 0.4:
            return "'" + text.replace("'", "''") + "'"
        # PyYAML keeps the two halves of a `\ud83d\ude00` surrogate pair apart, where we (and
        # js-yaml, which reads UTF-16) join them: characters outside the BMP are written as is.
        ascii_only = self.rng.random() < 0.5 and all(ord(character) < 0x10000 for character in text)
        return json.dumps(text, ensure_ascii=ascii_only)

    def scalar(self, value, flow):
        if value is None:
            return self.rng.choice(["null", "~", "Null"])
        if value is True:
            return self.rng.choice(["true", "True", "TRUE"])
        if value is False:
            return self.rng.choice(["false", "False"])
        if isinstance(value, int):
            return str(value) if self.rng.random() < 0.9 or value < 0 else hex(value)
        if isinstance(value, float):
            return repr(value)
        return self.string(value, flow)

    def comment(self):
        return "  # " + self.rng.choice(["note", "a: b", "- x", "#"]) if self.rng.random() < 0.15 else ""

    def flow(self, value):
        if isinstance(value, dict):
            return "{" + ", ".join(f"{self.string(k, True)}: {self.flow(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self.flow(item) for item in value) + "]"
        return self.scalar(value, True)

    def block_scalar(self, text, indent):
        """A literal block for text of lines without edge spaces, with the chomping it needs."""
        body = text.rstrip("\n")
        trailing = len(text) - len(body)
        if trailing == 0:
            header = "|-"
        elif trailing == 1:
            header = "|"
        else:
            return None
        pad = " " * (indent + 2)
        return header, "".join(f"\n{pad}{line}" if line else "\n" for line in body.split("\n"))

    def value_after_key(self, value, indent):
        """What follows `key:`: an inline scalar or flow collection, or a block on the next lines."""
        if isinstance(value, (dict, list)) and value and self.rng.random() < 0.75:
            if isinstance(value, list) and self.rng.random() < 0.3:
                return self.comment() + "\n" + self.block(value, indent)
            step = self.rng.choice([2, 4])
            return self.comment() + "\n" + self.block(value, indent + step)
        if isinstance(value, str) and "\n" in value and self.rng.random() < 0.6:
            block = self.block_scalar(value, indent)
            if block and all(line == line.strip() for line in value.split("\n")) and value.strip("\n"):
                header, lines = block
                return " " + header + lines.rstrip("\n") if header == "|-" else " " + header + lines
        if isinstance(value, str) and " " in value and "  " not in value and value == value.strip() and "\n" not in value:
            words = value.split(" ")
            pad = " " * (indent + 2)
            roll = self.rng.random()
            if roll < 0.15 and is_plain_safe(value, False):
                # A plain scalar folded over lines.
                return " " + words[0] + "".join(f"\n{pad}{word}" for word in words[1:]) + self.comment()
            if roll < 0.3:
                # A folded block scalar, stripped of its final line break.
                return " >-" + "".join(f"\n{pad}{word}" for word in words)
        if isinstance(value, (dict, list)):
            return " " + self.flow(value) + self.comment()
        if value is None and self.rng.random() < 0.3:
            return ""
        return " " + self.scalar(value, False) + self.comment()

    def block(self, value, indent):
        pad = " " * indent
        lines = []
        if isinstance(value, dict):
            for key, item in value.items():
                lines.append(f"{pad}{self.string(key, False)}:{self.value_after_key(item, indent)}")
        else:
            for item in value:
                if isinstance(item, dict) and item and self.rng.random() < 0.7:
                    inner = self.block(item, indent + 2)
                    lines.append(f"{pad}- {inner[indent + 2:]}")
                elif isinstance(item, list) and item and self.rng.random() < 0.5:
                    lines.append(f"{pad}-{self.comment()}\n{self.block(item, indent + 2)}")
                else:
                    text = self.value_after_key(item, indent)
                    lines.append(f"{pad}-{text}" if text else f"{pad}-")
        return "\n".join(lines)


def random_value(rng, depth):
    roll = rng.random()
    if depth < 4 and roll < 0.25:
        return {rng.choice(WORDS) + (str(i) if rng.random() < 0.3 else ""): random_value(rng, depth + 1)
                for i in range(rng.randint(0, 4))}
    if depth < 4 and roll < 0.4:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    kind = rng.randrange(7)
    if kind == 0:
        return None
    if kind == 1:
        return rng.random() < 0.5
    if kind == 2:
        return rng.choice([0, 7, -12, 2**40, -(2**70), 255])
    if kind == 3:
        return rng.choice([0.5, -2.25, 1e-3, 3.0, 1.5e20])
    if kind == 4:
        return rng.choice(TRICKY)
    if kind == 5:
        return "\n".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))) + rng.choice(["", "\n"])
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))


def generated_documents():
    rng = random.Random(SEED)
    documents = []
    for _ in range(GENERATED):
        value = {f"{rng.choice(WORDS)}{i}": random_value(rng, 1) for i in range(rng.randint(1, 5))}
        writer = Writer(rng)
        text = writer.block(value, 0) + "\n"
        if rng.random() < 0.2:
            text = "---\n" + text
        if rng.random() < 0.2:
            text = "# generated\n" + text
        documents.append(text)
    return documents


def test_generated_documents_agree_with_pyyaml(binary, tmp_path):
    documents = generated_documents()
    paths = []
    for index, text in enumerate(documents):
        path = tmp_path / f"doc{index}.yaml"
        path.write_text(text)
        paths.append(path)
    for text, ours, path in zip(documents, parse_ours(binary, paths), paths):
        agree(text, ours, f"{path.name}:\n{text}")


# --- refused, never misread ----------------------------------------------------------------

REFUSED = [
    ("a: &anchor 1\nb: *anchor\n", "Anchors", 1, 4),
    ("a: 1\nb: *anchor\n", "Aliases", 2, 4),
    ("a: !!str 1\n", "Tags", 1, 4),
    ("a: 1\n---\nb: 2\n", "Several documents", 2, 1),
    ("%YAML 1.2\n---\na: 1\n", "directives", 1, 1),
    ("? complex\n: key\n", "Complex mapping keys", 1, 1),
    ("a: 1\na: 2\n", "Duplicate key 'a'", 2, 1),
    ("a:\n\tb: 1\n", "Tabs", 2, 1),
    ("a: .inf\n", "no JSON equivalent", 1, 4),
    ("[a, b]: c\n", "Collections as mapping keys", 1, 1),
    ("a: 'open\n", "Unterminated quoted scalar", 1, 4),
    ("a: [1, 2\n", "Unterminated flow collection", 2, 1),
    ("a: b: c\n", "mapping must start on the line after its key", 1, 4),
    ("a:\n  b: 1\n c: 2\n", "Unexpected", 3, 2),
]


@pytest.mark.parametrize("text,reason,line,column", REFUSED, ids=[case[1] for case in REFUSED])
def test_refused_with_a_finding_at_its_position(binary, tmp_path, text, reason, line, column):
    path = tmp_path / "refused.yaml"
    path.write_text(text)
    [ours] = parse_ours(binary, [path])
    assert "value" not in ours
    assert reason.lower() in ours["error"].lower()
    assert (ours["line"], ours["column"]) == (line, column)
