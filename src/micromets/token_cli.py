"""``micromets token``: API tokens (create, list, revoke), one-time web sign-in links and ending an account's web
sessions (signout).

Registered on the main command line by ``micromets.cli``. Exit status 2 for misuse or a database
that cannot be opened, as the rest of the CLI.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from micromets.store.access import AccessStore

__all__ = ["token_app"]

_DB_URL_HELP = ("Database URL, e.g. postgresql+psycopg://user@host/micromets (default: $MICROMETS_DB_URL, "
                "else a SQLite file in the user's data directory).")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(2)


token_app = typer.Typer(help="API tokens for the REST API and sign-in links for the web app (docs/web-and-api.md).",
                        no_args_is_help=True)


class TokenScope(StrEnum):
    read = "read"
    write = "write"
    admin = "admin"


_DURATION = re.compile(r"([1-9][0-9]{0,5})([dh])")


def parse_lifetime(text: str) -> dt.timedelta:
    """A token lifetime written as a whole number of days or hours: ``90d``, ``12h``.

    >>> parse_lifetime("90d"), parse_lifetime("12h")
    (datetime.timedelta(days=90), datetime.timedelta(seconds=43200))
    """
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None:
        raise ValueError(f"--expires-in takes a number of days or hours, e.g. 90d or 12h; got {text!r}")
    count, unit = int(match.group(1)), match.group(2)
    return dt.timedelta(days=count) if unit == "d" else dt.timedelta(hours=count)


def _access(db_url: str | None) -> AccessStore:
    from micromets.store import StoreError
    from micromets.store.access import AccessStore

    try:
        return AccessStore(db_url)
    except StoreError as exc:
        raise _fail(str(exc)) from None


@token_app.command("create")
def token_create(
    scope: Annotated[TokenScope, typer.Option(help="read: stored assessments; write: assess; admin: everything.")],
    name: Annotated[str, typer.Option(help="What the token is for (shown in listings and the audit trail).")] = "unnamed",
    expires_in: Annotated[str, typer.Option(
        help="How long the token works, in days (90d) or hours (12h); at most 366d. Create a new token before "
             "it expires.")] = "90d",
    db_url: Annotated[str | None, typer.Option(help=_DB_URL_HELP)] = None,
) -> None:
    """Create an API token and print it once (the last line): only its hash is stored."""
    from micromets.store import StoreError

    try:
        lifetime = parse_lifetime(expires_in)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    with _access(db_url) as access:
        try:
            token, secret = access.create_token(scope.value, name=name, lifetime=lifetime)
        except (StoreError, ValueError) as exc:
            raise _fail(str(exc)) from None
        assert token.expires_at is not None
        typer.echo(f"Created API token {token.id} ({token.scope}, {token.name!r}) in {access.url}; "
                   f"it expires {token.expires_at:%Y-%m-%d %H:%M} UTC.")
    typer.echo("Send it as 'Authorization: Bearer <token>'. It is shown only this once:")
    typer.echo(secret)


@token_app.command("list")
def token_list(db_url: Annotated[str | None, typer.Option(help=_DB_URL_HELP)] = None) -> None:
    """List the API tokens (never their secrets), with their expiry."""
    from micromets.store import StoreError

    with _access(db_url) as access:
        try:
            tokens = access.tokens()
        except StoreError as exc:
            raise _fail(str(exc)) from None
    if not tokens:
        typer.echo("No API tokens (micromets token create --scope write).")
        return
    now = dt.datetime.now(dt.UTC)
    typer.echo(f"{'id':>5}  {'scope':<6} {'created (UTC)':<20} {'status':<24} {'expires (UTC)':<16}  name")
    for t in tokens:
        status = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "expired" if t.expired(now) else "active"
        # Tokens created before expiries existed (revision 0004) have none: replace them.
        expires = f"{t.expires_at:%Y-%m-%d %H:%M}" if t.expires_at else "no expiry"
        typer.echo(f"{t.id:>5}  {t.scope:<6} {t.created_at:%Y-%m-%d %H:%M:%S}  {status:<24} {expires:<16}  {t.name}")
    if any(t.expires_at is None and not t.revoked_at for t in tokens):
        typer.echo("Tokens with no expiry were created before tokens had one; replace them (create a new one, "
                   "then revoke the old).", err=True)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[int, typer.Argument(metavar="ID", help="The token id (micromets token list).")],
    db_url: Annotated[str | None, typer.Option(help=_DB_URL_HELP)] = None,
) -> None:
    """Revoke an API token: every server process refuses it from the next request on."""
    from micromets.store import StoreError

    with _access(db_url) as access:
        try:
            token = access.revoke(token_id)
        except StoreError as exc:
            raise _fail(str(exc)) from None
    if token is None:
        raise _fail(f"no API token {token_id} (micromets token list)")
    typer.echo(f"Revoked API token {token.id} ({token.scope}, {token.name!r}).")


@token_app.command("login-url")
def token_login_url(
    url: Annotated[str, typer.Option(help="The server's base URL.")] = "http://127.0.0.1:8000",
    name: Annotated[str, typer.Option(help="Who the link is for (recorded as the web session's name).")] = "web",
    db_url: Annotated[str | None, typer.Option(help=_DB_URL_HELP)] = None,
) -> None:
    """Print a new one-time sign-in link for the web app (valid for an hour; the server must use the same database)."""
    from micromets.api.server import LOGIN_LINK_TTL
    from micromets.store import StoreError

    if not url.startswith(("http://", "https://")):
        raise _fail(f"--url must start with http:// or https://; got {url!r}")
    with _access(db_url) as access:
        try:
            link = access.create_login_token(name=name, ttl=LOGIN_LINK_TTL)
        except (StoreError, ValueError) as exc:
            raise _fail(str(exc)) from None
    typer.echo(f"{url.rstrip('/')}/?token={link}")


@token_app.command("signout")
def token_signout(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The account: the name of its sign-in links "
                                                               "(login-url --name).")],
    db_url: Annotated[str | None, typer.Option(help=_DB_URL_HELP)] = None,
) -> None:
    """End every web session of an account, in every browser and server process (e.g. a lost device). API tokens
    are separate credentials: revoke them with ``micromets token revoke``."""
    from micromets.store import StoreError
    from micromets.store.access import check_name

    try:
        account = check_name(name)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    with _access(db_url) as access:
        try:
            access.end_sessions(account)
        except StoreError as exc:
            raise _fail(str(exc)) from None
    typer.echo(f"Ended every web session of {account!r}; API tokens are unchanged (micromets token revoke).")
