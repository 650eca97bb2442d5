"""Authentication of CDS Hooks clients (EHRs): the signed JWT of the spec's "Trusting CDS Clients".

The CDS client sends ``Authorization: Bearer <JWT>`` with every service call, signed with its private
key. micromets verifies it against JWK Sets configured locally per trusted issuer
(``micromets serve --cds-jwks ISSUER=PATH``); it never fetches keys (no ``jku``, no network). A JWT is
accepted only when:

- its header ``alg`` is an asymmetric algorithm of ``ALGORITHMS`` (never ``none`` nor an HMAC
  algorithm, which the spec forbids) matching the key's type and curve, and ``kid`` names a key of
  the issuer's set (``typ``, when sent, is ``JWT``);
- the signature verifies with that key;
- ``iss`` is a trusted issuer, ``aud`` is (or contains) the URL of the service endpoint being
  called, ``exp`` is in the future and at most ``MAX_LIFETIME`` ahead, ``iat`` is not in the future,
  and ``jti`` is present (``LEEWAY`` allows for clock skew);
- and its ``jti`` was not seen before (checked by the caller against the shared database).

    >>> CdsTrust({}).issuers
    []
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from jwt import PyJWK

__all__ = ["ALGORITHMS", "LEEWAY", "MAX_LIFETIME", "CdsAuthError", "CdsClaims", "CdsTrust", "load_jwks"]

#: Accepted signature algorithms: ES384 and RS384 are the ones the spec recommends; other asymmetric ones
#: of RFC 7518 are accepted too. ``none`` and HS* are never accepted.
ALGORITHMS = ("ES384", "RS384", "ES256", "ES512", "RS256", "RS512", "PS256", "PS384", "PS512")
_CURVES = {"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}
#: Allowed clock skew between the EHR and micromets.
LEEWAY = dt.timedelta(seconds=30)
#: A JWT may not be valid for longer than this from now (its ``jti`` is remembered until it expires).
MAX_LIFETIME = dt.timedelta(hours=1)
_PRIVATE = ("d", "p", "q", "dp", "dq", "qi", "k")


class CdsAuthError(Exception):
    """The request's JWT is missing or not acceptable; the message says why (no secrets in it)."""


@dataclass(frozen=True)
class CdsClaims:
    issuer: str
    jti: str
    expires_at: dt.datetime
    tenant: str | None


