"""Access control settings, principals, scopes, web sessions and CSRF tokens (no I/O here).

The decisions themselves are made in one place, ``micromets.api.guard``; this module holds what they
rest on:

- ``SecuritySettings``: allowed ``Host`` headers, CORS origins, the session signing secret, trusted
  CDS Hooks clients and the public URL. ``micromets serve`` passes them to every worker process
  through environment variables (``SecuritySettings.from_env``).
- ``required_scopes(method, path)``: which API token scopes a REST call needs.
- ``Principal``: who is asking, put on ``request.state.principal`` for the routes (and the audit trail).
- Web sessions: an HMAC-signed cookie (with its last activity, for the idle timeout, and its account's
  "sign out everywhere" generation), a CSRF token derived from the session, and the CSRF token of the
  sign-in confirmation form (bound to a random value in a short-lived cookie: there is no session yet).

Scopes: ``read`` (stored assessments), ``write`` (assess), ``admin`` (``/api/admin/``; includes
``read`` and ``write``). ``write`` does not include ``read``: a system that submits cases cannot list
what others submitted.

    >>> required_scopes("POST", "/api/assess"), required_scopes("GET", "/api/assessments/3")
    (frozenset({'write'}), frozenset({'read'}))
    >>> Principal.for_token(7, "lab import", "admin").scopes == {"read", "write", "admin"}
    True
"""

from __future__ import annotations

import base64
import binascii
import contextvars
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "ANY_SCOPE",
    "DEFAULT_HOSTS",
    "ENV_ALLOWED_HOSTS",
    "ENV_CDS_JWKS",
    "ENV_CDS_TRUST",
    "ENV_CORS_ORIGINS",
    "ENV_PUBLIC_URL",
    "ENV_SESSION_IDLE_MINUTES",
    "ENV_SESSION_SECRET",
    "SESSION_COOKIE",
    "SESSION_REFRESH_STEP",
    "SIGNIN_COOKIE",
    "Principal",
    "SecuritySettings",
    "WebSession",
    "cookie_name",
    "cookie_path",
    "csrf_token_for",
    "current_csrf_token",
    "encode_session",
    "hmac_equal",
    "host_allowed",
    "new_session_cookie",
    "read_session_cookie",
    "required_scopes",
    "scopes_of",
    "signin_token_for",
]

ENV_SESSION_SECRET = "MICROMETS_SESSION_SECRET"
ENV_ALLOWED_HOSTS = "MICROMETS_ALLOWED_HOSTS"
ENV_CORS_ORIGINS = "MICROMETS_CORS_ORIGINS"
ENV_CDS_JWKS = "MICROMETS_CDS_JWKS"
ENV_CDS_TRUST = "MICROMETS_CDS_TRUST"
ENV_PUBLIC_URL = "MICROMETS_PUBLIC_URL"
ENV_SESSION_IDLE_MINUTES = "MICROMETS_SESSION_IDLE_MINUTES"

#: Hosts allowed when nothing is configured (any port): loopback names only.
DEFAULT_HOSTS = ("localhost", "127.0.0.1", "[::1]")
SESSION_COOKIE = "micromets_session"
#: The random value the sign-in confirmation form's CSRF token is bound to (set by the confirmation page).
SIGNIN_COOKIE = "micromets_signin"
#: A session's last activity is written into its cookie again at most this often: the idle timeout is kept to
#: within this much, and a busy page does not get a new cookie on every request.
SESSION_REFRESH_STEP = dt.timedelta(minutes=1)
#: Any valid token will do (endpoints without patient data: schemas, packaged examples, versions).
ANY_SCOPE: frozenset[str] = frozenset()
_MIN_SECRET_BYTES = 32


