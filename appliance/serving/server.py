"""Running the app under Hypercorn: TLS, redacted access log, graceful shutdown."""

from __future__ import annotations

import asyncio
import fcntl
import gc
import logging
import os
import signal
import socket
import ssl
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import anyio.to_thread
import uvloop
from hypercorn.asyncio import serve as hypercorn_serve
from hypercorn.asyncio import tcp_server
from hypercorn.config import Config
from hypercorn.logging import Logger

from appliance import audit, threads
from appliance.accounts.presign import PUT_PATH
from appliance.audit_seal import SealError
from appliance.context import Appliance
from appliance.http import create_app
from appliance.http.link_views import LINK_PATH
from appliance.http.tus_views import TUS_PATH
from appliance.metrics import Metrics, enable_multiprocess, forget
from appliance.operations import housekeeping
from appliance.serving import heap, supervisor, tls
from appliance.uploads import service as uploads
from storage import StorageError

ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(L)ss'
REDACTED = "[redacted]"
METRICS_REFRESH_S = 5.0
CYCLES_COLLECT_S = 2.0

log = logging.getLogger("hpx.server")


def redact_path(path: str) -> str:
    """A presigned URL's path is its credential: keep the prefix, drop the token."""
    for prefix in (PUT_PATH, TUS_PATH, LINK_PATH):
        if path.startswith(prefix) and len(path) > len(prefix):
            return prefix + REDACTED
    return path


class RedactingLogger(Logger):
    """Hypercorn's logger, writing the atoms of ``ACCESS_LOG_FORMAT`` and no others,
    with the token cut out of a presigned URL's path.

    Hypercorn's own atoms copy every request and response header and every
    environment variable into a dict per request: ~7 % of a presign's CPU (py-spy,
    bench/presign_vs_bare.py), and a place where a key could reach the log.
    """

    def atoms(self, request: Any, response: Any, request_time: float) -> Mapping[str, str]:
        client = request.get("client")
        status = length = "-"
        if response is not None:
            status = str(response["status"])
            for name, value in response.get("headers", ()):
                if name.lower() == b"content-length":
                    length = value.decode("latin-1")
        method = request.get("method", "GET")
        protocol = request.get("http_version", "ws")
        return {
            "h": ":".join(map(str, client)) if client else "-",
            "r": f"{method} {redact_path(request['path'])} {protocol}",
            "s": status,
            "b": length,
            "L": f"{request_time:.6f}",
        }


LISTEN_BACKLOG = 100
READ_BYTES = 256 * 1024
"""What Hypercorn asks the TLS stream for per read (its own default: 64 KiB). Every
read makes one trip through h11, the ASGI queue, Starlette and ``receive``, so a GiB
is 4,096 trips instead of 16,384; larger reads gain nothing, the stream holding less
than that between reads (docs/performance.md has the figures)."""


TLS_CLOSE_TIMEOUT_S = 10.0
"""How long a closing TLS connection waits for the client's answer to its close_notify
(as long as a handshake may take), not the event loop's 30 s: a client that keeps its
socket but no longer reads (an idle pool in a busy process) never answers, and would
hold a stop (``systemctl restart``) that long."""


class _Loop(uvloop.Loop):
    """uvloop's event loop, with the TLS close bounded by ``TLS_CLOSE_TIMEOUT_S``:
    Hypercorn creates its server without a say in it."""

    # uvloop's servers are AbstractServers (its stubs and its code); asyncio's loop type
    # promises Servers.
    async def create_server(  # type: ignore[override]
        self, *args: Any, **kwargs: Any
    ) -> asyncio.AbstractServer:
        if kwargs.get("ssl") is not None:
            kwargs.setdefault("ssl_shutdown_timeout", TLS_CLOSE_TIMEOUT_S)
        return await super().create_server(*args, **kwargs)


class StartupError(Exception):
    """The server cannot start; the message says why and what to do, in one line."""


