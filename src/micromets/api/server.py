"""Run the web app and REST API with uvicorn (``micromets serve``), in one or more worker processes.

``serve`` prepares everything once, in the parent process: it creates the database tables, checks
the CDS Hooks key files, creates the one-time sign-in link and a session signing secret. It hands
the configuration to the workers through environment variables (``app_from_env`` reads them):

=============================  ==========================================================
``MICROMETS_DB_URL``           audit store and access tables (tokens, sign-in links, JWT ids)
``MICROMETS_SESSION_SECRET``   signs web session cookies (shared by all workers; random per start
                               unless already set, so a restart signs everyone out)
``MICROMETS_ALLOWED_HOSTS``    comma-separated ``Host`` values accepted
``MICROMETS_CORS_ORIGINS``     comma-separated origins allowed to call the REST API from a browser
``MICROMETS_CDS_JWKS``         JSON object: trusted CDS client issuer -> JWK Set file
``MICROMETS_PUBLIC_URL``       the base URL clients use, when behind a proxy (optional)
=============================  ==========================================================

and ``MICROMETS_SESSION_IDLE_MINUTES``: web sessions end after this many minutes without a request (30).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import secrets
import socket
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from micromets.api.security import (
    DEFAULT_HOSTS,
    ENV_ALLOWED_HOSTS,
    ENV_CDS_JWKS,
    ENV_CDS_TRUST,
    ENV_CORS_ORIGINS,
    ENV_PUBLIC_URL,
    ENV_SESSION_IDLE_MINUTES,
    ENV_SESSION_SECRET,
    SecuritySettings,
)

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["LOGIN_LINK_TTL", "app_from_env", "default_allowed_hosts", "default_workers", "log_config", "serve"]

#: How long the sign-in link printed by ``serve`` (or ``micromets token login-url``) stays valid.
LOGIN_LINK_TTL = dt.timedelta(hours=1)
#: Days of audit records to keep (``serve --retention-days``), passed to every worker.
ENV_RETENTION_DAYS = "MICROMETS_RETENTION_DAYS"
_WILDCARDS = ("", "0.0.0.0", "::", "[::]")


def default_workers() -> int:
    """The number of CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def default_allowed_hosts(host: str, port: int) -> tuple[str, ...]:
    """The bind address (unless it is a wildcard), localhost, 127.0.0.1 and [::1], each with the port.

    >>> default_allowed_hosts("127.0.0.1", 8000)
    ('127.0.0.1:8000', 'localhost:8000', '[::1]:8000')
    """
    names = ([] if host in _WILDCARDS else [_bracketed(host)]) + list(DEFAULT_HOSTS)
    return tuple(dict.fromkeys(f"{name}:{port}" for name in names))


