"""Streaming an upload body to a temporary file without holding it in memory.

Measured on this class of machine (bench/upload_single.py):
handing every 64 KiB chunk to a thread costs 2.5x in throughput, and SHA-256 costs
~2.7 s per GB on one core, more than TLS leaves over. So chunks are gathered into
large batches; each batch is hashed in one worker thread and written in another,
while the event loop goes on receiving. Per upload, at most one batch is being
hashed and one written (so each stage sees the batches in order) and one is being
filled: memory is bounded by ``3 * BATCH_BYTES`` whatever the size of the upload.
Half a MiB: as fast as 1 MiB (alternating 1 GiB PUTs, 1.0x), and 16 uploads at once
in two server processes peaked 13 MB lower (147-151 against 160-164 MB, the sum of
every process's proportional set size, sampled).

The threads are shared by all uploads and live as long as the process: threads
started per upload made the process's memory grow with every upload (each new
thread can bring a new malloc arena), measured with bench/upload_multipart.py.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO

from storage.errors import InsufficientStorage

BATCH_BYTES = 512 * 1024
Hasher = Any
"""A hashlib object (its type is private to hashlib)."""

_HASH_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="hpx-hash")
_WRITE_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="hpx-write")


class StreamWriter:
    """Accumulates chunks, hashes and writes them off the event loop, fsyncs at the end."""

    def __init__(
        self,
        path: Path,
        file: BinaryIO,
        reserve: int = 0,
        *,
        hasher: Hasher | None = None,
        keep: bool = False,
    ) -> None:
        self.path = path
        self.reserve = reserve
        """Free bytes every batch must leave on the disk: a body of unknown size must not
        fill it to the last byte (then not even a delete could commit)."""
        self.size = 0
        self._file = file
        self._hash = hasher or hashlib.sha256()
        self._keep = keep
        """A resumable upload's file: bytes already written stay when it is dropped."""
        self._buffer = bytearray()
        self._hashing: asyncio.Future[None] | None = None
        self._writing: asyncio.Future[None] | None = None

    async def write(self, chunk: bytes) -> None:
        self._buffer += chunk
        self.size += len(chunk)
        if len(self._buffer) >= BATCH_BYTES:
            await self._hand_off()

    async def finish(self) -> str:
        """Write what remains, make it durable, and return the SHA-256 hex digest."""
        await self._hand_off()
        await self._wait(self._hashing)
        await self._wait(self._writing)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(_WRITE_POOL, self._sync_and_close)
        return self._hash.hexdigest()

    def discard(self) -> None:
        """Drop the temporary file; synchronous, so it also runs on cancellation."""
        # BufferedWriter.close() takes the writer's lock, so it waits for a write still
        # running in the pool; a write still queued then fails on the closed file.
        for future in (self._hashing, self._writing):
            if future is not None:
                future.add_done_callback(_consume_outcome)
        self._file.close()
        if not self._keep:
            self.path.unlink(missing_ok=True)

    @property
    def hasher(self) -> Hasher:
        """The SHA-256 of everything written, to continue in a later writer."""
        return self._hash

    async def _hand_off(self) -> None:
        if not self._buffer:
            return
        batch, self._buffer = self._buffer, bytearray()
        loop = asyncio.get_running_loop()
        await self._wait(self._hashing)
        self._hashing = loop.run_in_executor(_HASH_POOL, self._hash.update, batch)
        await self._wait(self._writing)
        self._writing = loop.run_in_executor(_WRITE_POOL, self._write_batch, batch)

    @staticmethod
    async def _wait(future: asyncio.Future[None] | None) -> None:
        if future is not None:
            await future

    def _write_batch(self, batch: bytearray) -> None:
        if self.reserve and _free_bytes(self._file.fileno()) - len(batch) < self.reserve:
            raise InsufficientStorage("the disk is full (its free-space reserve is kept)")
        try:
            self._file.write(batch)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise InsufficientStorage("the disk is full") from exc
            raise

    def _sync_and_close(self) -> None:
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise InsufficientStorage("the disk is full") from exc
            raise
        finally:
            self._file.close()


def _free_bytes(fd: int) -> int:
    """Free bytes (for an unprivileged user) on the file's filesystem, asked through the
    open file: it still answers when its directory has been removed."""
    st = os.fstatvfs(fd)
    return st.f_bavail * st.f_frsize


def _consume_outcome(future: asyncio.Future[None]) -> None:
    """Mark a discarded batch's outcome as seen, so asyncio does not log it as lost."""
    if not future.cancelled():
        future.exception()
