"""The micromets web app and REST API (FastAPI).

``create_app()`` only assembles: the REST router (``rest``), the web UI router (``web``), the error
handlers (``errors``), the body size limits (``limits``), the access control middleware (``guard``,
settings in ``security``) and the static files. Run it with ``micromets serve``
(``micromets.api.server.serve``) or any ASGI server::

    >>> from fastapi.testclient import TestClient
    >>> client = TestClient(create_app(), base_url="http://localhost")
    >>> client.get("/healthz").json(), client.post("/api/assess", json={}).status_code
    ({'status': 'ok'}, 401)
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
from micromets.api.security import SecuritySettings
from micromets.model import Case

if TYPE_CHECKING:
    from micromets.store import Store
    from micromets.store.access import AccessStore

__all__ = ["API_VERSION", "create_app"]

#: The version of the REST API contract (the OpenAPI document's ``info.version``), not of the software.
API_VERSION = "1"

_STATIC = Path(__file__).parent / "static"
_DESCRIPTION = (
    "Decision support for early breast cancer with nodal micrometastases: findings, AJCC 8 stage, "
    "PREDICT prognosis, recommendations with evidence and a follow-up plan. Decision support only: "
    "every output must be checked by the treating team.\n\n"
    'Errors: `{"detail": [{"field": "tumour.grade", "message": "..."}]}` with status 422 '
    "(413 for a body above the size limit).\n\n"
    "Every `/api/` call needs `Authorization: Bearer <token>` (`micromets token create --scope read|write|admin`): "
    "`write` to assess, `read` for stored assessments, `admin` for `/api/admin/`. 401 without a valid token, "
    "403 when its scope is not enough, 415 for a body that is not JSON."
)
_AUTH_RESPONSES = {
    "401": {"description": "No valid API token.", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
    "403": {"description": "The token's scope does not allow this call.", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ErrorBody"}}}},
}


def _add_security(document: dict[str, Any]) -> None:
    """Declare the bearer token on every ``/api/`` operation (the Swagger UI then has "Authorize")."""
    schemes = document.setdefault("components", {}).setdefault("securitySchemes", {})
    schemes["bearer"] = {"type": "http", "scheme": "bearer",
                         "description": "An API token from `micromets token create`."}
    for path, operations in document.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for operation in operations.values():
            operation["security"] = [{"bearer": []}]
            responses = operation.setdefault("responses", {})
            for status, response in _AUTH_RESPONSES.items():
                responses.setdefault(status, response)
            if "requestBody" in operation:
                responses.setdefault("415", {**_AUTH_RESPONSES["401"], "description": "The body is not JSON."})


def _add_case_schema(document: dict[str, Any]) -> None:
    """Put the case JSON Schema (and its nested models) into ``components.schemas``."""
    schema = Case.model_json_schema(mode="validation", ref_template="#/components/schemas/{model}")
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in schema.pop("$defs", {}).items():
        components.setdefault(name, definition)
    components["Case"] = schema


def create_app(store: Store | None = None, *, settings: SecuritySettings | None = None,
               access: AccessStore | None = None) -> FastAPI:
    """Build the application: REST API under ``/api``, web UI at ``/``, OpenAPI at ``/docs``.

    With a ``store`` (``micromets.store.Store``), ``POST /api/assess`` records every assessment in it
    and ``/api/assessments`` reads it back; without one, nothing is recorded (see docs/store.md).

    ``access`` (``micromets.store.access.AccessStore``) holds the API tokens, sign-in links and the
    CDS Hooks replay cache; without one, a private in-memory database (no tokens: every ``/api/``
    call is refused until one is created in ``app.state.access``). ``settings`` (``SecuritySettings``)
    default to loopback host names, no CORS and no trusted CDS client.
    """
    from micromets.api import cdshooks, guard, rest, web
    from micromets.api.cdsauth import CdsTrust
    from micromets.store.access import AccessStore

    settings = settings or SecuritySettings()
    access = access or AccessStore.in_memory()
    # FastAPIOffline serves the Swagger UI and ReDoc assets from the package: hospital networks have no CDN.
    # The OpenAPI document is open (/openapi.json, /docs): its info.version is the version of the API contract, not
    # of the software (OpenAPI 3.1, "Info Object": "distinct from ... the API implementation version"), so that no
    # unauthenticated page names the build; GET /api/version (any valid token) does.
    app = FastAPIOffline(title="micromets", version=API_VERSION, description=_DESCRIPTION)
    install_error_handlers(app)
    # Added innermost first: RootPath -> AccessLog -> SecurityHeaders -> ServerErrors -> HostCheck -> CORS -> Guard
    # -> BodySizeLimit -> CsrfCheck -> HeadAsGet -> routes (see micromets.api.guard).
    app.add_middleware(guard.HeadAsGet)
    app.add_middleware(guard.CsrfCheck)
    app.add_middleware(BodySizeLimit)
    cds = CdsTrust.from_files(settings.cds_jwks, settings.cds_trust)
    app.add_middleware(guard.Guard, settings=settings, access=access, cds=cds, clock=access.now)
    if settings.cors_origins:
        app.add_middleware(guard.Cors, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"], allow_credentials=False, max_age=600)
    app.add_middleware(guard.HostCheck, allowed=settings.allowed_hosts)
    app.add_middleware(guard.ServerErrors)
    app.add_middleware(guard.SecurityHeaders, https=settings.https)
    app.add_middleware(guard.AccessLog)
    app.add_middleware(guard.RootPath)
    app.include_router(rest.router)
    app.include_router(web.router)
    app.include_router(cdshooks.router)
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")
    app.state.settings = settings
    app.state.access = access
    app.state.cds_trust = cds
    if store is not None:
        app.state.store = store

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, description=app.description,
                                   routes=app.routes)
            _add_case_schema(document)
            _add_security(document)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
