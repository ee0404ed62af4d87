"""Joining the parts of a multipart upload into one file, with its SHA-256.

The copy is done by the kernel (``copy_file_range``: no bytes through Python, and a
reflink where the filesystem can). The whole-file SHA-256 cannot be derived from
the parts' hashes, so the parts must be read once more; that read runs in a second
thread at the same time as the copy, so assembling costs about one ``sha256sum``
of the file (bench/upload_multipart.py measures it).
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

READ_BYTES = 4 * 1024 * 1024
COPY_BYTES = 64 * 1024 * 1024


def assemble(parts: list[Path], out_fd: int) -> str:
    """Write ``parts`` in order to the empty file ``out_fd``, fsync it, return its SHA-256."""
    digest = hashlib.sha256()
    failure: list[BaseException] = []

    def hash_parts() -> None:
        try:
            buffer = bytearray(READ_BYTES)
            view = memoryview(buffer)
            for part in parts:
                with open(part, "rb", buffering=0) as fh:
                    while n := fh.readinto(buffer):
                        digest.update(view[:n])
        except BaseException as exc:  # reported by the caller's thread
            failure.append(exc)

    hasher = threading.Thread(target=hash_parts, name="hpx-assemble-hash")
    hasher.start()
    try:
        for part in parts:
            _copy_all(part, out_fd)
        os.fsync(out_fd)
    finally:
        hasher.join()
    if failure:
        raise failure[0]
    return digest.hexdigest()


def _copy_all(part: Path, out_fd: int) -> None:
    with open(part, "rb", buffering=0) as src:
        remaining = os.fstat(src.fileno()).st_size
        while remaining > 0:
            copied = os.copy_file_range(src.fileno(), out_fd, min(remaining, COPY_BYTES))
            if copied == 0:
                raise OSError(f"part shrank while being copied ({remaining} bytes short)")
            remaining -= copied