def lock_data_dir(data_dir: Path) -> IO[str]:
    """Hold ``serve.lock`` in the data directory while serving: one server per directory.

    Two servers on one directory would both run housekeeping and both hand out the
    same interrupted sessions. The lock goes with the process, however it ends.
    """
    handle = open(data_dir / "serve.lock", "a+")  # held, not closed: the lock lives with it
    deadline = time.monotonic() + ORPHANS_END_S
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
        if _running(holder) or time.monotonic() >= deadline:
            handle.close()
            what = "is using" if _running(holder) else "has ended, but its server processes hold"
            raise StartupError(
                f"another hpx serve (pid {holder}) {what} {data_dir}; stop it first,"
                " or give this one its own --data-dir"
            )
        # Its server processes got SIGTERM when it died (appliance/serving/supervisor.py) and
        # hold the lock until their requests in flight end: a stale holder, not a rival.
        time.sleep(ORPHANS_POLL_S)  # the poll interval of a wait on the lock
    handle.seek(0)
    handle.truncate()
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


ORPHANS_END_S = 40.0
"""How long a new server waits for the server processes of a supervisor that was
killed to finish their requests (Hypercorn's graceful timeout, 30 s, and a margin)."""
ORPHANS_POLL_S = 0.1


def _running(pid: str) -> bool:
    """Is there a live (not zombie) process ``pid``? A pid that is not a number: yes,
    out of caution."""
    if not pid.isdigit():
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def check_tls_files(cert: Path, key: Path) -> None:
    for what, path, setting in (("certificate", cert, "tls_cert"), ("key", key, "tls_key")):
        try:
            with open(path, "rb") as fh:
                fh.read(1)
        except OSError as exc:
            raise StartupError(
                f"TLS {what} {path}: {exc.strerror.lower() if exc.strerror else exc};"
                f" fix {setting} (HPX_{setting.upper()}) or remove it to use a self-signed one"
            ) from None


def bind_socket(bind: str) -> socket.socket:
    """Bind the listening socket ourselves, so that a taken port fails before anything starts.

    Hypercorn then serves it through ``fd://``.
    """
    host, _, port = bind.rpartition(":")
    host = host.strip("[]")
    if not host or not port.isdigit():
        raise StartupError(f"--bind must be HOST:PORT (e.g. 127.0.0.1:8443), not {bind!r}")
    if not 1 <= int(port) <= 65535:
        raise StartupError(f"--bind: the port must be from 1 to 65535, not {port}")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, int(port)))
    except OSError as exc:
        sock.close()
        reason = (exc.strerror or str(exc)).lower()
        raise StartupError(
            f"cannot serve on {bind}: {reason}; choose another address with --bind HOST:PORT"
        ) from None
    # Listening now makes "Serving …" true when it is printed: connections wait in the
    # backlog until Hypercorn accepts them.
    sock.listen(LISTEN_BACKLOG)
    sock.set_inheritable(True)
    return sock


def hypercorn_config(appliance: Appliance, sock: socket.socket) -> tuple[Config, str]:
    """The Hypercorn config and the fingerprint of the certificate it serves."""
    settings = appliance.settings
    if settings.tls_cert and settings.tls_key:
        cert, key = settings.tls_cert, settings.tls_key
        check_tls_files(cert, key)
    else:
        cert, key = tls.ensure_self_signed(settings.tls_dir)
    config = Config()
    config.bind = [f"fd://{sock.fileno()}"]
    config.certfile = str(cert)
    config.keyfile = str(key)
    # HTTP/2 with Hypercorn's default windows uploads slower than HTTP/1.1
    # (docs/performance.md); clients pick it by ALPN whenever offered, so it is
    # offered only when configured.
    config.alpn_protocols = ["h2", "http/1.1"] if settings.http2 else ["http/1.1"]
    # Logger objects (not "-") so that Hypercorn's lines share the root handler and format.
    config.accesslog = logging.getLogger("hypercorn.access")
    config.errorlog = logging.getLogger("hypercorn.error")
    config.loglevel = settings.log_level.upper()
    config.access_log_format = ACCESS_LOG_FORMAT
    config.logger_class = RedactingLogger
    config.include_server_header = False
    config.graceful_timeout = 30
    config.read_timeout = 300  # a backstop: bodies are held to settings.min_body_rate
    # A connection that is not in a request is closed soon: one that never finishes
    # its TLS handshake after 10 s, one that sends no (complete) request line and
    # headers, or nothing after its last answer, after 5 s.
    config.ssl_handshake_timeout = 10
    config.keep_alive_timeout = 5
    return config, tls.fingerprint(cert)


