"""Alembic migrations of the audit store (run by ``micromets.store.migrate``; see docs/store.md)."""
