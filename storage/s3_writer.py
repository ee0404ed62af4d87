"""Streaming an upload body into the object store without holding it in memory.

Chunks are gathered into parts (8 MiB, the object store's multipart parts); each part
is hashed in one thread and sent in another while the event loop goes on receiving:
two round trips through the event loop per part, 256 per GiB (the local writer's
4,096 for its 512 KiB batches were what made it queue them instead:
storage/writer.py). Per upload at most one part is being sent and one filled: memory
is bounded by two parts whatever the size. A body smaller than one part is sent with
one PUT when it finishes.

The object only appears under its key when the multipart upload is completed in
:meth:`S3Writer.finish`; a writer dropped before that aborts it, and housekeeping
aborts what a crashed process left (``S3Store.remove_stale_temp_files``).
"""

from __future__ import annotations

import asyncio
import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from storage.s3_client import S3

PART_BYTES = 8 * 1024 * 1024
PARTS_PER_STEP = 2000
"""Every this many parts the part size doubles, so that a body of unknown length can
reach ~500 GiB within the object store's 10,000 parts (and smaller bodies keep
small parts, so small memory)."""

POOL = ThreadPoolExecutor(max_workers=32, thread_name_prefix="hpx-s3")
"""Threads for the object store's requests (and part hashing), shared by all uploads
and as many as the client's connection pool."""


def part_bytes(number: int) -> int:
    return PART_BYTES << ((number - 1) // PARTS_PER_STEP)


@dataclass
class S3Staged:
    """A complete object under a temporary key, not yet published."""

    s3: S3
    key: str
    size: int
    sha256: str = ""
    keep: bool = False
    """The object belongs to someone else (a resumable upload's bytes): never dropped."""

    def discard(self) -> None:
        """Drop the object, in the background: it must not wait on the network where
        it runs (often on cancellation); housekeeping removes what it cannot."""
        if not self.keep:
            POOL.submit(_quietly, self.s3.delete, [self.key])


class S3Writer:
    """Receives one body into the object at ``key``; see the module docstring."""

    def __init__(self, s3: S3, key: str, *, hasher: Any | None = None) -> None:
        self.s3 = s3
        self.key = key
        self.size = 0
        self.sha256 = ""
        self.keep = False
        self._hash = hasher or hashlib.sha256()
        self._buffer = bytearray()
        self._upload_id: str | None = None
        self._parts: list[dict[str, Any]] = []
        self._hashing: asyncio.Future[None] | None = None
        self._sending: asyncio.Future[None] | None = None
        self._finished = False

    async def write(self, chunk: bytes) -> None:
        self._buffer += chunk
        self.size += len(chunk)
        if len(self._buffer) >= part_bytes(len(self._parts) + 1):
            await self._hand_off()

    async def finish(self) -> str:
        """Send what remains and complete the object; returns the SHA-256 (hex)."""
        loop = asyncio.get_running_loop()
        if self._upload_id is None and not self._parts:
            body = bytes(self._buffer)
            self._buffer = bytearray()
            await loop.run_in_executor(POOL, self._hash.update, body)
            await loop.run_in_executor(POOL, self.s3.put, self.key, body)
        else:
            if self._buffer:
                await self._hand_off()
            await _wait(self._hashing)
            await _wait(self._sending)
            assert self._upload_id is not None
            parts = sorted(self._parts, key=lambda p: int(p["PartNumber"]))
            await loop.run_in_executor(POOL, self.s3.complete, self.key, self._upload_id, parts)
        self._finished = True
        self.sha256 = self._hash.hexdigest()
        return self.sha256

    def staged(self) -> S3Staged:
        return S3Staged(self.s3, self.key, self.size, self.sha256)

    def discard(self) -> None:
        """Abort an unfinished body, or drop a finished one, in the background."""
        for future in (self._hashing, self._sending):
            if future is not None:
                future.add_done_callback(_consume_outcome)
        if self._finished:
            self.staged().discard()
        elif self._upload_id is not None:
            POOL.submit(_quietly, self.s3.abort, self.key, self._upload_id)

    @property
    def hasher(self) -> Any:
        return self._hash

    async def _hand_off(self) -> None:
        batch, self._buffer = self._buffer, bytearray()
        loop = asyncio.get_running_loop()
        number = len(self._parts) + 1
        await _wait(self._hashing)
        self._hashing = loop.run_in_executor(POOL, self._hash.update, batch)
        await _wait(self._sending)
        if self._upload_id is None:
            answer = await loop.run_in_executor(
                POOL, lambda: self.s3.call("create_multipart_upload", Key=self.key)
            )
            self._upload_id = str(answer["UploadId"])
        self._parts.append({"PartNumber": number, "ETag": ""})
        self._sending = loop.run_in_executor(POOL, self._send, batch, number)

    def _send(self, batch: bytearray, number: int) -> None:
        answer = self.s3.call(
            "upload_part", Key=self.key, UploadId=self._upload_id, PartNumber=number, Body=batch
        )
        self._parts[number - 1]["ETag"] = answer["ETag"]


async def _wait(future: asyncio.Future[None] | None) -> None:
    if future is not None:
        await future


def _quietly(function: Any, *args: Any) -> None:
    try:
        function(*args)
    except Exception:  # noqa: S110 - best effort; housekeeping removes leftovers
        pass


def _consume_outcome(future: asyncio.Future[None]) -> None:
    if not future.cancelled():
        future.exception()
