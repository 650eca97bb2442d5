"""Run the web app and REST API with uvicorn (``micromets serve``)."""

from __future__ import annotations

__all__ = ["serve"]


def serve(host: str = "127.0.0.1", port: int = 8000, *, db_url: str | None = None,
          retention_days: int | None = None) -> None:
    """Serve the app on ``host:port`` until interrupted (127.0.0.1 by default: not exposed to the network).

    Assessments are recorded in the audit store at ``db_url`` (default: ``$MICROMETS_DB_URL``, else a
    SQLite file in the user's data directory; see docs/store.md); with ``retention_days``, records older
    than that are purged at start and daily.
    """
    import sys

    import uvicorn

    from micromets.api import create_app
    from micromets.store import Store

    store = Store(db_url, retention_days=retention_days)
    print(f"micromets: audit store {store.url}", file=sys.stderr)
    try:
        uvicorn.run(create_app(store), host=host, port=port, log_level="info", proxy_headers=False,
                    server_header=False)
    finally:
        store.close()
