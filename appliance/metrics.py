"""``GET /metrics``: Prometheus series, through the official client library.

Request counts and a latency histogram per handler (so p99 can be read), upload
bytes and uploads in progress, free disk, and dataset imports. Labels carry handler
names and status codes only, never organizations, filenames or paths (a path can be a
presigned token). One registry per application, so that several apps in one process
(the tests) never share series. The ASGI middleware that counts requests is the HTTP
layer's (appliance/http/request_metrics.py): the services that count here know nothing
of HTTP.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Metric,
    generate_latest,
    values,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector

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
        # multiprocess_mode: how the values of several server processes add up (it is
        # ignored with one process).
        self.uploads_in_progress = Gauge(
            "hpx_uploads_in_progress",
            "Bodies being received right now.",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        started = Gauge(
            "hpx_start_time_seconds",
            "When the server started (Unix time).",
            registry=self.registry,
            multiprocess_mode="min",
        )
        started.set(time.time())
        self.imports = Gauge(
            "hpx_dataset_imports_running",
            "CSV files being imported into datasets right now.",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self._imports_running = imports_running
        self._disk = _DiskFree(free_bytes)
        self.registry.register(self._disk)

    def refresh(self) -> None:
        """Bring the values read from elsewhere up to date (before a scrape, and every
        few seconds in each of several server processes)."""
        self.imports.set(self._imports_running())

    def render(self) -> bytes:
        self.refresh()
        if _multiprocess_dir is None:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(_multiprocess_dir))  # type: ignore[no-untyped-call]
        registry.register(self._disk)
        return generate_latest(registry)


class _DiskFree(Collector):
    """Free disk space, read when scraped: the same for every process."""

    def __init__(self, free_bytes: Callable[[], float]) -> None:
        self._free_bytes = free_bytes

    def collect(self) -> Iterator[Metric]:
        yield GaugeMetricFamily(
            "hpx_disk_free_bytes", "Free bytes where the files are stored.", self._free_bytes()
        )


_multiprocess_dir: Path | None = None


def enable_multiprocess(path: Path) -> None:
    """Before server processes are forked: their metrics go to files in ``path`` (emptied
    now), and ``/metrics`` of any of them adds up all (prometheus-client's multiprocess
    mode)."""
    global _multiprocess_dir
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, mode=0o700)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    values.ValueClass = values.MultiProcessValue()  # type: ignore[no-untyped-call]
    _multiprocess_dir = path


def forget(path: Path, pid: int) -> None:
    """A server process ended: its live gauges no longer count."""
    mark_process_dead(pid, str(path))  # type: ignore[no-untyped-call]
