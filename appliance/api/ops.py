"""Endpoints for operators and load balancers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response


async def healthz(_request: Request) -> Response:
    return JSONResponse({"status": "ok"})
