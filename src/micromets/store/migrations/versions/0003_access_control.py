"""Access control: API tokens (SHA-256 of the secret only), one-time web sign-in tokens and the CDS Hooks
JWT replay cache (``micromets.store.access``). Only new tables, so the same DDL serves SQLite and PostgreSQL.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    # Development builds between 0.1 and this revision created these tables with create_all: keep them.
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "api_tokens" not in existing:
        _api_tokens()
    if "login_tokens" not in existing:
        _login_tokens()
    if "cds_seen_jti" not in existing:
        _seen_jti()


def _api_tokens() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", _ROW_ID, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("secret_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("scope IN ('read', 'write', 'admin')", name="ck_api_tokens_scope"),
    )
    op.create_index("ux_api_tokens_secret_sha256", "api_tokens", ["secret_sha256"], unique=True)


def _login_tokens() -> None:
    op.create_table(
        "login_tokens",
        sa.Column("secret_sha256", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_login_tokens_expires_at", "login_tokens", ["expires_at"])


def _seen_jti() -> None:
    op.create_table(
        "cds_seen_jti",
        sa.Column("key_sha256", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_cds_seen_jti_expires_at", "cds_seen_jti", ["expires_at"])


def downgrade() -> None:
    raise NotImplementedError("the audit store is never downgraded: restore a backup instead")
