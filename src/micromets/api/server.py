"""Run the web app and REST API with uvicorn (``micromets serve``)."""

from __future__ import annotations

__all__ = ["serve"]


def serve(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the app on ``host:port`` until interrupted (127.0.0.1 by default: not exposed to the network)."""
    import uvicorn

    from micromets.api import create_app

    uvicorn.run(create_app(), host=host, port=port, log_level="info", proxy_headers=False,
                server_header=False)
