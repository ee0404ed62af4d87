"""Who may reach ``/mcp``: the DNS-rebinding checks, and what a caller without a
credential is told.

A browser page on another site can make a browser send requests to the appliance
(by a DNS name it controls that resolves to the appliance's address); the Host header
then names the attacker's domain, and the Origin header the page's site. So ``/mcp``
answers only a Host the appliance is reached by (``public_url``, or the address of
``bind``; loopback names when it listens on a loopback or wildcard address) with
``421``, and only an Origin it allows (its own, or one of ``cors_origins``) with
``403``. A request without Origin (an agent, a command-line client) is not a browser's.

Without a credential the answer is ``401`` with ``WWW-Authenticate: Bearer
resource_metadata="…"`` (RFC 9728): the metadata names the appliance as the resource
and its sign-in (``POST /v1/auth/token``) as the way to a bearer token.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from appliance.config import Settings
from appliance.errors import ErrorType
from appliance.http import cors
from appliance.http.error_responses import HttpError

METADATA_PATH = "/.well-known/oauth-protected-resource"
LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARD = ("0.0.0.0", "::", "")  # noqa: S104 (names the wildcard, binds nothing)


def _host_port(netloc: str, default: int) -> tuple[str, int] | None:
    """``("example.org", 443)`` from ``example.org``, ``[::1]:8443``…; None if malformed."""
    try:
        parts = urlsplit(f"//{netloc}")
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return parts.hostname.lower(), port if port is not None else default


def allowed_hosts(settings: Settings) -> set[tuple[str, int]]:
    """(host, port) pairs a request to ``/mcp`` may name in its Host header."""
    found: set[tuple[str, int]] = set()
    if settings.public_url:
        public = urlsplit(settings.public_url)
        pair = _host_port(public.netloc, 443 if public.scheme == "https" else 80)
        if pair:
            found.add(pair)
    bound = _host_port(settings.bind, 8443)
    if bound:
        host, port = bound
        if host in WILDCARD or host in LOOPBACK:
            found |= {(name, port) for name in LOOPBACK}
        if host not in WILDCARD:
            found.add(bound)
    return found


def allowed_origins(settings: Settings) -> tuple[set[str], bool]:
    """The origins allowed to call ``/mcp``, and whether ``*`` allows any."""
    listed = cors.origins(settings.cors_origins)
    own = {
        f"https://[{h}]:{p}" if ":" in h else f"https://{h}:{p}" for h, p in allowed_hosts(settings)
    }
    own |= {o.removesuffix(":443") for o in own}
    if settings.public_url:
        public = urlsplit(settings.public_url)
        own.add(f"{public.scheme}://{public.netloc}".lower())
    return own | {o.lower() for o in listed}, "*" in listed


def check(request: Request, settings: Settings) -> None:
    """Refuse a foreign Host (421) or Origin (403) before anything else is read."""
    host = _host_port(request.headers.get("host", ""), 443)
    if host is None or host not in allowed_hosts(settings):
        raise HttpError(
            ErrorType.forbidden,
            "this server does not answer /mcp for that Host: reach it by its public_url or"
            " its bind address",
            {},
            status=421,
        )
    origin = request.headers.get("origin")
    if origin is None:
        return
    origins, any_origin = allowed_origins(settings)
    if not any_origin and origin.rstrip("/").lower() not in origins:
        raise HttpError(
            ErrorType.forbidden, "requests from that Origin are refused: see cors_origins", {}
        )


def base_url(request: Request, settings: Settings) -> str:
    """The appliance as this caller reaches it (the Host has passed :func:`check`)."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    return f"https://{request.headers.get('host', '')}"


def unauthorized(request: Request, settings: Settings, message: str) -> HttpError:
    """401 pointing at the protected-resource metadata."""
    where = base_url(request, settings) + METADATA_PATH
    challenge = f'Bearer resource_metadata="{where}"'
    return HttpError(ErrorType.unauthorized, message, {"WWW-Authenticate": challenge})


def metadata(request: Request, settings: Settings) -> dict[str, Any]:
    """The RFC 9728 document for ``/mcp``."""
    base = base_url(request, settings)
    return {
        "resource": base + "/mcp",
        "resource_name": "Healthproximate appliance (MCP)",
        "bearer_methods_supported": ["header"],
        "scopes_supported": ["query"],
        # No "authorization_servers": the appliance issues its own tokens at sign-in;
        # it is not an OAuth authorization server.
        "sign_in": {
            "endpoint": base + "/v1/auth/token",
            "method": "POST",
            "body": {"email": "string", "password": "string"},
            "returns": "access_token, to send as Authorization: Bearer <token>",
            "or": "an API key with the query scope, sent as X-API-Key",
        },
    }


async def protected_resource(request: Request) -> Response:
    """``GET /.well-known/oauth-protected-resource[/mcp]``, without credentials."""
    settings: Settings = request.app.state.appliance.settings
    return JSONResponse(metadata(request, settings), headers={"Cache-Control": "max-age=3600"})
