"""The operator's first day: commands that refuse to guess, errors that say what to do,
and `./install.sh --dev` run twice in a fresh clone."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from appliance.accounts import orgs
from appliance.config import load_settings
from appliance.context import open_appliance
from tests.cli_runner import Result, hermetic_env, run_hpx
from tests.servers import Server, free_port

ROOT = Path(__file__).resolve().parent.parent


def env_without_hpx() -> dict[str, str]:
    return hermetic_env()


def hpx(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
    """``hpx`` in this process; ``env``'s ``HPX_*`` entries are its only settings."""
    settings = {k: v for k, v in (env or {}).items() if k.startswith("HPX_")}
    return run_hpx(*args, cwd=cwd, env=settings)


def test_a_missing_data_directory_is_named_and_never_created(tmp_path: Path) -> None:
    missing = tmp_path / "nonexistent" / "dir"
    r = hpx("org", "list", "--data-dir", str(missing))
    assert r.returncode == 1
    assert str(missing) in r.stderr and "HPX_DATA_DIR" in r.stderr and "hpx init" in r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert not (tmp_path / "nonexistent").exists()
    # Run anywhere without HPX_DATA_DIR: no ./var appears.
    r = hpx("key", "list", cwd=tmp_path)
    assert r.returncode == 1 and not (tmp_path / "var").exists()


@pytest.mark.e2e  # a real process: hpx serve, or a pipe
def test_a_closed_pipe_is_not_an_error(tmp_path: Path) -> None:
    appliance = open_appliance(load_settings(data_dir=tmp_path))
    for i in range(1500):  # more output than a pipe holds
        orgs.create_org(appliance.db, f"clinic number {i:04d} with a longish name")
    r = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"{sys.executable} -m appliance org list | head -1"],
        capture_output=True,
        text=True,
        env=env_without_hpx() | {"HPX_DATA_DIR": str(tmp_path)},
        timeout=60,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("ID") and "Traceback" not in r.stderr and r.stderr == ""


def test_groups_show_their_usage_and_hpx_has_a_version() -> None:
    r = hpx("org")
    assert r.returncode == 2 and "usage: hpx org" in r.stdout and "suspend" in r.stdout
    r = hpx("--version")
    assert r.returncode == 0 and re.fullmatch(r"hpx \d+\.\d+\.\d+\n", r.stdout)
    r = hpx("key", "issue", "--help")
    text = " ".join(r.stdout.split())
    for option, said in (
        ("--name", "what the key is for"),
        ("--scopes", "from: upload, query"),
        ("--expires-in-days N", "stops working after N days"),
    ):
        assert option in text and said in text, (option, r.stdout)


def test_quota_takes_the_consoles_sizes(tmp_path: Path) -> None:
    assert hpx("init", "--data-dir", str(tmp_path)).returncode == 0
    assert hpx("org", "create", "acme", "--data-dir", str(tmp_path)).returncode == 0
    r = hpx("org", "quota", "acme", "500G", "--data-dir", str(tmp_path), "--json")
    assert r.returncode == 0, r.stderr
    assert '"quota_bytes": 536870912000' in r.stdout
    r = hpx("org", "quota", "acme", "lots", "--data-dir", str(tmp_path))
    assert r.returncode == 1 and "500G" in r.stderr


def serve(data_dir: Path, port: int, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """An ``hpx serve`` expected to refuse to start: it must exit by itself."""
    return subprocess.run(
        [sys.executable, "-m", "appliance", "serve", "--data-dir", str(data_dir),
         "--bind", f"127.0.0.1:{port}"],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip


def test_one_server_per_data_directory(server: Server) -> None:
    r = serve(server.data_dir, free_port(), server.env)
    assert r.returncode == 1
    assert f"another hpx serve (pid {server.process.pid})" in r.stderr  # type: ignore[union-attr]


@pytest.mark.e2e  # a real process: hpx serve, or a pipe
def test_a_port_in_use_suggests_bind(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = serve(tmp_path, port, env_without_hpx())
    assert r.returncode == 1 and "--bind" in r.stderr and "in use" in r.stderr


@pytest.mark.e2e  # a real process: hpx serve, or a pipe
def test_a_missing_certificate_is_named(tmp_path: Path) -> None:
    env = env_without_hpx() | {
        "HPX_TLS_CERT": str(tmp_path / "nowhere" / "cert.pem"),
        "HPX_TLS_KEY": str(tmp_path / "nowhere" / "key.pem"),
    }
    r = serve(tmp_path, free_port(), env)
    assert r.returncode == 1
    assert str(tmp_path / "nowhere" / "cert.pem") in r.stderr and "HPX_TLS_CERT" in r.stderr


def test_an_untrusted_server_suggests_cacert(server: Server, tmp_path: Path) -> None:
    _org, key = server.new_org()
    payload = tmp_path / "x.csv"
    payload.write_text("a\n1\n")
    env = env_without_hpx() | {"HPX_API_KEY": key}
    r = hpx("upload", str(payload), "--url", server.url, env=env)
    assert r.returncode == 1 and "--cacert" in r.stderr and "HPX_CA_FILE" in r.stderr


def test_the_root_path_points_to_the_api(client: httpx.Client) -> None:
    r = client.get("/")
    assert r.status_code == 200 and r.json()["openapi"] == "/openapi.json"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.long
@pytest.mark.install
def test_dev_install_runs_twice_with_a_working_key(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, timeout=120)
    for changed in subprocess.run(
        ["git", "ls-files", "-m", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split():  # the working tree as it is now, not only what was committed
        (clone / changed).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / changed, clone / changed)
    keys = []
    for _run in range(2):
        port = free_port()
        env = env_without_hpx() | {"HPX_BIND": f"127.0.0.1:{port}"}
        proc = subprocess.Popen(
            ["./install.sh", "--dev"], cwd=clone, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True,
        )  # fmt: skip
        assert proc.stdout is not None
        output = []
        try:
            for line in proc.stdout:  # bounded: the server prints "Serving" or the run ends
                output.append(line)
                if line.startswith("Serving https://"):
                    break
            text = "".join(output)
            assert "Serving https://" in text, text
            assert "Traceback" not in text and "already exists" not in text
            if _run == 1:  # nothing changed since the first run: nothing is installed again
                assert ".venv has the appliance[server] already" in text, text
            key = re.search(r"export HPX_API_KEY=(\S+)", text)
            assert key, text
            keys.append(key.group(1))
            ctx = ssl.create_default_context(cafile=str(clone / "var" / "tls" / "cert.pem"))
            r = httpx.post(
                f"https://127.0.0.1:{port}/v1/uploads",
                json={"filename": "x.csv"},
                headers={"X-API-Key": key.group(1)},
                verify=ctx,
            )
            assert r.status_code == 201, r.text
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
    assert keys[0] == keys[1]  # reused, not a new never-expiring key per run
