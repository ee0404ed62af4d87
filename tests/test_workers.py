"""``workers = 2``: two server processes on one socket behave as one appliance.

Single use holds across processes (the database decides, not a process's memory),
``/metrics`` adds up every process's counts, a server process that dies is replaced
while the other keeps serving, and SIGTERM ends them all.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import presign
from tests.processes import children
from tests.servers import MakeServer, Server

# One worker runs the module, so that its two-process server starts once.
pytestmark = pytest.mark.xdist_group("workers")


@pytest.fixture(scope="module")
def two(make_server: MakeServer) -> Server:
    return make_server(workers="2")


def server_processes(server: Server) -> set[int]:
    """The pids of the serving processes: the children of ``hpx serve``."""
    assert server.process is not None
    return children(server.process.pid)


def test_twenty_puts_over_separate_connections_one_wins(two: Server) -> None:
    org, key = two.new_org()
    with two.client() as client:
        grant = presign(client, key, filename="once.bin")
    body = os.urandom(1024 * 1024)

    async def race() -> list[int]:
        async def one() -> int:  # a connection each: the kernel spreads them over both
            async with two.async_client() as ac:
                return (await ac.put(grant["upload_url"], content=body)).status_code

        return list(await asyncio.gather(*(one() for _ in range(20))))

    codes = asyncio.run(race())
    assert codes.count(201) == 1, codes
    assert set(codes) <= {201, 409, 410}, codes
    stored = list((two.data_dir / "orgs" / org.id / "files").iterdir())
    assert [p.read_bytes() == body for p in stored] == [True]
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPX_")}
    r = subprocess.run([sys.executable, "-m", "appliance", "verify", "--data-dir",
                        str(two.data_dir)], capture_output=True, text=True, env=env)  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr


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
        "from appliance.supervisor import supervise\n"
        "def work(index):\n"
        "    Path(sys.argv[1]).write_text(str(gc.get_freeze_count()))\n"
        "    os.kill(os.getppid(), signal.SIGTERM)\n"
        "supervise(1, work)\n"
    )
    r = subprocess.run([sys.executable, "-c", script, str(out)], timeout=60, check=False)
    assert r.returncode == 0
    assert int(out.read_text()) > 1000  # every module's objects, not a handful
