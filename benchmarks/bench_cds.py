"""Load test of the CDS Hooks service: a real ``micromets serve`` on loopback (audit store on, JWT checks on),
C concurrent keep-alive EHR clients POSTing ``patient-view`` calls with full prefetch for S seconds; reports
requests/s, p50/p99 latency and errors (any status other than 200, or a broken connection).

Usage:
    .venv/bin/python benchmarks/bench_cds.py [--clients 50] [--seconds 20] [--workers 2] [--distinct]
        [--record docs/performance.md]

Every call carries a JWT of its own (ES384, ``jti`` unique, ``aud`` the service URL), signed before the
run so that signing does not compete with the server for the CPU; the server trusts the EHR through a
``--cds-trust`` file. The prefetch is the Patient, the Condition and the Observations (about 40 resources)
of the packaged examples, in turn: the same patients' charts opened again and again. With ``--distinct``,
every call is about a patient never seen before (the patient id is changed throughout the prefetch), so
nothing of a previous call can be reused.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from _record import run_header, write_block
from bench_http import _free_port, _group_cpu_seconds, _wait_ready, timed_call

SERVICE = "/cds-services/micromets-breast-micromets"
ISSUER = "https://ehr.bench.example"


def _prefetches() -> list[tuple[list[str], dict[str, Any]]]:
    """Per packaged example: the strings that name its patient (id, fullUrl) and the prefetch."""
    from micromets.assess import assess
    from micromets.interop.fhir import to_bundle
    from micromets.model import parse_case

    folder = resources.files("micromets") / "examples"
    out = []
    for name in sorted(p.name for p in folder.iterdir() if p.name.endswith(".json")):
        case = parse_case(json.loads((folder / name).read_text()))
        entries = to_bundle(assess(case), case)["entry"]
        found = [e["resource"] for e in entries]
        patient = next(r for r in found if r["resourceType"] == "Patient")
        full_url = next(e["fullUrl"] for e in entries if e["resource"] is patient)

        def searchset(kind: str, found: list[dict[str, Any]] = found) -> dict[str, Any]:
            return {"resourceType": "Bundle", "type": "searchset",
                    "entry": [{"resource": r} for r in found if r["resourceType"] == kind]}

        out.append(([str(patient["id"]), full_url.removeprefix("urn:uuid:")], {"patient": patient, "conditions": searchset("Condition"),
                                         "observations": searchset("Observation")}))
    return out


def _bodies(distinct: bool) -> Callable[[int], bytes]:
    """Request body number ``n``: the examples in turn, or (``distinct``) a new patient each time."""
    texts = []
    for names, prefetch in _prefetches():
        body = {"hook": "patient-view", "hookInstance": "HOOK-INSTANCE",
                "context": {"userId": "Practitioner/bench", "patientId": names[0]}, "prefetch": prefetch}
        texts.append((names, json.dumps(body, separators=(",", ":"))))

    def body(n: int) -> bytes:
        (pid, patient_uuid), text = texts[n % len(texts)]
        if distinct:  # every resource names its patient: none is the same as in an earlier call
            text = text.replace(patient_uuid, str(uuid.uuid4())).replace(pid, f"{pid}-{n}")
        return text.replace("HOOK-INSTANCE", str(uuid.uuid4())).encode()

    return body


class Ehr:
    """The EHR's ES384 key pair and a pool of JWTs signed ahead, each with its own jti."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives.asymmetric import ec

        self.key = ec.generate_private_key(ec.SECP384R1())

    def jwks(self) -> dict[str, Any]:
        from jwt.algorithms import ECAlgorithm

        jwk = json.loads(ECAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": "bench", "use": "sig", "alg": "ES384"}]}

    def tokens(self, aud: str, count: int, lifetime: int) -> list[str]:
        import jwt

        now = int(time.time())
        return [jwt.encode({"iss": ISSUER, "aud": aud, "iat": now, "exp": now + lifetime, "jti": str(uuid.uuid4())},
                           self.key, algorithm="ES384", headers={"kid": "bench", "typ": "JWT"}) for _ in range(count)]


async def _client(port: int, host: str, body: Callable[[int], bytes], tokens: list[str], counter: list[int],
                  until: float, start: float, latencies: list[float], failures: dict[str, int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < until:
            n = counter[0]
            counter[0] += 1
            if n >= len(tokens):
                failures["out of tokens"] = failures.get("out of tokens", 0) + 1
                return
            data = body(n)
            request = (f"POST {SERVICE} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                       f"Authorization: Bearer {tokens[n]}\r\nContent-Length: {len(data)}\r\n\r\n").encode() + data
            await timed_call(reader, writer, request, start, latencies, failures)
    except (OSError, asyncio.IncompleteReadError) as exc:
        failures[type(exc).__name__] = failures.get(type(exc).__name__, 0) + 1
    finally:
        writer.close()


async def _measured(port: int, body: Callable[[int], bytes], tokens: list[str], clients: int, seconds: float,
                    warmup: float, pgid: int) -> tuple[list[float], dict[str, int], float, float]:
    latencies: list[float] = []
    failures: dict[str, int] = {}
    counter = [0]
    start = time.perf_counter() + warmup
    until = start + seconds
    host = f"127.0.0.1:{port}"
    task = asyncio.gather(*(_client(port, host, body, tokens, counter, until, start, latencies, failures)
                            for _ in range(clients)))
    await asyncio.sleep(warmup)
    server_cpu, client_cpu = _group_cpu_seconds(pgid), time.process_time()
    await task
    return latencies, failures, _group_cpu_seconds(pgid) - server_cpu, time.process_time() - client_cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--warmup", type=float, default=3)
    ap.add_argument("--workers", type=int, default=2, help="passed to `micromets serve --workers`")
    ap.add_argument("--tokens", type=int, default=None, help="JWTs signed ahead (default: 1,000 a second)")
    ap.add_argument("--distinct", action="store_true", help="a patient never seen before in every call")
    ap.add_argument("--record", type=Path, default=None)
    args = ap.parse_args()
    ehr = Ehr()
    body = _bodies(args.distinct)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "ehr-jwks.json").write_text(json.dumps(ehr.jwks()))
        trust = Path(folder) / "cds-trust.json"
        trust.write_text(json.dumps({"clients": [{"iss": ISSUER, "jwks_file": "ehr-jwks.json"}]}))
        db_url = f"sqlite:///{folder}/audit.sqlite3"
        port = _free_port()
        count = args.tokens or int(1000 * (args.seconds + args.warmup))
        print(f"signing {count:,} JWTs ...", file=sys.stderr)
        # The JWTs must still be valid at the end of the run, and exp may be at most 5 minutes ahead.
        tokens = ehr.tokens(f"http://127.0.0.1:{port}{SERVICE}", count, lifetime=290)
        command = [sys.executable, "-m", "micromets.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                   "--db-url", db_url, "--workers", str(args.workers), "--cds-trust", str(trust)]
        env = {**os.environ, "MICROMETS_LOG_LEVEL": "warning"}
        server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                                  start_new_session=True)
        try:
            _wait_ready(port, server, [])
            latencies, failures, server_cpu, client_cpu = asyncio.run(_measured(
                port, body, tokens, args.clients, args.seconds, args.warmup, server.pid))
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait()
    if not latencies:
        sys.exit(f"no request completed; failures: {failures}")
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] * 1000
    errors = sum(failures.values())
    patients = "a new patient every call" if args.distinct else "the packaged examples' patients in turn"
    line = (f"{args.clients} EHR clients, {args.seconds:g} s, {args.workers} workers, full prefetch, {patients}: "
            f"{len(latencies):,} calls, **{len(latencies) / args.seconds:,.0f} req/s**, p50 {p50:.0f} ms, "
            f"**p99 {p99:.0f} ms**, errors {errors}{' ' + json.dumps(failures) if failures else ''}; server CPU "
            f"{1000 * server_cpu / len(latencies):.2f} ms per call; load average {os.getloadavg()[0]:.1f}")
    print(line)
    if args.record is not None:
        name = "cds_distinct" if args.distinct else "cds"
        write_block(args.record, name, f"{run_header('bench_cds.py')}\n\n{line}", heading="CDS Hooks service under load",
                    script="benchmarks/bench_cds.py")


if __name__ == "__main__":
    main()