def cookie_path(root_path: str) -> str:
    """The ``Path`` of micromets' cookies: the prefix the app is served under (ASGI ``root_path``), so a browser
    sends them to micromets only, never to the other applications of the same host (RFC 6265 section 5.1.4).

    >>> cookie_path(""), cookie_path("/"), cookie_path("/mm/")
    ('/', '/', '/mm')
    """
    root = root_path.strip("/")
    return "/" + root if root else "/"


def cookie_name(base: str, *, secure: bool, path: str) -> str:
    """The name of a cookie with the strongest prefix its attributes allow (RFC 6265bis section 4.1.3): over
    https at ``Path=/``, ``__Host-`` (the browser keeps it only if it was set by this very host, ``Secure``, with
    ``Path=/`` and no ``Domain``: a sibling subdomain or a plain-http page cannot plant or overwrite it); over
    https under a prefix, ``__Secure-`` (``__Host-`` needs ``Path=/``); over plain http, the name as it is (a
    browser refuses both prefixes without ``Secure``).

    >>> cookie_name("s", secure=True, path="/"), cookie_name("s", secure=True, path="/mm"), cookie_name("s", secure=False, path="/")
    ('__Host-s', '__Secure-s', 's')
    """
    if not secure:
        return base
    return f"__Host-{base}" if path == "/" else f"__Secure-{base}"


def scopes_of(scope: str) -> frozenset[str]:
    """What a token scope grants: ``admin`` grants everything; ``read`` and ``write`` only themselves."""
    return frozenset({"read", "write", "admin"}) if scope == "admin" else frozenset({scope})


def required_scopes(method: str, path: str) -> frozenset[str]:
    """The scopes a call to ``/api/...`` needs, by method and path (deny by default).

    - ``/api/admin/...``: ``admin``;
    - ``/api/assessments...`` (the stored records): ``read`` to read them; other methods there
      (e.g. re-assessing a stored case) need ``read`` and ``write``;
    - ``GET /api/schema/...``, ``GET /api/examples...``, ``GET /api/version`` (no patient data): any valid token;
    - any other ``POST`` (assess, batch, what-if, PDF, calendar): ``write``;
    - any other ``GET``: ``read``; any other method: ``admin``.
    """
    method = method.upper()
    safe = method in ("GET", "HEAD")
    if path.startswith("/api/admin/") or path == "/api/admin":
        return frozenset({"admin"})
    if path == "/api/assessments" or path.startswith("/api/assessments/"):
        return frozenset({"read"}) if safe else frozenset({"read", "write"})
    if safe and (path.startswith("/api/schema/") or path in ("/api/examples", "/api/version")
                 or path.startswith("/api/examples/")):
        return ANY_SCOPE
    if method == "POST":
        return frozenset({"write"})
    return frozenset({"read"}) if safe else frozenset({"admin"})


PrincipalKind = Literal["token", "session", "cds-client"]


@dataclass(frozen=True)
class Principal:
    """Who is asking: on ``request.state.principal`` for every authenticated request.

    - an API token: ``kind="token"``, ``id`` = the token id (as text), ``name`` = the token's name,
      ``scope`` = ``read``/``write``/``admin``;
    - a web session: ``kind="session"``, ``id`` = a short hash of the session id, ``name`` = the name
      of the sign-in link that opened it, ``scope="session"`` (grants ``read`` and ``write``);
    - a CDS Hooks client: ``kind="cds-client"``, ``id`` = ``name`` = the JWT issuer (``iss``),
      ``scope="cds"``, ``tenant`` = the JWT ``tenant`` claim if sent.
    """

    kind: PrincipalKind
    id: str
    name: str
    scope: str
    scopes: frozenset[str] = field(default_factory=frozenset)
    tenant: str | None = None

    @classmethod
    def for_token(cls, token_id: int, name: str, scope: str) -> Principal:
        return cls("token", str(token_id), name, scope, scopes_of(scope))

    @classmethod
    def for_session(cls, session: WebSession) -> Principal:
        short = hashlib.sha256(session.sid.encode()).hexdigest()[:16]
        return cls("session", short, session.name, "session", frozenset({"read", "write"}))

    @classmethod
    def for_cds_client(cls, issuer: str, tenant: str | None) -> Principal:
        return cls("cds-client", issuer, issuer, "cds", frozenset({"cds"}), tenant)

    @property
    def label(self) -> str:
        """One line for logs and audit records, e.g. ``token:7``; never a secret.

        >>> Principal.for_token(7, "lab", "write").label
        'token:7'
        """
        return f"{self.kind}:{self.id}"

    @property
    def actor(self) -> str:
        """Who asked, for the audit trail: the label and, when it adds anything, the name.

        >>> Principal.for_token(12, "alice", "write").actor
        'token:12 alice'
        >>> str(Principal.for_cds_client("https://ehr.example.org", None))
        'cds-client:https://ehr.example.org'
        """
        return self.label if self.name == self.id else f"{self.label} {self.name}"

    def __str__(self) -> str:
        return self.actor

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "name": self.name, "scope": self.scope,
                "scopes": sorted(self.scopes), "tenant": self.tenant}


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.replace("\n", ",").split(",") if part.strip())