def load_jwks(path: str | Path) -> dict[str, PyJWK]:
    """The public signing keys of a JWK Set file, by ``kid``; ``ValueError`` says what is wrong.

    Every key needs a unique ``kid``; only EC (P-256, P-384, P-521) and RSA (at least 2048 bits)
    public keys are accepted: a file holding private or symmetric key material is refused.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"cannot read the JWK Set {path}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("keys"), list) or not data["keys"]:
        raise ValueError(f"{path} is not a JWK Set (an object with a non-empty \"keys\" array)")
    keys: dict[str, PyJWK] = {}
    for index, jwk in enumerate(data["keys"]):
        where = f"{path}: keys[{index}]"
        if not isinstance(jwk, dict):
            raise ValueError(f"{where} is not an object")
        if any(name in jwk for name in _PRIVATE):
            raise ValueError(f"{where} holds private or symmetric key material; give micromets public keys only")
        if jwk.get("kty") not in ("EC", "RSA"):
            raise ValueError(f"{where}: kty must be EC or RSA; got {jwk.get('kty')!r}")
        kid = jwk.get("kid")
        if not isinstance(kid, str) or not kid or kid in keys:
            raise ValueError(f"{where}: every key needs a unique string kid")
        if jwk.get("use", "sig") != "sig":
            continue
        try:
            key = PyJWK(jwk)
        except jwt.PyJWTError as exc:
            raise ValueError(f"{where}: {exc}") from None
        if jwk["kty"] == "RSA" and key.key.key_size < 2048:
            raise ValueError(f"{where}: RSA keys must have at least 2048 bits")
        keys[kid] = key
    if not keys:
        raise ValueError(f"{path} has no signing key")
    return keys


def _key_fits(alg: str, jwk: PyJWK) -> bool:
    declared = jwk._jwk_data.get("alg")
    if declared is not None and declared != alg:
        return False
    kty = jwk._jwk_data.get("kty")
    if alg.startswith("ES"):
        return kty == "EC" and jwk._jwk_data.get("crv") == _CURVES[alg]
    return kty == "RSA"


class CdsTrust:
    """The trusted CDS clients: issuer -> its public keys (by ``kid``)."""

    def __init__(self, issuers: Mapping[str, Mapping[str, PyJWK]]) -> None:
        self._issuers = {iss: dict(keys) for iss, keys in issuers.items()}

    @classmethod
    def from_files(cls, jwks: Mapping[str, str]) -> CdsTrust:
        """Load issuer -> JWK Set file path (``ValueError`` naming the file when one is unusable)."""
        return cls({issuer: load_jwks(path) for issuer, path in jwks.items()})

    @property
    def issuers(self) -> list[str]:
        return sorted(self._issuers)

    def verify(self, token: str, audience: str, now: dt.datetime) -> CdsClaims:
        """Check a JWT for a call to the endpoint URL ``audience`` (see the module docstring).

        Raises ``CdsAuthError``; the ``jti`` replay check is the caller's (it needs the database).
        """
        if not self._issuers:
            raise CdsAuthError("no CDS client is trusted by this server (see micromets serve --cds-jwks)")
        if len(token) > 16_384:
            raise CdsAuthError("the JWT is too long")
        try:
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise CdsAuthError("the bearer token is not a well-formed JWT") from None
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            raise CdsAuthError(f"JWT alg {str(alg)[:20]!r} is not accepted; use ES384 or RS384")
        if "typ" in header and str(header["typ"]).upper() != "JWT":
            raise CdsAuthError("JWT typ must be JWT")
        issuer = unverified.get("iss")
        if not isinstance(issuer, str) or issuer not in self._issuers:
            raise CdsAuthError("JWT iss is not a trusted CDS client")
        kid = header.get("kid")
        key = self._issuers[issuer].get(kid) if isinstance(kid, str) else None
        if key is None:
            raise CdsAuthError("JWT kid does not name a key of the issuer's JWK Set")
        if not _key_fits(alg, key):
            raise CdsAuthError(f"JWT alg {alg} does not fit the key {kid!r}")
        try:
            claims: dict[str, Any] = jwt.decode(
                token, key=key.key, algorithms=[alg], audience=audience, issuer=issuer,
                leeway=LEEWAY, options={"require": ["iss", "aud", "exp", "iat", "jti"], "verify_nbf": True},
            )
        except jwt.ExpiredSignatureError:
            raise CdsAuthError("JWT has expired (exp)") from None
        except jwt.InvalidAudienceError:
            raise CdsAuthError(f"JWT aud must be the URL of the service called: {audience}") from None
        except jwt.ImmatureSignatureError:
            raise CdsAuthError("JWT is not valid yet (iat or nbf in the future)") from None
        except jwt.MissingRequiredClaimError as exc:
            raise CdsAuthError(f"JWT has no {exc.claim} claim") from None
        except jwt.InvalidSignatureError:
            raise CdsAuthError("JWT signature does not verify") from None
        except jwt.PyJWTError as exc:
            raise CdsAuthError(f"JWT is not acceptable: {type(exc).__name__}") from None
        jti = claims["jti"]
        if not isinstance(jti, str) or not 0 < len(jti) <= 255:
            raise CdsAuthError("JWT jti must be a string of 1 to 255 characters")
        expires_at = dt.datetime.fromtimestamp(int(claims["exp"]), dt.UTC)
        if expires_at > now + MAX_LIFETIME + LEEWAY:
            raise CdsAuthError(f"JWT exp is more than {int(MAX_LIFETIME.total_seconds() // 60)} minutes ahead")
        tenant = claims.get("tenant")
        return CdsClaims(issuer=issuer, jti=jti, expires_at=expires_at,
                         tenant=tenant[:200] if isinstance(tenant, str) else None)
