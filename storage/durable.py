"""Durability and integrity, once: fsync a file or a directory, write a small private
file durably, and hash a whole file.

A rename or a new link is durable only once its directory is fsynced, and a file's
bytes only once the file is; every writer of patient data or secrets goes through
these helpers rather than its own copy of them.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def fsync_path(path: Path) -> None:
    """Flush a file's bytes, or a directory's entries, to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_private(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Write ``data`` to ``path`` (mode 0600) and fsync it; ``exclusive`` refuses to
    replace a file that exists."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    fd = os.open(path, flags, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def sha256_file(path: Path) -> str:
    """The file's SHA-256 (hex), read by the standard library in large blocks."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
