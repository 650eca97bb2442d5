"""Request body size limits, enforced before any route sees the body.

A body above the limit gets ``413`` with the usual error shape. The declared ``Content-Length`` is
checked first; a body sent without one (chunked) is counted as it arrives. Bodies under the limit are
buffered and replayed to the application, so routes never see a half-read body.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BATCH_LIMIT_BYTES", "MAX_FORM_FIELDS", "SINGLE_LIMIT_BYTES", "BodySizeLimit", "limit_for"]

MIB = 1024 * 1024
SINGLE_LIMIT_BYTES = 1 * MIB
BATCH_LIMIT_BYTES = 10 * MIB
_BATCH_PATHS = ("/api/assess/batch",)
#: Fields in one web form submission (the case form has a few hundred at most).
MAX_FORM_FIELDS = 20_000


def limit_for(path: str) -> int:
    """The body size limit of a path: 10 MiB for the batch endpoint, 1 MiB for everything else."""
    return BATCH_LIMIT_BYTES if path.rstrip("/") in _BATCH_PATHS else SINGLE_LIMIT_BYTES


def _too_large_body(limit: int) -> bytes:
    message = f"is larger than {limit // MIB} MiB; send fewer or smaller cases per request"
    return json.dumps({"detail": [{"field": "(body)", "message": message}]}).encode()


class BodySizeLimit:
    """ASGI middleware rejecting request bodies above ``limit_for(path)`` with 413."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _reject(send, limit)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _reject(send, limit)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        await self.app(scope, replaying(body, receive), send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _reject(send: Send, limit: int) -> None:
    body = _too_large_body(limit)
    await send({
        "type": "http.response.start",
        "status": 413,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close")],
    })
    await send({"type": "http.response.body", "body": body})


def replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app the body already read (once, whole), then the connection's own messages."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
