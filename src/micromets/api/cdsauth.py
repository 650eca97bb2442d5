"""Authentication of CDS Hooks clients (EHRs): the signed JWT of the spec's "Trusting CDS Clients".

The CDS client sends ``Authorization: Bearer <JWT>`` with every service call, signed with its private
key (CDS Hooks 2.0, "Trusting CDS Clients"; RFC 7519, RFC 7515, RFC 7517). micromets trusts the
clients of a trust file (``micromets serve --cds-trust FILE``)::

    {"clients": [{"iss": "https://ehr.example.org", "jwks_file": "jwks.json"},
                 {"iss": "https://ehr2.example.org", "jwks_url": "https://ehr2.example.org/jwks.json",
                  "fhir_servers": ["https://ehr2.example.org/fhir"], "client_ids": ["micromets-cds"]}]}

Each client names its public keys: a JWK Set file (relative to the trust file) or a URL, fetched with
timeouts (each read; the whole body by twice that) and kept for ``JwksUrl.max_age`` (fetched again sooner, at
most every ``JwksUrl.min_interval``, when a JWT names a ``kid`` not in the set: key rotation). ``fhir_servers`` lists the FHIR servers
micromets may query for that client when prefetch is incomplete (none listed: none is queried).
``client_ids`` (optional) lists the JWT ``sub`` values accepted from that client: CDS Hooks 1.0 made ``sub`` (the
client_id of the EHR) REQUIRED and said services SHOULD allow-list ``iss``, ``jku`` and ``sub``; 2.0 dropped the
claim and allow-lists ``iss`` and ``jku`` only. So ``sub`` is optional unless the client has ``client_ids``, and
then a JWT without one of them is refused. ``--cds-jwks ISSUER=PATH`` is the same as a client with a
``jwks_file``. A JWT is accepted only when:

- its header and payload are JSON objects as ``loads_strict`` reads them: a name given twice (``{"iss": a,
  "iss": b}``: RFC 7515 section 5.2 and RFC 7519 section 4 allow refusing it, and a proxy that read the other
  one would disagree on who called), NaN or Infinity, or excessive nesting is refused;
- its header ``alg`` is ES384 or RS384 (the algorithms the spec recommends; ``none`` and HMAC, which
  it forbids, and every other algorithm are refused) and fits the key's type and curve, ``typ`` is
  ``JWT`` and ``kid`` names a key of the issuer's set (all three header fields are REQUIRED by the spec);
- it names no key of its own (``jwk``, ``x5c``, ``x5u``: RFC 8725 section 3.10) and is not a nested or
  compressed JWT (``cty``, ``zip``: RFC 7519 section 5.2, RFC 8725 section 3.6); micromets would not apply them;
- ``jku``, when sent, is the client's configured ``jwks_url`` or one of its ``jku`` values (the spec's
  allow-list of ``iss`` and ``jku``); a key set is never fetched from a URL that a JWT names;
- the signature verifies with that key;
- ``iss`` is a trusted client; ``aud`` is exactly the URL of the endpoint called (a string, or an array
  of that one string: a JWT that names other audiences too could be replayed there); ``exp`` is in the
  future and at most ``MAX_LIFETIME`` (5 minutes) ahead; ``iat`` is not in the future and before ``exp``, at
  most ``MAX_LIFETIME`` before it (a JWT "issued" in 1970 or a year ago is not one signed for this call);
  ``jti`` is present; ``tenant`` and ``sub``, when sent, are short printable strings (``LEEWAY`` allows for clock
  skew); ``sub`` is one of the client's ``client_ids`` when it has any (then it must be sent);
- and its ``jti`` was not seen before (checked by the caller against the shared database).

    >>> CdsTrust({}).issuers
    []
    >>> _sub_problem({}, frozenset()), _sub_problem({"sub": "ehr-app"}, frozenset({"ehr-app"}))
    (None, None)
    >>> _sub_problem({}, frozenset({"ehr-app"}))
    'JWT has no sub claim; this CDS client must send one of its client_ids (CDS trust file)'
    >>> _sub_problem({"sub": "other-app"}, frozenset({"ehr-app"}))
    'JWT sub is not a client_id configured for this CDS client'
    >>> _sub_problem({"sub": None}, frozenset())
    'JWT sub must be a string of 1 to 255 printable characters'
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import logging
import math
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import jwt
from jwt import PyJWK
from jwt.utils import base64url_decode

from micromets.errors import CaseValidationError
from micromets.model.strict_json import loads_strict

__all__ = ["ALGORITHMS", "LEEWAY", "MAX_LIFETIME", "CdsAuthError", "CdsClaims", "CdsClient", "CdsTrust",
           "JwksUrl", "check_url", "load_jwks", "load_trust_file", "parse_jwks"]

_log = logging.getLogger(__name__)

#: Accepted signature algorithms: the two the spec recommends. ``none`` and HS* are never accepted.
ALGORITHMS = ("ES384", "RS384")
_CURVES = {"ES384": "P-384"}
#: Allowed clock skew between the EHR and micromets.
LEEWAY = dt.timedelta(seconds=30)
#: A JWT may not be valid for longer than this from now (its ``jti`` is remembered until it expires).
MAX_LIFETIME = dt.timedelta(minutes=5)
_PRIVATE = ("d", "p", "q", "dp", "dq", "qi", "k")
#: Header parameters micromets does not apply, so a JWT that carries one is refused rather than read otherwise than
#: its issuer meant: a key or certificate of its own (RFC 8725 3.10: keys come from the trust file only), a nested
#: JWT (RFC 7519 5.2: ``cty``) or a compressed payload (``zip``, a JWE parameter; RFC 8725 3.6).
_REFUSED_HEADERS = ("jwk", "x5c", "x5u", "cty", "zip")
_MAX_JWKS_BYTES = 256 * 1024


class CdsAuthError(Exception):
    """The request's JWT is missing or not acceptable; the message says why (no secrets in it)."""


