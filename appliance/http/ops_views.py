"""Endpoints for operators and load balancers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from appliance.http.openapi import Limits, openapi_document
from appliance.operations import readiness
from appliance.threads import in_thread


async def root(_request: Request) -> Response:
    """``GET /``: where a person or a client finds the API, instead of a bare 404."""
    return JSONResponse(
        {
            "service": "Healthproximate appliance",
            "api": "/v1",
            "openapi": "/openapi.json",
            "health": "/healthz",
            "docs": "docs/api.md and docs/analytics.md in the appliance's source",
        }
    )


async def healthz(_request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """200 when the database, the store, the disk and the secrets can do their work."""
    checks = await in_thread(readiness.check, request.app.state.appliance)
    ready = all(c["ok"] for c in checks.values())
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "checks": checks},
        status_code=200 if ready else 503,
    )


async def metrics(request: Request) -> Response:
    """Prometheus text format; no credentials, and nothing in it names an organization."""
    return Response(
        request.app.state.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8"
    )


async def openapi(request: Request) -> Response:
    settings = request.app.state.appliance.settings
    limits = Limits(settings.max_upload_size, settings.max_multipart_size,
                    settings.upload_url_max_ttl)  # fmt: skip
    return JSONResponse(openapi_document(limits))