@dataclass(frozen=True)
class SecuritySettings:
    """How the app checks requests. The defaults suit tests and a loopback-only server.

    ``allowed_hosts``: ``Host`` header values accepted (``name`` matches any port, ``name:port`` that
    port only). ``cors_origins``: origins allowed to call the REST API from a browser (none by default).
    ``session_secret``: signs web session cookies; every worker must share it. ``cds_jwks``: trusted
    CDS Hooks issuers -> path of their JWK Set (public keys). ``cds_trust``: the CDS Hooks trust file
    (``micromets.api.cdsauth``). ``public_url``: the base URL clients use
    (e.g. ``https://micromets.hospital.org``), for the CDS Hooks ``aud`` check and secure cookies
    behind a TLS proxy; by default the request's own scheme and ``Host``. ``session_lifetime``: a web
    session ends this long after sign-in whatever happens; ``session_idle_timeout``: it ends earlier after this
    long without a request (OWASP Session Management Cheat Sheet, "Idle Timeout": 15 to 30 minutes for
    applications handling sensitive data).
    """

    session_secret: bytes = field(default_factory=lambda: secrets.token_bytes(_MIN_SECRET_BYTES), repr=False)
    allowed_hosts: tuple[str, ...] = DEFAULT_HOSTS
    cors_origins: tuple[str, ...] = ()
    cds_jwks: Mapping[str, str] = field(default_factory=dict)
    cds_trust: str | None = None
    public_url: str | None = None
    session_lifetime: dt.timedelta = dt.timedelta(hours=12)
    session_idle_timeout: dt.timedelta = dt.timedelta(minutes=30)

    def __post_init__(self) -> None:
        if not 2 * SESSION_REFRESH_STEP <= self.session_idle_timeout <= self.session_lifetime:
            raise ValueError(f"the idle timeout must be between {2 * SESSION_REFRESH_STEP.seconds // 60} minutes "
                             f"and the session lifetime ({self.session_lifetime}); got {self.session_idle_timeout}")
        if len(self.session_secret) < _MIN_SECRET_BYTES:
            raise ValueError(f"the session secret must have at least {_MIN_SECRET_BYTES} bytes")
        if self.public_url is not None and not self.public_url.startswith(("http://", "https://")):
            raise ValueError(f"the public URL must start with http:// or https://; got {self.public_url!r}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SecuritySettings:
        """The settings ``micromets serve`` hands its workers (see docs/web-and-api.md).

        ``MICROMETS_SESSION_SECRET`` is required: workers that each invented their own would not
        accept each other's sessions.
        """
        env = os.environ if environ is None else environ
        secret = env.get(ENV_SESSION_SECRET, "")
        if len(secret.encode()) < _MIN_SECRET_BYTES:
            raise ValueError(f"{ENV_SESSION_SECRET} must be set to a random value of at least "
                             f"{_MIN_SECRET_BYTES} characters (micromets serve sets it)")
        jwks = json.loads(env.get(ENV_CDS_JWKS) or "{}")
        if not isinstance(jwks, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in jwks.items()):
            raise ValueError(f"{ENV_CDS_JWKS} must be a JSON object of issuer -> JWK Set file path")
        idle = (env.get(ENV_SESSION_IDLE_MINUTES) or "").strip()
        if idle and not idle.isdigit():
            raise ValueError(f"{ENV_SESSION_IDLE_MINUTES} must be a whole number of minutes; got {idle[:20]!r}")
        return cls(session_secret=secret.encode(), allowed_hosts=_split(env.get(ENV_ALLOWED_HOSTS, "")) or DEFAULT_HOSTS,
                   cors_origins=_split(env.get(ENV_CORS_ORIGINS, "")), cds_jwks=jwks,
                   cds_trust=env.get(ENV_CDS_TRUST) or None,
                   public_url=(env.get(ENV_PUBLIC_URL) or "").rstrip("/") or None,
                   **({"session_idle_timeout": dt.timedelta(minutes=int(idle))} if idle else {}))

    @property
    def https(self) -> bool:
        return bool(self.public_url and self.public_url.startswith("https://"))


def _host_and_port(value: str) -> tuple[str, str | None]:
    value = value.strip().lower()
    if value.startswith("["):  # IPv6 literal
        end = value.find("]")
        if end < 0:
            return value, None
        rest = value[end + 1:]
        return value[: end + 1], rest[1:] if rest.startswith(":") else None
    name, sep, port = value.rpartition(":")
    return (name, port) if sep else (value, None)


#: RFC 9110 section 7.2: Host = uri-host [ ":" port ], port = *DIGIT; a host name, IPv4 or bracketed IPv6 literal
#: (RFC 3986 reg-name without the percent-encoded and sub-delims forms no server name uses).
_HOST_SYNTAX = re.compile(r"(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\[[0-9A-Fa-f:.]+\])(?::[0-9]{0,5})?")


def host_allowed(host_header: str, allowed: tuple[str, ...], scheme: str = "http") -> bool:
    """Whether a ``Host`` header value is one of ``allowed`` (``name`` = any port; ``name:port``).

    >>> host_allowed("localhost:8000", ("localhost",)), host_allowed("evil.example:8000", ("localhost",))
    (True, False)
    >>> host_allowed("127.0.0.1", ("127.0.0.1:80",)), host_allowed("127.0.0.1:81", ("127.0.0.1:80",))
    (True, False)
    >>> host_allowed("localhost:8000@evil.example", ("localhost",))  # not a port: an invalid Host
    False
    """
    if not _HOST_SYNTAX.fullmatch(host_header):  # RFC 9112 section 3.2: an invalid Host value is a 400
        return False
    name, port = _host_and_port(host_header)
    port = port or ("443" if scheme in ("https", "wss") else "80")
    for entry in allowed:
        allowed_name, allowed_port = _host_and_port(entry)
        if name == allowed_name and (allowed_port is None or allowed_port == port):
            return True
    return False


# Web sessions: a signed cookie {sid, name, exp, seen, gen}. Every worker verifies it with the shared secret.


@dataclass(frozen=True)
class WebSession:
    """A web session: its random id, its account (the sign-in link's name), when it ends whatever happens
    (``expires``), its last request (``seen``; both Unix seconds) and its account's "sign out everywhere"
    generation when it was opened (``generation``)."""

    sid: str
    name: str
    expires: int
    seen: int
    generation: int = 0

    def idle(self, now: dt.datetime, timeout: dt.timedelta) -> bool:
        """Whether the session has been without a request for longer than ``timeout`` at ``now``."""
        return now.timestamp() - self.seen > timeout.total_seconds()

    def due_for_refresh(self, now: dt.datetime) -> bool:
        """Whether its cookie should be written again with ``seen`` = now (see ``SESSION_REFRESH_STEP``)."""
        return now.timestamp() - self.seen >= SESSION_REFRESH_STEP.total_seconds()

    def seen_at(self, now: dt.datetime) -> WebSession:
        return WebSession(self.sid, self.name, self.expires, int(now.timestamp()), self.generation)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: bytes, purpose: str, data: str) -> bytes:
    return hmac.new(secret, f"{purpose}\x00{data}".encode(), hashlib.sha256).digest()


