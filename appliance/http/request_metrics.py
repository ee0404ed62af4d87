"""Every HTTP request counted by the handler that answered it, and timed, into the
series of appliance/metrics.py."""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from appliance.metrics import Metrics

CLIENT_GONE = "499"
"""The status counted for a request whose client hung up before any answer (nginx's
"client closed request"): every other ending sends a status, if only the 500 of the
error boundary."""


class MetricsMiddleware:
    """Counts every HTTP request by the handler that answered it, and times it."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status: int | None = None
        start = time.perf_counter()

        async def counting_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        finally:
            handler = _handler_name(scope.get("endpoint"))
            label = CLIENT_GONE if status is None else str(status)
            self.metrics.requests.labels(handler, scope["method"], label).inc()
            self.metrics.duration.labels(handler).observe(time.perf_counter() - start)


def _handler_name(endpoint: Any) -> str:
    return getattr(endpoint, "__name__", "unmatched")
