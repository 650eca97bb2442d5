"""Sign out everywhere: ``session_generations`` counts, per account (the sign-in link's name), how many times
all of its web sessions were ended. A session cookie carries the count it was opened at and is refused once the
count has moved on, on every worker. Only a new table: the same DDL serves SQLite and PostgreSQL.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "session_generations" in sa.inspect(op.get_bind()).get_table_names():  # made by create_all (see 0003)
        return
    op.create_table(
        "session_generations",
        sa.Column("name", sa.String(100), primary_key=True),
        sa.Column("generation", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("the audit store is never downgraded: restore a backup instead")