def encode_session(secret: bytes, session: WebSession) -> str:
    """The cookie value of a session: payload and HMAC-SHA256, both base64url."""
    payload = _b64(json.dumps({"sid": session.sid, "name": session.name, "exp": session.expires,
                               "seen": session.seen, "gen": session.generation}, separators=(",", ":")).encode())
    return f"{payload}.{_b64(_mac(secret, 'session', payload))}"


def new_session_cookie(secret: bytes, name: str, now: dt.datetime, lifetime: dt.timedelta,
                       generation: int = 0) -> tuple[str, WebSession]:
    """A new session (a new random id) and its cookie value."""
    session = WebSession(sid=secrets.token_urlsafe(24), name=name, expires=int((now + lifetime).timestamp()),
                         seen=int(now.timestamp()), generation=generation)
    return encode_session(secret, session), session


def read_session_cookie(secret: bytes, value: str, now: dt.datetime) -> WebSession | None:
    """The session in a cookie value, if its signature is valid and it has not expired.

    >>> now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    >>> cookie, session = new_session_cookie(b"k" * 32, "web", now, dt.timedelta(hours=1))
    >>> read_session_cookie(b"k" * 32, cookie, now) == session
    True
    >>> read_session_cookie(b"x" * 32, cookie, now), read_session_cookie(b"k" * 32, cookie, now + dt.timedelta(hours=2))
    (None, None)
    """
    if len(value) > 1000 or value.count(".") != 1:
        return None
    payload, signature = value.split(".")
    try:
        if not hmac.compare_digest(_unb64(signature), _mac(secret, "session", payload)):
            return None
        data = json.loads(_unb64(payload))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not (isinstance(data, dict) and isinstance(data.get("sid"), str) and isinstance(data.get("name"), str)
            and all(type(data.get(key)) is int for key in ("exp", "seen", "gen"))):
        return None
    if data["exp"] <= now.timestamp():
        return None
    return WebSession(sid=data["sid"], name=data["name"], expires=data["exp"], seen=data["seen"],
                      generation=data["gen"])


def hmac_equal(a: str, b: str) -> bool:
    """Constant-time comparison of two strings."""
    return hmac.compare_digest(a.encode("utf-8", "surrogatepass"), b.encode("utf-8", "surrogatepass"))


def csrf_token_for(secret: bytes, session: WebSession) -> str:
    """The CSRF token of a session: HMAC of its id, so it is tied to it and checked server-side."""
    return _b64(_mac(secret, "csrf", session.sid))


def signin_token_for(secret: bytes, nonce: str) -> str:
    """The CSRF token of the sign-in confirmation form: HMAC of the random value in the ``SIGNIN_COOKIE`` of
    the browser that was shown the form (before sign-in there is no session to tie it to; OWASP CSRF
    Prevention Cheat Sheet, "Login CSRF": pre-session tokens)."""
    return _b64(_mac(secret, "signin", nonce))


_CSRF: contextvars.ContextVar[str] = contextvars.ContextVar("micromets_csrf_token", default="")


def current_csrf_token() -> str:
    """The CSRF token of the web session handling this request ("" outside one); for the templates."""
    return _CSRF.get()


def set_csrf_token(token: str) -> None:
    _CSRF.set(token)
