"""The audit store: record/get/list, canonical hash, JSON round trip, append-only, thread safety."""

from __future__ import annotations

import copy
import datetime as dt
import json
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DatabaseError

from micromets.assess import assess
from micromets.model import Assessment, Case, parse_case
from micromets.store import (
    ENV_VAR,
    SCHEMA_VERSION,
    Store,
    StoreError,
    canonical_case_json,
    case_sha256,
    default_path,
    default_url,
)

from _cases import BASE_CASE


@pytest.fixture
def store() -> Iterator[Store]:
    with Store.in_memory() as memory_store:
        yield memory_store


def _case(**top: Any) -> Case:
    data = copy.deepcopy(BASE_CASE)
    data.update(top)
    return parse_case(data)


def test_record_get_and_list(store: Store) -> None:
    case = _case(id="p-1")
    assessment = assess(case)
    row = store.record(case, assessment, source="api")
    assert row.id >= 1 and row.case_id == "p-1" and row.source == "api"
    assert row.created_at.tzinfo is not None and row.created_at.utcoffset() == dt.timedelta(0)
    assert row.micromets_version == assessment.micromets_version
    assert row.ruleset_version == assessment.ruleset_version
    assert assessment.prognosis is not None and row.model_version == assessment.prognosis.model_version
    assert row.case_sha256 == case_sha256(case)
    assert store.get(row.id) == row
    assert store.get(row.id + 1) is None
    assert store.get(0) is None and store.get(2**70) is None
    assert store.list() == [row]


def test_list_is_newest_first_filtered_and_limited(store: Store) -> None:
    rows = [store.record(c, assess(c), source="cli") for c in (_case(id="a"), _case(id="b"), _case(id="a"))]
    assert [r.id for r in store.list()] == [rows[2].id, rows[1].id, rows[0].id]
    assert [r.id for r in store.list(case_id="a")] == [rows[2].id, rows[0].id]
    assert store.list(case_id="zzz") == []
    assert [r.id for r in store.list(limit=1)] == [rows[2].id]
    for bad in (0, 1001):
        with pytest.raises(ValueError, match="limit"):
            store.list(limit=bad)


def test_hash_is_stable_whatever_the_key_order() -> None:
    forward = copy.deepcopy(BASE_CASE)
    backward = json.loads(json.dumps(dict(reversed(list(forward.items())))))
    backward["tumour"] = dict(reversed(list(backward["tumour"].items())))
    assert list(forward) != list(backward)
    assert case_sha256(parse_case(forward)) == case_sha256(parse_case(backward))
    assert canonical_case_json(parse_case(forward)) == canonical_case_json(parse_case(backward))
    assert case_sha256(_case(age=59)) != case_sha256(_case(age=58))


def test_hash_is_sha256_of_the_stored_case_text(store: Store) -> None:
    import hashlib

    case = _case(id="h")
    row = store.record(case, assess(case), source="web")
    text_ = json.dumps(row.case, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(text_.encode()).hexdigest() == row.case_sha256


def test_json_round_trip_gives_back_the_case_and_the_assessment(store: Store) -> None:
    case = _case(id="rt", nodes={"procedure": "slnb", "examined": 3,
                                 "deposits": [{"node": 1, "size_mm": 1.2, "method": "he"}]})
    assessment = assess(case)
    row = store.record(case, assessment, source="cds-hooks")
    again = store.get(row.id)
    assert again is not None
    assert again.to_assessment() == assessment
    assert again.to_case() == case
    assert isinstance(again.to_assessment(), Assessment)


def test_assessment_without_prognosis_has_no_model_version(store: Store) -> None:
    case = parse_case({"id": "n"})
    assessment = assess(case)
    row = store.record(case, assessment, source="api")
    assert (row.model_version is None) == (assessment.prognosis is None)


def test_bad_source_and_mismatched_assessment_are_refused(store: Store) -> None:
    case = _case(id="x")
    with pytest.raises(ValueError, match="source"):
        store.record(case, assess(case), source="email")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="case id"):
        store.record(case, assess(_case(id="y")), source="api")
    assert store.list() == []


