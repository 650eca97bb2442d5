"""The first layout (micromets 0.1, created then by ``create_all``): ``assessments`` and ``schema_version``.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

MESSAGE = "assessments is an append-only audit table"


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True,
                  autoincrement=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_id", sa.String(200)),
        sa.Column("case_sha256", sa.String(64), nullable=False),
        sa.Column("micromets_version", sa.String(50), nullable=False),
        sa.Column("ruleset_version", sa.String(50), nullable=False),
        sa.Column("model_version", sa.String(50)),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("case_json", sa.Text(), nullable=False),
        sa.Column("assessment_json", sa.Text(), nullable=False),
        sa.CheckConstraint("source IN ('api', 'web', 'cli', 'cds-hooks')", name="ck_assessments_source"),
    )
    op.create_index("ix_assessments_case_id", "assessments", ["case_id"])
    op.create_index("ix_assessments_case_sha256", "assessments", ["case_sha256"])
    op.create_table("schema_version", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("version", sa.Integer(), nullable=False))
    op.execute("INSERT INTO schema_version (id, version) VALUES (1, 1)")
    if op.get_bind().dialect.name == "sqlite":
        for operation in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER assessments_no_{operation.lower()} BEFORE {operation} ON assessments "
                       f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END")
    else:
        op.execute("CREATE OR REPLACE FUNCTION micromets_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN RAISE EXCEPTION '{MESSAGE}'; END $$")
        op.execute("CREATE TRIGGER assessments_append_only BEFORE UPDATE OR DELETE ON assessments "
                   "FOR EACH ROW EXECUTE FUNCTION micromets_append_only()")


def downgrade() -> None:
    raise NotImplementedError("the audit store is never downgraded: restore a backup instead")
