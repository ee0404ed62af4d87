"""Schemathesis against a live server, from its own /openapi.json: with a valid key and
without one, no 5xx, no answer outside the description, no traceback in the log."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import presign
from tests.servers import MakeServer, Server

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(
    shutil.which("schemathesis") is None
    and not (Path(__file__).resolve().parent.parent / ".venv" / "bin" / "schemathesis").exists(),
    reason="schemathesis is a test dependency (./install.sh --test installs it)",
)

CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"


def schemathesis(
    server: Server, ca: Path, *headers: str, examples: int, log: Path
) -> subprocess.Popen[bytes]:
    """Start a run against the server; its report goes to ``log``."""
    exe = shutil.which("schemathesis") or str(
        Path(__file__).resolve().parent.parent / ".venv" / "bin" / "schemathesis"
    )
    args = [exe, "run", f"{server.url}/openapi.json", "--tls-verify", str(ca),
            "-n", str(examples), "--checks", CHECKS, "--seed", "20261129"]  # fmt: skip
    for header in headers:
        args += ["-H", header]
    env = os.environ | {"SCHEMATHESIS_HOOKS": "tests.schemathesis_hooks", "PYTHONPATH": str(ROOT)}
    with open(log, "wb") as out:
        return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)


@pytest.mark.long
def test_the_api_keeps_to_its_description(make_server: MakeServer, tmp_path: Path) -> None:
    server: Server = make_server()
    ca = tmp_path / "ca.pem"
    server.ca.cert_pem.write_to_path(str(ca))
    _org, key = server.new_org()
    with server.client() as client:  # something to list, download and ask about
        grant = presign(client, key, filename="admissions.csv")
        data = Path(__file__).parent / "data" / "analytics" / "admissions.csv"
        assert client.put(grant["upload_url"], content=data.read_bytes()).status_code == 201
    # With a key and without one at once: they share only the server (whose limit on
    # failed keys the test servers raise), and one after the other took 32 s.
    logs = [tmp_path / "with-key.log", tmp_path / "without.log"]
    runs = [schemathesis(server, ca, f"X-API-Key: {key}", examples=25, log=logs[0]),
            schemathesis(server, ca, examples=10, log=logs[1])]  # fmt: skip
    try:
        for log, run in zip(logs, runs, strict=True):
            assert run.wait(timeout=600) == 0, log.read_text()[-6000:]
    finally:
        for run in runs:
            run.kill()  # nothing, once it has ended
            run.wait()
    assert "Traceback" not in server.log()
