"""``workers = 2``: two server processes on one socket behave as one appliance.

Single use holds across processes (the database decides, not a process's memory),
``/metrics`` adds up every process's counts, a server process that dies is replaced
while the other keeps serving, and SIGTERM ends them all.
"""

from __future__ import annotations

import base64
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests import postgres as pg_cluster
from tests.helpers import presign, sha, wait_until
from tests.postgres import Postgres
from tests.processes import children
from tests.servers import MakeServer, Server, ServerWith

# One worker runs the module, so that its two-process server starts once.
pytestmark = pytest.mark.xdist_group("workers")


@pytest.fixture(scope="module")
def two(server_with: ServerWith) -> Server:
    """The worker's two-process server (test_mcp.py's too): its tests only ask it."""
    return server_with(workers="2")


def server_processes(server: Server) -> set[int]:
    """The pids of the serving processes: the children of ``hpx serve``."""
    assert server.process is not None
    return children(server.process.pid)


def test_metrics_add_up_every_process(two: Server) -> None:
    def healthz_count(text: str) -> float:
        pattern = r'hpx_http_requests_total\{handler="healthz",method="GET",status="200"\} (\S+)'
        found = re.search(pattern, text)
        return float(found[1]) if found else 0.0

    with two.client() as client:
        before = healthz_count(client.get("/metrics").text)
    for _ in range(30):  # new connections, spread over both processes
        with two.client() as client:
            assert client.get("/healthz").status_code == 200
    with two.client() as client:
        after = healthz_count(client.get("/metrics").text)
    assert after - before == 30


def test_a_dead_server_process_is_replaced_and_sigterm_ends_all(make_server: MakeServer) -> None:
    server = make_server(workers="2")
    first = server_processes(server)
    assert len(first) == 2
    victim = min(first)
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while True:  # the supervisor starts another in its place
        now = server_processes(server)
        if len(now) == 2 and victim not in now:
            break
        assert time.monotonic() < deadline, now
        time.sleep(0.05)  # the poll interval of a wait on a visible condition
    for _ in range(10):
        with server.client() as client:
            assert client.get("/healthz").status_code == 200
    children = server_processes(server)
    assert server.stop(signal.SIGTERM) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in children)
    assert "ended (signal SIGKILL); starting another" in server.log()


