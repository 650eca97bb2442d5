"""The ``micromets`` command line (contract section 3).

Exit status: 0 when every input was valid, 2 when any input was invalid or the call was misused.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from micromets.cohort.cli import cohort as _cohort_command
from micromets.errors import CaseValidationError, FieldProblem, UnknownVersionError
from micromets.model import Assessment, Case, ErrorDetail, ErrorResult, parse_case_json
from micromets.store.cli import store_app as _store_app
from micromets.token_cli import token_app as _token_app

app = typer.Typer(
    name="micromets",
    help="Decision support for early breast cancer with nodal micrometastases, ITC and low-volume "
    "macrometastases: findings, AJCC 8 stage, PREDICT prognosis, recommendations with evidence, follow-up.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_INVALID = 2


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    pdf = "pdf"
    ics = "ics"
    fhir = "fhir"


class SchemaName(StrEnum):
    case = "case"
    assessment = "assessment"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(EXIT_INVALID)


def _read_text(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    if not path.is_file():
        raise _fail(f"no such file: {source}")
    return path.read_text(encoding="utf-8")


def _raw_id(text: str) -> str | None:
    """The ``id`` of an input line, even when the line is otherwise invalid (for the error record)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def error_result(text: str, problems: list[FieldProblem]) -> ErrorResult:
    details = [ErrorDetail(field=p.field, message=p.message) for p in problems]
    return ErrorResult(id=_raw_id(text), error=details[0], errors=details)


def _assess(case: Case, prognosis_version: str | None) -> Assessment:
    from micromets.assess import assess

    try:
        return assess(case, prognosis_version=prognosis_version)
    except UnknownVersionError as exc:
        raise _fail(str(exc)) from None


def _render(assessment: Assessment, case: Case, fmt: OutputFormat) -> str | bytes:
    if fmt is OutputFormat.json:
        return assessment.model_dump_json(indent=2) + "\n"
    if fmt is OutputFormat.text:
        from micromets.report.text import render_text

        return render_text(assessment)
    if fmt is OutputFormat.html:
        from micromets.report.html import render_html

        return render_html(assessment, case)
    if fmt is OutputFormat.pdf:
        from micromets.report.pdf import render_pdf

        return render_pdf(assessment, case)
    if fmt is OutputFormat.fhir:
        from micromets.interop.fhir import to_bundle

        return json.dumps(to_bundle(assessment, case), indent=2) + "\n"
    from micromets.followup import to_icalendar

    return to_icalendar(assessment.follow_up, patient_id=assessment.id)


def _write(content: str | bytes, output: Path | None) -> None:
    if output is not None:
        if isinstance(content, bytes):
            output.write_bytes(content)
        else:
            output.write_text(content, encoding="utf-8")
        return
    if isinstance(content, bytes):
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(content)


def _lines(stream: TextIO) -> Iterator[str]:
    for line in stream:
        if line.strip():
            yield line


def _run_jsonl(source: str, prognosis_version: str | None, output: Path | None) -> int:
    from micromets.assess import assess

    if source != "-" and not Path(source).is_file():
        raise _fail(f"no such file: {source}")
    total = None
    if sys.stderr.isatty() and source != "-":
        with Path(source).open(encoding="utf-8") as counting:
            total = sum(1 for _ in _lines(counting))
    invalid = 0
    with ExitStack() as stack:
        stream = sys.stdin if source == "-" else stack.enter_context(Path(source).open(encoding="utf-8"))
        out = stack.enter_context(output.open("w", encoding="utf-8")) if output else sys.stdout
        progress = stack.enter_context(_Progress(total))
        for text in _lines(stream):
            try:
                record: ErrorResult | Assessment = assess(parse_case_json(text), prognosis_version=prognosis_version)
            except CaseValidationError as exc:
                invalid += 1
                record = error_result(text, exc.problems)
            except UnknownVersionError as exc:
                raise _fail(str(exc)) from None
            out.write(record.model_dump_json() + "\n")
            progress.advance()
    return EXIT_INVALID if invalid else 0


class _Progress:
    """A rich progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, total: int | None):
        self._bar: Any = None
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

            self._bar = Progress("assessing", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=Console(stderr=True), transient=True)
            self._task = self._bar.add_task("cases", total=total)
            self._bar.start()

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)


@app.command()
def assess(
    case_file: Annotated[str | None, typer.Argument(metavar="CASE.json", help="A case JSON file, or - for stdin.")] = None,
    jsonl: Annotated[str | None, typer.Option("--jsonl", help="JSON Lines file of cases (or - for stdin).")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format (single case).")] = OutputFormat.json,
    prognosis_version: Annotated[str | None, typer.Option("--prognosis-version",
                                                          help="PREDICT version: 2.2, 3.0 or 3.2 (default: the newest, 3.2).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Assess one case (prints the assessment) or a JSON Lines file of cases (one result per line)."""
    if (case_file is None) == (jsonl is None):
        raise _fail("give either CASE.json or --jsonl FILE (not both, not neither)")
    if jsonl is not None:
        if fmt is not OutputFormat.json:
            raise _fail("--jsonl writes one JSON assessment per line; --format applies to a single case")
        raise typer.Exit(_run_jsonl(jsonl, prognosis_version, output))
    assert case_file is not None
    text = _read_text(case_file)
    try:
        case = parse_case_json(text)
    except CaseValidationError as exc:
        for problem in exc.problems:
            typer.echo(f"invalid case: {problem.field}: {problem.message}", err=True)
        sys.stdout.write(error_result(text, exc.problems).model_dump_json(indent=2) + "\n")
        raise typer.Exit(EXIT_INVALID) from None
    _write(_render(_assess(case, prognosis_version), case, fmt), output)


