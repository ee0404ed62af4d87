"""Turning every failure into the contract's JSON error body, and nothing more."""

from __future__ import annotations

import logging
import traceback

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from appliance.api.bodies import discard_body
from appliance.errors import ApiError, ErrorType

log = logging.getLogger("hpx.errors")


def error_response(error: ApiError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


async def on_api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    await discard_body(request)
    return error_response(exc)


async def on_http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 and 405 (unknown route, wrong method) in our vocabulary."""
    assert isinstance(exc, HTTPException)
    await discard_body(request)
    if exc.status_code == 405:
        error = ApiError(ErrorType.method_not_allowed, headers=dict(exc.headers or {}))
    elif exc.status_code == 404:
        error = ApiError(ErrorType.not_found, "no such endpoint")
    else:
        error = ApiError(ErrorType.invalid_request, str(exc.detail))
    return error_response(error)


class ErrorBoundary:
    """Last line: an unexpected exception becomes a 500 JSON body and a safe log line.

    The log line names the exception type and where it happened, never its message:
    messages of OS errors carry paths, and paths carry filenames that can carry
    patients' names.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            frames = "".join(traceback.format_tb(exc.__traceback__))
            log.error("unhandled %s\n%s", type(exc).__name__, frames)
            if not started:
                await error_response(ApiError(ErrorType.internal_error))(scope, receive, send)
