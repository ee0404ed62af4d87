"""Endpoints for operators and load balancers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from appliance.api.openapi import openapi_document


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


async def metrics(request: Request) -> Response:
    """Prometheus text format; no credentials, and nothing in it names an organization."""
    return PlainTextResponse(
        request.app.state.metrics.render(), media_type="text/plain; version=0.0.4"
    )


async def openapi(_request: Request) -> Response:
    return JSONResponse(openapi_document())
