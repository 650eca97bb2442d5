"""``micromets token``: API tokens (create, list, revoke) and one-time web sign-in links.

Registered on the main command line by ``micromets.cli``. Exit status 2 for misuse or a database
that cannot be opened, as the rest of the CLI.
"""

from __future__ import annotations

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
    db_url: Annotated[str | None, typer.Option(help=_DB_URL_HELP)] = None,
) -> None:
    """Create an API token and print it once (the last line): only its hash is stored."""
    from micromets.store import StoreError

    with _access(db_url) as access:
        try:
            token, secret = access.create_token(scope.value, name=name)
        except (StoreError, ValueError) as exc:
            raise _fail(str(exc)) from None
        typer.echo(f"Created API token {token.id} ({token.scope}, {token.name!r}) in {access.url}.")
    typer.echo("Send it as 'Authorization: Bearer <token>'. It is shown only this once:")
    typer.echo(secret)


@token_app.command("list")
def token_list(db_url: Annotated[str | None, typer.Option(help=_DB_URL_HELP)] = None) -> None:
    """List the API tokens (never their secrets)."""
    from micromets.store import StoreError

    with _access(db_url) as access:
        try:
            tokens = access.tokens()
        except StoreError as exc:
            raise _fail(str(exc)) from None
    if not tokens:
        typer.echo("No API tokens (micromets token create --scope write).")
        return
    typer.echo(f"{'id':>5}  {'scope':<6} {'created (UTC)':<20} {'status':<28} name")
    for t in tokens:
        status = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "active"
        typer.echo(f"{t.id:>5}  {t.scope:<6} {t.created_at:%Y-%m-%d %H:%M:%S}  {status:<28} {t.name}")


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
