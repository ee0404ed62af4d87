"""The base of the URLs the appliance hands out (presigned, part and tus URLs)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from starlette.datastructures import URL
from starlette.requests import Request


def public_base(request: Request) -> str:
    """As configured (``public_url``), else the scheme and host the client called."""
    configured: str | None = request.app.state.appliance.settings.public_url
    if configured:
        return configured.rstrip("/")
    scope = request.scope
    root = scope.get("app_root_path", scope.get("root_path", ""))
    server = scope.get("server")
    host = request.headers.get("host")
    return _base(scope["scheme"], host, tuple(server) if server else None, root)


@lru_cache(maxsize=64)
def _base(scheme: str, host: str | None, server: Any, root: str) -> str:
    """What Starlette's ``request.base_url`` gives for these parts, computed once: it
    was 3 % of a presign's CPU (py-spy). The client's Host header is part of the key, so
    the cache is bounded rather than trusted to stay small."""
    headers = [(b"host", host.encode("latin-1"))] if host is not None else []
    scope = {"type": "http", "scheme": scheme, "server": server, "path": root.rstrip("/") + "/",
             "query_string": b"", "headers": headers}  # fmt: skip
    return str(URL(scope=scope)).rstrip("/")
