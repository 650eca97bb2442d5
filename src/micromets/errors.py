"""Exceptions and warnings raised by micromets.

The tree, so callers can catch at the level they care about::

    MicrometsError                 base of everything micromets raises on purpose
    ├── CaseValidationError        the input case is invalid; carries field paths and plain messages
    ├── KnowledgeError             a knowledge file (table, coefficients, registry) is missing or broken
    └── UnknownVersionError        a model or rule-set version that is not implemented was requested

Clinical uncertainty is *not* an exception: an assessment reports it as ``missing`` entries,
``insufficient_data`` decisions and ``warnings``. Exceptions are for misuse and broken installs.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field


class MicrometsError(Exception):
    """Base class of every exception micromets raises deliberately."""


@dataclass(frozen=True)
class FieldProblem:
    """One invalid input field: ``field`` is a dotted path such as ``nodes.deposits[0].size_mm``.

    ``related`` names the other fields a contradiction involves (``tumour.in_situ_only`` beside ``tumour.size_mm``),
    so that a form marks each of them; it is not part of the error record (``as_dict``) nor of equality.
    """

    field: str
    message: str
    related: tuple[str, ...] = _field(default=(), compare=False)

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class CaseValidationError(MicrometsError, ValueError):
    """The case does not satisfy the contract. ``problems`` lists every invalid field."""

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))

    @property
    def first(self) -> FieldProblem:
        return self.problems[0]


class KnowledgeError(MicrometsError, RuntimeError):
    """A packaged knowledge file is missing, malformed or inconsistent."""


class UnknownVersionError(MicrometsError, ValueError):
    """A model version that micromets does not implement was requested."""


class MicrometsWarning(UserWarning):
    """Base class of warnings emitted through Python's ``warnings`` module."""
