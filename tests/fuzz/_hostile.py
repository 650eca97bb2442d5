"""Hostile inputs for the fuzz tests: a hand-written corpus plus seeded mutations of valid cases.

Deterministic: every generator takes a seed name and uses its own ``random.Random``; the same seed
gives the same bytes on every machine. The corpus covers what the issue 9 probe used (nesting ~1,000
deep, integers over 4,300 digits, lone surrogates, invalid UTF-8, duplicate keys, wrong types) and the
rest of RFC 8259's interoperability hazards (NaN/Infinity, huge strings, control characters, byte-order
marks), extreme dates and unknown fields.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator
from importlib import resources
from typing import Any

__all__ = ["CORPUS", "Raw", "dumps", "example_cases", "fhir_bundles", "hostile_bodies", "hostile_values",
           "mutated_case", "mutated_json"]


class Raw:
    """A token written verbatim into the JSON text (NaN, a 5,000-digit integer, a surrogate escape ...)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Raw({self.text[:30]!r})"


class DuplicateKeys:
    """An object written with a repeated key."""

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        self.pairs = pairs


def dumps(value: Any) -> str:
    """JSON text of ``value``, with ``Raw`` tokens and ``DuplicateKeys`` objects written as they are."""
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, DuplicateKeys | dict):
        pairs = value.pairs if isinstance(value, DuplicateKeys) else value.items()
        return "{" + ", ".join(f"{dumps(k)}: {dumps(v)}" for k, v in pairs) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(dumps(v) for v in value) + "]"
    return json.dumps(value)


def example_cases() -> list[dict[str, Any]]:
    folder = resources.files("micromets.examples")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".json"))
    return [json.loads(folder.joinpath(n).read_text(encoding="utf-8")) for n in names]


def _deep(depth: int, opener: str = "[", closer: str = "]") -> str:
    return opener * depth + closer * depth


def _deep_object(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


# Values that are wrong somewhere (or everywhere): every type, the numeric edge cases, text hazards, dates.
_VALUES: list[Any] = [
    True, False, None, 0, -1, 1, 0.9, 1.8, 0.12, 180, 300, 1e308, -1e308, 5e-324, -0.0, 2**63, -(2**63),
    10**50, "", " ", "yes", "no", "true", "18", "1e3", "NaN", "null", "0x10", [], [18], [[]], {}, {"value": 1},
    Raw("NaN"), Raw("Infinity"), Raw("-Infinity"), Raw("1e400"), Raw("-1e400"), Raw("9" * 4301),
    Raw("-" + "9" * 5000), Raw("9" * 101), Raw("1" + "0" * 400 + ".5"), Raw('"\\ud800"'), Raw('"x\\udfffy"'),
    Raw('"\\ud83d"'), Raw('"\\u0000"'), Raw(_deep(70)), Raw(_deep(1000)), Raw(_deep_object(500)),
    "a\nb", "tab\there", "\x1b[31mred", "nul\x00byte", "\u2028line", "\ufeffbom", "é\u0301", "\U0001F600",
    "A" * 70_000, ["x"] * 2000, "9990-01-01", "9999-12-31", "0001-01-01", "2099-12-31", "1950-01-01",
    "1949-12-31", "2100-01-01", "2026-02-29", "2026-13-01", "2026-10-01T00:00:00Z", "20261001", 20261001,
    "2026-10-01\n", "he", "osna", "slnb", "bcs", "cM1", "cN3c", "3+", "ultralow", "post", "male",
]

# Whole documents: not a case object, malformed, or hostile at the top level.
CORPUS: list[bytes] = [
    b"", b" ", b"\n", b"null", b"true", b"0", b'"case"', b"[]", b"{}", b"[{}]", b"{", b"}", b"[", b"{]",
    b'{"id": }', b'{"id": "x",}', b'{"id": "x"} trailing', b"{'id': 'x'}", b'{"id": "x"}{"id": "y"}',
    b"\xef\xbb\xbf{}", b"\xff\xfe{\x00}\x00", b"\xfe\xff\x00{\x00}", b"\x00" * 16, b"\xc0\xaf", b"\xed\xa0\x80",
    b'{"id": "\xff"}', b'{"id": "\xc3"}', b'{"\xe9": 1}', b"\x80abc", bytes(range(256)),
    b'{"age": NaN}', b'{"age": Infinity}', b'{"age": -Infinity}', b'{"age": 1e400}', b'{"age": 01}',
    b'{"age": 1.}', b'{"age": .5}', b'{"age": +1}', b'{"age": 0x10}', b'{"age": 1_000}',
    b'{"age": ' + b"9" * 4301 + b"}", b'{"age": ' + b"9" * 100_000 + b"}", b'{"age": 60, "age": 61}',
    b'{"tumour": {"size_mm": 18, "size_mm": 1.8}}', b'{"id": "\\ud800"}', b'{"\\udc00": 1}',
    b'{"id": "a\\nb"}', b'{"id": "a\nb"}', b'{"id": "\\u0000"}',
    _deep(999).encode(), _deep(100_000).encode(), _deep(65, "{", "}").encode(), _deep_object(1000).encode(),
    ("[" * 50_000).encode(), ('{"a":' * 20_000).encode(), b'"' + b"\\" * 10_001 + b'"',
    b'{"id": "' + b"x" * 900_000 + b'"}', b'{"comorbidities": [' + b'"x",' * 60_000 + b'"x"]}',
    b'{"nodes": {"deposits": [' + b'{"node": 1, "method": "he", "size_mm": 1},' * 600 + b"{}]}}",
    ("{" + ", ".join(f'"k{i}": {i}' for i in range(5000)) + "}").encode(),
    b'{"surgery": {"date": "9990-01-01", "breast": "bcs", "status": "done"}}',
    b'{"surgery": {"date": "9999-12-31"}}', b'{"surgery": {"date": "0001-01-01"}}',
    b'{"surgery": {"date": "2099-12-31", "breast": "mastectomy", "status": "done"}, "tumour": {"size_mm": 12, '
    b'"er_percent": 90, "pr_percent": 50, "her2_ihc": "0", "grade": 2}, "age": 60, "menopausal_status": "post"}',
    b'{"tumour": {"size_mm": false}}', b'{"tumour": {"size_mm": true}}', b'{"tumour": {"lvi": "yes"}}',
    b'{"tumour": {"grade": "3"}}', b'{"unknown_field": 1}', b'{"tumour": {"colour": "red"}}',
    "{\"id\": \"\u00e9\u202e\"}".encode(), "{\"id\": \"\U0001F600\"}".encode("utf-16"),
    # Shapes that make a naive string-skipping regular expression quadratic (an input of 0.6 MB would then
    # take minutes): escaped quotes without an end, a quote-backslash run, a trailing backslash.
    ("{" + ",".join(f'"k{i}": 1, "k{i}": 2' for i in range(40_000)) + "}").encode(),  # 40,000 repeated keys
    b"[" * 10 + b'"' + b'[\\"' * 200_000, b"[" * 70 + b'"\\' * 300_000, b"[" * 70 + b'"' + b"a" * 600_000 + b"\\",
]


def hostile_values(rng: random.Random) -> Any:
    value = rng.choice(_VALUES)
    return copy.deepcopy(value) if isinstance(value, list | dict) else value


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*prefix, i))


