"""Streaming an upload body to a temporary file without holding it in memory.

Measured on this class of machine (see PERFORMANCE.md and bench/upload_single.py):
handing every 64 KiB chunk to a thread costs 2.5x in throughput, and SHA-256 costs
~2.7 s per GB on one core, more than TLS leaves over. So chunks are gathered into
large batches; each batch is hashed by one worker thread and written by another,
while the event loop goes on receiving. Each of the two threads handles the batches
of one upload in order. At most ``PIPELINE_DEPTH`` batches are in flight plus the one
being filled, so memory is bounded whatever the size of the upload.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import os
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

from storage.errors import InsufficientStorage

BATCH_BYTES = 4 * 1024 * 1024
PIPELINE_DEPTH = 2


class StreamWriter:
    """Accumulates chunks, hashes and writes them off the event loop, fsyncs at the end."""

    def __init__(self, path: Path, file: BinaryIO) -> None:
        self.path = path
        self.size = 0
        self._file = file
        self._hash = hashlib.sha256()
        self._buffer = bytearray()
        self._in_flight: deque[asyncio.Future[None]] = deque()
        # One thread each, so that batches are hashed and written in arrival order.
        self._hasher = ThreadPoolExecutor(1, thread_name_prefix="hpx-hash")
        self._io = ThreadPoolExecutor(1, thread_name_prefix="hpx-write")

    async def write(self, chunk: bytes) -> None:
        self._buffer += chunk
        self.size += len(chunk)
        if len(self._buffer) >= BATCH_BYTES:
            await self._hand_off()

    async def finish(self) -> str:
        """Write what remains, make it durable, and return the SHA-256 hex digest."""
        await self._hand_off()
        await self._drain()
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._io, self._sync_and_close)
        self._shutdown_threads()
        return self._hash.hexdigest()

    def discard(self) -> None:
        """Drop the temporary file; synchronous, so it also runs on cancellation."""
        # Waiting for the threads first means no write can land after the unlink.
        self._shutdown_threads(wait=True)
        self._file.close()
        self.path.unlink(missing_ok=True)

    async def _hand_off(self) -> None:
        if not self._buffer:
            return
        while len(self._in_flight) >= PIPELINE_DEPTH * 2:
            await self._in_flight.popleft()
        batch, self._buffer = self._buffer, bytearray()
        loop = asyncio.get_running_loop()
        self._in_flight.append(loop.run_in_executor(self._hasher, self._hash.update, batch))
        self._in_flight.append(loop.run_in_executor(self._io, self._write_batch, batch))

    async def _drain(self) -> None:
        while self._in_flight:
            await self._in_flight.popleft()

    def _write_batch(self, batch: bytearray) -> None:
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

    def _shutdown_threads(self, wait: bool = False) -> None:
        self._hasher.shutdown(wait=wait, cancel_futures=True)
        self._io.shutdown(wait=wait, cancel_futures=True)
