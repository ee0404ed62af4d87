"""A real ``hpx serve`` process for tests, and what a test needs to talk to it.

The fixtures that start them live in conftest.py; the tests import the types from
here.
"""

from __future__ import annotations

import signal
import socket
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import Any, Protocol

import httpx
import trustme
from starlette.applications import Starlette
from starlette.testclient import TestClient

from appliance.accounts import apikeys, orgs
from appliance.config import Settings, load_settings
from appliance.context import Appliance, open_appliance
from appliance.http import create_app
from tests.helpers import wait_until

STARTUP_DEADLINE_S = 120.0
"""How long a start may take before the test fails: a bound on a wait, not a speed
claim (a start is about 1.8 CPU-s). On the shared 2-core machine at a load average of
15 to 23, 30 s failed dozens of starts of every run (docs/performance.md)."""


@dataclass
class Server:
    """A running ``hpx serve`` process and what a test needs to talk to it."""

    data_dir: Path
    port: int
    ca: trustme.CA
    env: dict[str, str]
    log_path: Path
    pinned_cert: Path | None = None
    """Trust this certificate instead of the CA (a server that made its own)."""
    process: subprocess.Popen[bytes] | None = None
    _appliance: Appliance | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def appliance(self) -> Appliance:
        """The same data directory, opened in the test process (a second SQLite client),
        with the settings the server was started with (its store among them)."""
        if self._appliance is None:
            given = {
                k[4:].lower(): v
                for k, v in self.env.items()
                if k.startswith("HPX_") and k != "HPX_CONFIG"
            }
            settings = load_settings(**(given | {"data_dir": self.data_dir}))
            self._appliance = open_appliance(settings)
        return self._appliance

    def ssl_context(self) -> ssl.SSLContext:
        """Trusts the server's own certificate authority and nothing else. Not
        ``create_default_context()``: it loads the system's CA bundle, ~20 ms of CPU, and
        the suite made 700 of these (15 CPU-s)."""
        if self.pinned_cert is not None:
            return ssl.create_default_context(cafile=str(self.pinned_cert))
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self.ca.configure_trust(ctx)
        return ctx

    def client(self, timeout: float = 60, **kwargs: object) -> httpx.Client:
        return httpx.Client(base_url=self.url, verify=self.ssl_context(), timeout=timeout, **kwargs)

    def async_client(self, **kwargs: object) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url, verify=self.ssl_context(), timeout=60, **kwargs)

    @property
    def command(self) -> list[str]:
        """``hpx serve`` for this data directory and port."""
        return [
            sys.executable,
            "-m",
            "appliance",
            "serve",
            "--data-dir",
            str(self.data_dir),
            "--bind",
            f"127.0.0.1:{self.port}",
        ]

    def start(self) -> None:
        """Start ``hpx serve`` and wait until it answers. A process that is not ready in
        time is killed before the error is raised: no one else would stop it (a loaded
        machine once left dozens running after the run)."""
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.command,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            self.wait_ready()
        except BaseException:
            self.process.kill()
            self.wait_stopped()
            raise

    def wait_ready(self) -> None:
        """Poll /healthz until it answers; fail if the process dies or the deadline passes."""
        deadline = time.monotonic() + STARTUP_DEADLINE_S
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                ctx = self.ssl_context()
                if httpx.get(self.url + "/healthz", verify=ctx, timeout=2).status_code == 200:
                    return
            except (httpx.TransportError, FileNotFoundError):
                time.sleep(0.05)  # not synchronization: the poll interval of a readiness probe
        raise RuntimeError(f"server not ready after {STARTUP_DEADLINE_S}s:\n{self.log()}")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        assert self.process is not None
        self.process.send_signal(sig)
        return self.wait_stopped()

    def wait_stopped(self) -> int:
        assert self.process is not None
        code = self.process.wait(timeout=60)
        self.process = None
        return code

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def new_org(self, scopes: list[str] | None = None) -> tuple[orgs.Org, str]:
        """A fresh organization and an API key for it (by default a trusted
        integration's: TRUSTED_SCOPES)."""
        org = orgs.create_org(self.appliance.db, f"org-{next(_names)}")
        key = apikeys.issue_key(self.appliance.db, org.id, scopes=scopes or TRUSTED_SCOPES)
        return org, key.api_key


_names = count(1)
TRUSTED_SCOPES = ["upload", "query", "rows"]
"""The default key of a test organization: a trusted integration's, with record-level
access (``rows``), so that the tests of uploads and of the analytics' exact numbers see
what they test; the tests of disclosure control (test_disclosure.py) ask for keys
without ``rows`` by name."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_partial_put(server: Server, url: str, total: int, tmp_dir: Path) -> ssl.SSLSocket:
    """Open a PUT of ``total`` bytes, send three quarters, wait until the server is receiving.

    Returns the open connection, so that the caller can kill the server (or hang up)
    at a moment when an upload is certainly under way: its temporary file exists.
    """
    ctx = server.ssl_context()
    conn = ctx.wrap_socket(
        socket.create_connection(("127.0.0.1", server.port)), server_hostname="127.0.0.1"
    )
    path = url.split(server.url, 1)[1]
    conn.sendall(f"PUT {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {total}\r\n\r\n".encode())
    conn.sendall(b"h" * (total * 3 // 4))
    wait_until(
        lambda: tmp_dir.exists() and any(tmp_dir.glob("*.part")),
        "the server never started receiving",
    )
    return conn


def stop_all(servers: list[Server]) -> None:
    """SIGTERM to each running server first, then wait: they drain at the same time."""
    running = [server for server in servers if server.process is not None]
    for server in running:
        assert server.process is not None
        server.process.send_signal(signal.SIGTERM)
    for server in running:
        server.wait_stopped()


class MakeServer(Protocol):
    """The ``make_server`` fixture: a server with extra ``HPX_*`` settings."""

    def __call__(
        self, tls: bool = True, data_dir: Path | None = None, **settings: str
    ) -> Server: ...


class ServerWith(Protocol):
    """The ``server_with`` fixture: the session's one server with these settings."""

    def __call__(self, **settings: str) -> Server: ...


@dataclass
class InProcess:
    """The application in this process, reached through its ASGI interface: no TLS, no
    sockets, no second interpreter. What most API tests need; the ones about TLS,
    connections, signals, draining and logs use :class:`Server`.

    It offers the part of :class:`Server`'s surface those tests use (clients, the
    appliance, new organizations, the data directory), so a test module opts in by
    overriding the ``server`` fixture.
    """

    data_dir: Path
    appliance: Appliance
    app: Starlette
    url: str = "https://testserver"

    def client(self, **kwargs: Any) -> httpx.Client:
        return TestClient(self.app, base_url=self.url, **kwargs)

    def async_client(self, **kwargs: Any) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app)
        return httpx.AsyncClient(transport=transport, base_url=self.url, timeout=60, **kwargs)

    def new_org(self, scopes: list[str] | None = None) -> tuple[orgs.Org, str]:
        org = orgs.create_org(self.appliance.db, f"org-{next(_names)}")
        key = apikeys.issue_key(self.appliance.db, org.id, scopes=scopes or TRUSTED_SCOPES)
        return org, key.api_key


def in_process(data_dir: Path, **settings: Any) -> InProcess:
    """The app over a fresh data directory, with the settings the test servers use
    and ``settings``."""
    settings = {"auth_failures_per_minute": 10_000} | settings
    appliance = open_appliance(Settings(data_dir=data_dir, **settings))
    appliance.store.prepare()  # what hpx serve does first (an object store's bucket)
    return InProcess(data_dir, appliance, create_app(appliance))
