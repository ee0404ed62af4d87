"""The partner-side client installs alone: ``pip install`` of the project without
extras brings httpx and nothing of the server, and ``hpx`` and
``appliance.partner.client.Client`` then do a partner's whole day against a real server."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import Server, ServerWith

ROOT = Path(__file__).resolve().parent.parent
SERVER_ONLY = ("starlette", "hypercorn", "sqlite_utils", "duckdb", "numpy", "textual", "argon2")

pytestmark = [pytest.mark.install, pytest.mark.xdist_group("client-alone")]


@pytest.fixture(scope="module")
def client_venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh venv with the project installed without extras, built from a copy of
    the sources (as install.sh does, so that no build/ directory is shared)."""
    base = tmp_path_factory.mktemp("client-alone")
    src = base / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("appliance", "storage", "admin_tui"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    venv = base / "venv"
    # Without a pip of its own: the test environment's pip (a test dependency) installs
    # into it (``--python``), as a partner's pip would.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin/python"), "install",
         "--quiet", "--disable-pip-version-check", str(src)],
        check=True, timeout=600,
    )  # fmt: skip
    yield venv


def run(venv: Path, *args: str, env: dict[str, str] | None = None,
        input: str | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    return subprocess.run(
        [str(venv / "bin" / args[0]), *args[1:]],
        capture_output=True, text=True, timeout=120, input=input,
        env={"PATH": os.environ["PATH"], "HOME": str(venv), **(env or {})},
    )  # fmt: skip


def test_nothing_of_the_server_is_installed(client_venv: Path) -> None:
    probe = "import importlib.util as u, sys; print([m for m in sys.argv[1:] if u.find_spec(m)])"
    r = run(client_venv, "python", "-c", probe, *SERVER_ONLY)
    assert r.stdout.strip() == "[]", r.stdout + r.stderr
    assert run(client_venv, "hpx", "--version").stdout.startswith("hpx ")
    r = run(client_venv, "hpx", "serve")
    assert r.returncode == 2
    assert "this is the partner client" in r.stderr and "[server]" in r.stderr


def test_a_partners_day_with_the_client_alone(
    client_venv: Path, server_with: ServerWith, tmp_path: Path
) -> None:
    server: Server = server_with()  # the worker's server: an organization of its own
    _org, key = server.new_org()
    ca = tmp_path / "ca.pem"
    server.ca.cert_pem.write_to_path(str(ca))
    data = os.urandom(3 * 1024 * 1024 + 7)
    (tmp_path / "extract.csv").write_bytes(data)
    env = {"HPX_API_KEY": key, "HPX_CA_FILE": str(ca)}

    r = run(client_venv, "hpx", "upload", str(tmp_path / "extract.csv"), "--url", server.url,
            "--json", env=env)  # fmt: skip
    assert r.returncode == 0, r.stderr
    uploaded = json.loads(r.stdout)
    assert uploaded["sha256"] == hashlib.sha256(data).hexdigest()
    r = run(client_venv, "hpx", "files", "--url", server.url, "--json", env=env)
    assert [f["file_id"] for f in json.loads(r.stdout)] == [uploaded["file_id"]]

    program = f"""
import hashlib, json, pathlib
from appliance.partner.client import Client
with Client({server.url!r}, api_key={key!r}, cacert={str(ca)!r}) as hpx:
    path = pathlib.Path({str(tmp_path)!r}) / "more.txt"
    path.write_bytes(b"a second file\\n")
    sent = hpx.upload(path)
    got = hpx.download(sent["file_id"], pathlib.Path({str(tmp_path)!r}) / "back.txt")
    link = hpx.drop_link(label="for a person", max_files=3)
    hpx.delete(sent["file_id"])
    print(json.dumps({{"sent": sent["sha256"], "back": hashlib.sha256(
        pathlib.Path(got["saved_as"]).read_bytes()).hexdigest(), "link": link,
        "left": [f["file_id"] for f in hpx.files()]}}))
"""
    r = run(client_venv, "python", "-c", program)
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    expected = hashlib.sha256(b"a second file\n").hexdigest()
    assert result["sent"] == result["back"] == expected
    assert result["link"]["url"].startswith(server.url + "/v1/drop/")
    assert result["link"]["max_files"] == 3
    assert result["left"] == [uploaded["file_id"]]
