"""Load test of the HTTP service: a real ``micromets serve`` on loopback with the audit store on, C
concurrent keep-alive clients POSTing cases to ``/api/assess`` for S seconds; reports requests/s,
p50/p99 latency and errors (any status other than 200, or a broken connection).

Usage:
    .venv/bin/python benchmarks/bench_http.py [--clients 50] [--seconds 20] [--workers N]
        [--token TOKEN | --header "Name: value"] [--db-url URL] [--no-store] [--record docs/performance.md]

The server is started as ``python -m micromets.cli serve`` (``--workers N`` is passed on when given),
with a fresh SQLite file in a temporary folder unless ``--db-url`` names another database;
``--no-store`` runs the same app without an audit store (for comparison). ``--server-cmd`` replaces
the command entirely (``{port}`` is replaced by the port). The client is one asyncio process with
raw HTTP/1.1 keep-alive connections (cheap, so that most of the two cores go to the server).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from importlib import resources
from pathlib import Path

from _record import run_header, write_block

_NO_STORE = ("import sys, uvicorn; from micromets.api import create_app; "
             "from micromets.store.access import AccessStore; "
             "uvicorn.run(create_app(access=AccessStore(sys.argv[2])), host='127.0.0.1', port=int(sys.argv[1]), "
             "log_level='warning')")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _requests(headers: list[str], host: str) -> list[bytes]:
    folder = resources.files("micromets") / "examples"
    bodies = [(folder / name).read_bytes() for name in sorted(p.name for p in folder.iterdir()
                                                              if p.name.endswith(".json"))]
    extra = "".join(f"{h}\r\n" for h in headers)
    return [(f"POST /api/assess HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
             f"Content-Length: {len(body)}\r\n{extra}\r\n").encode() + body for body in bodies]


async def read_response(reader: asyncio.StreamReader) -> str:
    """Read one HTTP/1.1 response (head and Content-Length body) off a keep-alive connection; its status code."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return head[9:12].decode()


async def timed_call(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes, start: float,
                     latencies: list[float], failures: dict[str, int]) -> None:
    """Send one request and read its response; after ``start`` (the warm-up), record its latency and any
    status other than 200."""
    now = time.perf_counter()
    writer.write(request)
    status = await read_response(reader)
    if now >= start:
        latencies.append(time.perf_counter() - now)
        if status != "200":
            failures[status] = failures.get(status, 0) + 1