def _mutate_once(data: Any, rng: random.Random) -> Any:
    paths = [p for p in _paths(data) if p]
    if not paths or not isinstance(data, dict):
        return hostile_values(rng)
    path = rng.choice(paths)
    parent: Any = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    action = rng.random()
    if action < 0.55:
        parent[last] = hostile_values(rng)
    elif action < 0.65 and isinstance(parent, dict):
        del parent[last]
    elif action < 0.75 and isinstance(parent, dict):
        parent[rng.choice(["colour", "size_cm", "Tumour", "id ", "__proto__", "x" * 300, "é"])] = hostile_values(rng)
    elif action < 0.85 and isinstance(parent, dict):
        pairs = [*parent.items(), (last, hostile_values(rng))]
        if len(path) == 1:
            return DuplicateKeys(pairs)
        grand = data
        for part in path[:-2]:
            grand = grand[part]
        grand[path[-2]] = DuplicateKeys(pairs)
    elif action < 0.92 and isinstance(parent, dict):
        parent[Raw('"\\udabc"')] = 1  # type: ignore[index]
    else:
        parent[last] = [parent[last]] * rng.randint(1, 3)
    return data


def mutated_case(rng: random.Random, cases: list[dict[str, Any]], *, max_mutations: int = 3) -> Any:
    """A valid example with 0-``max_mutations`` hostile changes (0: some inputs stay valid, as in real use)."""
    data: Any = copy.deepcopy(rng.choice(cases))
    for _ in range(rng.randint(0, max_mutations)):
        if isinstance(data, DuplicateKeys):
            break
        data = _mutate_once(data, rng)
    return data


def mutated_json(rng: random.Random, data: Any) -> bytes:
    """``data`` as JSON bytes, sometimes damaged at the byte level (truncated, a byte flipped or inserted)."""
    text = dumps(data).encode("utf-8", "surrogatepass")
    roll = rng.random()
    if roll < 0.08 and text:
        return text[: rng.randrange(len(text))]
    if roll < 0.16 and text:
        i = rng.randrange(len(text))
        return text[:i] + bytes([rng.randrange(256)]) + text[i + 1:]
    if roll < 0.22:
        i = rng.randrange(len(text) + 1)
        return text[:i] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\n", b"\\"]) + text[i:]
    return text


def hostile_bodies(seed: str, count: int, cases: list[dict[str, Any]] | None = None) -> Iterator[bytes]:
    """``count`` hostile JSON bodies: the whole corpus first, then seeded mutations of valid cases."""
    rng = random.Random(seed)
    cases = cases if cases is not None else example_cases()
    for i in range(count):
        if i < len(CORPUS):
            yield CORPUS[i]
        else:
            yield mutated_json(rng, mutated_case(rng, cases))


def fhir_bundles() -> list[dict[str, Any]]:
    """The examples as micromets FHIR Bundles, input resources only (the valid starting points of the FHIR
    fuzz; the import skips the output resources, which only make each input ~5 times slower to check)."""
    from micromets.assess import assess
    from micromets.interop.fhir import to_bundle
    from micromets.interop.fhir.import_ import _is_output
    from micromets.model import parse_case

    out = []
    for data in example_cases():
        case = parse_case(data)
        bundle = to_bundle(assess(case), case)
        out.append({**bundle, "entry": [e for e in bundle["entry"] if not _is_output(e["resource"])]})
    return out
