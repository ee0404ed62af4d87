"""Which processes on this host are alive, by name: a locked file per process.

Claims (appliance/uploads/claims.py) record the process that made them. With SQLite, every
server process of one ``hpx serve`` (``workers`` > 1) shares the data directory, so a
claim must name the process itself, and the others must be able to tell whether that
process still runs, even after a SIGKILL and while the supervisor has not yet noticed.

Each process that makes claims holds an exclusive ``flock`` on a file of its own in a
directory beside the database, for as long as it lives. The kernel drops the lock when
the process ends, however it ends: whoever can take the lock knows the holder is gone
(what PostgreSQL's session advisory locks do across nodes, appliance/db/postgres.py).
A pid alone would not do: pids are reused.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from pathlib import Path

PENDING = ".pending-"
"""A file being locked, not yet under its name: never read as a holder's."""


def hold(directory: Path, name: str) -> int:
    """Lock a file for ``name`` and keep it locked as long as the returned descriptor
    stays open (the process's life). The file gets its name only once locked, so that
    no one ever finds it unlocked while its holder lives."""
    directory.mkdir(mode=0o700, exist_ok=True)
    while True:
        pending = directory / f"{PENDING}{_file(name)}"
        fd = os.open(pending, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            os.rename(pending, directory / _file(name))
        except FileNotFoundError:  # swept away between its creation and its lock
            os.close(fd)
            continue
        os.write(fd, f"{name}\n".encode())  # for an operator who looks: pid and host
        return fd


def alive(directory: Path, name: str) -> bool:
    """Does a running process hold ``name``? (No file: it ended, or predates the file.)"""
    try:
        fd = os.open(directory / _file(name), os.O_RDONLY | os.O_CLOEXEC)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # drops the shared lock if taken
    return False


def sweep(directory: Path) -> int:
    """Remove the files of processes that are gone (their claims read as dead without
    them just as well); how many."""
    removed = 0
    try:
        entries = list(directory.iterdir())
    except FileNotFoundError:
        return 0
    for path in entries:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            path.unlink(missing_ok=True)
            removed += 1
        except BlockingIOError:
            pass
        finally:
            os.close(fd)
    return removed


def _file(name: str) -> str:
    """A file name for any holder's name (a host name is not ours to trust in a path)."""
    return hashlib.sha256(name.encode()).hexdigest()[:32]
