"""The ``micromets`` command line (contract section 3).

Exit status (docs/case-format.md): 0 when every input was valid; 2 when any input was invalid, the
input could not be read (missing, a directory, binary, closed standard input) or the call was misused;
3 when the output could not be written (closed or broken standard output, disk full). Every failure is
one ``error: ...`` line on stderr, never a traceback.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, Protocol, TextIO

import typer

from micromets.cohort.cli import cohort as _cohort_command
from micromets.errors import CaseValidationError, FieldProblem, UnknownVersionError
from micromets.model import Assessment, Case, ErrorDetail, ErrorResult, parse_case
from micromets.model.strict_json import loads_strict, printable
from micromets.store.cli import store_app as _store_app
from micromets.token_cli import token_app as _token_app
from micromets.validation.cli import recalibrate as _recalibrate_command
from micromets.validation.cli import validate as _validate_command

if TYPE_CHECKING:
    from micromets.prognosis.calibration import CalibrationProfile

app = typer.Typer(
    name="micromets",
    help="Decision support for early breast cancer with nodal micrometastases, ITC and low-volume "
    "macrometastases: findings, AJCC 8 stage, PREDICT prognosis, recommendations with evidence, follow-up.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK = 0
#: Some input was invalid (each problem is reported), the input could not be read, or the call was misused.
EXIT_INVALID = 2
#: The output could not be written: standard output closed or broken (e.g. ``| head``), disk full.
EXIT_OUTPUT = 3
#: The largest single case file, and the longest JSON Lines line, read (a case is a few kilobytes).
MAX_INPUT_BYTES = 16 * 1024 * 1024
_SNIFF_BYTES = 8192


class OutputFormat(StrEnum):
    text = "text"
    json = "json"
    html = "html"
    pdf = "pdf"
    ics = "ics"
    fhir = "fhir"
    patient_html = "patient-html"


#: Formats whose output is binary: refused onto a terminal (where the bytes would be garbage).
_BINARY_FORMATS = (OutputFormat.pdf,)
#: What ``whatif`` can write.
_WHATIF_FORMATS = (OutputFormat.text, OutputFormat.json, OutputFormat.html, OutputFormat.pdf)


class InputFormat(StrEnum):
    auto = "auto"
    case = "case"
    fhir = "fhir"


class SchemaName(StrEnum):
    case = "case"
    assessment = "assessment"


def _fail(message: str, status: int = EXIT_INVALID) -> typer.Exit:
    typer.echo(f"error: {printable(message, 400)}", err=True)
    return typer.Exit(status)


def _binary_stdin() -> BinaryIO:
    stream = sys.stdin
    if stream is None:
        raise _fail("standard input is closed; give a file, or pipe the input in")
    buffer: BinaryIO = getattr(stream, "buffer", None) or io.BytesIO(stream.read().encode("utf-8"))
    return buffer


def _open_input(source: str) -> BinaryIO:
    """The input as a binary stream; a one-line error (exit 2) when it cannot be opened or is binary."""
    if source == "-":
        stream = _binary_stdin()
        name = "standard input"
    else:
        path = Path(source)
        if path.is_dir():
            raise _fail(f"{source} is a directory, not a file")
        if not path.exists():
            raise _fail(f"no such file: {source}")
        try:
            stream = path.open("rb")
        except OSError as exc:
            raise _fail(f"cannot read {source}: {exc.strerror or exc}") from None
        name = source
    try:
        peek = getattr(stream, "peek", None)
        sample = peek(_SNIFF_BYTES)[:_SNIFF_BYTES] if peek is not None else b""
    except OSError as exc:
        _close(stream, source)
        raise _fail(f"cannot read {name}: {exc.strerror or exc}") from None
    if _looks_binary(sample):
        _close(stream, source)
        raise _fail(f"{name} is a binary file, not JSON text (UTF-16 text must be saved as UTF-8)")
    return stream


def _close(stream: BinaryIO, source: str) -> None:
    if source != "-":
        stream.close()


def _looks_binary(sample: bytes) -> bool:
    """Whether the start of an input is binary data: over 30 % NUL/control bytes or undecodable as UTF-8.

    A text file with a few damaged lines stays text (each line gets its own error record); an image,
    an archive or UTF-16 text (every other byte NUL) does not.
    """
    if not sample:
        return False
    text = sample.decode("utf-8", "replace")
    odd = sum(1 for char in text if char == "\ufffd" or (char < " " and char not in "\t\n\r\f"))
    return odd > 0.3 * len(text)


def _read_bytes(source: str) -> bytes:
    """A whole single-case input, at most ``MAX_INPUT_BYTES``."""
    stream = _open_input(source)
    try:
        data = stream.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise _fail(f"cannot read {source}: {exc.strerror or exc}") from None
    finally:
        _close(stream, source)
    if len(data) > MAX_INPUT_BYTES:
        raise _fail(f"{source} is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB; a case is a small JSON object")
    return data


def _raw_id(data: Any) -> str | None:
    """The ``id`` of an input, even when it is otherwise invalid (for the error record)."""
    value = data.get("id") if isinstance(data, dict) else None
    return value[:200] if isinstance(value, str) else None


def error_result(case_id: str | None, problems: list[FieldProblem]) -> ErrorResult:
    details = [ErrorDetail(field=p.field, message=p.message) for p in problems]
    return ErrorResult(id=case_id, error=details[0], errors=details)


def _decode_case(data: bytes, where: str, input_format: InputFormat = InputFormat.auto
                 ) -> tuple[Case | None, ErrorResult | None, Any]:
    """The case in ``data`` (a case, or FHIR: a Bundle or one resource), or the error record naming every problem.

    The third item is the FHIR import (``ImportedCase``: its missing values and warnings go into the assessment),
    ``None`` for a case. ``auto`` reads FHIR when the JSON object has a ``resourceType`` (a case never has one).
    """
    try:
        decoded = loads_strict(data, where=where)
    except CaseValidationError as exc:
        return None, error_result(None, exc.problems), None
    fhir = input_format is InputFormat.fhir or (
        input_format is InputFormat.auto and isinstance(decoded, dict) and "resourceType" in decoded)
    try:
        if fhir:
            from micromets.interop.fhir import import_bundle

            try:
                imported = import_bundle(decoded)
            except CaseValidationError:
                raise
            except Exception as exc:  # a defect in reading unusual FHIR must be one error line, not a traceback
                message = f"could not be read because of an internal error ({type(exc).__name__}); please report it"
                return None, error_result(None, [FieldProblem("(bundle)", message)]), None
            return imported.case, None, imported
        return parse_case(decoded), None, None
    except CaseValidationError as exc:
        return None, error_result(_raw_id(decoded), exc.problems), None


def _with_notes(assessment: Assessment, imported: Any) -> Assessment:
    if imported is None:
        return assessment
    from micromets.interop.fhir import with_import_notes

    return with_import_notes(assessment, imported)


def _assess(case: Case, prognosis_version: str | None) -> Assessment:
    from micromets.assess import assess

    try:
        return assess(case, prognosis_version=prognosis_version)
    except UnknownVersionError as exc:
        raise _fail(str(exc)) from None


def _check_version(prognosis_version: str | None) -> None:
    from micromets.assess import available_prognosis_versions

    known = available_prognosis_versions()
    if prognosis_version is not None and prognosis_version not in known:
        raise _fail(f"PREDICT version {prognosis_version!r} is not implemented; choose one of {', '.join(known)}")


def _refuse_binary_on_terminal(fmt: OutputFormat, output: Path | None) -> None:
    """``--format pdf`` without ``-o`` onto a terminal is a mistake: say so (exit 2) instead of printing bytes."""
    if fmt in _BINARY_FORMATS and output is None and sys.stdout is not None and sys.stdout.isatty():
        raise _fail(f"--format {fmt.value} writes binary data, not text for the terminal; give -o FILE "
                    f"(e.g. -o report.{fmt.value}) or redirect standard output to a file")


def _slow(message: str) -> contextlib.AbstractContextManager[Any]:
    """A spinner on standard error while a slow step (PDF layout) runs, when standard error is a terminal."""
    if sys.stderr is None or not sys.stderr.isatty():
        return contextlib.nullcontext()
    from rich.console import Console

    return Console(stderr=True).status(message)


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

        with _slow("rendering the PDF report…"):
            return render_pdf(assessment, case)
    if fmt is OutputFormat.patient_html:
        from micromets.report.patient import render_patient_html

        return render_patient_html(assessment, case)
    if fmt is OutputFormat.fhir:
        from micromets.interop.fhir import to_bundle

        return json.dumps(to_bundle(assessment, case), indent=2) + "\n"
    from micromets.followup import to_icalendar

    return to_icalendar(assessment.follow_up, patient_id=assessment.id)


class _Writable(Protocol):
    def write(self, data: bytes, /) -> int: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


class _Sink:
    """Where output goes (a file or standard output), written as UTF-8 bytes; failures exit 3, one line."""

    def __init__(self, output: Path | None) -> None:
        self._name = str(output) if output is not None else "standard output"
        self._stdout = output is None
        if output is not None:
            try:
                self._stream: _Writable = output.open("wb")
            except OSError as exc:
                raise _fail(f"cannot write {output}: {exc.strerror or exc}", EXIT_OUTPUT) from None
        else:
            if sys.stdout is None:
                raise _fail("standard output is closed; redirect it to a file or use -o FILE", EXIT_OUTPUT)
            self._stream = getattr(sys.stdout, "buffer", None) or _TextAsBinary(sys.stdout)

    def write(self, content: str | bytes, *, flush: bool = False) -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        try:
            self._stream.write(data)
            if flush:
                self._stream.flush()
        except (OSError, ValueError) as exc:
            raise self._broken(exc) from None

    def close(self) -> None:
        try:
            if self._stdout:
                self._stream.flush()
            else:
                self._stream.close()
        except (OSError, ValueError) as exc:
            raise self._broken(exc) from None

    def _broken(self, exc: Exception) -> typer.Exit:
        if self._stdout:
            # Nothing more can reach the closed pipe; point the descriptor at /dev/null so that the
            # interpreter's final flush does not print a second error.
            with contextlib.suppress(OSError, ValueError, AttributeError):
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            return _fail("standard output was closed before all output was written", EXIT_OUTPUT)
        with contextlib.suppress(OSError, ValueError):
            self._stream.close()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return _fail(f"cannot write {self._name}: {reason}", EXIT_OUTPUT)


class _TextAsBinary:
    """A text stream without a binary buffer (some test harnesses), written through as UTF-8 text."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, data: bytes) -> int:
        return self._stream.write(data.decode("utf-8"))

    def flush(self) -> None:
        self._stream.flush()

    def close(self) -> None:
        self._stream.flush()


