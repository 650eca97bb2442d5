"""The micromets web app and REST API (FastAPI).

``create_app()`` only assembles: the REST router (``rest``), the web UI router (``web``), the error
handlers (``errors``), the body size limits (``limits``) and the static files. Run it with
``micromets serve`` (``micromets.api.server.serve``) or any ASGI server::

    >>> from fastapi.testclient import TestClient
    >>> TestClient(create_app()).get("/healthz").json()["status"]
    'ok'
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from micromets.api.errors import install_error_handlers
from micromets.api.limits import BodySizeLimit
from micromets.model import Case

if TYPE_CHECKING:
    from micromets.store import Store

__all__ = ["create_app"]

_STATIC = Path(__file__).parent / "static"
_DESCRIPTION = (
    "Decision support for early breast cancer with nodal micrometastases: findings, AJCC 8 stage, "
    "PREDICT prognosis, recommendations with evidence and a follow-up plan. Decision support only: "
    "every output must be checked by the treating team.\n\n"
    'Errors: `{"detail": [{"field": "tumour.grade", "message": "..."}]}` with status 422 '
    "(413 for a body above the size limit)."
)


def _add_case_schema(document: dict[str, Any]) -> None:
    """Put the case JSON Schema (and its nested models) into ``components.schemas``."""
    schema = Case.model_json_schema(mode="validation", ref_template="#/components/schemas/{model}")
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in schema.pop("$defs", {}).items():
        components.setdefault(name, definition)
    components["Case"] = schema


def create_app(store: Store | None = None) -> FastAPI:
    """Build the application: REST API under ``/api``, web UI at ``/``, OpenAPI at ``/docs``.

    With a ``store`` (``micromets.store.Store``), ``POST /api/assess`` records every assessment in it
    and ``/api/assessments`` reads it back; without one, nothing is recorded (see docs/store.md).
    """
    from micromets.api import cdshooks, rest, web
    from micromets.assess import micromets_version

    # FastAPIOffline serves the Swagger UI and ReDoc assets from the package: hospital networks have no CDN.
    app = FastAPIOffline(title="micromets", version=micromets_version(), description=_DESCRIPTION)
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit)
    app.include_router(rest.router)
    app.include_router(web.router)
    app.include_router(cdshooks.router)
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")
    if store is not None:
        app.state.store = store

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, description=app.description,
                                   routes=app.routes)
            _add_case_schema(document)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
