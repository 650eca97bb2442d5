"""Every access decision, in ASGI middleware that wraps the whole app (deny by default).

``create_app`` stacks them, outermost first::

    RootPath -> AccessLog -> SecurityHeaders -> ServerErrors -> HostCheck -> [CORS] -> Guard -> BodySizeLimit
    -> CsrfCheck -> HeadAsGet -> routes

- ``RootPath``: a proxy prefix given with a trailing slash (``root_path`` ``/micromets/``) is read as
  ``/micromets``, so routing, the access decision, cookie ``Path`` and redirects all see one prefix.

- ``HostCheck``: a ``Host`` header not in the allowed list gets 400 (defeats DNS rebinding).
- ``Guard`` sorts each request by path, before any route runs or any body is read:

  ============================================  ==============================================
  open                                          ``/healthz``, ``/docs``, ``/redoc``, ``/openapi.json``,
                                                ``/assets/report.css``, the files under ``/static/``,
                                                ``GET /cds-services`` (discovery)
  ``/api/...``                                  ``Authorization: Bearer <API token>`` with the scopes
                                                of ``security.required_scopes``; JSON bodies only (415)
  ``/cds-services/{id}``                        ``Authorization: Bearer <JWT>`` of a trusted CDS client
                                                (``cdsauth``), ``jti`` not seen before; JSON only
  everything else (the web app)                 a signed session cookie, opened by a one-time sign-in
                                                link (``/?token=...``), used within the idle timeout and
                                                not signed out (one statement: ``revoked_sessions`` and
                                                ``session_generations``); otherwise a 401 sign-in page
  ============================================  ==============================================

  A sign-in link (``GET`` or ``HEAD`` of any web path with ``?token=``) changes nothing: it shows a
  confirmation page naming the account it signs in to (and the account already signed in, if another),
  whose form ``POST /signin`` uses up the link and opens a new session. That form's CSRF token is bound
  to a random value in the ``micromets_signin`` cookie the confirmation page sets (there is no session
  yet). A link preview, a scanner or a prefetch therefore never uses up a link or signs anyone in.
  and puts the ``Principal`` on ``request.state.principal`` (for a CDS client also its
  ``cdsauth.CdsClient`` on ``request.state.cds_client``).
- ``CsrfCheck``: a web form ``POST`` must carry the session's CSRF token (``csrf_token`` field).
- ``SecurityHeaders``: CSP, ``nosniff``, no framing, no referrer, ``no-store`` on everything but
  static files.
- ``ServerErrors``: an unexpected exception becomes a 500 in the usual error shape (an HTML error page on the
  web), with the security headers, and is logged without its message's detail lines.
- ``HeadAsGet``: ``HEAD`` is answered as ``GET`` without the body (RFC 9110 section 9.3.2), after the
  access decision, which treats ``HEAD`` as the safe method it is (a sign-in link is not used up).
- ``AccessLog``: one line per request with the route *template* (``/api/assessments/{row_id}``),
  never the raw path or the query string, so no case id or patient field reaches the log.

Security state lives in the database (tokens, sign-in links, signed-out sessions, sign-out-everywhere
generations, JWT ids) or in the signed cookie (the session's last activity, rewritten at most once a minute):
no worker keeps any of its own.
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import logging
import re
import secrets
import time
from collections.abc import Callable
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from micromets.api import security
from micromets.api.cdsauth import CdsAuthError, CdsTrust
from micromets.api.errors import loggable
from micromets.api.limits import MAX_FORM_FIELDS, replaying
from micromets.api.security import Principal, SecuritySettings
from micromets.api.server import LOGIN_LINK_TTL
from micromets.store.access import AccessStore
from micromets.store.repository import StoreError

__all__ = ["AccessLog", "Cors", "CsrfCheck", "Guard", "HeadAsGet", "HostCheck", "RootPath", "SecurityHeaders", "ServerErrors",
           "classify", "cookie_spec", "current_url", "local_url", "normalised_root", "route_path", "safe_target"]

_log = logging.getLogger("micromets.access")
_auth_log = logging.getLogger(__name__)

Kind = Literal["open", "api", "cds", "web"]
# Open by exact path: a route added later under the same prefix is not open by accident.
_OPEN_PATHS = frozenset({"/healthz", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/assets/report.css"})
# Open by prefix: the two StaticFiles mounts, which serve only files inside their package folder.
_STATIC_PREFIXES = ("/static/", "/static-offline-docs/")
_CACHEABLE_PATHS = frozenset({"/assets/report.css"})
#: The form of the sign-in confirmation page posts here (handled by ``web.signin``).
SIGNIN_PATH = "/signin"
_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_REALM = 'Bearer realm="micromets"'


def route_path(scope: Scope) -> str:
    """The path the routes see: ``root_path`` removed exactly when Starlette's router removes it (only in front
    of a ``/``), so the access decision is always about the route that will answer.

    >>> route_path({"path": "/mm/api/assess", "root_path": "/mm"}), route_path({"path": "/api/assess", "root_path": "/"})
    ('/api/assess', '/api/assess')
    >>> route_path({"path": "/mmapi/assess", "root_path": "/mm"})  # not under /mm: the router sees it whole
    '/mmapi/assess'
    """
    path: str = scope.get("path", "")
    root: str = scope.get("root_path", "")
    if root and path == root:
        return ""
    if not root or not path.startswith(root) or path[len(root)] != "/":
        return path
    return path[len(root):]


_ROOT_PATH: contextvars.ContextVar[str] = contextvars.ContextVar("micromets_root_path", default="")


def current_url(target: str) -> str:
    """``target`` under the ``root_path`` of the request being handled (for the templates' links and forms).

    >>> current_url("/signout")
    '/signout'
    """
    return local_url({"root_path": _ROOT_PATH.get()}, target)


def safe_target(target: str) -> str:
    """``target`` when it is a path (and query) on this server to go back to after signing in, else ``/``:
    never ``//host`` or ``/\\host`` (another server), nor a control character a browser would drop
    (``/\t/host`` is read as ``//host``).

    >>> safe_target("/assessments?case_id=7"), safe_target("//evil.example/"), safe_target("/\t/evil.example")
    ('/assessments?case_id=7', '/', '/')

    Nor a dot segment, which a browser removes after the root path is put in front (WHATWG URL: ``..``, ``.%2e``,
    ``%2e.`` and ``%2e%2e`` are ``..``): ``/micromets/..//evil.example`` is ``//evil.example``, outside the prefix.

    >>> safe_target("/..//evil.example"), safe_target("/a/%2E%2e/b"), safe_target("/a/./b"), safe_target("/a..b/c")
    ('/', '/', '/', '/a..b/c')
    """
    if (not target.startswith("/") or target[1:2] in ("/", "\\") or len(target) > 2000
            or not target.isprintable() or " " in target):
        return "/"
    path = target.split("?", 1)[0].split("#", 1)[0]
    if any(segment.lower().replace("%2e", ".") in (".", "..") for segment in path.split("/")):
        return "/"
    return target


def local_url(scope: Scope, target: str) -> str:
    """``target`` (a route path) as a URL on this server, under ``root_path``; never ``//host`` or ``/\\host``,
    which a browser would take for another server.

    >>> local_url({"root_path": "/"}, "/evil.example/"), local_url({"root_path": "/mm"}, "/")
    ('/evil.example/', '/mm/')
    """
    root = str(scope.get("root_path", "")).strip("/\\")
    return ("/" + root if root else "") + "/" + target.lstrip("/\\")


def cookie_spec(scope: Scope, settings: SecuritySettings, base: str) -> tuple[str, str, bool]:
    """The name, ``Path`` and ``Secure`` flag of a micromets cookie for this request: ``Path`` = the prefix the app
    is served under, ``Secure`` over https (or an https public URL), the name prefixed as those allow
    (``security.cookie_name``). A cookie is read by the same name it is written with, so over https a plain
    ``micromets_session`` cookie (planted by a sibling host or a plain-http page) is never read."""
    secure = scope.get("scheme") == "https" or settings.https
    path = security.cookie_path(str(scope.get("root_path", "")))
    return security.cookie_name(base, secure=secure, path=path), path, secure


def normalised_root(scope: Scope) -> tuple[str, str, bytes | None]:
    """``root_path``, ``path`` and ``raw_path`` with the root path's trailing slash taken off (and the one slash it
    stood for kept in the path), so that a proxy prefix given as ``/micromets/`` means what ``/micromets`` means.

    Starlette's router removes ``root_path`` from the path only in front of a ``/``: with ``/micromets/`` the
    path ``/micromets/signin`` would be routed whole (404), and uvicorn's ``/micromets//signin`` would keep a
    double slash in every URL built from it.

    >>> normalised_root({"root_path": "/micromets/", "path": "/micromets/signin"})[:2]
    ('/micromets', '/micromets/signin')
    >>> normalised_root({"root_path": "/micromets/", "path": "/micromets//signin", "raw_path": b"/micromets//signin"})
    ('/micromets', '/micromets/signin', b'/micromets/signin')
    >>> normalised_root({"root_path": "/", "path": "//api/assess"})[:2], normalised_root({"root_path": "/mm", "path": "/mm/"})[:2]
    (('', '/api/assess'), ('/mm', '/mm/'))
    """
    root: str = scope.get("root_path", "")
    path: str = scope.get("path", "")
    raw = scope.get("raw_path")
    raw_path = raw if isinstance(raw, bytes) else None
    if not root.endswith("/"):
        return root, path, raw_path
    trimmed = root.rstrip("/")
    if path.startswith(root):
        rest = path[len(root):]
        path = trimmed + "/" + (rest[1:] if rest.startswith("/") else rest)
    if raw_path is not None and raw_path.startswith(root.encode("latin-1", "replace")):
        rest_raw = raw_path[len(root.encode("latin-1", "replace")):]
        raw_path = trimmed.encode("latin-1", "replace") + b"/" + (rest_raw[1:] if rest_raw.startswith(b"/") else rest_raw)
    return trimmed, path, raw_path


class RootPath:
    """The outermost layer: a ``root_path`` that ends in ``/`` (``uvicorn --root-path /micromets/``, a proxy
    configured with the trailing slash) is read as the same prefix without it (``normalised_root``), before any
    access decision, cookie ``Path`` or redirect is made from it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and str(scope.get("root_path", "")).endswith("/"):
            root, path, raw_path = normalised_root(scope)
            scope = {**scope, "root_path": root, "path": path}
            if raw_path is not None:
                scope["raw_path"] = raw_path
        await self.app(scope, receive, send)


def classify(method: str, path: str) -> Kind:
    """Which rule applies to a request.

    >>> classify("GET", "/healthz"), classify("POST", "/api/assess"), classify("GET", "/cds-services")
    ('open', 'api', 'open')
    >>> classify("POST", "/cds-services/x"), classify("GET", "/"), classify("GET", "/api")
    ('cds', 'web', 'api')
    """
    if path in _OPEN_PATHS or path.startswith(_STATIC_PREFIXES):
        return "open"
    if path == "/api" or path.startswith("/api/"):
        return "api"
    if path == "/cds-services":
        return "open" if method in ("GET", "HEAD") else "cds"
    if path.startswith("/cds-services/"):
        return "cds"
    return "web"


def _problem(status: int, field: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"detail": [{"field": field, "message": message}]}, status_code=status, headers=headers)