@dataclass(frozen=True)
class CdsClaims:
    issuer: str
    jti: str
    expires_at: dt.datetime
    tenant: str | None
    subject: str | None = None


def parse_jwks(data: Any, where: str) -> dict[str, PyJWK]:
    """The public signing keys of a parsed JWK Set, by ``kid``; ``ValueError`` says what is wrong.

    Every key needs a unique ``kid``; only EC and RSA (at least 2048 bits) public keys are accepted:
    a set holding private or symmetric key material is refused.

    >>> parse_jwks({"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "a"}]}, "x")
    Traceback (most recent call last):
    ValueError: x: keys[0] holds private or symmetric key material; give micromets public keys only
    """
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list) or not data["keys"]:
        raise ValueError(f"{where} is not a JWK Set (an object with a non-empty \"keys\" array)")
    keys: dict[str, PyJWK] = {}
    for index, jwk in enumerate(data["keys"]):
        at = f"{where}: keys[{index}]"
        if not isinstance(jwk, dict):
            raise ValueError(f"{at} is not an object")
        if any(name in jwk for name in _PRIVATE):
            raise ValueError(f"{at} holds private or symmetric key material; give micromets public keys only")
        if jwk.get("kty") not in ("EC", "RSA"):
            raise ValueError(f"{at}: kty must be EC or RSA; got {jwk.get('kty')!r}")
        kid = jwk.get("kid")
        if not isinstance(kid, str) or not kid or kid in keys:
            raise ValueError(f"{at}: every key needs a unique string kid")
        if jwk.get("use", "sig") != "sig":
            continue
        try:
            key = PyJWK(jwk)
        except jwt.PyJWTError as exc:
            raise ValueError(f"{at}: {exc}") from None
        if jwk["kty"] == "RSA" and key.key.key_size < 2048:
            raise ValueError(f"{at}: RSA keys must have at least 2048 bits")
        keys[kid] = key
    if not keys:
        raise ValueError(f"{where} has no signing key")
    return keys


