"""The audit trail of the HTTP interfaces: who asked, and recording what is about to be returned.

Every assessing route (REST, batch, web form and downloads, what-if, re-assessment, CDS Hooks) builds
its response first, then records it (``record``) and returns it only once the record is committed; if
the store cannot record, the route answers 503 and returns no assessment. Without a store (an app made
by ``create_app()`` with no argument) nothing is recorded.

Who asked comes from ``request.state.principal``, set by the authentication layer: a string such as
``"token:12 alice"`` or ``"web-session"``, or an object whose ``actor`` attribute (else ``str()``) is
that string. It is read defensively: a request without one is recorded with ``actor`` null.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Path, Request
from pydantic import BeforeValidator

from micromets.api.errors import InvalidRequest, loggable
from micromets.errors import FieldProblem

if TYPE_CHECKING:
    from micromets.store import AuditEntry, Store, StoreError

__all__ = ["STORE_DOWN", "RowId", "actor_of", "record", "store_of", "unavailable", "whatif_entries"]

_log = logging.getLogger(__name__)
STORE_DOWN = ("the audit store is unavailable, so the assessment was not recorded and is not returned; "
              "try again later or tell the administrator")


_ROW_NUMBER = re.compile(r"[1-9][0-9]{0,18}")


def _row_number(value: object) -> object:
    """A row id in a path is the row's number in decimal digits, one spelling per row: ``1.0``, ``+1``, `` 1``,
    ``01`` or ``1_0`` (read as 10 by Python) are refused, never read as some row (docs/store.md: ``id``)."""
    if isinstance(value, str) and not _ROW_NUMBER.fullmatch(value):
        raise ValueError(f"must be a row number in digits (1 to {2**63 - 1}), e.g. 12")
    return value


def _row_id_path() -> object:
    from micromets.store import MAX_ROW_ID

    return Path(ge=1, le=MAX_ROW_ID, description="Row id: the record's number, in digits.")


#: The ``row_id`` of a path (REST and web): a whole row number in digits, 1 to ``MAX_ROW_ID``.
RowId = Annotated[int, BeforeValidator(_row_number), _row_id_path()]


def actor_of(request: Request) -> str | None:
    """Who made ``request``, as recorded in the audit trail (``None`` when nobody is known)."""
    principal = getattr(request.state, "principal", None)
    if principal is None:
        return None
    if isinstance(principal, str):
        return principal
    actor = getattr(principal, "actor", None)
    return actor if isinstance(actor, str) else str(principal)


def store_of(request: Request) -> Store | None:
    """The app's audit store, or ``None`` when it runs without one."""
    store: Store | None = getattr(request.app.state, "store", None)
    return store


def unavailable(exc: StoreError) -> InvalidRequest:
    """The 503 for a store failure; the cause goes to the server log (no patient data in it)."""
    _log.error("audit store failure: %s", loggable(exc))
    return InvalidRequest([FieldProblem("(store)", STORE_DOWN)], status_code=503)


async def record(request: Request, entries: Sequence[AuditEntry]) -> list[int]:
    """Record ``entries`` (one response's records, one transaction) and wait for the commit.

    Returns the row ids (empty without a store); raises the 503 ``InvalidRequest`` when it fails."""
    from micromets.store import StoreError

    store = store_of(request)
    if store is None or not entries:
        return []
    try:
        return await asyncio.wrap_future(store.submit(entries))
    except StoreError as exc:
        raise unavailable(exc) from None


def whatif_entries(case_data: dict[str, Any], changes: dict[str, Any], result: Any, *, actor: str | None,
                   response_json: str, response: bytes | str | None = None) -> list[AuditEntry]:
    """The records of one what-if (``micromets.whatif.WhatIf``): the case as given and as changed with
    their assessments, and the answer returned (``response_json``; ``response``: the page, if HTML)."""
    from micromets.model import parse_case
    from micromets.store import entry
    from micromets.whatif import apply_changes

    cases = (parse_case(case_data), parse_case(apply_changes(case_data, changes)))
    return [entry(case, assessment, source="whatif", actor=actor, output="whatif", response_json=response_json,
                  response=response) for case, assessment in zip(cases, (result.before, result.after), strict=True)]
