"""``micromets store upgrade|export|purge|events`` (issue 9: export as JSONL, an admin purge that leaves
its own audit entry), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from micromets.assess import assess
from micromets.cli import app
from micromets.model import parse_case
from micromets.store import Store

runner = CliRunner()


def _record(url: str, case_id: str, when: dt.datetime) -> int:
    case = parse_case({"id": case_id, "tumour": {"size_mm": 8}, "metastasis": "cM0"})
    with Store(url, clock=lambda: when) as store:
        return store.record(case, assess(case), source="api").id


def test_upgrade_export_purge_and_events(db_url: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["store", "upgrade", "--db-url", db_url])
    assert result.exit_code == 0 and "revision" in result.output
    old = _record(db_url, "old", dt.datetime(2020, 5, 1, tzinfo=dt.UTC))
    new = _record(db_url, "new", dt.datetime.now(dt.UTC))

    out = tmp_path / "all.jsonl"
    assert runner.invoke(app, ["store", "export", "--db-url", db_url, "-o", str(out)]).exit_code == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in lines] == [old, new] and lines[0]["case"]["id"] == "old"
    assert {"assessment", "case_sha256", "source", "actor", "created_at"} <= set(lines[0])
    since = tmp_path / "since.jsonl"
    assert runner.invoke(app, ["store", "export", "--db-url", db_url, "-o", str(since),
                               "--since", "2021-01-01"]).exit_code == 0
    assert [json.loads(line)["id"] for line in since.read_text().splitlines()] == [new]

    purged = runner.invoke(app, ["store", "purge", "--db-url", db_url, "--before", "2021-01-01"])
    assert purged.exit_code == 0, purged.output
    assert json.loads(purged.output)["deleted"] == 1 and json.loads(purged.output)["first_id"] == old
    events = runner.invoke(app, ["store", "events", "--db-url", db_url])
    (event,) = [json.loads(line) for line in events.output.splitlines()]
    assert event["action"] == "purge" and event["actor"].startswith("cli") and event["detail"]["deleted"] == 1
    with Store(db_url) as store:
        assert [r.id for r in store.list()] == [new]


def test_purge_needs_exactly_one_limit_and_a_past_date(db_url: str) -> None:
    for args in ([], ["--before", "2020-01-01", "--retention-days", "3"], ["--before", "yesterday"],
                 ["--before", "2999-01-01"]):
        result = runner.invoke(app, ["store", "purge", "--db-url", db_url, *args])
        assert result.exit_code == 2 and "error:" in result.output, args