def load_jwks(path: str | Path) -> dict[str, PyJWK]:
    """The public signing keys of a JWK Set file, by ``kid`` (see ``parse_jwks``)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read the JWK Set {path}: {exc}") from None
    return parse_jwks(data, str(path))


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_DEFAULT_PORTS = {"https": ":443", "http": ":80"}


def normalised_url(url: str) -> str | None:
    """``url`` with its scheme and host in lower case, a default port and a trailing slash dropped; ``None`` when
    it cannot be read as a URL. Scheme and host are case-insensitive (RFC 3986 section 6.2.2.1), an empty or
    default port is the same server (section 6.2.3); the path stays as it is (it is case-sensitive).

    >>> normalised_url("HTTPS://EHR.Example.org:443/FHIR/")
    'https://ehr.example.org/FHIR'
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - reading it checks the port (ValueError when out of range or not a number)
    except ValueError:
        return None
    scheme, netloc = parts.scheme.lower(), parts.netloc.lower()
    default_port = _DEFAULT_PORTS.get(scheme)
    if default_port and netloc.endswith(default_port):
        netloc = netloc[: -len(default_port)]
    netloc = netloc.removesuffix(":")  # an empty port is the default one
    return urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment)).rstrip("/")


def check_url(url: Any, what: str, *, allow_http_loopback: bool = True) -> str:
    """``url`` normalised (``normalised_url``) when it is an absolute https URL (http only to a loopback host).

    >>> check_url("https://EHR.example.org/fhir/", "fhir_servers[0]")
    'https://ehr.example.org/fhir'
    >>> check_url("http://ehr.example.org/jwks", "jwks_url")
    Traceback (most recent call last):
    ValueError: jwks_url must be an https:// URL (http:// only on this machine); got 'http://ehr.example.org/jwks'
    """
    if not isinstance(url, str) or not url:
        raise ValueError(f"{what} must be a URL")
    parts = urlsplit(url)
    secure = parts.scheme == "https" or (parts.scheme == "http" and allow_http_loopback
                                         and _loopback(parts.hostname or ""))
    if not secure or not parts.hostname or parts.username or parts.password or parts.fragment:
        raise ValueError(f"{what} must be an https:// URL (http:// only on this machine); got {url[:100]!r}")
    return normalised_url(url) or url.rstrip("/")


class JwksUrl:
    """A JWK Set at a URL: fetched with timeouts on first use, kept ``max_age`` seconds, fetched again
    sooner (at most every ``min_interval`` seconds) when a JWT names an unknown ``kid``.

    When a refresh fails, the keys already fetched stay in use (the failure is logged).
    """

    def __init__(self, url: str, *, timeout: float = 5.0, max_age: float = 300.0, min_interval: float = 30.0) -> None:
        self.url = url
        self.timeout = timeout
        self.max_age = max_age
        self.min_interval = min_interval
        self._keys: dict[str, PyJWK] | None = None
        self._fetched_at = -1e18
        self._tried_at = -1e18
        self._lock = threading.Lock()

    def _fetch(self) -> dict[str, PyJWK]:
        import httpx

        # httpx's timeout bounds each read, not the whole answer: a server trickling a byte every few seconds would
        # hold the lock (and every call of this client waiting on it) for days. The body must arrive by a deadline.
        deadline = time.monotonic() + 2 * self.timeout
        with httpx.Client(timeout=self.timeout, follow_redirects=False, trust_env=False) as client, \
                client.stream("GET", self.url, headers={"Accept": "application/json"}) as response:
            if response.status_code != 200:
                raise ValueError(f"HTTP {response.status_code}")
            body = b""
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > _MAX_JWKS_BYTES:
                    raise ValueError("the JWK Set is too large")
                if time.monotonic() > deadline:
                    raise ValueError(f"the JWK Set did not arrive within {2 * self.timeout:g} s")
        return parse_jwks(json.loads(body), self.url)

    def key(self, kid: str) -> PyJWK | None:
        """The key ``kid`` (``CdsAuthError`` when the set cannot be had at all)."""
        keys = self._keys
        if keys is not None and kid in keys and time.monotonic() - self._fetched_at < self.max_age:
            return keys[kid]
        with self._lock:
            now = time.monotonic()
            # One fetch at a time, and at most one every min_interval: an unreachable EHR or a stream of
            # made-up kids must not turn every call into a request to the EHR.
            if now - self._tried_at >= self.min_interval:
                self._tried_at = now
                try:
                    self._keys = self._fetch()
                    self._fetched_at = time.monotonic()
                except Exception as exc:  # network, HTTP, JSON or key errors: keep what we have
                    _log.warning("cannot fetch the JWK Set %s: %s", self.url, str(exc)[:200])
            if self._keys is None:
                raise CdsAuthError("the CDS client's JWK Set cannot be fetched now")
            return self._keys.get(kid)


