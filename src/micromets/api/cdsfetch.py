"""The prefetch a CDS client did not send, fetched from its FHIR server (CDS Hooks 2.0, "FHIR Resource Access").

When a request carries ``fhirServer`` and ``fhirAuthorization``, the service may query the FHIR server
with the access token for the data it needs. micromets asks only for the prefetch templates of its
discovery document whose keys the client left out (a key sent as ``null`` means "no data": not asked
again), with the patient of the hook's context, and only on a FHIR server the client may name
(``CdsClient.allowed_fhir_server``). Every query has timeouts and a size limit (the whole fetch too), and
its answer is decoded as strictly as a request body; search results are read page by page (``next`` links on
the same server only). Any failure is a ``FetchError`` naming the prefetch key, never the URL (it holds the
patient id, and the message reaches the server log) nor the token.

    >>> query_url("https://ehr.example.org/fhir", "Observation?patient={{context.patientId}}", {"patientId": "p-1"})
    'https://ehr.example.org/fhir/Observation?patient=p-1'
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from typing import Any

from micromets.errors import CaseValidationError
from micromets.interop.fhir_id import FHIR_ID
from micromets.model.strict_json import loads_strict

__all__ = ["FHIR_ID", "MAX_BYTES", "MAX_PAGES", "MAX_TOTAL_BYTES", "TIMEOUT_S", "FetchError", "fetch_missing", "query_url"]

#: Seconds for the whole fetch (all queries, all pages); each connection has 3 s to open.
TIMEOUT_S = 8.0
#: The most bytes one response may have, all responses of one fetch together, and the most pages one search is
#: read for (20 pages of 8 MiB would be 160 MiB of JSON, some ten times that decoded, per call).
MAX_BYTES = 8 * 1024 * 1024
MAX_TOTAL_BYTES = 16 * 1024 * 1024
MAX_PAGES = 20
_TOKEN = re.compile(r"\{\{\s*context\.(\w+)\s*\}\}")


class FetchError(Exception):
    """The FHIR server could not give the data; the message names the query, never the token."""


def query_url(base: str, template: str, context: Mapping[str, Any]) -> str:
    """The URL of a prefetch template on the FHIR server ``base``, its ``{{context.x}}`` tokens filled in."""

    def value(match: re.Match[str]) -> str:
        item = context.get(match.group(1))
        # "." and ".." match the FHIR id pattern but are dot segments: Patient/.. would ask for another path.
        if not isinstance(item, str) or not FHIR_ID.fullmatch(item) or not item.strip("."):
            raise FetchError(f"context.{match.group(1)} is not a FHIR id, so the prefetch cannot be asked for")
        return item

    return base.rstrip("/") + "/" + _TOKEN.sub(value, template)


class _Budget:
    """The bytes all queries and pages of one fetch may still bring (``MAX_TOTAL_BYTES``)."""

    def __init__(self) -> None:
        self.left = MAX_TOTAL_BYTES

    def take(self, size: int, what: str) -> None:
        self.left -= size
        if self.left < 0:
            raise FetchError(f"the answers up to {what} are larger than {MAX_TOTAL_BYTES // 1024 // 1024} MiB together")


async def _get_json(client: Any, url: str, what: str, budget: _Budget) -> Any:
    async with client.stream("GET", url) as response:
        if response.status_code != 200:
            raise FetchError(f"the FHIR server answered {response.status_code} to {what}")
        body = bytearray()
        async for chunk in response.aiter_bytes():
            body += chunk
            budget.take(len(chunk), what)
            if len(body) > MAX_BYTES:
                raise FetchError(f"the answer to {what} is larger than {MAX_BYTES // 1024 // 1024} MiB")
    try:
        # The strict decoder of every other input: nesting that would exhaust the stack, NaN, names given twice,
        # lone surrogates and 5,000-digit integers are refused here, not met later as a server error.
        return loads_strict(bytes(body), where="(answer)")
    except CaseValidationError as exc:
        first = exc.problems[0]  # a JSON path and what is wrong: no patient id, no token
        raise FetchError(f"the answer to {what} is not acceptable JSON: {first.field}: {first.message}") from None


def _next_link(bundle: dict[str, Any], base: str, what: str) -> str | None:
    for link in bundle.get("link") or []:
        if isinstance(link, dict) and link.get("relation") == "next" and isinstance(link.get("url"), str):
            url: str = link["url"]
            if not url.startswith(base.rstrip("/") + "/"):
                # Following it would send the token elsewhere; stopping would leave data out unseen.
                raise FetchError(f"{what} links its next page on another server")
            return url
    return None


async def _one(client: Any, base: str, url: str, key: str, budget: _Budget) -> Any:
    what = f"the {key!r} query"
    first = await _get_json(client, url, what, budget)
    if not (isinstance(first, dict) and first.get("resourceType") == "Bundle"):
        return first
    entries = list(first.get("entry") or [])
    page, pages = first, 1
    while (following := _next_link(page, base, what)) is not None:
        if pages >= MAX_PAGES:
            raise FetchError(f"{what} has more than {MAX_PAGES} pages")
        page = await _get_json(client, following, f"page {pages + 1} of {what}", budget)
        pages += 1
        if not (isinstance(page, dict) and page.get("resourceType") == "Bundle"):
            raise FetchError(f"page {pages} of {what} is not a Bundle")
        entries += list(page.get("entry") or [])
    return {**{k: v for k, v in first.items() if k != "link"}, "entry": entries}


async def fetch_missing(base: str, access_token: str, templates: Mapping[str, str], context: Mapping[str, Any],
                        keys: list[str], *, timeout: float = TIMEOUT_S) -> dict[str, Any]:
    """The data of the prefetch ``keys`` (of ``templates``), asked of the FHIR server ``base`` at once."""
    import httpx

    urls = {key: query_url(base, templates[key], context) for key in keys}
    headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/fhir+json"}
    limits = httpx.Timeout(timeout, connect=min(3.0, timeout))
    try:
        async with httpx.AsyncClient(headers=headers, timeout=limits, follow_redirects=False, trust_env=False) as client:
            budget = _Budget()
            results = await asyncio.wait_for(asyncio.gather(*(_one(client, base, url, key, budget)
                                                              for key, url in urls.items())), timeout)
    except TimeoutError:
        raise FetchError(f"the FHIR server did not answer within {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"the FHIR server cannot be reached ({type(exc).__name__})") from None
    return dict(zip(urls, results, strict=True))