def _netloc(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc if parts.port else f"{parts.hostname}:{443 if parts.scheme == 'https' else 80}"


def log_config() -> dict[str, Any]:
    """uvicorn's logging configuration plus the ``micromets`` loggers (the access log among them)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["micromets"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def app_from_env() -> FastAPI:
    """The application of one worker process, configured by the environment ``serve`` sets."""
    from micromets.api import create_app
    from micromets.store import Store, default_url
    from micromets.store.access import AccessStore

    settings = SecuritySettings.from_env()
    url = default_url()  # $MICROMETS_DB_URL
    retention = os.environ.get(ENV_RETENTION_DAYS) or None
    store = Store(url, retention_days=int(retention) if retention else None)
    app = create_app(store, settings=settings, access=AccessStore(url))
    _warm_up()
    return app


def _warm_up() -> None:
    """Load every table and model once, then move what start-up built out of the garbage collector's sight.

    A worker holds tens of thousands of long-lived objects (rule tables, models, templates); without this the
    first requests pay for loading them and every full collection walks them all, which shows as tail latency.
    """
    import gc

    from micromets.api.services import assess_case, example_data
    from micromets.interop.fhir import import_bundle, to_bundle
    from micromets.model import parse_case

    case = parse_case(example_data("pn1mi"))
    # A FHIR round trip too: the structural checks of the FHIR types are built on first use (~60 ms).
    import_bundle(to_bundle(assess_case(case), case))
    gc.collect()
    gc.freeze()


def serve(host: str = "127.0.0.1", port: int = 8000, *, db_url: str | None = None, workers: int | None = None,
          allowed_hosts: Sequence[str] = (), cors_origins: Sequence[str] = (),
          cds_jwks: Mapping[str, str] | None = None, cds_trust: str | None = None, public_url: str | None = None,
          retention_days: int | None = None, session_idle_minutes: int = 30) -> None:
    """Serve the app on ``host:port`` until interrupted (127.0.0.1 by default: not exposed to the network).

    Assessments are recorded in the audit store at ``db_url`` (default: ``$MICROMETS_DB_URL``, else a
    SQLite file in the user's data directory; see docs/store.md). ``workers`` processes (default: one
    per CPU core). ``allowed_hosts`` are added to ``default_allowed_hosts``. ``cds_jwks`` maps each
    trusted CDS Hooks client (JWT ``iss``) to its JWK Set file; ``cds_trust`` is the CDS Hooks trust file
    (``micromets.api.cdsauth``). With ``retention_days``, audit records
    older than that are purged at start and then daily (by each worker; every purge is itself audited).
    Web sessions end after ``session_idle_minutes`` without a request. Prints a one-time sign-in link.
    Raises ``ValueError`` for unusable settings and ``StoreError`` when the database cannot be opened.
    """
    import uvicorn

    from micromets.api.cdsauth import CdsTrust
    from micromets.store import ENV_VAR, Store, default_url
    from micromets.store.access import AccessStore

    url = db_url or default_url()
    workers = workers or default_workers()
    public = public_url.rstrip("/") if public_url else None
    secret = os.environ.get(ENV_SESSION_SECRET) or secrets.token_urlsafe(48)
    hosts = default_allowed_hosts(host, port) + tuple(allowed_hosts) + ((_netloc(public),) if public else ())
    env = {ENV_VAR: url, ENV_SESSION_SECRET: secret, ENV_ALLOWED_HOSTS: ",".join(dict.fromkeys(hosts)),
           ENV_CORS_ORIGINS: ",".join(cors_origins), ENV_CDS_JWKS: json.dumps(dict(cds_jwks or {})),
           ENV_CDS_TRUST: os.path.abspath(cds_trust) if cds_trust else "",
           ENV_PUBLIC_URL: public or "", ENV_RETENTION_DAYS: str(retention_days or ""),
           ENV_SESSION_IDLE_MINUTES: str(session_idle_minutes)}
    SecuritySettings.from_env(env)  # the workers will read the same: refuse bad values here, once
    CdsTrust.from_files(cds_jwks or {}, cds_trust)
    # Create the tables before several workers could race to do it.
    with Store(url, retention_days=retention_days) as store:
        print(f"micromets: audit store {store.url}", file=sys.stderr)
    with AccessStore(url) as access:
        link = access.create_login_token(name="micromets serve", ttl=LOGIN_LINK_TTL)
    os.environ.update(env)
    base = public or f"http://{'127.0.0.1' if host in _WILDCARDS else _bracketed(host)}:{port}"
    minutes = int(LOGIN_LINK_TTL.total_seconds() // 60)
    print(f"micromets: {workers} worker process{'es' if workers != 1 else ''}; REST API tokens: "
          "micromets token create --scope write (docs/web-and-api.md)", file=sys.stderr)
    if host not in ("127.0.0.1", "localhost", "::1") and not base.startswith("https://"):
        print("micromets: warning: listening beyond this machine over plain http; put a TLS proxy in front "
              "and pass --public-url https://...", file=sys.stderr)
    print(f"micromets: to sign in to the web app, open this link (it works once, within {minutes} minutes):\n\n"
          f"    {base}/?token={link}\n", flush=True)
    if workers > 1 and hasattr(socket, "SO_REUSEPORT"):
        _run_workers(host, port, workers)
    else:
        uvicorn.run(_APP, factory=True, host=host, port=port, workers=workers, log_level="info",
                    log_config=log_config(), access_log=False, proxy_headers=False, server_header=False)


_APP = "micromets.api.server:app_from_env"
#: A worker that dies this soon after it started is not restarted: the whole server stops (a start-up error).
_MIN_WORKER_LIFETIME_S = 10.0


def _run_workers(host: str, port: int, workers: int) -> None:
    """Run ``workers`` processes, each with its own listening socket on ``host:port`` (SO_REUSEPORT).

    The kernel then spreads new connections evenly over the processes; with uvicorn's shared socket the process
    that happens to be in ``accept()`` takes them, so long-lived keep-alive connections pile up on one worker
    and its queue sets the tail latency. A worker that dies is replaced; one that dies at start stops the server.
    """
    import multiprocessing
    import signal
    import threading
    import time

    with socket.create_server((host, port), family=_family(host)):
        pass  # the port is free (or fail here, once, with the usual OSError)
    context = multiprocessing.get_context("spawn")
    stop = threading.Event()

    def start() -> tuple[Any, float]:
        process = context.Process(target=_worker, args=(host, port), name="micromets-worker")
        process.start()
        return process, time.monotonic()

    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    running = [start() for _ in range(workers)]
    try:
        while not stop.wait(0.5):
            for i, (process, started) in enumerate(running):
                if process.is_alive():
                    continue
                if time.monotonic() - started < _MIN_WORKER_LIFETIME_S:
                    raise RuntimeError(f"a worker process exited at start (status {process.exitcode}); see its log")
                print(f"micromets: worker {process.pid} exited ({process.exitcode}); starting another", file=sys.stderr)
                running[i] = start()
    finally:
        for process, _ in running:
            process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        for process, _ in running:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET


def _worker(host: str, port: int) -> None:
    """One worker process: its own SO_REUSEPORT socket, the app built from the environment ``serve`` set."""
    import uvicorn

    sock = socket.socket(_family(host), socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host.strip("[]"), port))
    sock.listen(2048)
    config = uvicorn.Config(_APP, factory=True, log_level="info", log_config=log_config(), access_log=False,
                            proxy_headers=False, server_header=False)
    uvicorn.Server(config).run(sockets=[sock])
