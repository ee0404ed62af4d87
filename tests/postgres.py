"""A throwaway PostgreSQL server for the tests that run on ``database_url``: ``initdb``
in a temporary directory, ``pg_ctl start`` on a free port of 127.0.0.1, one database
per use. Debian's ``postgresql`` package; ``./install.sh --test`` installs it.

PostgreSQL refuses to run as root: when the tests run as root, its commands run as
the ``postgres`` user the package creates, in a directory of that user's own.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from _pytest.mark.structures import ParameterSet


def bindir() -> Path | None:
    """The newest installed server's binaries (Debian keeps them per major version)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


def available() -> bool:
    return bindir() is not None and (os.geteuid() != 0 or shutil.which("runuser") is not None)


def param(value: str) -> ParameterSet:
    """A parametrization's value whose test takes the ``postgres`` fixture through
    ``request.getfixturevalue``: it carries the ``s3`` marker, which keeps the services
    the tests start beside Python (PostgreSQL, Ceph) out of the quick loop."""
    return pytest.param(value, marks=pytest.mark.s3, id=value)


@dataclass
class Postgres:
    root: Path
    port: int
    bin: Path

    def url(self, database: str) -> str:
        return f"postgresql://hpx@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        import psycopg

        name = f"hpx_{secrets.token_hex(6)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        _run(self.bin / "pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


def start() -> Postgres:
    """initdb and start a server; ``stop()`` ends it and removes its directory."""
    binaries = bindir()
    assert binaries is not None
    root = Path(tempfile.mkdtemp(prefix="hpx-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = root / "data"
    _run(binaries / "initdb", "-D", str(data), "-A", "trust", "-U", "hpx", "-E", "UTF8",
         "--no-sync", "--no-instructions")  # fmt: skip
    options = (
        f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=300"
        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )
    _run(binaries / "pg_ctl", "-D", str(data), "-o", options, "-l", str(root / "log"), "-w",
         "start")  # fmt: skip
    return Postgres(root, port, binaries)


def _run(*command: str | Path) -> None:
    args = [str(c) for c in command]
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    subprocess.run(args, check=True, capture_output=True, timeout=120)
