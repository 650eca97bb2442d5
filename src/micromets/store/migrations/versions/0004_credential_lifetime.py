"""Credential lifetime: API tokens get an expiry (``api_tokens.expires_at``) and web sign-outs are recorded
(``revoked_sessions``) so that a copied session cookie stops working at sign-out on every worker.

``expires_at`` is nullable: tokens created before this revision have none and keep working; ``micromets
token list`` shows them as "no expiry" so the operator can replace them. Every token created from now on
has one. Only an added nullable column and a new table: the same DDL serves SQLite and PostgreSQL.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A database whose access tables were made with create_all from a newer db.py (development builds,
    # see 0003) may already have them: keep what is there.
    inspector = sa.inspect(op.get_bind())
    if "expires_at" not in {column["name"] for column in inspector.get_columns("api_tokens")}:
        op.add_column("api_tokens", sa.Column("expires_at", sa.DateTime(timezone=True)))
    if "revoked_sessions" in inspector.get_table_names():
        return
    op.create_table(
        "revoked_sessions",
        sa.Column("sid_sha256", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_revoked_sessions_expires_at", "revoked_sessions", ["expires_at"])


def downgrade() -> None:
    raise NotImplementedError("the audit store is never downgraded: restore a backup instead")