@app.command()
def schema(name: Annotated[SchemaName, typer.Argument(help="case or assessment")]) -> None:
    """Print the JSON Schema of the case (input) or the assessment (output)."""
    if name is SchemaName.case:
        document = Case.model_json_schema(mode="validation")
    else:
        document = Assessment.model_json_schema(mode="serialization")
    sys.stdout.write(json.dumps(document, indent=2, sort_keys=True) + "\n")


@app.command()
def whatif(
    case_file: Annotated[str, typer.Argument(metavar="CASE.json", help="A case JSON file, or - for stdin.")],
    changes: Annotated[list[str], typer.Option("--set", help="A change as field.path=value, e.g. tumour.grade=3.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="text or json.")] = OutputFormat.text,
    prognosis_version: Annotated[str | None, typer.Option("--prognosis-version")] = None,
) -> None:
    """Show which decisions, stages and survival figures change when some inputs change."""
    from micromets.whatif import parse_assignment, render_whatif_text
    from micromets.whatif import whatif as run_whatif

    text = _read_text(case_file)
    try:
        data = json.loads(text)
        assignments = dict(parse_assignment(change) for change in changes)
        result = run_whatif(data, assignments, prognosis_version=prognosis_version)
    except json.JSONDecodeError as exc:
        raise _fail(f"{case_file} is not valid JSON: {exc.msg}") from None
    except CaseValidationError as exc:
        for problem in exc.problems:
            typer.echo(f"invalid case: {problem.field}: {problem.message}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except (ValueError, UnknownVersionError) as exc:
        raise _fail(str(exc)) from None
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(result.as_dict(), indent=2, default=str) + "\n")
    else:
        text_out = render_whatif_text(result)
        sys.stdout.write(text_out if text_out.endswith("\n") else text_out + "\n")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    db_url: Annotated[str | None, typer.Option(
        help="Audit store URL, e.g. postgresql+psycopg://user@host/micromets (default: $MICROMETS_DB_URL, "
             "else a SQLite file in the user's data directory).")] = None,
    workers: Annotated[int | None, typer.Option(min=1, max=256, help="Worker processes (default: one per CPU core).")] = None,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", help="A Host header value clients use (name or name:port), besides the bind address, "
                               "localhost, 127.0.0.1 and [::1] with the port; repeatable.")] = None,
    cors_origin: Annotated[list[str] | None, typer.Option(
        "--cors-origin", help="An origin allowed to call the REST API from a browser, e.g. "
                              "https://app.hospital.org; repeatable (default: none).")] = None,
    cds_jwks: Annotated[list[str] | None, typer.Option(
        "--cds-jwks", metavar="ISSUER=PATH", help="Trust the CDS Hooks client ISSUER (its JWT iss), whose public "
                                                 "keys are the JWK Set file PATH; repeatable.")] = None,
    public_url: Annotated[str | None, typer.Option(
        help="The base URL clients use when a proxy is in front, e.g. https://micromets.hospital.org "
             "(CDS Hooks aud, secure cookies).")] = None,
    retention_days: Annotated[int | None, typer.Option(
        "--retention-days", min=1,
        help="Purge audit records older than this many days, at start and daily (default: keep).")] = None,
) -> None:
    """Run the web app and REST API (http://127.0.0.1:8000 by default); prints a one-time sign-in link."""
    from micromets.api.server import serve as run_server
    from micromets.store import StoreError

    issuers: dict[str, str] = {}
    for item in cds_jwks or []:
        issuer, sep, path = item.partition("=")
        if not sep or not issuer or not path:
            raise _fail(f"--cds-jwks takes ISSUER=PATH; got {item!r}")
        issuers[issuer] = path
    try:
        run_server(host=host, port=port, db_url=db_url, workers=workers, allowed_hosts=allowed_host or (),
                   cors_origins=cors_origin or (), cds_jwks=issuers, public_url=public_url,
                   retention_days=retention_days)
    except (StoreError, ValueError) as exc:
        raise _fail(str(exc)) from None


app.command(name="cohort")(_cohort_command)  # defined with the batch engine in micromets.cohort
app.add_typer(_token_app, name="token")  # micromets token create|list|revoke|login-url
app.add_typer(_store_app)  # micromets store upgrade|export|purge|events


def main() -> None:
    app()


if __name__ == "__main__":
    main()
