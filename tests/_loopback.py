"""A small HTTP server on 127.0.0.1 for tests: an EHR's JWK Set URL or its FHIR server.

Routes map a path with its query (``/fhir/Observation?patient=p1``) to a JSON body; every request is
kept (method, path with query, headers) so that tests can check what micromets asked for and with which
bearer token. ``token`` set: a request without ``Authorization: Bearer <token>`` gets 401.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Loopback:
    def __init__(self) -> None:
        self.routes: dict[str, Any] = {}
        self.requests: list[dict[str, Any]] = []
        self.token: str | None = None
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server hook name)
                owner.requests.append({"method": "GET", "path": self.path,
                                       "headers": {k.lower(): v for k, v in self.headers.items()}})
                if owner.token is not None and self.headers.get("Authorization") != f"Bearer {owner.token}":
                    self._send(401, {"resourceType": "OperationOutcome"})
                    return
                if self.path not in owner.routes:
                    self._send(404, {"resourceType": "OperationOutcome"})
                    return
                self._send(200, owner.routes[self.path])

            def _send(self, status: int, body: Any) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/fhir+json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Loopback:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
