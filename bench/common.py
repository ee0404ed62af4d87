"""Shared pieces of the benchmarks: a server of our own, a test file, peak RSS.

Benchmarks are run by hand (``python bench/<name>.py``), print figures, and talk
only to 127.0.0.1. They start their own server on a free port with a temporary
data directory and stop it (by its PID) when done.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the tests' helpers and engines (tests/processes.py, ceph.py)
from tests.processes import children  # noqa: E402

MIB = 1024 * 1024


@dataclass
class BenchServer:
    url: str
    data_dir: Path
    cert: Path
    process: subprocess.Popen[bytes]
    api_key: str
    env: dict[str, str]
    """The HPX_* settings it runs with, for the hpx commands run beside it."""

    def peak_rss_mb(self, with_children: bool = False) -> float:
        """VmHWM: the high-water mark of resident memory since the process started; with
        ``with_children``, the sum over it and its server processes (``workers``)."""
        pids = self.pids() if with_children else [self.process.pid]
        return sum(_hwm_mb(pid) for pid in pids)

    def cpu_seconds(self) -> float:
        """User and system CPU of the server and its server processes (``workers``)."""
        return cpu_seconds(self.process.pid)

    def post(self, path: str, body: dict) -> dict:
        req = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            method="POST",
            headers={"X-API-Key": self.api_key, "Content-Type": "application/json"},
        )
        ctx = ssl.create_default_context(cafile=str(self.cert))
        with urllib.request.urlopen(req, context=ctx) as resp:
            return json.loads(resp.read())

    def delete_file(self, file_id: str, key: str | None = None) -> None:
        """DELETE /v1/files/ID with ``key`` (the bench organization's by default)."""
        url = self.url + f"/v1/files/{file_id}"
        gone = urllib.request.Request(
            url, method="DELETE", headers={"X-API-Key": key or self.api_key}
        )
        ctx = ssl.create_default_context(cafile=str(self.cert))
        urllib.request.urlopen(gone, context=ctx).close()

    def delete_all(self, keys: list[str]) -> None:
        """Delete every file of the organizations of ``keys``: between rounds, so that
        each round writes into page cache the last one freed, as on a long-running host
        (a growing page cache on a fresh virtual machine slows every later write)."""
        ctx = ssl.create_default_context(cafile=str(self.cert))
        for key in keys:
            listing = urllib.request.Request(self.url + "/v1/files", headers={"X-API-Key": key})
            with urllib.request.urlopen(listing, context=ctx) as resp:
                found = json.loads(resp.read())["files"]
            for file in found:
                self.delete_file(file["file_id"], key)

    def pids(self) -> list[int]:
        """The server and its server processes (``workers``)."""
        return [self.process.pid, *children(self.process.pid)]

    def pss_mb(self) -> float:
        """The memory the server and its server processes hold now, pages shared since
        the fork counted once (each process's proportional set size, summed)."""
        total = 0
        for pid in self.pids():
            try:
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            except OSError:
                continue  # a child that ended meanwhile
            total += next(int(line.split()[1]) for line in rollup.splitlines()
                          if line.startswith("Pss:"))  # fmt: skip
        return total / 1024

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        shutil.rmtree(self.data_dir, ignore_errors=True)


class PeakPss:
    """The highest ``server.pss_mb()`` seen while the ``with`` block runs, sampled every
    20 ms: the kernel keeps a high-water mark of RSS only, which counts the pages a
    supervisor shares with its forked server processes once per process."""

    def __init__(self, server: BenchServer) -> None:
        self.server = server
        self.peak = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakPss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._done.wait(0.02):
            self.peak = max(self.peak, self.server.pss_mb())


def pair_ratio(ours: list[float], theirs: list[float]) -> float:
    """The median of each pair's own ratio: the machine drifts 1.5-2x over minutes, so
    only the two runs of one pair are compared with each other."""
    return statistics.median(a / b for a, b in zip(ours, theirs, strict=True))


def cpu_seconds(pid: int) -> float:
    """User and system CPU of ``pid`` and of its live children, in seconds."""
    total = 0
    for each in (pid, *children(pid)):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # a child that ended meanwhile
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def _hwm_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def start_server(work: Path, *, new_org: bool = True, **settings: str) -> BenchServer:
    """A server of its own on a free port; with ``new_org``, an organization "bench" and
    a key for it (a second node of one appliance has them already)."""
    data_dir = Path(tempfile.mkdtemp(prefix="hpx-bench-", dir=work))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPX_")}
    env["HPX_MAX_UPLOAD_SIZE"] = str(64 * 1024**3)
    env.update({f"HPX_{k.upper()}": v for k, v in settings.items()})
    hpx = [sys.executable, "-m", "appliance"]
    subprocess.run([*hpx, "init", "--data-dir", str(data_dir)], check=True, capture_output=True)
    # Its certificate made beforehand, as on every start after the first: the one-time
    # certificate generation would otherwise count in the server's memory.
    make_cert = (
        "import sys, pathlib; from appliance.serving import tls;"
        " tls.ensure_self_signed(pathlib.Path(sys.argv[1]))"
    )
    subprocess.run([sys.executable, "-c", make_cert, str(data_dir / "tls")], check=True, cwd=ROOT)
    key = ""
    if new_org:
        subprocess.run(
            [*hpx, "org", "create", "bench", "--data-dir", str(data_dir)],
            check=True,
            capture_output=True,
            env=env,
        )
        issued = subprocess.run(
            [*hpx, "key", "issue", "bench", "--json", "--data-dir", str(data_dir)],
            check=True,
            capture_output=True,
            env=env,
        )
        key = json.loads(issued.stdout)["api_key"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(data_dir / "server.log", "wb")
    process = subprocess.Popen(
        [*hpx, "serve", "--data-dir", str(data_dir), "--bind", f"127.0.0.1:{port}"],
        env=env | {"HPX_LOG_LEVEL": "warning"},
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    server = BenchServer(
        f"https://127.0.0.1:{port}", data_dir, data_dir / "tls" / "cert.pem", process, key, env
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            ctx = ssl.create_default_context(cafile=str(server.cert))
            urllib.request.urlopen(server.url + "/healthz", context=ctx, timeout=2)
            return server
        except (OSError, ssl.SSLError):
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start")


@contextmanager
def bench_dir() -> Iterator[Path]:
    """A working directory for one run, removed after it: inside bench/, so on the
    checkout's disk (the server's data directory goes in it), not a tmpfs /tmp."""
    with tempfile.TemporaryDirectory(prefix="hpx-bench-", dir=ROOT / "bench") as work_dir:
        yield Path(work_dir)


def payload(work: Path, size: int) -> tuple[Path, str]:
    """``work``/payload.bin of ``size`` random bytes, and its SHA-256."""
    src = work / "payload.bin"
    return src, make_file(src, size)


def make_file(path: Path, size: int) -> str:
    """A file of random bytes (so nothing compresses) and its SHA-256."""
    digest = hashlib.sha256()
    with open(path, "wb") as fh:
        remaining = size
        while remaining:
            block = os.urandom(min(8 * MIB, remaining))
            digest.update(block)
            fh.write(block)
            remaining -= len(block)
    return digest.hexdigest()


def curl_put(server: BenchServer, path: Path, url: str, http2: bool = False) -> list[str]:
    """curl arguments for one PUT of ``path``, as a partner would send it."""
    version = "--http2" if http2 else "--http1.1"
    return ["--fail", "--silent", "--show-error", version, "--cacert", str(server.cert),
            "-T", str(path), "-o", "/dev/null", url]  # fmt: skip


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start
