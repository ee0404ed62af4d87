"""Turning every failure into the contract's JSON error body, and nothing more.

The status of each error type is decided here, and only here: domain code raises
:class:`~appliance.errors.ApplianceError` without knowing it will become HTTP.
"""

from __future__ import annotations

import errno
import logging
import re
import sqlite3
import traceback

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from appliance import errors
from appliance.errors import ApplianceError, ErrorType
from appliance.http.parsing import discard_body
from storage import StoreUnavailable

log = logging.getLogger("hpx.errors")


STATUS: dict[ErrorType, int] = {
    ErrorType.invalid_request: 400,
    ErrorType.unauthorized: 401,
    ErrorType.forbidden: 403,
    ErrorType.invalid_token: 403,
    ErrorType.token_expired: 403,
    ErrorType.not_found: 404,
    ErrorType.method_not_allowed: 405,
    ErrorType.request_timeout: 408,
    ErrorType.upload_in_progress: 409,
    ErrorType.offset_mismatch: 409,
    ErrorType.token_used: 410,
    ErrorType.payload_too_large: 413,
    ErrorType.range_not_satisfiable: 416,
    ErrorType.checksum_mismatch: 422,
    ErrorType.size_mismatch: 422,
    ErrorType.unanswerable_question: 422,
    ErrorType.rate_limited: 429,
    ErrorType.internal_error: 500,
    ErrorType.insufficient_storage: 507,
    ErrorType.store_unavailable: 503,
}


class HttpError(ApplianceError):
    """An error only HTTP has (a wrong method, a bad range), with its own headers, and
    the status a protocol of its own asks for where it is not the table's (tus)."""

    def __init__(
        self,
        kind: ErrorType,
        message: str | None,
        headers: dict[str, str],
        status: int | None = None,
    ) -> None:
        super().__init__(kind, message)
        self.headers = headers
        self.status = status


def error_response(error: ApplianceError) -> JSONResponse:
    headers = dict(error.headers) if isinstance(error, HttpError) else {}
    if error.retry_after is not None:
        headers["Retry-After"] = str(error.retry_after)
    if error.kind in (ErrorType.request_timeout, ErrorType.store_unavailable):
        headers["Connection"] = "close"  # the rest of the body is not coming, or not read
    status = STATUS[error.kind]
    if isinstance(error, HttpError) and error.status is not None:
        status = error.status
    return JSONResponse(error.body(), status_code=status, headers=headers)


async def on_api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApplianceError)
    await discard_body(request)
    return error_response(exc)


async def on_http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 and 405 (unknown route, wrong method) in our vocabulary."""
    assert isinstance(exc, HTTPException)
    await discard_body(request)
    if exc.status_code == 405:
        allowed = ", ".join(_allowed_methods(request))
        error: ApplianceError = HttpError(ErrorType.method_not_allowed, None, {"Allow": allowed})
    elif exc.status_code == 404:
        error = ApplianceError(ErrorType.not_found, "no such endpoint")
    else:
        error = ApplianceError(ErrorType.invalid_request, str(exc.detail))
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
        except ClientDisconnect:
            # The client hung up mid-body: nobody is left to answer, the handler has
            # already cleaned up, and it is not the server's fault (metrics say 499).
            log.info("client went away during a request")
        except Exception as exc:
            if _disk_full(exc):  # SQLite or the store ran out of space: the client's 507
                log.warning("disk full while handling a request")
                if not started:
                    error = ApplianceError(ErrorType.insufficient_storage, "the disk is full")
                    await error_response(error)(scope, receive, send)
                return
            unavailable = _store_unavailable(exc)
            if unavailable is not None:  # the object store is down: nothing was stored
                log.warning("store unavailable: %s", unavailable)
                if not started:
                    await error_response(errors.unavailable(unavailable))(scope, receive, send)
                return
            frames = "".join(traceback.format_tb(exc.__traceback__))
            log.error("unhandled %s\n%s", type(exc).__name__, frames)
            if not started:
                await error_response(ApplianceError(ErrorType.internal_error))(scope, receive, send)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route accepts on this path. Starlette names only the methods
    of the first route whose path matches, which told clients that a path with GET and
    DELETE (two routes) took only GET."""
    path = request.url.path
    methods: set[str] = set()
    for route in request.app.routes:
        children = route.routes if isinstance(route, Mount) else [route]
        prefix = route.path if isinstance(route, Mount) else ""
        for child in children:
            if not isinstance(child, Route) or not child.methods:
                continue
            pattern = "^" + re.escape(prefix) + child.path_regex.pattern.removeprefix("^")
            if re.match(pattern, path):
                methods |= child.methods
    return sorted(methods)


def _store_unavailable(exc: BaseException | None) -> StoreUnavailable | None:
    """The store's "cannot be reached" in the exception, its causes or its group."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, BaseExceptionGroup):
            found = [_store_unavailable(e) for e in exc.exceptions]
            return next((f for f in found if f is not None), None)
        if isinstance(exc, StoreUnavailable):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def _disk_full(exc: BaseException | None) -> bool:
    """ENOSPC anywhere in the exception, its causes or its group: SQLite says it in words."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, BaseExceptionGroup):
            return any(_disk_full(e) for e in exc.exceptions)
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc).lower():
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False
