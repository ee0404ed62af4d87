"""The server process itself: certificates, shutdown, logs, restart after a crash."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

from appliance.operations import housekeeping
from appliance.serving import tls
from tests import servers
from tests.helpers import presign, wait_until
from tests.processes import children
from tests.servers import MakeServer, Server, start_partial_put


def test_self_signed_certificate_is_created_kept_and_announced(make_server: MakeServer) -> None:
    server: Server = make_server(tls=False)
    cert = server.data_dir / "tls" / "cert.pem"
    key = server.data_dir / "tls" / "key.pem"
    assert cert.exists() and oct(key.stat().st_mode & 0o777) == "0o600"
    fp = tls.fingerprint(cert)
    assert f"fingerprint: {fp}" in server.log()
    with server.client() as client:  # trusts exactly this certificate
        assert client.get("/healthz").status_code == 200
    assert server.stop() == 0
    server.start()
    assert tls.fingerprint(cert) == fp
    assert server.log().count(fp) == 2


def test_a_server_not_ready_in_time_is_not_left_running(
    make_server: MakeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "never-ready"
    monkeypatch.setattr(servers, "STARTUP_DEADLINE_S", 0.0)  # no time to get ready
    with pytest.raises(RuntimeError, match="not ready"):
        make_server(data_dir=data_dir)

    def serves_it(pid: int) -> bool:
        try:
            return str(data_dir) in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
        except OSError:
            return False  # ended while being looked at

    left = [pid for pid in children(os.getpid()) if serves_it(pid)]
    for pid in left:  # what the test's failure would otherwise leave behind
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    assert left == []


def test_sigterm_shuts_down_cleanly(make_server: MakeServer) -> None:
    server: Server = make_server()
    assert server.stop(signal.SIGTERM) == 0


def test_logs_carry_no_token_key_or_filename(make_server: MakeServer) -> None:
    server: Server = make_server()
    _org, key = server.new_org()
    with server.client() as client:
        grant = presign(client, key, filename="Jane Doe MRN 123456.csv")
        token = grant["upload_url"].rsplit("/", 1)[1]
        assert client.put(grant["upload_url"], content=b"x").status_code == 201
        client.put(grant["upload_url"], content=b"x")  # 410, logged too
        client.get("/v1/files", headers={"X-API-Key": key + "wrong"})
    server.stop()
    log = server.log()
    assert "PUT /v1/put/[redacted]" in log
    for secret in (token, token.split(".")[0], key, key.split("_", 2)[2], "Jane", "123456"):
        assert secret not in log, secret


def test_killed_mid_upload_restart_gives_the_url_back_and_gc_cleans(
    make_server: MakeServer,
) -> None:
    server: Server = make_server()
    org, key = server.new_org()
    with server.client() as client:
        grant = presign(client, key, size=64 * 1024 * 1024)
    tmp = server.data_dir / "orgs" / org.id / "tmp"

    conn = start_partial_put(server, grant["upload_url"], 64 * 1024 * 1024, tmp)
    assert server.stop(signal.SIGKILL) == -signal.SIGKILL
    conn.close()
    assert list(tmp.glob("*.part"))  # the crash left its temporary file

    server.start()
    data = os.urandom(64 * 1024 * 1024)
    with server.client() as client:
        r = client.put(grant["upload_url"], content=data)
    assert r.status_code == 201, r.text
    # gc with no grace removes the stray temporary file of the killed attempt.
    collected = housekeeping.collect(server.appliance, grace_seconds=0)
    assert collected.temp_files == 1
    assert list(tmp.iterdir()) == []
    assert [p.name for p in (server.data_dir / "orgs" / org.id / "files").iterdir()] == ["data.csv"]


def test_port_in_use_fails_with_a_message(real_server: Server, tmp_path: Path) -> None:
    """The shared server holds the port (the test only reads its command and settings)."""
    server = real_server
    command = list(server.command)
    command[command.index("--data-dir") + 1] = str(tmp_path)  # its own data, the same port
    r = subprocess.run(
        command,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 1
    assert f"cannot serve on 127.0.0.1:{server.port}" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    ("bind", "said"),
    [
        ("127.0.0.1:99999", "from 1 to 65535, not 99999"),
        ("127.0.0.1:0", "from 1 to 65535, not 0"),
        ("nonsense", "must be HOST:PORT"),
        (":8443", "must be HOST:PORT"),
    ],
)
def test_a_bind_that_cannot_be_is_refused_with_a_message(bind: str, said: str) -> None:
    # Imported here, as below: the server module brings Hypercorn, 0.3 s of CPU in each
    # pytest process that collects this module, most of which run none of its tests.
    from appliance.serving.server import StartupError, bind_socket

    with pytest.raises(StartupError, match=said):
        bind_socket(bind)


def test_a_server_process_collects_cycles_without_waiting_for_allocations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A closed connection's objects form a cycle holding its TLS buffers; the periodic
    collection frees such a cycle even when nothing else would start the collector
    (automatic collection off, no allocations to count)."""
    import asyncio
    import gc
    import weakref

    from appliance.serving import server

    class Held:
        other: object = None

    monkeypatch.setattr(server, "CYCLES_COLLECT_S", 0.01)

    async def scenario() -> bool:
        stop = asyncio.Event()
        task = asyncio.create_task(server._collect_cycles(stop))
        await asyncio.sleep(0)  # the task has started (and frozen what came before)
        a, b = Held(), Held()
        a.other, b.other = b, a
        gone = weakref.ref(a)
        del a, b
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while gone() is not None and loop.time() < deadline:
            await asyncio.sleep(0.01)  # polling the condition, with a deadline
        stop.set()
        await task
        return gone() is None

    gc.disable()
    try:
        assert asyncio.run(scenario())
    finally:
        gc.enable()
        gc.unfreeze()


def test_the_server_runs_housekeeping_on_its_own(make_server: MakeServer) -> None:
    """With ``gc_interval`` set, the server collects by itself, again and again: a tree
    left by an organization that no longer exists is removed each time one appears."""
    from storage import LocalStore

    server: Server = make_server(gc_interval="1")
    store = server.appliance.store
    assert isinstance(store, LocalStore)
    root = store.root
    for round_ in range(2):
        ghost = root / f"org-gone-{round_}"
        (ghost / "files").mkdir(parents=True)
        (ghost / "files" / "left.bin").write_bytes(b"x")
        wait_until(
            lambda ghost=ghost: not ghost.exists(),
            f"housekeeping never removed {ghost.name} (log: {server.log_path})",
        )


@pytest.mark.long  # the 5 s keep-alive, then the bounded wait for the client's close
def test_a_client_that_never_answers_the_tls_close_holds_no_stop(make_server: MakeServer) -> None:
    """A client keeps its connection open but no longer reads (an idle pool in a busy
    process): at the keep-alive timeout the server's TLS close goes unanswered. The
    server gives up on it after a bounded wait, says so in one line, and a stop is not
    held for the 30 s of the event loop's default."""
    import select
    import socket
    import time

    server: Server = make_server()
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    conn = server.ssl_context().wrap_socket(raw, server_hostname="127.0.0.1")
    try:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert b" 200 " in conn.recv(4096)
        # The server's close_notify arrives (the socket turns readable); never read it.
        assert select.select([conn], [], [], 30)[0], "the keep-alive timeout never closed"
        started = time.monotonic()
        assert server.stop(signal.SIGTERM) == 0
        assert time.monotonic() - started < 20  # the bounded TLS close, not 30 s
    finally:
        conn.close()
    assert "Traceback" not in server.log()
    assert "a client connection ended abruptly" in server.log()