def test_workers_must_be_sane(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPX_")} | {"HPX_WORKERS": "0"}
    r = subprocess.run([sys.executable, "-m", "appliance", "serve", "--data-dir", str(tmp_path)],
                       capture_output=True, text=True, env=env, timeout=60)  # fmt: skip
    assert r.returncode == 2 and "workers must be between 1 and 64" in r.stderr


def test_server_processes_start_with_the_parents_objects_frozen(tmp_path: Path) -> None:
    """What the parent allocated before forking is out of the collector's reach in each
    server process, so collections there do not copy the pages they share."""
    out = tmp_path / "frozen"
    script = (
        "import gc, os, signal, sys\n"
        "from pathlib import Path\n"
        "from appliance.serving.supervisor import supervise\n"
        "def work(index):\n"
        "    Path(sys.argv[1]).write_text(str(gc.get_freeze_count()))\n"
        "    os.kill(os.getppid(), signal.SIGTERM)\n"
        "supervise(1, work)\n"
    )
    r = subprocess.run([sys.executable, "-c", script, str(out)], timeout=60, check=False)
    assert r.returncode == 0
    assert int(out.read_text()) > 1000  # every module's objects, not a handful


TUS = {"Tus-Resumable": "1.0.0"}
RETRY_WINDOW_S = 5.0
"""Issue 29's bound: every retry of an interrupted upload succeeds within it."""


def receiving_process(server: Server, org_dir: Path) -> int | None:
    """The server process with a file of ``org_dir`` open (the body it is receiving)."""
    for pid in server_processes(server):
        try:
            targets = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
        except OSError:  # ended, or a descriptor closed while being read
            continue
        if any(t.startswith(str(org_dir) + "/") for t in targets):
            return pid
    return None


def kill_mid_body(server: Server, org_dir: Path, head: str, total: int) -> None:
    """Send ``head`` and three quarters of a ``total``-byte body, then SIGKILL the
    server process receiving it, once it certainly is (it holds a file of the org)."""
    ctx = server.ssl_context()
    sock = socket.create_connection(("127.0.0.1", server.port))
    with ctx.wrap_socket(sock, server_hostname="127.0.0.1") as conn:
        conn.sendall(f"{head}Host: x\r\nContent-Length: {total}\r\n\r\n".encode())
        conn.sendall(b"h" * (total * 3 // 4))
        wait_until(
            lambda: receiving_process(server, org_dir), "no server process started receiving"
        )
        receiver = receiving_process(server, org_dir)
        assert receiver is not None
        os.kill(receiver, signal.SIGKILL)


def retry(
    server: Server, send: Callable[[httpx.Client], httpx.Response], ok: int
) -> httpx.Response:
    """``send`` on a new connection each time until it answers ``ok``, for at most
    ``RETRY_WINDOW_S``: a bounded wait for success, not a measure of speed."""
    deadline = time.monotonic() + RETRY_WINDOW_S
    while True:
        r: httpx.Response | None = None
        try:
            with server.client() as client:
                r = send(client)
        except httpx.TransportError:
            pass
        if (r is not None and r.status_code == ok) or time.monotonic() > deadline:
            assert r is not None and r.status_code == ok, r.text if r is not None else "no answer"
            return r
        time.sleep(0.05)  # the poll interval of a bounded wait


def test_every_retry_of_an_upload_whose_process_was_killed_succeeds(
    make_server: MakeServer,
) -> None:
    """Kill the server process receiving a body, three times for each kind of upload:
    its siblings (and its replacement) take the upload over at once, not after a
    restart of the whole server (issue 29, item 18)."""
    server = make_server(workers="2")
    mib = 1024 * 1024
    for round_ in range(3):
        # A single presigned PUT: the same URL again.
        org, key = server.new_org()
        org_dir = server.data_dir / "orgs" / org.id
        data = os.urandom(5 * mib)  # a multipart part's least size
        with server.client() as client:
            grant = presign(client, key, filename=f"put{round_}.bin", size=len(data))
        path = grant["upload_url"].split(server.url, 1)[1]
        kill_mid_body(server, org_dir, f"PUT {path} HTTP/1.1\r\n", len(data))
        r = retry(server, lambda c, url=grant["upload_url"], d=data: c.put(url, content=d), 201)
        assert r.json()["sha256"] == sha(data)

        # A tus PATCH: the next one, from the offset the server reports.
        with server.client() as client:
            meta = "filename " + base64.b64encode(f"tus{round_}.bin".encode()).decode()
            r = client.post("/v1/tus/", headers=TUS | {"X-API-Key": key,
                            "Upload-Length": str(len(data)), "Upload-Metadata": meta})  # fmt: skip
            assert r.status_code == 201, r.text
        location = r.headers["location"]
        tus_path = location.split(server.url, 1)[1] if location.startswith("http") else location
        kill_mid_body(server, org_dir, f"PATCH {tus_path} HTTP/1.1\r\nTus-Resumable: 1.0.0\r\n"
                      "Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n",
                      len(data))  # fmt: skip

        def patch(client: httpx.Client, url: str = tus_path, d: bytes = data) -> httpx.Response:
            head = client.head(url, headers=TUS)
            if head.status_code != 200:
                return head
            offset = int(head.headers["upload-offset"])
            headers = TUS | {"Content-Type": "application/offset+octet-stream",
                             "Upload-Offset": str(offset)}  # fmt: skip
            return client.patch(url, content=d[offset:], headers=headers)

        retry(server, patch, 204)

        # A multipart part: the same part URL again, then complete.
        with server.client() as client:
            body = {
                "filename": f"multi{round_}.bin",
                "size": len(data) + mib,
                "part_size": len(data),
            }
            r = client.post("/v1/uploads/multipart", json=body, headers={"X-API-Key": key})
            assert r.status_code == 201, r.text
        session = r.json()
        first, last = session["parts"]
        part_path = first["upload_url"].split(server.url, 1)[1]
        kill_mid_body(server, org_dir, f"PUT {part_path} HTTP/1.1\r\n", len(data))
        rest = os.urandom(mib)
        retry(server, lambda c, url=first["upload_url"], d=data: c.put(url, content=d), 200)
        with server.client() as client:
            assert client.put(last["upload_url"], content=rest).status_code == 200
        done = retry(server, lambda c, s=session["upload_id"], k=key: c.post(
            f"/v1/uploads/multipart/{s}/complete", headers={"X-API-Key": k}), 201)  # fmt: skip
        assert done.json()["sha256"] == sha(data + rest)

        names = {f["filename"]: f["sha256"] for f in files_of(server, key)}
        assert names == {f"put{round_}.bin": sha(data), f"tus{round_}.bin": sha(data),
                         f"multi{round_}.bin": sha(data + rest)}  # fmt: skip
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPX_")}
    verify = [sys.executable, "-m", "appliance", "verify", "--data-dir", str(server.data_dir)]
    r2 = subprocess.run(verify, capture_output=True, text=True, env=env, check=False)
    assert r2.returncode == 0, r2.stdout + r2.stderr


def files_of(server: Server, key: str) -> list[dict[str, object]]:
    with server.client() as client:
        r = client.get("/v1/files", headers={"X-API-Key": key})
        assert r.status_code == 200, r.text
        files: list[dict[str, object]] = r.json()["files"]
        return files


def running(pid: int) -> bool:
    """A live process (a zombie is not: it has ended, and waits to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def test_server_processes_end_with_a_killed_supervisor_and_a_new_server_starts(
    make_server: MakeServer,
) -> None:
    """SIGKILL of ``hpx serve`` alone (issue 29, item 19): its server processes must not
    serve on as orphans holding ``serve.lock``; a new ``hpx serve`` on the same data
    directory and port, started at once, waits for them and serves."""
    server = make_server(workers="2")
    orphans = server_processes(server)
    assert len(orphans) == 2
    assert server.stop(signal.SIGKILL) == -signal.SIGKILL
    server.start()  # fails (the server exits early) if it refuses the data directory
    assert server.process is not None and server.process.poll() is None
    wait_until(lambda: not any(running(pid) for pid in orphans), "the old processes still run")
    with server.client() as client:
        assert client.get("/healthz").status_code == 200
    assert len(server_processes(server)) == 2
    assert server.stop(signal.SIGTERM) == 0


@pytest.mark.parametrize("database", ["sqlite", pg_cluster.param("postgresql")])
def test_the_supervisor_gives_back_what_a_killed_process_was_receiving(
    make_server: MakeServer, database: str, request: pytest.FixtureRequest
) -> None:
    """No request needs to meet the claim: when the supervisor replaces a killed server
    process, the upload it was receiving is pending again, claimed by no one; then the
    same URL works."""
    settings = {"workers": "2"}
    if database == "postgresql":
        postgres: Postgres = request.getfixturevalue("postgres")
        settings["database_url"] = postgres.new_database()
    server = make_server(**settings)
    org, key = server.new_org()
    with server.client() as client:
        grant = presign(client, key, filename="cut.bin", size=4 * 1024 * 1024)
    path = grant["upload_url"].split(server.url, 1)[1]
    kill_mid_body(server, server.data_dir / "orgs" / org.id, f"PUT {path} HTTP/1.1\r\n", 4 << 20)

    def state() -> tuple[str, str | None]:
        row = server.appliance.db.row(
            "SELECT state, claimed_by FROM uploads WHERE id = ?", (grant["upload_id"],)
        )
        assert row is not None
        return row["state"], row["claimed_by"]

    wait_until(lambda: state() == ("pending", None), "the upload stayed claimed")
    data = os.urandom(4 << 20)
    r = retry(server, lambda c: c.put(grant["upload_url"], content=data), 201)
    assert r.json()["sha256"] == sha(data)
