"""The audit store on SQLite and PostgreSQL: record/get/list, canonical hash, JSON round trip,
append-only (triggers), audited purge, export, retention, group commit under threads, migrations.

The requirements come from issue 9 ("a complete audit trail", "PostgreSQL for real", "a record exists
only for what was returned") and docs/store.md.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DatabaseError

from micromets.assess import assess
from micromets.model import Assessment, Case, parse_case
from micromets.store import (
    ENV_VAR,
    Store,
    StoreError,
    canonical_case_json,
    case_sha256,
    default_path,
    default_url,
    entry,
)

from _cases import BASE_CASE


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store(db_url) as opened:
        yield opened


def _case(**top: Any) -> Case:
    data = copy.deepcopy(BASE_CASE)
    data.update(top)
    return parse_case(data)


def _ago(days: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(days=days)


def _clock(*moments: dt.datetime) -> Any:
    """A store clock that gives these moments in turn, then the real time."""
    pending = list(moments)
    return lambda: pending.pop(0) if pending else dt.datetime.now(dt.UTC)


def test_record_get_and_list(store: Store) -> None:
    case = _case(id="p-1")
    assessment = assess(case)
    row = store.record(case, assessment, source="api", actor="token:3 alice")
    assert row.id >= 1 and row.case_id == "p-1" and row.source == "api" and row.actor == "token:3 alice"
    assert row.created_at.tzinfo is not None and row.created_at.utcoffset() == dt.timedelta(0)
    assert row.micromets_version == assessment.micromets_version
    assert row.ruleset_version == assessment.ruleset_version
    assert assessment.prognosis is not None and row.model_version == assessment.prognosis.model_version
    assert row.case_sha256 == case_sha256(case)
    # output "json": what was returned is the assessment JSON, whose hash is kept
    assert row.output == "json" and row.response is None
    assert row.response_sha256 == hashlib.sha256(assessment.model_dump_json().encode()).hexdigest()
    assert row.request_id is not None and len(row.request_id) == 32
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
    case = _case(id="h")
    row = store.record(case, assess(case), source="web", output="html", response="<html>report</html>")
    text_ = json.dumps(row.case, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(text_.encode()).hexdigest() == row.case_sha256
    assert row.response_sha256 == hashlib.sha256(b"<html>report</html>").hexdigest()


def test_json_round_trip_gives_back_the_case_the_assessment_and_the_response(store: Store) -> None:
    case = _case(id="rt", nodes={"procedure": "slnb", "examined": 3,
                                 "deposits": [{"node": 1, "size_mm": 1.2, "method": "he"}]})
    assessment = assess(case)
    cards = json.dumps({"cards": [{"summary": "pN1mi"}]})
    row = store.record(case, assessment, source="cds-hooks", output="cards", response_json=cards)
    again = store.get(row.id)
    assert again is not None
    assert again.to_assessment() == assessment
    assert again.to_case() == case
    assert isinstance(again.to_assessment(), Assessment)
    assert again.response == {"cards": [{"summary": "pN1mi"}]}
    assert again.response_sha256 == hashlib.sha256(cards.encode()).hexdigest()


def test_assessment_without_prognosis_has_no_model_version(store: Store) -> None:
    case = parse_case({"id": "n"})
    assessment = assess(case)
    row = store.record(case, assessment, source="api")
    assert (row.model_version is None) == (assessment.prognosis is None)


def test_bad_source_output_and_mismatched_assessment_are_refused(store: Store) -> None:
    case = _case(id="x")
    with pytest.raises(ValueError, match="source"):
        store.record(case, assess(case), source="email")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="output"):
        store.record(case, assess(case), source="api", output="docx")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="case id"):
        store.record(case, assess(_case(id="y")), source="api")
    assert store.list() == []


def test_actor_is_bounded_printable_text(store: Store) -> None:
    case = _case(id="a")
    row = store.record(case, assess(case), source="api", actor="bob\n\x1b[31m" + "x" * 500)
    assert row.actor is not None and len(row.actor) == 200 and row.actor.isprintable()


def test_entries_of_one_response_commit_together_with_one_request_id(store: Store) -> None:
    cases = [_case(id=f"b{i}") for i in range(5)]
    ids = store.record_entries([entry(c, assess(c), source="batch", actor="cli") for c in cases])
    assert ids == sorted(ids) and len(set(ids)) == 5
    rows = [store.get(i) for i in ids]
    assert [r.case_id for r in rows if r] == [c.id for c in cases]
    assert len({r.request_id for r in rows if r}) == 1
    with pytest.raises(ValueError, match="nothing"):
        store.record_entries([])


def test_there_is_no_update_or_delete_api() -> None:
    public = {name for name in dir(Store) if not name.startswith("_")}
    # record_event appends an audit event (CDS Hooks feedback); latest_for_case reads.
    assert public == {"apply_retention", "close", "dialect", "events", "export", "get", "in_memory",
                      "latest_for_case", "list", "purge", "record", "record_entries", "record_event", "submit", "url"}


def _refused(url: str, statements: list[str]) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            for statement in statements:
                with pytest.raises(DatabaseError, match="append-only"):
                    connection.execute(text(statement))
                connection.rollback()
    finally:
        engine.dispose()


def test_the_database_refuses_update_and_delete(db_url: str) -> None:
    with Store(db_url) as store:
        case = _case(id="keep")
        store.record(case, assess(case), source="api")
        store.purge(_ago(1), actor="admin")  # deletes nothing, writes an event
        assert len(store.events()) == 1
    statements = ["UPDATE assessments SET case_id = 'changed'", "DELETE FROM assessments",
                  "UPDATE audit_events SET actor = 'someone else'", "DELETE FROM audit_events"]
    if db_url.startswith("postgresql"):
        statements += ["TRUNCATE assessments", "TRUNCATE audit_events"]
    _refused(db_url, statements)
    with Store(db_url) as store:
        assert [r.case_id for r in store.list()] == ["keep"] and len(store.events()) == 1


def test_purge_deletes_expired_records_and_leaves_an_undeletable_event(db_url: str) -> None:
    with Store(db_url, clock=_clock(_ago(400), _ago(300), _ago(10))) as store:
        old = [store.record(c, assess(c), source="api") for c in (_case(id="old-1"), _case(id="old-2"))]
        recent = store.record(_case(id="new"), assess(_case(id="new")), source="api")
        result = store.purge(_ago(100), actor="token:1 admin")
        assert result.deleted == 2 and (result.first_id, result.last_id) == (old[0].id, old[1].id)
        assert result.oldest == old[0].created_at and result.newest == old[1].created_at
        assert [r.id for r in store.list()] == [recent.id]
        (event,) = store.events()
        assert event.id == result.event_id and event.action == "purge" and event.actor == "token:1 admin"
        assert event.detail["deleted"] == 2 and event.detail["first_id"] == old[0].id
        with pytest.raises(ValueError, match="future"):
            store.purge(dt.datetime.now(dt.UTC) + dt.timedelta(days=1), actor="admin")
    # the purge path leaves no opening: the guard is gone, plain deletes are refused again
    _refused(db_url, ["DELETE FROM assessments", "DELETE FROM audit_events"])
    engine = create_engine(db_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM purge_guard")).scalar() == 0
    engine.dispose()


def test_purged_ids_are_never_reused(db_url: str) -> None:
    with Store(db_url, clock=_clock(_ago(50))) as store:
        first = store.record(_case(id="a"), assess(_case(id="a")), source="api")
        store.purge(_ago(1), actor="admin")
        assert store.list() == []
        second = store.record(_case(id="b"), assess(_case(id="b")), source="api")
        assert second.id > first.id


def test_retention_purges_on_open(db_url: str) -> None:
    with Store(db_url, clock=_clock(_ago(40), _ago(5))) as store:
        for case_id in ("expired", "kept"):
            store.record(_case(id=case_id), assess(_case(id=case_id)), source="api")
    with Store(db_url, retention_days=30) as store:
        assert [r.case_id for r in store.list()] == ["kept"]
        (event,) = store.events()
        assert event.actor == "retention" and event.detail["deleted"] == 1
    with pytest.raises(ValueError, match="retention_days"):
        Store(db_url, retention_days=0)


def test_export_since(store: Store) -> None:
    rows = [store.record(c, assess(c), source="api") for c in (_case(id="e1"), _case(id="e2"))]
    assert [r.id for r in store.export()] == [r.id for r in rows]
    assert [r.id for r in store.export(since=rows[1].created_at)] == [rows[1].id]
    assert list(store.export(since=dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))) == []
    with pytest.raises(ValueError, match="timezone"):
        list(store.export(since=dt.datetime(2020, 1, 1)))


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


def test_concurrent_writes_lose_no_rows(db_url: str) -> None:
    threads, per_thread = 8, 15
    with Store(db_url) as store:
        assert _write_from_threads(store, _case(id="c"), threads, per_thread) == []
        ids = [r.id for r in store.list(limit=1000)]
        assert len(ids) == len(set(ids)) == threads * per_thread


def test_concurrent_writes_in_memory_lose_no_rows() -> None:
    with Store.in_memory() as store:
        assert _write_from_threads(store, _case(id="c"), 8, 15) == []
        assert len(store.list(limit=1000)) == 120


def test_two_stores_on_one_database_both_write(db_url: str) -> None:
    with Store(db_url) as one, Store(db_url) as two:
        for store in (one, two, one):
            store.record(_case(id="s"), assess(_case(id="s")), source="api")
        assert len(one.list()) == len(two.list()) == 3


def test_file_store_persists_with_wal_full_sync_and_private_permissions(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "audit.sqlite3"
    with Store(f"sqlite:///{path}") as store:
        case = _case(id="f")
        row = store.record(case, assess(case), source="api")
        with store._engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with Store(f"sqlite:///{path}") as store:
        assert store.get(row.id) == row


def test_migrated_schema_equals_the_orm_metadata(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from micromets.store.db import Base
    from micromets.store.migrate import current, head

    Store(db_url).close()
    engine = create_engine(db_url)
    try:
        assert current(engine) == head()
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def _legacy_database(url: str, version: int = 1) -> None:
    """A database as micromets 0.1 left it: the 0001 layout, a schema_version row, no alembic_version."""
    from alembic import command

    from micromets.store.migrate import config

    engine = create_engine(url)
    with engine.begin() as connection:
        command.upgrade(config(connection), "0001")
        connection.execute(text("DROP TABLE alembic_version"))
        connection.execute(text(
            "INSERT INTO assessments (created_at, case_id, case_sha256, micromets_version, ruleset_version, "
            "source, case_json, assessment_json) VALUES ('2026-01-02 03:04:05', 'legacy', :sha, '0.1.0', "
            "'r', 'api', '{}', '{}')"), {"sha": "0" * 64})
        if version != 1:
            # 0001 installed the triggers; schema_version has none
            connection.execute(text("UPDATE schema_version SET version = :v"), {"v": version})
    engine.dispose()


def test_a_database_from_micromets_0_1_is_adopted_and_upgraded(db_url: str) -> None:
    _legacy_database(db_url)
    with Store(db_url) as store:
        (row,) = store.list()
        assert row.case_id == "legacy" and row.actor is None and row.output is None
        store.record(_case(id="new"), assess(_case(id="new")), source="web", output="html", response="x")
        assert [r.case_id for r in store.list()] == ["new", "legacy"]
    engine = create_engine(db_url)
    assert "schema_version" not in inspect(engine).get_table_names()
    engine.dispose()
    _refused(db_url, ["DELETE FROM assessments"])


def test_a_database_of_an_unknown_layout_is_refused(db_url: str) -> None:
    _legacy_database(db_url, version=999)
    with pytest.raises(StoreError, match="unknown layout"):
        Store(db_url)


def test_unreachable_database_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot open"):
        Store(f"sqlite:///{blocker / 'audit.sqlite3'}")


def test_write_failure_is_a_store_error() -> None:
    store = Store.in_memory()
    store._engine.dispose()  # the in-memory database becomes a new, empty one
    case = _case(id="w")
    with pytest.raises(StoreError, match="cannot write"):
        store.record(case, assess(case), source="api")
    with pytest.raises(StoreError, match="cannot read"):
        store.list()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.record(case, assess(case), source="api")


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


def test_unreachable_postgresql_is_a_store_error_without_the_password() -> None:
    with pytest.raises(StoreError) as error:
        Store("postgresql+psycopg://user:secret@127.0.0.1:1/micromets")
    assert "secret" not in str(error.value) and "postgresql+psycopg://user:***@127.0.0.1:1" in str(error.value)
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
