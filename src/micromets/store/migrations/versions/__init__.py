"""Alembic revisions of the audit store, oldest first: ``NNNN_<what>.py``."""