def _json_body_ok(headers: Headers) -> bool:
    """A body, if any, is declared as JSON (``application/json`` or ``application/*+json``, UTF-8)."""
    content_type = headers.get("content-type")
    if content_type is None:
        return headers.get("content-length", "0").strip() in ("", "0") and "transfer-encoding" not in headers
    media, _, params = content_type.partition(";")
    media = media.strip().lower()
    if media != "application/json" and not (media.startswith("application/") and media.endswith("+json")):
        return False
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return False
    return True


_UNSUPPORTED = ("this endpoint takes JSON: send the body with Content-Type: application/json")


def _body_problem(headers: Headers) -> Response | None:
    """415 for a body micromets would misread: not declared as JSON, or sent with a content coding (RFC 9110
    section 8.4: a coding the server does not apply is 415; a gzip body would otherwise be read as its
    compressed bytes, and a body merely labelled gzip as plain JSON)."""
    codings = [c.strip().lower() for v in headers.getlist("content-encoding") for c in v.split(",") if c.strip()]
    if any(c != "identity" for c in codings):
        return _problem(415, "(content-encoding)", "send the body as it is, without Content-Encoding "
                        f"(got {', '.join(codings)[:40]!r}); compressed bodies are not accepted",
                        {"Accept-Encoding": "identity"})
    return None if _json_body_ok(headers) else _problem(415, "(content-type)", _UNSUPPORTED)