@dataclass
class Prepared:
    """What is set up once, before any server process starts serving."""

    lock: IO[str]
    sock: socket.socket
    """Held here: Hypercorn serves its file descriptor, which closes with the object."""
    config: Config
    fingerprint: str


def prepare(appliance: Appliance) -> Prepared:
    """Take the data directory, check the secrets, bind the socket, give interrupted
    uploads back: once, in the process that then serves or forks the servers."""
    lock = lock_data_dir(appliance.settings.data_dir)
    try:  # loaded now, so that a bad secrets file stops the start, not every request
        appliance.signer  # noqa: B018
        appliance.token_keys  # noqa: B018
    except (OSError, ValueError) as exc:
        lock.close()
        raise StartupError(f"signing secrets: {exc}") from None
    try:  # a missing audit key stops the start; an unkeyed chain is keyed from here
        audit.anchor(appliance.db)
    except SealError as exc:
        lock.close()
        raise StartupError(f"audit key: {exc}") from None
    try:
        appliance.store.prepare()
    except StorageError as exc:
        lock.close()
        raise StartupError(f"store: {exc}") from None
    sock = bind_socket(appliance.settings.bind)
    config, fingerprint = hypercorn_config(appliance, sock)
    tcp_server.MAX_RECV = READ_BYTES  # a module constant, read at every read: no option
    interrupted = uploads.release_dead_claims(appliance.db)  # uploads a crash cut short
    if interrupted:
        log.warning("%d interrupted upload(s) returned to pending", interrupted)
    return Prepared(lock, sock, config, fingerprint)


def serve(appliance: Appliance, announce: Any = print) -> None:
    """Serve until SIGTERM or SIGINT, then let requests in flight finish: in this
    process, or in ``workers`` processes sharing the socket (appliance/serving/supervisor.py)."""
    prepared = prepare(appliance)
    workers = appliance.settings.workers
    announce(f"TLS certificate SHA-256 fingerprint: {prepared.fingerprint}")
    processes = f", {workers} processes" if workers > 1 else ""
    announce(f"Serving https://{appliance.settings.bind}{processes} (Ctrl-C to stop)")
    try:
        if workers == 1:
            serve_here(appliance, prepared.config, housekeeping=True)
            prepared.sock.detach()  # Hypercorn closed the descriptor it served
        else:
            metrics_dir = appliance.settings.data_dir / "run" / "metrics"
            enable_multiprocess(metrics_dir)
            appliance.db.close()  # no connection crosses a fork (each process opens its own)

            def worker(index: int) -> None:
                appliance.db.after_fork()
                serve_here(appliance, prepared.config, housekeeping=index == 0)

            def ended(pid: int) -> None:
                forget(metrics_dir, pid)
                release_claims_of_the_dead(appliance)

            supervisor.supervise(workers, worker, on_exit=ended)
            prepared.sock.close()  # this process's copy; the servers closed theirs
    finally:
        prepared.lock.close()


def release_claims_of_the_dead(appliance: Appliance) -> None:
    """In the supervisor, after a server process ended: give back what it was receiving
    (appliance/uploads/claims.py), then close the connection, which must not cross the next
    fork. A failure is logged, never fatal: the supervisor must go on replacing."""
    try:
        released = uploads.release_dead_claims(appliance.db)
    except Exception as exc:  # the next request that meets the claim takes it over
        log.error("could not give back a dead process's uploads: %s", type(exc).__name__)
        released = 0
    finally:
        appliance.db.close()
    if released:
        log.warning("%d upload(s) of an ended server process returned to pending", released)


def serve_here(appliance: Appliance, config: Config, *, housekeeping: bool) -> None:
    """One server process on uvloop's event loop (the loop Hypercorn's own ``uvloop``
    worker class uses): its TLS and socket handling run in C, and with ``READ_BYTES``
    reads the event loop spends 1.8 instead of 2.3 s per GiB received; a 1 GiB
    verified PUT over HTTPS went from 308-366 to 391-446 MB/s (docs/performance.md).
    ``housekeeping``: this process runs the periodic gc (one process does)."""
    with asyncio.Runner(loop_factory=_Loop) as runner:
        runner.run(_serve(appliance, config, housekeeping))


