"""Streaming an upload body to a temporary file without holding it in memory.

Chunks are gathered into batches of ``BATCH_BYTES``. The event loop only queues each
full batch; one thread of a shared pool then hashes and writes that upload's queued
batches, in order, and the event loop goes on receiving. It waits only when
``QUEUED_BATCHES`` are still queued: memory is bounded by ``(QUEUED_BATCHES + 1) *
BATCH_BYTES`` per upload (the queued batches and the one being filled), whatever
its size.

Why this shape (the measurements: docs/performance.md, "The event loop waited for the
writer"):
- chunks are batched: handing every chunk to a thread costs more than the work it
  hands over, and half a MiB keeps 16 uploads' memory small;
- the event loop queues a batch and moves on: it never awaits a batch's hash or
  write, only a full queue;
- the kernel is asked to start writing each ``WRITEBACK_BYTES`` of the file as soon as
  they are written (a hint, ``POSIX_FADV_DONTNEED`` on pages that are still dirty:
  they stay cached), so the fsync before the answer waits for the last few MiB, and
  writes are not throttled by a flood of dirty pages.

The threads are shared by all uploads and live as long as the process: a thread per
upload can bring a malloc arena of its own each, and the process's memory would grow
with every upload. An upload holds a thread for at most ``TURN_BATCHES`` batches at a
time, then queues again behind the others: more uploads than threads all keep moving.
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import os
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO

from storage.errors import InsufficientStorage

BATCH_BYTES = 512 * 1024
QUEUED_BATCHES = 2
TURN_BATCHES = 4
WRITEBACK_BYTES = 8 * 1024 * 1024
Hasher = Any
"""A hashlib object (its type is private to hashlib)."""

_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="hpx-store")


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
        self._written = self._flushing_from = file.tell()
        """Where the file ends, and from where it has not been handed to the disk yet."""
        # What the event loop and the pool's thread share, under ``_lock``:
        self._lock = threading.Lock()
        self._queue: deque[bytearray] = deque()
        """Batches not yet written; the first one is being hashed and written."""
        self._draining = False
        """A job of this writer is in the pool (running or waiting for a thread)."""
        self._failure: BaseException | None = None
        self._closed = False
        self._waiter: asyncio.Future[None] | None = None
        self._file_lock = threading.Lock()
        """Held while a batch is written, so that ``discard`` never closes the file under it."""

    async def write(self, chunk: bytes) -> None:
        self._buffer += chunk
        self.size += len(chunk)
        if len(self._buffer) >= BATCH_BYTES:
            self._hand_off()
            await self._drained_to(QUEUED_BATCHES - 1)

    async def finish(self) -> str:
        """Write what remains, make it durable, and return the SHA-256 hex digest."""
        self._hand_off()
        await self._drained_to(0)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(_POOL, self._sync_and_close)
        return self._hash.hexdigest()

    def discard(self) -> None:
        """Drop the temporary file; synchronous, so it also runs on cancellation. A batch
        being written is finished first; those still queued are dropped."""
        with self._lock:
            self._closed = True
            self._queue.clear()
        with self._file_lock:
            self._file.close()
        if not self._keep:
            self.path.unlink(missing_ok=True)

    @property
    def hasher(self) -> Hasher:
        """The SHA-256 of everything written, to continue in a later writer."""
        return self._hash

    def _hand_off(self) -> None:
        """Queue the batch being filled, and start a job for it if none is in the pool."""
        self._raise_failure()
        if not self._buffer:
            return
        batch, self._buffer = self._buffer, bytearray()
        with self._lock:
            self._queue.append(batch)
            start, self._draining = not self._draining, True
        if start:
            _POOL.submit(self._drain)

    async def _drained_to(self, most: int) -> None:
        """Return once at most ``most`` batches are queued (or the writer has failed)."""
        loop = asyncio.get_running_loop()
        while True:
            with self._lock:
                if len(self._queue) <= most or not self._draining:
                    break
                waiter = self._waiter = loop.create_future()
            await waiter
        self._raise_failure()

    def _raise_failure(self) -> None:
        if self._failure is not None:
            raise self._failure

    def _drain(self) -> None:
        """In the pool: hash and write queued batches, in order, for one turn."""
        for _ in range(TURN_BATCHES):
            with self._lock:
                if not self._queue or self._closed:
                    self._draining = False
                    self._wake()
                    return
                batch = self._queue[0]
            try:
                self._hash.update(batch)
                self._write_batch(batch)
            except BaseException as exc:  # raised to the event loop by its next call
                with self._lock:
                    self._failure = exc
                    self._queue.clear()
                    self._draining = False
                    self._wake()
                return
            with self._lock:
                if self._closed:  # discarded meanwhile: the queue is gone
                    self._draining = False
                    return
                self._queue.popleft()
                self._wake()
        _POOL.submit(self._drain)  # behind the other uploads' jobs

    def _wake(self) -> None:
        """Under ``_lock``: let the event loop's waiting task look again."""
        waiter, self._waiter = self._waiter, None
        if waiter is not None:
            try:
                waiter.get_loop().call_soon_threadsafe(_resolve, waiter)
            except RuntimeError:  # the loop has closed: nobody waits any more
                pass

    def _write_batch(self, batch: bytearray) -> None:
        with self._file_lock:
            if self._closed:
                return
            fd = self._file.fileno()
            if self.reserve and _free_bytes(fd) - len(batch) < self.reserve:
                raise InsufficientStorage("the disk is full (its free-space reserve is kept)")
            try:
                self._file.write(batch)
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                    raise InsufficientStorage("the disk is full") from exc
                raise
            self._written += len(batch)
            if self._written - self._flushing_from >= WRITEBACK_BYTES:
                self._start_writeback(fd)

    def _start_writeback(self, fd: int) -> None:
        """Ask the kernel to start writing what was written since the last call: only a
        hint (the fsync in ``finish`` is what makes the file durable), so a filesystem
        that refuses it does not fail the upload."""
        length = self._written - self._flushing_from
        try:
            os.posix_fadvise(fd, self._flushing_from, length, os.POSIX_FADV_DONTNEED)
        except OSError:
            pass
        self._flushing_from = self._written

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


def _resolve(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)
