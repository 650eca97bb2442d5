"""Kill -9 in the middle of a burst of requests to a real ``micromets serve``: every assessment the
server acknowledged (HTTP 200) is in the audit store afterwards (issue 9: "0 acknowledged records
lost"). The whole process group (the parent and its two worker processes) is killed at once, as a
crash of the machine would. On SQLite (WAL, synchronous=FULL) and PostgreSQL."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from importlib import resources
from pathlib import Path

import pytest

from micromets.store import Store
from micromets.store.access import AccessStore

pytestmark = pytest.mark.slow
CLIENTS = 16
KILL_AFTER = 150  # acknowledged records before the kill


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_ready(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise AssertionError(f"the server exited with {server.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not start")


def test_kill_9_mid_burst_loses_no_acknowledged_record(db_url: str, tmp_path: Path) -> None:
    Store(db_url).close()  # migrate first, so the server starts at once
    with AccessStore(db_url) as access:
        _, token = access.create_token("write", name="burst")
    port = _free_port()
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "micromets.cli", "serve", "--port", str(port),
                               "--db-url", db_url, "--workers", "2"], stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    case = json.loads(resources.files("micromets.examples").joinpath("pn1mi.json").read_text())
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        sent = 0
        while not stop.is_set():
            case_id = f"burst-{number}-{sent}"
            sent += 1
            try:
                connection.request("POST", "/api/assess", json.dumps({**case, "id": case_id}),
                                   {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                return  # the server is gone
            if response.status == 200:
                with lock:
                    acknowledged.append(case_id)

    try:
        _wait_ready(port, server)
        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 120
        while len(acknowledged) < KILL_AFTER and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.02)
        os.killpg(server.pid, signal.SIGKILL)  # mid-burst, every process at once: the clients are still sending
        server.wait()
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        stop.set()
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
    assert len(acknowledged) >= KILL_AFTER, (tmp_path / "server.log").read_text()[-2000:]
    with Store(db_url) as store:
        recorded = {row.case_id for row in store.export()}
    lost = [case_id for case_id in acknowledged if case_id not in recorded]
    assert lost == [], f"{len(lost)} of {len(acknowledged)} acknowledged records lost"
