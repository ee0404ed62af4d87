"""Counters for ``GET /metrics``, in the Prometheus text format.

A few hand-kept series rather than a client library: the appliance runs one
process, and these are all an operator's Prometheus needs to alert on errors,
latency and upload volume. Labels carry handler names and status codes only,
never organizations, filenames or paths (a path can be a presigned token).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Metrics:
    def __init__(self) -> None:
        self.requests: Counter[tuple[str, str, int]] = Counter()
        self.duration_sum: defaultdict[str, float] = defaultdict(float)
        self.duration_count: Counter[str] = Counter()
        self.upload_bytes = 0
        self.uploads_in_progress = 0
        self.started = time.time()

    def render(self) -> str:
        lines = [
            "# HELP hpx_http_requests_total HTTP requests by handler, method and status.",
            "# TYPE hpx_http_requests_total counter",
        ]
        for (handler, method, status), n in sorted(self.requests.items()):
            lines.append(
                f'hpx_http_requests_total{{handler="{handler}",method="{method}",'
                f'status="{status}"}} {n}'
            )
        lines += [
            "# HELP hpx_http_request_duration_seconds Time to answer, by handler.",
            "# TYPE hpx_http_request_duration_seconds summary",
        ]
        for handler in sorted(self.duration_count):
            lines.append(
                f'hpx_http_request_duration_seconds_sum{{handler="{handler}"}} '
                f"{self.duration_sum[handler]:.6f}"
            )
            lines.append(
                f'hpx_http_request_duration_seconds_count{{handler="{handler}"}} '
                f"{self.duration_count[handler]}"
            )
        lines += [
            "# HELP hpx_upload_bytes_total Bytes received into uploads and parts.",
            "# TYPE hpx_upload_bytes_total counter",
            f"hpx_upload_bytes_total {self.upload_bytes}",
            "# HELP hpx_uploads_in_progress Bodies being received right now.",
            "# TYPE hpx_uploads_in_progress gauge",
            f"hpx_uploads_in_progress {self.uploads_in_progress}",
            "# HELP hpx_start_time_seconds When the server started (Unix time).",
            "# TYPE hpx_start_time_seconds gauge",
            f"hpx_start_time_seconds {self.started:.0f}",
        ]
        return "\n".join(lines) + "\n"


class MetricsMiddleware:
    """Counts every HTTP request by the handler that answered it."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500
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
            self.metrics.requests[(handler, scope["method"], status)] += 1
            self.metrics.duration_sum[handler] += time.perf_counter() - start
            self.metrics.duration_count[handler] += 1


def _handler_name(endpoint: Any) -> str:
    return getattr(endpoint, "__name__", "unmatched")