async def _serve(appliance: Appliance, config: Config, housekeeping: bool) -> None:
    app = create_app(appliance)
    # The appliance's own blocking work runs in appliance/threads.py's pool; what
    # Starlette does in threads (static files) goes through anyio, bounded alike
    # rather than by anyio's default of 40.
    anyio.to_thread.current_default_thread_limiter().total_tokens = threads.THREADS
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(_quiet_disconnects)
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    async with asyncio.TaskGroup() as tasks:
        if housekeeping and appliance.settings.gc_interval:
            tasks.create_task(housekeep(appliance, appliance.settings.gc_interval, stop))
        tasks.create_task(_refresh_metrics(app.state.metrics, stop))
        tasks.create_task(_collect_cycles(stop))
        await hypercorn_serve(app, config, shutdown_trigger=stop.wait)  # type: ignore[arg-type]
        stop.set()


async def _every(interval: float, stop: asyncio.Event) -> AsyncIterator[None]:
    """Yield every ``interval`` seconds; end as soon as ``stop`` is set."""
    while True:
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval)
            return
        except TimeoutError:
            yield


async def _refresh_metrics(metrics: Metrics, stop: asyncio.Event) -> None:
    """Every few seconds, this process's gauges of work done elsewhere (imports): with
    several processes, a scrape reads them all, not only the one it reached."""
    async for _ in _every(METRICS_REFRESH_S, stop):
        metrics.refresh()


async def _collect_cycles(stop: asyncio.Event) -> None:
    """Collect reference cycles every ``CYCLES_COLLECT_S``, looking only at what came
    after start-up (frozen here first), then give the heap's free pages back
    (appliance/serving/heap.py).

    Each closed connection leaves a cycle (Hypercorn's server and protocol objects,
    asyncio's stream, the TLS transport) that keeps its TLS buffers, about half a MB
    after an upload. Python's collector counts objects, not bytes, and would leave
    these few objects a connection for its rare full collections while the heap grows;
    collecting only what came after start-up keeps each pass short enough for the
    event loop (docs/performance.md)."""
    gc.freeze()
    async for _ in _every(CYCLES_COLLECT_S, stop):
        gc.collect()
        heap.trim()


def _quiet_disconnects(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """A client that hangs up mid-body, sends after TLS close, or never answers the
    TLS close is the client's doing: one line, no traceback. Anything else goes to
    asyncio's usual report."""
    exc = context.get("exception")
    unanswered_close = isinstance(exc, TimeoutError) and "SSL shutdown" in str(exc)
    if isinstance(exc, ssl.SSLError | ConnectionResetError | BrokenPipeError) or unanswered_close:
        log.info("a client connection ended abruptly (%s)", type(exc).__name__)
        return
    loop.default_exception_handler(context)


async def housekeep(appliance: Appliance, interval: float, stop: asyncio.Event) -> None:
    """Run ``hpx gc``'s collection every ``interval`` seconds until the server stops;
    and log the audit chain's head when it moved, so that the system journal (which the
    database's owner cannot rewrite) keeps heads for ``hpx audit verify --head``."""
    logged: str | None = None
    async for _ in _every(interval, stop):
        try:
            head = await asyncio.to_thread(lambda: audit.newest(appliance.db.conn))
        except Exception as exc:  # keep serving
            log.error("reading the audit head failed: %s", type(exc).__name__)
            head = None
        if head is not None and head.hash != logged:
            log.info("audit head: record %d, %s", head.seq, head.hash)
            logged = head.hash
        try:
            collected = await asyncio.to_thread(housekeeping.collect_once, appliance)
        except Exception as exc:  # keep serving; the next round tries again
            log.error("housekeeping failed: %s", type(exc).__name__)
            continue
        if collected is not None and any(collected.to_dict().values()):
            log.info("housekeeping: %s", collected.to_dict())