async def _client(port: int, requests: list[bytes], offset: int, until: float, start: float,
                  latencies: list[float], failures: dict[str, int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = offset
    try:
        while time.perf_counter() < until:
            await timed_call(reader, writer, requests[i % len(requests)], start, latencies, failures)
            i += 1
    except (OSError, asyncio.IncompleteReadError) as exc:
        failures[type(exc).__name__] = failures.get(type(exc).__name__, 0) + 1
    finally:
        writer.close()


async def _load(port: int, requests: list[bytes], clients: int, seconds: float,
                warmup: float) -> tuple[list[float], dict[str, int]]:
    latencies: list[float] = []
    failures: dict[str, int] = {}
    start = time.perf_counter() + warmup
    until = start + seconds
    await asyncio.gather(*(_client(port, requests, n, until, start, latencies, failures) for n in range(clients)))
    return latencies, failures


def _wait_ready(port: int, server: subprocess.Popen[bytes], headers: list[str]) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz")
    for header in headers:
        name, _, value = header.partition(":")
        request.add_header(name.strip(), value.strip())
    for _ in range(600):
        if server.poll() is not None:
            sys.exit(f"the server exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(request, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit("the server did not answer /healthz")


def _new_token(db_url: str) -> str:
    """A write token in the server's own database (every /api call needs one; docs/web-and-api.md)."""
    from micromets.store.access import AccessStore

    with AccessStore(db_url) as access:
        return access.create_token("write", name="bench_http")[1]


def _server_command(args: argparse.Namespace, port: int, db_url: str) -> list[str]:
    if args.server_cmd:
        return shlex.split(args.server_cmd.replace("{port}", str(port)))
    if args.no_store:
        return [sys.executable, "-c", _NO_STORE, str(port), db_url]  # tokens only: nothing is recorded
    command = [sys.executable, "-m", "micromets.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--db-url", db_url]
    return command + (["--workers", str(args.workers)] if args.workers else [])


def _group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) of every process in the server's process group (Linux /proc)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, ...
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


async def _measured(port: int, requests: list[bytes], clients: int, seconds: float, warmup: float,
                    pgid: int) -> tuple[list[float], dict[str, int], float, float]:
    """The load, and the CPU seconds the server and this client used during the measured window."""
    task = asyncio.ensure_future(_load(port, requests, clients, seconds, warmup))
    await asyncio.sleep(warmup)
    server_cpu, client_cpu = _group_cpu_seconds(pgid), time.process_time()
    latencies, failures = await task
    return latencies, failures, _group_cpu_seconds(pgid) - server_cpu, time.process_time() - client_cpu


def _count_rows(db_url: str) -> int | None:
    try:
        from sqlalchemy import create_engine, text

        engine = create_engine(db_url)
        with engine.connect() as connection:
            rows = int(connection.execute(text("SELECT COUNT(*) FROM assessments")).scalar_one())
        engine.dispose()
        return rows
    except Exception:  # a benchmark aid only
        return None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--warmup", type=float, default=3)
    ap.add_argument("--workers", type=int, default=None, help="passed to `micromets serve --workers`")
    ap.add_argument("--token", default=None, help="sent as `Authorization: Bearer TOKEN`")
    ap.add_argument("--header", action="append", default=[], help='an extra request header, "Name: value"')
    ap.add_argument("--db-url", default=None, help="audit store (default: a new SQLite file)")
    ap.add_argument("--no-store", action="store_true", help="serve without an audit store, for comparison")
    ap.add_argument("--server-cmd", default=None, help="the server command; {port} is replaced")
    ap.add_argument("--record", type=Path, default=None)
    args = ap.parse_args()
    headers = list(args.header)
    with tempfile.TemporaryDirectory() as folder:
        db_url = args.db_url or f"sqlite:///{folder}/audit.sqlite3"
        token = args.token or (None if args.server_cmd else _new_token(db_url))
        headers += [f"Authorization: Bearer {token}"] if token else []
        port = _free_port()
        env = {**os.environ, "MICROMETS_LOG_LEVEL": "warning"}
        server = subprocess.Popen(_server_command(args, port, db_url), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, env=env, start_new_session=True)
        try:
            _wait_ready(port, server, headers)
            rows_before = None if args.no_store else _count_rows(db_url)
            latencies, failures, server_cpu, client_cpu = asyncio.run(_measured(
                port, _requests(headers, f"127.0.0.1:{port}"), args.clients, args.seconds, args.warmup, server.pid))
            rows_after = None if args.no_store else _count_rows(db_url)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
    if not latencies:
        sys.exit(f"no request completed; failures: {failures}")
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] * 1000
    errors = sum(failures.values())
    store = "without a store" if args.no_store else f"store {db_url.split(':')[0]}"
    workers = f"{args.workers} workers" if args.workers else "default workers"
    line = (f"{args.clients} clients, {args.seconds:g} s ({store}, {workers}): {len(latencies):,} requests, "
            f"**{len(latencies) / args.seconds:,.0f} req/s**, p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
            f"errors {errors}{' ' + json.dumps(failures) if failures else ''}; server CPU "
            f"{1000 * server_cpu / len(latencies):.2f} ms per request, client {1000 * client_cpu / len(latencies):.2f} ms; "
            f"load average {os.getloadavg()[0]:.1f}")
    if rows_before is not None and rows_after is not None:
        line += f"; {rows_after - rows_before:,} rows recorded"
    print(line)
    if args.record is not None:
        write_block(args.record, "http", f"{run_header('bench_http.py')}\n\n{line}",
                    heading="HTTP service under load")


if __name__ == "__main__":
    main()
