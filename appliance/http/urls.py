"""The base of the URLs the appliance hands out (presigned, part and tus URLs)."""

from __future__ import annotations

from starlette.requests import Request


def public_base(request: Request) -> str:
    """As configured (``public_url``), else the scheme and host the client called."""
    configured: str | None = request.app.state.appliance.settings.public_url
    return (configured or str(request.base_url)).rstrip("/")
