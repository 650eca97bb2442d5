"""Complete audit trail: who asked (``actor``), one ``request_id`` per response, what was returned
(``output``, ``response_sha256``, ``response_json``), re-assessment links; no CHECK on ``source`` (checked
in Python, so a new interface needs no table rebuild); ``audit_events`` (append-only without exception)
and ``purge_guard`` (lets a purge, and nothing else, delete expired assessments). ``schema_version``
gives way to Alembic's ``alembic_version``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_OLD_COLUMNS = ("id", "created_at", "case_id", "case_sha256", "micromets_version", "ruleset_version",
                "model_version", "source", "case_json", "assessment_json")


def _new_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("actor", sa.String(200)),
        sa.Column("request_id", sa.String(32)),
        sa.Column("output", sa.String(20)),
        sa.Column("response_sha256", sa.String(64)),
        sa.Column("response_json", sa.Text()),
        sa.Column("reassessed_from", sa.BigInteger()),
    ]


def _indexes() -> None:
    for column in ("case_id", "case_sha256", "created_at", "request_id"):
        op.create_index(f"ix_assessments_{column}", "assessments", [column])


def _event_tables() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200)),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("detail_json", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "purge_guard",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("before", sa.DateTime(timezone=True), nullable=False),
    )


def _sqlite() -> None:
    # SQLite cannot drop a CHECK constraint: copy into a new table (AUTOINCREMENT: a purged id is never
    # reused), then recreate indexes and triggers, which went with the old table.
    op.create_table(
        "assessments_new",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.String(200)),
        sa.Column("case_sha256", sa.String(64), nullable=False),
        sa.Column("micromets_version", sa.String(50), nullable=False),
        sa.Column("ruleset_version", sa.String(50), nullable=False),
        sa.Column("model_version", sa.String(50)),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("case_json", sa.Text(), nullable=False),
        sa.Column("assessment_json", sa.Text(), nullable=False),
        *_new_columns(),
        sqlite_autoincrement=True,
    )
    columns = ", ".join(_OLD_COLUMNS)
    op.execute(f"INSERT INTO assessments_new ({columns}) SELECT {columns} FROM assessments")
    op.execute("DROP TABLE assessments")
    op.execute("ALTER TABLE assessments_new RENAME TO assessments")
    _indexes()
    _event_tables()
    refuse = "BEGIN SELECT RAISE(ABORT, '{table} is an append-only audit table'); END"
    op.execute("CREATE TRIGGER assessments_no_update BEFORE UPDATE ON assessments "
               + refuse.format(table="assessments"))
    op.execute("CREATE TRIGGER assessments_no_delete BEFORE DELETE ON assessments WHEN NOT EXISTS "
               "(SELECT 1 FROM purge_guard WHERE OLD.created_at < purge_guard.before) "
               + refuse.format(table="assessments"))
    for operation in ("update", "delete"):
        op.execute(f"CREATE TRIGGER audit_events_no_{operation} BEFORE {operation.upper()} ON audit_events "
                   + refuse.format(table="audit_events"))


def _postgresql() -> None:
    op.drop_constraint("ck_assessments_source", "assessments", type_="check")
    for column in _new_columns():
        op.add_column("assessments", column)
    for column in ("created_at", "request_id"):
        op.create_index(f"ix_assessments_{column}", "assessments", [column])
    _event_tables()
    op.execute("DROP TRIGGER assessments_append_only ON assessments")
    op.execute("DROP FUNCTION micromets_append_only()")
    op.execute("CREATE FUNCTION micromets_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
               "$$ BEGIN RAISE EXCEPTION '% is an append-only audit table', TG_TABLE_NAME; END $$")
    op.execute("CREATE FUNCTION micromets_assessments_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
               "IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM purge_guard g WHERE OLD.created_at < g.before) "
               "THEN RETURN OLD; END IF; "
               "RAISE EXCEPTION 'assessments is an append-only audit table'; END $$")
    op.execute("CREATE TRIGGER assessments_append_only BEFORE UPDATE OR DELETE ON assessments "
               "FOR EACH ROW EXECUTE FUNCTION micromets_assessments_guard()")
    op.execute("CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events "
               "FOR EACH ROW EXECUTE FUNCTION micromets_refuse_change()")
    # TRUNCATE fires no row trigger: refuse it on both audit tables.
    for table in ("assessments", "audit_events"):
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION micromets_refuse_change()")


def upgrade() -> None:
    op.drop_table("schema_version")
    if op.get_bind().dialect.name == "sqlite":
        _sqlite()
    else:
        _postgresql()


def downgrade() -> None:
    raise NotImplementedError("the audit store is never downgraded: restore a backup instead")