def _ambiguous_credentials(headers: Headers) -> Response | None:
    """400 for more than one ``Authorization`` header: which one a proxy checked and which one we would read
    could differ (RFC 6750 section 3.1: a request that repeats a parameter or uses more than one method to
    send a token is ``invalid_request``, 400)."""
    if len(headers.getlist("authorization")) <= 1:
        return None
    return _problem(400, "(authorization)", "send one Authorization header, not several",
                    {"WWW-Authenticate": f'{_REALM}, error="invalid_request"'})


def _bearer(headers: Headers) -> str | None:
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    credentials = credentials.strip()
    return credentials if scheme.lower() == "bearer" and credentials else None


class Guard:
    """Authentication and authorisation of every request (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, settings: SecuritySettings, access: AccessStore, cds: CdsTrust,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
        self.app = app
        self.settings = settings
        self.access = access
        self.cds = cds
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method: str = scope["method"]
        path = route_path(scope)
        kind = classify(method, path)
        _ROOT_PATH.set(str(scope.get("root_path", "")))
        if kind == "open":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        state: dict[str, Any] = scope.setdefault("state", {})
        outcome: Principal | Response | None
        if kind == "api":
            outcome = await self._api(headers, method, path, state)
        elif kind == "cds":
            outcome = await self._cds(scope, headers, method, path, state)
        else:
            outcome = await self._web(scope, headers, method, path, state)
        if isinstance(outcome, Response):
            await outcome(scope, receive, send)
            return
        if outcome is not None:
            state["principal"] = outcome
        refreshed = state.pop("session_cookie", None)
        await self.app(scope, receive, send if refreshed is None else self._with_cookie(send, scope, *refreshed))

    def _with_cookie(self, send: Send, scope: Scope, value: str, max_age: int) -> Send:
        """``send`` adding the session cookie with its new last activity, unless the route set that cookie
        itself (sign-out removes it; sign-in replaces it)."""
        cookie = Response()
        name, path, secure = cookie_spec(scope, self.settings, security.SESSION_COOKIE)
        cookie.set_cookie(name, value, max_age=max_age, path=path, secure=secure, httponly=True, samesite="strict")
        header = cookie.raw_headers[-1]
        prefix = f"{name}=".encode()

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"set-cookie" and value.startswith(prefix) for name, value in headers):
                    message = {**message, "headers": [*headers, header]}
            await send(message)

        return send_with_cookie

    async def _api(self, headers: Headers, method: str, path: str, state: dict[str, Any]) -> Principal | Response:
        if (ambiguous := _ambiguous_credentials(headers)) is not None:
            return ambiguous
        secret = _bearer(headers)
        if secret is None:
            return _problem(401, "(authorization)", "send an API token: Authorization: Bearer <token> "
                            "(create one with `micromets token create --scope write`)",
                            {"WWW-Authenticate": _REALM})
        try:
            token = await run_in_threadpool(self.access.authenticate, secret)
        except StoreError as exc:
            return self._store_down(exc)
        if token is None:
            return _problem(401, "(authorization)", "the API token is not valid (unknown, expired or revoked)",
                            {"WWW-Authenticate": f'{_REALM}, error="invalid_token"'})
        principal = state["principal"] = Principal.for_token(token.id, token.name, token.scope)
        needed = security.required_scopes(method, path)
        if not needed <= principal.scopes:
            wanted = " ".join(sorted(needed))
            return _problem(403, "(scope)", f"this token has scope {token.scope}; {method} {path[:60]} needs "
                            f"{wanted}", {"WWW-Authenticate": f'{_REALM}, error="insufficient_scope", scope="{wanted}"'})
        if method not in _SAFE_METHODS and (refused := _body_problem(headers)) is not None:
            return refused
        return principal

    def _audience(self, scope: Scope, headers: Headers, path: str) -> str:
        """The URL the CDS client called (the JWT's ``aud``): the public URL, or this request's own origin
        and ``root_path``, then the route path."""
        if self.settings.public_url:
            return self.settings.public_url.rstrip("/") + path
        return f"{scope.get('scheme', 'http')}://{headers.get('host', '')}{local_url(scope, path)}"

    async def _cds(self, scope: Scope, headers: Headers, method: str, path: str,
                   state: dict[str, Any]) -> Principal | Response:
        if (ambiguous := _ambiguous_credentials(headers)) is not None:
            return ambiguous
        token = _bearer(headers)
        if token is None:
            return _problem(401, "(authorization)", "a CDS client must send Authorization: Bearer <JWT> "
                            "signed with its key (CDS Hooks: Trusting CDS Clients)", {"WWW-Authenticate": _REALM})
        try:
            audience = self._audience(scope, headers, path)
            if self.cds.fetches_keys:  # a JWK Set URL may be fetched: never block the event loop on the network
                claims = await run_in_threadpool(self.cds.verify, token, audience, self.clock())
            else:  # an ES384/RS384 check takes ~0.3 ms: less than handing it to a thread and back
                claims = self.cds.verify(token, audience, self.clock())
        except CdsAuthError as exc:
            _auth_log.warning("CDS Hooks JWT refused: %s", exc)
            return _problem(401, "(authorization)", str(exc),
                            {"WWW-Authenticate": f'{_REALM}, error="invalid_token"'})
        principal = state["principal"] = Principal.for_cds_client(claims.issuer, claims.tenant)
        state["cds_client"] = self.cds.client(claims.issuer)
        if method not in _SAFE_METHODS and (refused := _body_problem(headers)) is not None:
            return refused
        try:
            # Group commit: the ids of concurrent calls share one transaction (no thread waits for it).
            fresh = await asyncio.wrap_future(self.access.remember_jti_later(claims.issuer, claims.jti,
                                                                             claims.expires_at))
        except StoreError as exc:
            return self._store_down(exc)
        if not fresh:
            _auth_log.warning("CDS Hooks JWT refused: jti replayed")
            return _problem(401, "(authorization)", "this JWT was already used (jti); sign a new one per call",
                            {"WWW-Authenticate": f'{_REALM}, error="invalid_token"'})
        return principal

    def _store_down(self, exc: StoreError) -> Response:
        _auth_log.error("access tables unavailable: %s", loggable(exc))
        return _problem(503, "(authorization)", "credentials cannot be checked now (database unavailable); "
                        "try again later or tell the administrator")

    async def _web(self, scope: Scope, headers: Headers, method: str, path: str,
                   state: dict[str, Any]) -> Principal | Response | None:
        from micromets.api import web

        now = self.clock()
        cookies = Request(scope).cookies
        session = security.read_session_cookie(
            self.settings.session_secret, cookies.get(cookie_spec(scope, self.settings, security.SESSION_COOKIE)[0], ""),
            now)
        idle = session is not None and session.idle(now, self.settings.session_idle_timeout)
        if idle:
            session = None
        if session is not None:
            try:  # signed out, here or everywhere (on any worker): the cookie is worth what no cookie is
                if await run_in_threadpool(self.access.session_revoked, session.sid, session.name,
                                           session.generation):
                    session = None
            except StoreError as exc:
                _auth_log.error("access tables unavailable: %s", loggable(exc))
                return web.signin_page("Your session cannot be checked now (database unavailable).", 503)
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        login = [value for key, value in query if key == "token"]
        if login and method in ("GET", "HEAD"):
            # Safe methods change nothing (RFC 9110 section 9.2.1): a link preview, a mail scanner or a prefetch
            # that GETs the link gets this page and leaves the link unused.
            rest = urlencode([(k, v) for k, v in query if k != "token"])
            return await self._confirmation(scope, cookies, login[0], safe_target(path + (f"?{rest}" if rest else "")),
                                            session)
        if path == SIGNIN_PATH and method == "POST":
            return self._signin_form(scope, headers, cookies, session, state)
        if session is None:
            minutes = int(self.settings.session_idle_timeout.total_seconds() // 60)
            return web.signin_page(f"You were signed out after {minutes} minutes without activity." if idle else "")
        state["web_session"] = session  # for sign-out, which revokes it
        if session.due_for_refresh(now):
            state["session_cookie"] = (security.encode_session(self.settings.session_secret, session.seen_at(now)),
                                       max(0, session.expires - int(now.timestamp())))
        token = security.csrf_token_for(self.settings.session_secret, session)
        security.set_csrf_token(token)
        if method not in _SAFE_METHODS:
            # Browsers say where a request comes from; our own forms are same-origin. (Another port on
            # localhost is "same-site", and SameSite cookies do not stop it: the CSRF token does.)
            if not _same_origin(headers):
                return web.problem_page("(request)", "a form from another site cannot be sent here", 403)
            state["csrf_expected"] = token
        return Principal.for_session(session)

    async def _confirmation(self, scope: Scope, cookies: dict[str, str], link: str, target: str,
                            session: security.WebSession | None) -> Response:
        """The sign-in confirmation page of a link: which account it signs in to, and which one is signed in
        now if another (login CSRF: someone else's link must not switch accounts unnoticed)."""
        from micromets.api import web

        try:
            account = await run_in_threadpool(self.access.login_token_name, link)
        except StoreError as exc:
            _auth_log.error("access tables unavailable: %s", loggable(exc))
            return web.signin_page("Sign-in is not possible now (database unavailable).", 503)
        if account is None:
            return web.signin_page(web.LINK_NOT_VALID, signed_in_as=session.name if session else None)
        name, cookie_path, secure = cookie_spec(scope, self.settings, security.SIGNIN_COOKIE)
        nonce = cookies.get(name, "")
        if not _NONCE.fullmatch(nonce):
            nonce = secrets.token_urlsafe(32)
        response = web.signin_confirmation(account=account, current=session.name if session else None, link=link,
                                           target=target,
                                           csrf=security.signin_token_for(self.settings.session_secret, nonce))
        # It lives as long as a link: the page may stay open that long before the button is pressed.
        response.set_cookie(name, nonce, max_age=int(LOGIN_LINK_TTL.total_seconds()), path=cookie_path,
                            secure=secure, httponly=True, samesite="strict")
        return response

    def _signin_form(self, scope: Scope, headers: Headers, cookies: dict[str, str],
                     session: security.WebSession | None, state: dict[str, Any]) -> Response | None:
        """``POST /signin`` goes on to the route only with the confirmation page's CSRF token (checked by
        ``CsrfCheck``), from this origin, in the browser that was shown the page."""
        from micromets.api import web

        nonce = cookies.get(cookie_spec(scope, self.settings, security.SIGNIN_COOKIE)[0], "")
        if not _same_origin(headers) or not _NONCE.fullmatch(nonce):
            return web.problem_page("csrf_token", "this sign-in form was not sent from the sign-in page in this "
                                    "browser (which must accept cookies from this server); open the sign-in link "
                                    "again", 403)
        state["csrf_expected"] = security.signin_token_for(self.settings.session_secret, nonce)
        if session is not None:
            state["web_session"] = session  # to be replaced, and revoked, by the new session
        return None


#: The random value of the sign-in cookie: ``secrets.token_urlsafe(32)``.
_NONCE = re.compile(r"[A-Za-z0-9_-]{43}")


def _same_origin(headers: Headers) -> bool:
    """The request comes from a page of this origin, or from no page (the user typed it); a browser that does
    not send ``Sec-Fetch-Site`` is trusted here and stopped by the CSRF token."""
    return headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")


class CsrfCheck:
    """Refuses a web form ``POST`` whose ``csrf_token`` field is not its session's token (403).

    Runs inside ``BodySizeLimit``, so the form it reads is already bounded; the body is replayed
    to the route unchanged.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        expected = scope.get("state", {}).get("csrf_expected") if scope["type"] == "http" else None
        if not expected:
            await self.app(scope, receive, send)
            return
        from micromets.api import web

        request = Request(scope, receive)
        body = await request.body()
        try:
            form = await request.form(max_fields=MAX_FORM_FIELDS, max_files=0)
            tokens = form.getlist("csrf_token")
            await form.close()
        except HTTPException as exc:
            # Too many fields, a file, a broken multipart body: say so (RFC 9110 15.5.14 for the size; 422 for
            # the rest) rather than blame the CSRF token, which was not even read.
            detail = str(exc.detail)
            too_many = "Too many fields" in detail
            message = (f"has more than {MAX_FORM_FIELDS:,} fields; the case form has far fewer" if too_many
                       else "carries a file; these forms take none" if "Too many files" in detail
                       else f"cannot be read as a form: {detail[:100]}")
            await web.problem_page("(form)", message, 413 if too_many else 422)(scope, receive, send)
            return
        if len(tokens) > 1:  # which token a proxy or the route would read could differ: never pick one
            await web.problem_page("csrf_token", "was sent more than once; send the form again",
                                   422)(scope, receive, send)
            return
        sent = tokens[0] if tokens else None
        if not isinstance(sent, str) or not security.hmac_equal(sent, expected):
            await web.problem_page("csrf_token", "the form is missing its security token or it does not match "
                                   "your session; reload the page and send it again", 403)(scope, receive, send)
            return
        await self.app(scope, replaying(body, receive), send)


class Cors(CORSMiddleware):
    """Starlette's CORS, with a refused preflight answered in the usual error shape (it is text/plain there)."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code != 400:
            return response
        refused = bytes(response.body).decode().removeprefix("Disallowed CORS ")  # e.g. "origin, method"
        return _problem(400, "(cors)", f"this preflight is refused ({refused} not allowed): the REST API is open to "
                        "the origins given with --cors-origin, for GET and POST with Authorization and Content-Type")


class HostCheck:
    """400 for a ``Host`` header that is not allowed (DNS rebinding: the browser sends the attacker's name)."""

    def __init__(self, app: ASGIApp, *, allowed: tuple[str, ...]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            hosts = Headers(scope=scope).getlist("host")
            host = hosts[0] if len(hosts) == 1 else ""  # RFC 9112 section 3.2: two Host lines are a 400
            if not security.host_allowed(host, self.allowed, scope.get("scheme", "http")):
                message = (f"Host {host[:60]!r} is not allowed on this server; start it with "
                           "--allowed-host NAME for each name clients use")
                await _problem(400, "(host)", message)(scope, receive, send)
                return
        await self.app(scope, receive, send)


_API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# The Swagger UI page starts itself with an inline script (FastAPI's page); it shows no patient data.
_DOCS_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
             "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
             "frame-ancestors 'none'; form-action 'self'")
#: Web pages: scripts from this server only. Styles allow inline because the report's charts are
#: matplotlib SVG, whose elements carry style attributes (no hash can allow those).
WEB_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
           "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def _csp_for(path: str, content_type: str) -> str:
    if path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        return _DOCS_CSP
    return WEB_CSP if content_type.startswith("text/html") else _API_CSP


class SecurityHeaders:
    """Security headers on every response (a header the route set itself is kept).

    ``https``: the clients' URL is https (``--public-url https://...`` behind a TLS proxy), so HSTS is sent
    although the request reached micromets over http, as the session cookie is ``Secure`` then.
    """

    def __init__(self, app: ASGIApp, *, https: bool = False) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = route_path(scope)
        https = self.https or scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                defaults = {
                    "X-Content-Type-Options": "nosniff",
                    "X-Frame-Options": "DENY",
                    "Referrer-Policy": "no-referrer",
                    "Cross-Origin-Opener-Policy": "same-origin",
                    "Cross-Origin-Resource-Policy": "same-origin",
                    "Content-Security-Policy": _csp_for(path, headers.get("content-type", "")),
                }
                if not path.startswith(_STATIC_PREFIXES) and path not in _CACHEABLE_PATHS:
                    defaults["Cache-Control"] = "no-store"
                if https:
                    defaults["Strict-Transport-Security"] = "max-age=31536000"
                for name, value in defaults.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ServerErrors:
    """A 500 in the error shape of the interface for any exception a route did not handle.

    Without it Starlette answers ``Internal Server Error`` as text/plain from outside every other middleware,
    so without the security headers, and uvicorn logs the whole exception, whose detail lines (a database's
    ``DETAIL: Failing row contains (...)``) can hold patient data. Logged here: the route template, the
    exception's type and first line (``errors.loggable``) and where it was raised (files, lines, functions).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_and_note(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        except Exception as exc:
            import traceback

            # Where, without the source lines (or locals) a traceback would print: file, line and function only.
            frames = " <- ".join(f"{f.filename}:{f.lineno} {f.name}"
                                 for f in reversed(traceback.extract_tb(exc.__traceback__)[-8:]))
            _auth_log.error("unhandled %s in %s: %s [%s]", type(exc).__name__, _template(scope), loggable(exc), frames)
            if started:  # the status line is out: nothing better than closing the connection
                raise
            message = "an internal error stopped this request; it was logged. Tell the administrator if it recurs"
            response: Response
            if classify(scope["method"], route_path(scope)) == "web":
                from micromets.api import web

                response = web.problem_page("(server)", message, 500)
            else:
                response = _problem(500, "(server)", message)
            await response(scope, receive, send)


class HeadAsGet:
    """``HEAD`` answered as ``GET`` with the same status and headers and no body (RFC 9110 sections 9.1 and
    9.3.2: every general-purpose server supports GET and HEAD). Runs after the access decisions."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        body_sent = False

        async def send_headers_only(message: Message) -> None:
            nonlocal body_sent
            if message["type"] == "http.response.start":
                await send(message)
            elif not body_sent:  # body, or a file by path (pathsend, zerocopysend): one empty body instead
                body_sent = True
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        scope["method"] = "GET"  # in place, so the route the router notes is seen by AccessLog too
        try:
            await self.app(scope, receive, send_headers_only)
        finally:
            scope["method"] = "HEAD"


def _template(scope: Scope) -> str:
    """The matched route's path template, or only the first path segment when nothing matched."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    if isinstance(template, str) and template:
        return template + "/…" if isinstance(route, Mount) else template
    path = route_path(scope)
    first = "/" + path.lstrip("/").split("/", 1)[0]
    return first if first == path else first + "/…"


class AccessLog:
    """One log line per request (logger ``micromets.access``): client, method, route template, status,
    time and principal. The raw path and the query string are never logged (they may carry case ids)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            client = scope.get("client") or ("-", 0)
            principal = scope.get("state", {}).get("principal")
            _log.info('%s "%s %s" %d %.0fms %s', client[0], scope["method"], _template(scope), status,
                      (time.perf_counter() - start) * 1000, principal.label if principal else "-")
