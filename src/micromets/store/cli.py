"""``micromets store``: upgrade the schema, export records as JSON Lines, purge expired records.

Every command takes ``--db-url`` (default: ``$MICROMETS_DB_URL``, else the SQLite file in the user's
data directory; see docs/store.md).
"""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from micromets.store import Store

store_app = typer.Typer(name="store", help="The audit store: schema upgrade, JSONL export, purge.",
                        no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

_EXIT_ERROR = 2
DbUrl = Annotated[str | None, typer.Option("--db-url", help="Audit store URL (default: $MICROMETS_DB_URL, "
                                                            "else the SQLite file in the user's data directory).")]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(_EXIT_ERROR)


def _date(text: str, option: str) -> dt.datetime:
    """``2026-01-31`` (midnight UTC) or an ISO 8601 instant; without an offset it is read as UTC."""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise _fail(f"{option}: not a date or ISO 8601 time: {text[:40]!r} (e.g. 2026-01-31)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _cli_actor() -> str:
    try:
        return f"cli {getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _open(db_url: str | None) -> Store:
    from micromets.store import Store, StoreError

    try:
        return Store(db_url)
    except StoreError as exc:
        raise _fail(str(exc)) from None


@store_app.command()
def upgrade(db_url: DbUrl = None) -> None:
    """Create the audit database or bring its schema to the newest revision (also done on every start)."""
    from micromets.store.migrate import head

    store = _open(db_url)
    store.close()
    typer.echo(f"audit store {store.url}: schema at revision {head()}")


@store_app.command()
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="JSON Lines file to write (- for stdout).")],
    since: Annotated[str | None, typer.Option(help="Only records created at or after this date (UTC).")] = None,
    db_url: DbUrl = None,
) -> None:
    """Write every record (oldest first) as one JSON object per line: metadata, case, assessment, response."""
    from micromets.store import StoreError

    start = _date(since, "--since") if since else None
    store = _open(db_url)
    count = 0
    try:
        out = sys.stdout if str(output) == "-" else output.open("w", encoding="utf-8")
        try:
            for record in store.export(since=start):
                out.write(record.model_dump_json() + "\n")
                count += 1
        finally:
            if out is not sys.stdout:
                out.close()
    except (StoreError, OSError) as exc:
        raise _fail(str(exc)) from None
    finally:
        store.close()
    typer.echo(f"exported {count} records", err=True)


@store_app.command()
def purge(
    before: Annotated[str | None, typer.Option(help="Delete records created before this date (UTC).")] = None,
    retention_days: Annotated[int | None, typer.Option(
        "--retention-days", min=1, help="Delete records older than this many days.")] = None,
    db_url: DbUrl = None,
) -> None:
    """Delete expired records. The purge is recorded (who, when, how many, which ids) in audit_events,
    which nothing can delete."""
    from micromets.store import StoreError

    if (before is None) == (retention_days is None):
        raise _fail("give either --before DATE or --retention-days N")
    cutoff = _date(before, "--before") if before else dt.datetime.now(dt.UTC) - dt.timedelta(days=retention_days or 0)
    store = _open(db_url)
    try:
        result = store.purge(cutoff, actor=_cli_actor())
    except (StoreError, ValueError) as exc:
        raise _fail(str(exc)) from None
    finally:
        store.close()
    typer.echo(result.model_dump_json())


@store_app.command()
def events(db_url: DbUrl = None) -> None:
    """Print the audit events that are not assessments (purges, CDS Hooks feedback) as JSON Lines, oldest first."""
    from micromets.store import StoreError

    store = _open(db_url)
    try:
        for event in store.events():
            typer.echo(event.model_dump_json())
    except StoreError as exc:
        raise _fail(str(exc)) from None
    finally:
        store.close()
