"""storage/writer.py on its own: the event loop queues batches, a shared pool hashes
and writes them. What must hold whatever the timing: bytes on disk in order with an
exact SHA-256, more uploads than threads all finishing, at most ``QUEUED_BATCHES``
batches held while the disk is slow, and a failure or a discard never hanging."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import random
import threading
from pathlib import Path

import pytest

from storage import InsufficientStorage, StreamWriter
from storage.writer import BATCH_BYTES, QUEUED_BATCHES

DEADLINE_S = 60.0
"""A guard against a hang, far above what any case here takes."""


class SlowDisk:
    """A real file whose writes wait until the test opens the gate."""

    def __init__(self, path: Path) -> None:
        self._file = open(path, "wb")
        self.gate = threading.Event()
        self.entered = threading.Event()

    def write(self, data: bytes) -> int:
        self.entered.set()
        self.gate.wait(DEADLINE_S)
        return self._file.write(data)

    def __getattr__(self, name: str) -> object:
        return getattr(self._file, name)


def chunks_of(data: bytes, rng: random.Random) -> list[bytes]:
    """``data`` cut at random points, from a byte to a little over half a batch."""
    out, at = [], 0
    while at < len(data):
        step = rng.randint(1, 300 * 1024)
        out.append(data[at : at + step])
        at += step
    return out


def test_more_uploads_than_threads_all_land_in_order(tmp_path: Path) -> None:
    """Twenty writers at once against a pool of eight threads: each file holds exactly
    its bytes, and each digest is hashlib's over them."""
    rng = random.Random(7)
    bodies = [os.urandom(rng.randint(1, 3 * 1024 * 1024)) for _ in range(20)]

    async def one(n: int, body: bytes) -> str:
        path = tmp_path / f"{n}.part"
        writer = StreamWriter(path, open(path, "wb"))
        for chunk in chunks_of(body, random.Random(n)):
            await writer.write(chunk)
        return await writer.finish()

    async def every() -> list[str]:
        return await asyncio.gather(*(one(n, body) for n, body in enumerate(bodies)))

    digests = asyncio.run(asyncio.wait_for(every(), DEADLINE_S))
    for n, body in enumerate(bodies):
        assert (tmp_path / f"{n}.part").read_bytes() == body
        assert digests[n] == hashlib.sha256(body).hexdigest()


def test_a_slow_disk_holds_the_sender_at_the_queue_limit(tmp_path: Path) -> None:
    """While the disk does not take a write, the writer accepts ``QUEUED_BATCHES``
    batches and then makes its caller wait: memory stays bounded however fast the
    body arrives. Once the disk moves, the rest follows in order."""
    disk = SlowDisk(tmp_path / "slow.part")
    writer = StreamWriter(tmp_path / "slow.part", disk)  # type: ignore[arg-type]
    body = os.urandom(10 * BATCH_BYTES)

    async def run() -> str:
        feeding = asyncio.create_task(feed())
        await asyncio.to_thread(disk.entered.wait, DEADLINE_S)
        for _ in range(200):  # every ready callback runs; none needs time to pass
            await asyncio.sleep(0)
        held = writer.size
        disk.gate.set()
        await feeding
        assert held == QUEUED_BATCHES * BATCH_BYTES
        return await writer.finish()

    async def feed() -> None:
        for at in range(0, len(body), BATCH_BYTES):
            await writer.write(body[at : at + BATCH_BYTES])

    digest = asyncio.run(asyncio.wait_for(run(), DEADLINE_S))
    assert (tmp_path / "slow.part").read_bytes() == body
    assert digest == hashlib.sha256(body).hexdigest()


def test_a_failed_write_reaches_the_caller(tmp_path: Path) -> None:
    """A batch that would eat the disk's reserve fails in the pool's thread; the
    upload hears it (as InsufficientStorage) instead of waiting forever."""
    path = tmp_path / "full.part"
    writer = StreamWriter(path, open(path, "wb"), reserve=10**18)

    async def run() -> None:
        for _ in range(4 * QUEUED_BATCHES):
            await writer.write(bytes(BATCH_BYTES))
        await writer.finish()

    with pytest.raises(InsufficientStorage):
        asyncio.run(asyncio.wait_for(run(), DEADLINE_S))
    writer.discard()
    assert not path.exists()


def test_discard_with_batches_queued_drops_them_and_the_file(tmp_path: Path) -> None:
    """A body cut off (the client hung up) while batches wait for a slow disk: the
    caller's task ends, the file goes, nothing hangs, and the pool serves the next
    upload."""
    path = tmp_path / "cut.part"
    disk = SlowDisk(path)
    writer = StreamWriter(path, disk)  # type: ignore[arg-type]

    async def run() -> str:
        feeding = asyncio.create_task(feed())
        await asyncio.to_thread(disk.entered.wait, DEADLINE_S)
        feeding.cancel()  # the request's task, when its client hangs up
        with contextlib.suppress(asyncio.CancelledError):
            await feeding
        disk.gate.set()  # the batch being written finishes; discard waits for it
        writer.discard()
        after = StreamWriter(tmp_path / "next.part", open(tmp_path / "next.part", "wb"))
        await after.write(b"next")
        return await after.finish()

    async def feed() -> None:
        for _ in range(QUEUED_BATCHES + 1):
            await writer.write(bytes(BATCH_BYTES))

    digest = asyncio.run(asyncio.wait_for(run(), DEADLINE_S))
    assert not path.exists()
    assert digest == hashlib.sha256(b"next").hexdigest()


def test_small_chunks_and_reused_buffers_land_as_sent(tmp_path: Path) -> None:
    """A caller that refills one ``bytearray`` for every chunk, in pieces far smaller
    than a batch, gets exactly what it sent, in order: a writer that kept the chunks
    it was handed instead of copying them would write the last piece over and over."""
    path = tmp_path / "small.part"
    writer = StreamWriter(path, open(path, "wb"))
    body = os.urandom(3 * BATCH_BYTES + 12345)
    reused = bytearray(1000)

    async def run() -> str:
        for at in range(0, len(body), len(reused)):
            piece = body[at : at + len(reused)]
            reused[: len(piece)] = piece
            await writer.write(reused[: len(piece)] if len(piece) < len(reused) else reused)
        return await writer.finish()

    digest = asyncio.run(asyncio.wait_for(run(), DEADLINE_S))
    assert path.read_bytes() == body
    assert digest == hashlib.sha256(body).hexdigest()