@dataclass(frozen=True)
class CdsClient:
    """One trusted CDS client: its ``iss``, where its keys are, the ``jku`` values it may send, the FHIR servers
    micromets may query for it and the ``sub`` values (its client_ids) it must send, if any."""

    issuer: str
    keys: Mapping[str, PyJWK] | JwksUrl = field(repr=False)
    jku: frozenset[str] = frozenset()
    fhir_servers: tuple[str, ...] = ()
    client_ids: frozenset[str] = frozenset()

    def key(self, kid: str) -> PyJWK | None:
        return self.keys.key(kid) if isinstance(self.keys, JwksUrl) else self.keys.get(kid)

    def allowed_fhir_server(self, url: str) -> str | None:
        """The entry of ``fhir_servers`` that ``url`` is (compared normalised: scheme and host in any case, a
        default port or trailing slash aside; the path exactly), the URL to query; ``None`` if none. A client
        that lists none gets no fetching at all: ``fhirServer`` comes from the request body, which the JWT does
        not sign, and any URL there would make micromets send requests (and the access token) wherever it
        points, internal addresses included (SSRF)."""
        normalised = normalised_url(url)
        return normalised if normalised is not None and normalised in self.fhir_servers else None


_CLIENT_FIELDS = {"iss", "jwks_file", "jwks_url", "jku", "fhir_servers", "client_ids"}


def _client(item: Any, where: str, folder: Path) -> CdsClient:
    if not isinstance(item, dict):
        raise ValueError(f"{where} must be an object")
    unknown = sorted(set(item) - _CLIENT_FIELDS)
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {', '.join(unknown)} (known: {', '.join(sorted(_CLIENT_FIELDS))})")
    issuer = item.get("iss")
    if not isinstance(issuer, str) or not issuer.strip():
        raise ValueError(f"{where}.iss must be the client's issuer (a non-empty string)")
    if ("jwks_file" in item) == ("jwks_url" in item):
        raise ValueError(f"{where} needs exactly one of jwks_file and jwks_url")
    jku: set[str] = set()
    keys: Mapping[str, PyJWK] | JwksUrl
    if "jwks_file" in item:
        if not isinstance(item["jwks_file"], str) or not item["jwks_file"]:
            raise ValueError(f"{where}.jwks_file must be a path")
        keys = load_jwks(folder / item["jwks_file"])
    else:
        url = check_url(item["jwks_url"], f"{where}.jwks_url")
        keys = JwksUrl(url)
        jku.add(url)
    extra = item.get("jku", [])
    if not isinstance(extra, list):
        raise ValueError(f"{where}.jku must be a list of URLs")
    jku.update(check_url(u, f"{where}.jku[{i}]") for i, u in enumerate(extra))
    servers = item.get("fhir_servers", [])
    if not isinstance(servers, list):
        raise ValueError(f"{where}.fhir_servers must be a list of URLs")
    client_ids = item.get("client_ids", [])
    if not isinstance(client_ids, list) or not all(_short_text(c) for c in client_ids):
        raise ValueError(f"{where}.client_ids must be a list of the client's client_ids (the JWT sub values it "
                         "sends), each 1 to 255 printable characters")
    if "client_ids" in item and not client_ids:  # an empty allow-list would allow every sub: fail closed, and say so
        raise ValueError(f"{where}.client_ids lists no client_id: list the client's client_ids, or leave the field out "
                         "to accept any sub (CDS Hooks 2.0)")
    return CdsClient(issuer, keys, frozenset(jku),
                     tuple(check_url(u, f"{where}.fhir_servers[{i}]") for i, u in enumerate(servers)),
                     frozenset(client_ids))


