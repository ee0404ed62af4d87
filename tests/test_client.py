"""``hpx upload``, the partner-side client: parallel parts, and resuming after a crash."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from appliance.uploads import multipart
from tests.servers import Server

MIB = 1024 * 1024


def write_random(path: Path, size: int) -> str:
    data = os.urandom(size)
    path.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def hpx_upload(server: Server, key: str, path: Path, ca: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "appliance",
        "upload",
        str(path),
        "--url",
        server.url,
        "--cacert",
        str(ca),
        "--part-size",
        str(5 * MIB),
        "--json",
        *extra,
    ]


def run_upload(server: Server, key: str, path: Path, ca: Path, *extra: str):
    return subprocess.run(
        hpx_upload(server, key, path, ca, *extra),
        env=client_env(key),
        capture_output=True,
        text=True,
        timeout=120,
    )


def client_env(key: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPX_")}
    return env | {"HPX_API_KEY": key}


def test_upload_in_parallel_parts(server: Server, tmp_path: Path) -> None:
    org, key = server.new_org()
    ca = tmp_path / "ca.pem"
    server.ca.cert_pem.write_to_path(str(ca))
    src = tmp_path / "extract.csv"
    digest = write_random(src, 12 * MIB + 123)
    r = run_upload(server, key, src, ca, "--parallel", "3")
    assert r.returncode == 0, r.stderr
    file = json.loads(r.stdout)
    assert (file["sha256"], file["size"], file["filename"]) == (
        digest,
        12 * MIB + 123,
        "extract.csv",
    )
    assert (
        server.data_dir / "orgs" / org.id / "files" / "extract.csv"
    ).read_bytes() == src.read_bytes()
    assert not (tmp_path / "extract.csv.hpx-upload.json").exists()


def test_client_killed_midway_resumes_the_same_session(server: Server, tmp_path: Path) -> None:
    org, key = server.new_org()
    ca = tmp_path / "ca.pem"
    server.ca.cert_pem.write_to_path(str(ca))
    src = tmp_path / "imaging.bin"
    digest = write_random(src, 100 * MIB)
    state = tmp_path / "imaging.bin.hpx-upload.json"

    first = subprocess.Popen(
        hpx_upload(server, key, src, ca, "--parallel", "1"),
        env=client_env(key),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    received: list = []
    while not received:  # wait until the server holds at least one part, then crash
        assert first.poll() is None, "the client finished before it could be interrupted"
        assert time.monotonic() < deadline
        if state.exists() and state.read_text():
            upload_id = json.loads(state.read_text())["upload_id"]
            received = multipart.parts_received(server.appliance.db, upload_id)
        time.sleep(0.01)  # the poll interval of a wait on a visible condition
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    assert state.exists()

    r = run_upload(server, key, src, ca)
    assert r.returncode == 0, r.stderr
    file = json.loads(r.stdout)
    assert file["sha256"] == digest and file["upload_id"] == upload_id
    assert re.search(r"resuming: \d+ of \d+ parts already sent", r.stderr), r.stderr
    lines = [line for line in r.stderr.splitlines() if "MB/s" in line]
    assert lines and all("/104.9 MB" in line and "ETA" in line for line in lines)  # not a tty
    sessions = server.appliance.db.rows("SELECT id FROM uploads WHERE org_id = ?", (org.id,))
    assert [s["id"] for s in sessions] == [upload_id]  # resumed, not started over
    assert not state.exists()


def test_refusal_is_a_clear_error(server: Server, tmp_path: Path) -> None:
    src = tmp_path / "a.bin"
    write_random(src, 10)
    ca = tmp_path / "ca.pem"
    server.ca.cert_pem.write_to_path(str(ca))
    r = subprocess.run(
        hpx_upload(server, "hpk_bad_key", src, ca),
        env=client_env("hpk_bad_key"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 1
    assert "401" in r.stderr and "Traceback" not in r.stderr


def test_a_download_killed_midway_goes_on_from_where_it_stopped(
    server: Server, tmp_path: Path
) -> None:
    _org, key = server.new_org()
    ca = tmp_path / "ca.pem"
    server.ca.cert_pem.write_to_path(str(ca))
    src = tmp_path / "scan.bin"
    digest = write_random(src, 128 * MIB)
    sent = run_upload(server, key, src, ca)
    assert sent.returncode == 0, sent.stderr
    file_id = json.loads(sent.stdout)["file_id"]
    target = tmp_path / "copy.bin"
    partial = tmp_path / "copy.bin.hpx-download"
    download = [sys.executable, "-m", "appliance", "download", file_id, "-o", str(target),
                "--url", server.url, "--cacert", str(ca), "--json"]  # fmt: skip

    first = subprocess.Popen(download, env=client_env(key), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)  # fmt: skip
    deadline = time.monotonic() + 60
    while not (partial.exists() and partial.stat().st_size > MIB):  # some bytes, then crash
        assert first.poll() is None, "the download finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.01)  # the poll interval of a wait on a visible condition
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    kept = partial.stat().st_size
    assert 0 < kept < 128 * MIB and not target.exists()

    r = subprocess.run(download, env=client_env(key), capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    resumed_at = int(re.search(r"resuming at (\d+) of (\d+) bytes", r.stderr)[1])  # type: ignore[index]
    assert resumed_at == kept  # what the killed run had written is not fetched again
    assert hashlib.sha256(target.read_bytes()).hexdigest() == digest
    assert json.loads(r.stdout)["sha256"] == digest and not partial.exists()