def _emit(content: str | bytes, output: Path | None = None) -> None:
    sink = _Sink(output)
    sink.write(content)
    sink.close()


class _TooLong:
    """A JSON Lines line longer than ``MAX_INPUT_BYTES`` (its bytes are skipped, not kept)."""


def _lines(stream: BinaryIO) -> Iterator[bytes | _TooLong]:
    """Every line of ``stream`` as bytes without its line ending, split here (not by a text decoder), so an
    undecodable line is one line; the newline that ends the last line does not start another."""
    while True:
        line = stream.readline(MAX_INPUT_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_INPUT_BYTES and not line.endswith(b"\n"):
            while (rest := stream.readline(MAX_INPUT_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield _TooLong()
            continue
        yield line.rstrip(b"\n").removesuffix(b"\r")


def _line_record(line: bytes | _TooLong, prognosis_version: str | None,
                 profile: CalibrationProfile | None = None,
                 input_format: InputFormat = InputFormat.auto) -> ErrorResult | Assessment:
    from micromets.assess import assess

    if isinstance(line, _TooLong):
        limit = MAX_INPUT_BYTES // (1024 * 1024)
        return error_result(None, [FieldProblem("(line)", f"is longer than {limit} MiB; a case is a small JSON object")])
    if not line.strip():
        return error_result(None, [FieldProblem("(line)", "is blank; every line must hold one case (a JSON object)")])
    case, error, imported = _decode_case(line, "(line)", input_format)
    if error is not None:
        return error
    assert case is not None
    return _calibrated(_with_notes(assess(case, prognosis_version=prognosis_version), imported), profile)


def _count_lines(source: str) -> int | None:
    try:
        with Path(source).open("rb") as counting:
            count, last = 0, b"\n"
            while chunk := counting.read(1 << 20):
                count += chunk.count(b"\n")
                last = chunk[-1:]
            return count + (last != b"\n")
    except OSError:
        return None


def _run_jsonl(source: str, prognosis_version: str | None, output: Path | None,
               profile: CalibrationProfile | None = None,
               input_format: InputFormat = InputFormat.auto) -> int:
    _check_version(prognosis_version)
    stream = _open_input(source)
    invalid = 0
    number = 0
    try:
        sink = _Sink(output)
        total = _count_lines(source) if sys.stderr is not None and sys.stderr.isatty() and source != "-" else None
        with _Progress(total) as progress:
            for number, line in enumerate(_lines(stream), start=1):
                try:
                    record = _line_record(line, prognosis_version, profile, input_format)
                except Exception as exc:  # a defect must not stop the batch: this line gets an error record
                    typer.echo(f"error: line {number}: internal error ({type(exc).__name__}); please report it",
                               err=True)
                    message = f"could not be assessed because of an internal error ({type(exc).__name__})"
                    record = error_result(None, [FieldProblem("(line)", message)])
                invalid += isinstance(record, ErrorResult)
                sink.write(record.model_dump_json() + "\n", flush=source == "-")
                progress.advance()
        sink.close()
    except OSError as exc:
        raise _fail(f"reading {'standard input' if source == '-' else source} failed after line {number}: "
                    f"{exc.strerror or exc}") from None
    finally:
        _close(stream, source)
    return EXIT_INVALID if invalid else EXIT_OK


class _Progress:
    """A rich progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, total: int | None):
        self._bar: Any = None
        if sys.stderr is not None and sys.stderr.isatty():
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
    calibration: Annotated[Path | None, typer.Option(
        help="A calibration profile (micromets recalibrate): recalibrated overall survival is shown beside "
             "PREDICT's; its version is used unless --prognosis-version is given.")] = None,
    input_format: Annotated[InputFormat, typer.Option(
        "--input-format", help="case, fhir (a FHIR R4 Bundle or one resource), or auto: FHIR when the JSON has a "
                               "resourceType.")] = InputFormat.auto,
) -> None:
    """Assess one case (prints the assessment) or a JSON Lines file of cases (one result per line).

    A case may also be given as FHIR R4 (a Bundle, or a single resource): see docs/interop.md."""
    if (case_file is None) == (jsonl is None):
        raise _fail("give either CASE.json or --jsonl FILE (not both, not neither)")
    profile = _load_calibration(calibration, prognosis_version)
    if profile is not None:
        prognosis_version = profile.prognosis_version
    if jsonl is not None:
        if fmt is not OutputFormat.json:
            raise _fail("--jsonl writes one JSON assessment per line; --format applies to a single case")
        raise typer.Exit(_run_jsonl(jsonl, prognosis_version, output, profile, input_format))
    assert case_file is not None
    _check_version(prognosis_version)
    _refuse_binary_on_terminal(fmt, output)
    case, error, imported = _decode_case(_read_bytes(case_file), "(json)", input_format)
    if error is not None:
        for problem in error.errors:
            typer.echo(f"invalid case: {problem.field}: {problem.message}", err=True)
        _emit(error.model_dump_json(indent=2) + "\n")
        raise typer.Exit(EXIT_INVALID)
    assert case is not None
    _emit(_render(_calibrated(_with_notes(_assess(case, prognosis_version), imported), profile), case, fmt), output)


def _load_calibration(path: Path | None, prognosis_version: str | None) -> CalibrationProfile | None:
    if path is None:
        return None
    from micromets.prognosis.calibration import CalibrationProfileError, load_profile

    try:
        return load_profile(path, prognosis_version)
    except CalibrationProfileError as exc:
        raise _fail(str(exc)) from None


def _calibrated(assessment: Assessment, profile: CalibrationProfile | None) -> Assessment:
    if profile is None:
        return assessment
    from micromets.prognosis.calibration import apply_to_assessment

    return apply_to_assessment(assessment, profile)


@app.command()
def schema(name: Annotated[SchemaName, typer.Argument(help="case or assessment")]) -> None:
    """Print the JSON Schema of the case (input) or the assessment (output)."""
    if name is SchemaName.case:
        document = Case.model_json_schema(mode="validation")
    else:
        document = Assessment.model_json_schema(mode="serialization")
    _emit(json.dumps(document, indent=2, sort_keys=True) + "\n")


@app.command()
def whatif(
    case_file: Annotated[str, typer.Argument(metavar="CASE.json", help="A case JSON file, or - for stdin.")],
    changes: Annotated[list[str], typer.Option("--set", help="A change as field.path=value, e.g. tumour.grade=3.")],
    fmt: Annotated[OutputFormat, typer.Option(
        "--format", "-f", help="text, json, html (the comparison, then the changed case's report) or pdf.")] = OutputFormat.text,
    prognosis_version: Annotated[str | None, typer.Option("--prognosis-version")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Show which decisions, stages and survival figures change when some inputs change."""
    from micromets.whatif import apply_changes, parse_assignment
    from micromets.whatif import whatif as run_whatif

    if fmt not in _WHATIF_FORMATS:
        raise _fail(f"whatif writes {', '.join(f.value for f in _WHATIF_FORMATS)}; --format {fmt.value} is for "
                    "micromets assess")
    _check_version(prognosis_version)
    _refuse_binary_on_terminal(fmt, output)
    try:
        data = loads_strict(_read_bytes(case_file), where="(json)")
        assignments = dict(parse_assignment(change) for change in changes)
        result = run_whatif(data, assignments, prognosis_version=prognosis_version)
    except CaseValidationError as exc:
        for problem in exc.problems:
            typer.echo(f"invalid case: {problem.field}: {problem.message}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except (ValueError, KeyError, UnknownVersionError) as exc:
        raise _fail(str(exc)) from None
    if fmt is OutputFormat.json:
        _emit(json.dumps(result.as_dict(), indent=2, default=str) + "\n", output)
        return
    from micromets.report import whatif as report

    changed_case = parse_case(apply_changes(data, assignments))
    if fmt is OutputFormat.html:
        _emit(report.render_whatif_html(result, result.after, changed_case), output)
    elif fmt is OutputFormat.pdf:
        with _slow("rendering the PDF…"):
            content = report.render_whatif_pdf(result, result.after, changed_case)
        _emit(content, output)
    else:
        _emit(report.render_whatif_text(result) + "\n", output)


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
    cds_trust: Annotated[Path | None, typer.Option(
        "--cds-trust", metavar="FILE", help='The CDS Hooks clients to trust: {"clients": [{"iss": ..., "jwks_file": '
                                            '... or "jwks_url": ..., "fhir_servers": [...]}]} '
                                            '(docs/interop.md, CDS Hooks authentication).')] = None,
    public_url: Annotated[str | None, typer.Option(
        help="The base URL clients use when a proxy is in front, e.g. https://micromets.hospital.org "
             "(CDS Hooks aud, secure cookies).")] = None,
    retention_days: Annotated[int | None, typer.Option(
        "--retention-days", min=1,
        help="Purge audit records older than this many days, at start and daily (default: keep).")] = None,
    session_idle_minutes: Annotated[int, typer.Option(
        "--session-idle-minutes", min=2, max=720,
        help="A web session ends after this many minutes without a request (default 30).")] = 30,
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
                   cors_origins=cors_origin or (), cds_jwks=issuers,
                   cds_trust=str(cds_trust) if cds_trust else None, public_url=public_url,
                   retention_days=retention_days, session_idle_minutes=session_idle_minutes)
    except (StoreError, ValueError) as exc:
        raise _fail(str(exc)) from None


app.command(name="cohort")(_cohort_command)  # defined with the batch engine in micromets.cohort
app.command(name="validate")(_validate_command)  # micromets.validation: external validation
app.command(name="recalibrate")(_recalibrate_command)  # micromets.validation: local calibration profiles
app.add_typer(_token_app, name="token")  # micromets token create|list|revoke|login-url|signout
app.add_typer(_store_app)  # micromets store upgrade|export|purge|events


def main() -> None:
    app()


if __name__ == "__main__":
    main()