def load_trust_file(path: str | Path) -> list[CdsClient]:
    """The clients of a trust file (see the module docstring); ``ValueError`` names what is wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read the CDS trust file {path}: {exc}") from None
    try:
        # strictly: a name given twice ("client_ids" twice) is refused, not resolved silently to the last one
        data = loads_strict(text, where="(trust file)")
    except CaseValidationError as exc:
        first = exc.problems[0]
        raise ValueError(f"cannot read the CDS trust file {path}: {first.field}: {first.message}") from None
    if not isinstance(data, dict) or not isinstance(data.get("clients"), list) or set(data) - {"clients"}:
        raise ValueError(f'{path} must be an object {{"clients": [...]}}')
    return [_client(item, f"{path}: clients[{i}]", path.parent) for i, item in enumerate(data["clients"])]


def _audience_ok(aud: Any, audience: str) -> bool:
    return aud == audience or (isinstance(aud, list) and len(aud) == 1 and aud[0] == audience)


class CdsTrust:
    """The trusted CDS clients, by issuer."""

    def __init__(self, issuers: Mapping[str, Mapping[str, PyJWK]] | None = None,
                 clients: Sequence[CdsClient] = ()) -> None:
        self._clients: dict[str, CdsClient] = {}
        for client in [CdsClient(iss, dict(keys)) for iss, keys in (issuers or {}).items()] + list(clients):
            if client.issuer in self._clients:
                raise ValueError(f"the CDS client {client.issuer!r} is configured twice")
            self._clients[client.issuer] = client

    @classmethod
    def from_files(cls, jwks: Mapping[str, str], trust_file: str | Path | None = None) -> CdsTrust:
        """Load issuer -> JWK Set file path (``--cds-jwks``) and the clients of ``trust_file``
        (``--cds-trust``); ``ValueError`` naming the file when one is unusable."""
        clients = load_trust_file(trust_file) if trust_file else []
        return cls({issuer: load_jwks(path) for issuer, path in jwks.items()}, clients)

    @property
    def issuers(self) -> list[str]:
        return sorted(self._clients)

    @property
    def fetches_keys(self) -> bool:
        """Whether checking a JWT may fetch a JWK Set over the network (a client with ``jwks_url``)."""
        return any(isinstance(c.keys, JwksUrl) for c in self._clients.values())

    def client(self, issuer: str) -> CdsClient | None:
        return self._clients.get(issuer)

    def verify(self, token: str, audience: str, now: dt.datetime) -> CdsClaims:
        """Check a JWT for a call to the endpoint URL ``audience`` (see the module docstring).

        Raises ``CdsAuthError``; the ``jti`` replay check is the caller's (it needs the database).
        """
        if not self._clients:
            raise CdsAuthError("no CDS client is trusted by this server (see micromets serve --cds-trust)")
        if len(token) > 16_384:
            raise CdsAuthError("the JWT is too long")
        _strict_parts(token)
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise CdsAuthError("the bearer token is not a well-formed JWT") from None
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            raise CdsAuthError(f"JWT alg {str(alg)[:20]!r} is not accepted; use ES384 or RS384")
        if header.get("typ") != "JWT":
            raise CdsAuthError("JWT typ must be JWT")
        refused = [name for name in _REFUSED_HEADERS if name in header]
        if refused:
            raise CdsAuthError(f"JWT header {', '.join(refused)} is not accepted: micromets takes the client's keys "
                               "from the trust file only and reads the payload as the JWT's claims")
        issuer = unverified.get("iss")
        client = self._clients.get(issuer) if isinstance(issuer, str) else None
        if client is None:
            raise CdsAuthError("JWT iss is not a trusted CDS client")
        if "jku" in header and header["jku"] not in client.jku:
            raise CdsAuthError("JWT jku is not a key set URL configured for this client")
        kid = header.get("kid")
        key = client.key(kid) if isinstance(kid, str) and kid else None
        if key is None:
            raise CdsAuthError("JWT kid does not name a key of the issuer's JWK Set")
        if not _key_fits(alg, key):
            raise CdsAuthError(f"JWT alg {alg} does not fit the key {kid!r}")
        try:
            # aud is checked below, exactly; PyJWT would accept any array that contains it. sub and jti too, with
            # messages that name the claim (PyJWT's "Subject must be a string" names neither).
            claims: dict[str, Any] = jwt.decode(
                token, key=key.key, algorithms=[alg], issuer=client.issuer, leeway=LEEWAY,
                options={"require": ["iss", "aud", "exp", "iat", "jti"], "verify_nbf": True, "verify_aud": False,
                         "verify_sub": False, "verify_jti": False},
            )
        except jwt.ExpiredSignatureError:
            raise CdsAuthError("JWT has expired (exp)") from None
        except jwt.ImmatureSignatureError:
            raise CdsAuthError("JWT is not valid yet (iat or nbf in the future)") from None
        except jwt.MissingRequiredClaimError as exc:
            raise CdsAuthError(f"JWT has no {exc.claim} claim") from None
        except jwt.InvalidSignatureError:
            raise CdsAuthError("JWT signature does not verify") from None
        except jwt.PyJWTError as exc:  # PyJWT's messages name the claim and hold no key material
            raise CdsAuthError(f"JWT is not acceptable: {str(exc)[:120] or type(exc).__name__}") from None
        # RFC 7519: exp, iat and nbf are NumericDates, JSON numbers; PyJWT also takes "1700000000" or true (int()).
        for name in ("exp", "iat", "nbf"):
            if name in claims and not _numeric_date(claims[name]):
                raise CdsAuthError(f"JWT {name} must be a NumericDate: a JSON number of seconds since 1970 (RFC 7519)")
        if not _audience_ok(claims.get("aud"), audience):
            raise CdsAuthError(f"JWT aud must be the URL of the service called: {audience}")
        jti = claims["jti"]
        # Printable only: the jti is stored (PostgreSQL text cannot hold NUL) and may reach a log line.
        if not isinstance(jti, str) or not 0 < len(jti) <= 255 or not jti.isprintable():
            raise CdsAuthError("JWT jti must be a string of 1 to 255 printable characters")
        minutes = int(MAX_LIFETIME.total_seconds() // 60)
        # PyJWT checks exp, iat and nbf against the system clock; the call is judged at ``now`` (the server's clock,
        # the one the replay cache and the sessions use): the same checks again against it, so the two never differ.
        moment, leeway = now.timestamp(), LEEWAY.total_seconds()
        if claims["exp"] <= moment - leeway:
            raise CdsAuthError("JWT has expired (exp)")
        if claims["iat"] > moment + leeway or claims.get("nbf", -math.inf) > moment + leeway:
            raise CdsAuthError("JWT is not valid yet (iat or nbf in the future)")
        if claims["exp"] > (now + MAX_LIFETIME + LEEWAY).timestamp():  # before a datetime: 1e30 would overflow it
            raise CdsAuthError(f"JWT exp is more than {minutes} minutes ahead")
        if claims["exp"] <= claims["iat"]:
            raise CdsAuthError("JWT exp must be after iat")
        if claims["exp"] - claims["iat"] > (MAX_LIFETIME + LEEWAY).total_seconds():
            raise CdsAuthError(f"JWT iat is more than {minutes} minutes before exp: sign a new JWT for each call")
        tenant = claims.get("tenant")
        # Printable and short, as the jti: it becomes part of who called; cut or dropped it would name someone else.
        if tenant is not None and not _short_text(tenant):
            raise CdsAuthError("JWT tenant must be a string of 1 to 255 printable characters")
        if (problem := _sub_problem(claims, client.client_ids)) is not None:
            raise CdsAuthError(problem)
        subject = claims.get("sub")
        expires_at = dt.datetime.fromtimestamp(int(claims["exp"]), dt.UTC)
        return CdsClaims(issuer=client.issuer, jti=jti, expires_at=expires_at, tenant=tenant, subject=subject)


def _short_text(value: Any) -> bool:
    """A string of 1 to 255 printable characters (what a claim that names a caller may be)."""
    return isinstance(value, str) and 0 < len(value) <= 255 and value.isprintable()


def _sub_problem(claims: Mapping[str, Any], client_ids: frozenset[str]) -> str | None:
    """Why the JWT's ``sub`` is refused for a client with these ``client_ids``, or ``None``.

    Sent (``null`` too), it must be short and printable whatever the configuration (it may reach a log line);
    with ``client_ids``, it must be sent and be one of them (CDS Hooks 1.0: services SHOULD allow-list ``sub``).
    """
    if "sub" in claims and not _short_text(claims["sub"]):
        return "JWT sub must be a string of 1 to 255 printable characters"
    if client_ids and "sub" not in claims:
        return "JWT has no sub claim; this CDS client must send one of its client_ids (CDS trust file)"
    if client_ids and claims["sub"] not in client_ids:
        return "JWT sub is not a client_id configured for this CDS client"
    return None


def _strict_parts(token: str) -> None:
    """Refuse a JWS whose header or payload is not one JSON object as ``loads_strict`` reads it (names given twice,
    NaN, Infinity, excessive nesting, invalid UTF-8); the message names the part and the claim."""
    parts = token.split(".")
    if len(parts) != 3:
        raise CdsAuthError("the bearer token is not a well-formed JWT (a JWS in compact form has three parts)")
    for name, part in (("header", parts[0]), ("payload", parts[1])):
        try:
            text = base64url_decode(part).decode("utf-8")
        except (ValueError, TypeError):  # not base64url, or not UTF-8 (RFC 7515 section 5.2 steps 2 and 4)
            raise CdsAuthError(f"the bearer token is not a well-formed JWT: its {name} is not base64url-encoded "
                               "UTF-8 JSON") from None
        try:
            value = loads_strict(text, where="(" + name + ")")
        except CaseValidationError as exc:
            first = exc.problems[0]
            raise CdsAuthError(f"the JWT {name} is not acceptable JSON: {first.field}: {first.message}") from None
        if not isinstance(value, dict):
            raise CdsAuthError(f"the JWT {name} must be a JSON object")


def _numeric_date(value: Any) -> bool:
    """A finite JSON number: not a string, not a boolean, not the NaN or Infinity that Python's JSON decoder lets
    through."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _key_fits(alg: str, jwk: PyJWK) -> bool:
    declared = jwk._jwk_data.get("alg")
    if declared is not None and declared != alg:
        return False
    kty = jwk._jwk_data.get("kty")
    if alg.startswith("ES"):
        return kty == "EC" and jwk._jwk_data.get("crv") == _CURVES[alg]
    return kty == "RSA"
