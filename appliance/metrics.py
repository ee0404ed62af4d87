"""``GET /metrics``: Prometheus series, through the official client library.

Request counts and a latency histogram per handler (so p99 can be read), upload
bytes and uploads in progress, free disk, and dataset imports. Labels carry handler
names and status codes only, never organizations, filenames or paths (a path can be a
presigned token). One registry per application, so that several apps in one process
(the tests) never share series.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 120.0)


class Metrics:
    def __init__(
        self, free_bytes: Callable[[], float], imports_running: Callable[[], float]
    ) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "hpx_http_requests",
            "HTTP requests by handler, method and status.",
            ["handler", "method", "status"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "hpx_http_request_duration_seconds",
            "Time to answer, by handler.",
            ["handler"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.upload_bytes = Counter(
            "hpx_upload_bytes", "Bytes received into uploads and parts.", registry=self.registry
        )
        self.uploads_in_progress = Gauge(
            "hpx_uploads_in_progress", "Bodies being received right now.", registry=self.registry
        )
        started = Gauge(
            "hpx_start_time_seconds", "When the server started (Unix time).", registry=self.registry
        )
        started.set(time.time())
        Gauge(
            "hpx_disk_free_bytes", "Free bytes where the files are stored.", registry=self.registry
        ).set_function(free_bytes)
        Gauge(
            "hpx_dataset_imports_running",
            "CSV files being imported into datasets right now.",
            registry=self.registry,
        ).set_function(imports_running)

    def render(self) -> bytes:
        return generate_latest(self.registry)


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
