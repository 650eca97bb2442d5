"""The codes of the FHIR adapters, read from ``knowledge/interop/fhir_codes.json`` (data with sources).

Standard codes (LOINC, SNOMED CT) are only those checked against the mCODE IG; everything else uses
the local micromets code systems with a text. Example::

    >>> coding("stage_pathological")["code"]
    '21902-2'
    >>> concept("er")["coding"][0]["system"]
    'http://loinc.org'
    >>> local("case_field")
    'http://micromets.local/fhir/CodeSystem/case-field'
"""

from __future__ import annotations

from functools import cache
from typing import Any

from micromets.errors import KnowledgeError
from micromets.knowledge import load_json

__all__ = [
    "CODES_FILE", "canonical_system", "code_name", "codes_table", "coding", "concept", "extension_url", "is_code", "local",
    "local_coding", "system", "text",
]

CODES_FILE = "interop/fhir_codes.json"


@cache
def codes_table() -> dict[str, Any]:
    """The whole codes file (validated on first use)."""
    data = load_json(CODES_FILE)
    if not isinstance(data, dict) or not {"systems", "local", "codes", "text_only"} <= data.keys():
        raise KnowledgeError(f"{CODES_FILE} is malformed: needs systems, local, codes and text_only")
    for name, entry in data["codes"].items():
        if entry.get("system") not in data["systems"] or not entry.get("code") or not entry.get("source"):
            raise KnowledgeError(f"{CODES_FILE}: code {name!r} needs a known system, a code and a source")
    return data


@cache
def system(name: str) -> str:
    """The URI of a standard code system by short name (``loinc``, ``snomed``, ``ucum``, ...)."""
    return str(codes_table()["systems"][name])


@cache
def local(name: str) -> str:
    """A local micromets URI (code system, extension or naming system) by short name."""
    return str(codes_table()["local"][name])


def text(name: str) -> str:
    """The text of a concept that is exported without a standard code."""
    return str(codes_table()["text_only"][name])


def coding(name: str) -> dict[str, str]:
    """One standard ``Coding`` (system, code and, when verified, display) by short name."""
    entry = codes_table()["codes"][name]
    out = {"system": system(entry["system"]), "code": str(entry["code"])}
    if entry.get("display"):
        out["display"] = str(entry["display"])
    return out


def concept(name: str, label: str | None = None) -> dict[str, Any]:
    """A ``CodeableConcept`` with one standard coding; ``label`` (or the display) as text."""
    one = coding(name)
    return {"coding": [one], "text": label or one.get("display", one["code"])}


def local_coding(system_name: str, code: str, display: str | None = None) -> dict[str, str]:
    """A ``Coding`` in a local micromets code system."""
    out = {"system": local(system_name), "code": code}
    if display:
        out["display"] = display
    return out


def extension_url(name: str) -> str:
    """The URL of a standard (published) extension by short name, e.g. ``"laterality"``."""
    return str(codes_table()["extensions"][name]["url"])


def is_extension(url: Any, name: str) -> bool:
    """True when ``url`` is the standard extension ``name``: its published URL, or one of an earlier version that
    is read too (``read_also``, e.g. mCODE STU1's ``mcode-laterality``)::

        >>> is_extension("http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-laterality", "laterality")
        True
    """
    entry = codes_table()["extensions"][name]
    return isinstance(url, str) and (url == entry["url"] or url in entry.get("read_also", ()))


def canonical_system(uri: Any) -> Any:
    """The FHIR URI of a code system given by its OID (``urn:oid:2.16.840.1.113883.6.1`` -> ``http://loinc.org``);
    any other value unchanged::

        >>> canonical_system("urn:oid:2.16.840.1.113883.6.96"), canonical_system("http://loinc.org")
        ('http://snomed.info/sct', 'http://loinc.org')
    """
    return _system_aliases().get(uri, uri) if isinstance(uri, str) else uri


@cache
def _system_aliases() -> dict[str, str]:
    """OID -> FHIR URI, from ``system_aliases`` (keys starting with ``_`` are notes)."""
    aliases: dict[str, str] = codes_table().get("system_aliases", {})
    return {uri: system(name) for uri, name in aliases.items() if not uri.startswith("_")}


@cache
def _system_and_code(name: str) -> tuple[str, str]:
    entry = codes_table()["codes"][name]
    return system(entry["system"]), str(entry["code"])


@cache
def _names_by_code(names: tuple[str, ...]) -> dict[tuple[str, str], str]:
    """(system URI, code) -> the first of ``names`` with that standard code."""
    out: dict[tuple[str, str], str] = {}
    for name in names:
        out.setdefault(_system_and_code(name), name)
    return out


def code_name(value: Any, names: tuple[str, ...] | list[str]) -> str | None:
    """The first short name among ``names`` whose standard code the ``Coding`` dict carries."""
    if not isinstance(value, dict):
        return None
    system_uri, code = canonical_system(value.get("system")), value.get("code")
    if not isinstance(system_uri, str) or not isinstance(code, str):
        return None  # a standard code is text in a system given by its URI
    return _names_by_code(tuple(names)).get((system_uri, code))


def is_code(value: Any, name: str) -> bool:
    """True when a ``Coding`` dict carries the standard code ``name``."""
    if not isinstance(value, dict):
        return False
    system_uri, code = _system_and_code(name)
    return value.get("code") == code and canonical_system(value.get("system")) == system_uri