def test_there_is_no_update_or_delete_api() -> None:
    public = {name for name in dir(Store) if not name.startswith("_")}
    assert public == {"close", "get", "in_memory", "list", "record", "url"}


def test_the_database_refuses_update_and_delete(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    with Store(url) as store:
        case = _case(id="keep")
        store.record(case, assess(case), source="api")
    engine = create_engine(url)
    with engine.connect() as connection:
        for statement in ("UPDATE assessments SET case_id = 'changed'", "DELETE FROM assessments"):
            with pytest.raises(DatabaseError, match="append-only"):
                connection.execute(text(statement))
            connection.rollback()
    engine.dispose()
    with Store(url) as store:
        assert [r.case_id for r in store.list()] == ["keep"]


def _write_from_threads(store: Store, case: Case, threads: int, per_thread: int) -> list[BaseException]:
    assessment = assess(case)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            for _ in range(per_thread):
                store.record(case, assessment, source="api")
                store.list(limit=5)
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=write) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


@pytest.mark.parametrize("kind", ["memory", "file"])
def test_concurrent_writes_lose_no_rows(tmp_path: Path, kind: str) -> None:
    threads, per_thread = 8, 15
    url = "sqlite://" if kind == "memory" else f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    with Store(url) as store:
        assert _write_from_threads(store, _case(id="c"), threads, per_thread) == []
        ids = [r.id for r in store.list(limit=1000)]
        assert len(ids) == len(set(ids)) == threads * per_thread


def test_file_store_persists_with_wal_and_private_permissions(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "audit.sqlite3"
    with Store(f"sqlite:///{path}") as store:
        case = _case(id="f")
        row = store.record(case, assess(case), source="api")
        with store._engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with Store(f"sqlite:///{path}") as store:
        assert store.get(row.id) == row


def test_schema_version_row_and_mismatch(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'audit.sqlite3'}"
    Store(url).close()
    engine = create_engine(url)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT version FROM schema_version")).scalars().all() == [SCHEMA_VERSION]
        connection.execute(text("UPDATE schema_version SET version = 999"))
    engine.dispose()
    with pytest.raises(StoreError, match="schema version 999"):
        Store(url)


def test_unreachable_database_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot open"):
        Store(f"sqlite:///{blocker / 'audit.sqlite3'}")


def test_write_failure_is_a_store_error(store: Store) -> None:
    store._engine.dispose()
    with store._engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE IF EXISTS assessments")
    case = _case(id="w")
    with pytest.raises(StoreError, match="cannot write"):
        store.record(case, assess(case), source="api")
    with pytest.raises(StoreError, match="cannot read"):
        store.list()


def test_default_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr("sys.platform", "linux")
    assert default_path() == tmp_path / "micromets" / "audit.sqlite3"
    assert default_url() == f"sqlite:///{tmp_path / 'micromets' / 'audit.sqlite3'}"
    with Store() as store:
        assert store.list() == []
    assert (tmp_path / "micromets" / "audit.sqlite3").is_file()
    monkeypatch.setenv(ENV_VAR, f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}")
    assert default_url().endswith("elsewhere.sqlite3")


def test_postgresql_without_a_driver_is_a_store_error_without_the_password() -> None:
    with pytest.raises(StoreError) as error:
        Store("postgresql+psycopg://user:secret@db.invalid/micromets")
    assert "secret" not in str(error.value) and "postgresql+psycopg://user:***@db.invalid" in str(error.value)
    assert Store.in_memory().url == "sqlite://"


def test_injected_clock_sets_created_at() -> None:
    moment = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    with Store("sqlite://", clock=lambda: moment) as store:
        case = _case(id="t")
        row = store.record(case, assess(case), source="api")
        assert row.created_at == moment and row.created_at.utcoffset() == dt.timedelta(0)
        with pytest.raises(ValueError, match="timezone-aware"):
            Store("sqlite://", clock=lambda: moment.replace(tzinfo=None)).record(case, assess(case), source="api")
        assert store.get(row.id) == row
