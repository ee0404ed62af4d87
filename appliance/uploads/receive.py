"""Receiving a body: the one path every upload's bytes take to disk.

Single uploads and multipart parts differ only in how a URL is claimed and where
the finished bytes go; streaming, limits, pacing, hashing and cleanup are the same,
and live here once. The body is any async iterator of chunks, so this module knows
nothing of HTTP.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import TypeVar

from appliance.errors import ApplianceError, ErrorType, unavailable
from appliance.metrics import Metrics
from appliance.threads import in_thread
from storage import InsufficientStorage, Store, StoreUnavailable, Writer

T = TypeVar("T")


class BodyInterrupted(Exception):
    """The client stopped sending before the end of the body (it hung up)."""


@dataclass
class Body:
    """The bytes of a PUT as they arrive, and the length the client announced (if any)."""

    chunks: AsyncIterator[bytes]
    length: int | None = None


@dataclass(frozen=True)
class Pace:
    """The slowest a body may arrive: ``min_rate`` bytes/s over every ``window`` seconds."""

    min_rate: int
    window: float


async def receive(
    body: Body,
    store: Store,
    org_id: str,
    *,
    limit: int,
    exact: int | None,
    expected_sha256: str | None,
    pace: Pace,
    metrics: Metrics,
    publish: Callable[[Writer, str], T],
    give_back: Callable[[], None],
) -> T:
    """Stream the body to a temporary file, check it, then ``publish(writer, sha256)``.

    ``limit`` is the most bytes accepted (413 beyond, as soon as it is passed);
    ``exact``, if set, is the size the body must have (422 otherwise). ``publish`` is
    synchronous and runs in one worker thread: it does the file and database work of
    making the upload visible. On any failure (also a disconnect or a cancellation)
    the temporary file is removed and ``give_back()`` returns the URL to its owner,
    synchronously, so that no await can interrupt the cleanup.
    """
    writer: Writer | None = None
    metrics.uploads_in_progress.inc()
    try:
        _check_length(body.length, limit, exact)
        writer = store.open_writer(org_id, exact)
        async for chunk in paced(body.chunks, pace):
            if writer.size + len(chunk) > limit:
                raise ApplianceError(ErrorType.payload_too_large, f"the body exceeds {limit} bytes")
            metrics.upload_bytes.inc(len(chunk))
            await writer.write(chunk)
        if exact is not None and writer.size != exact:
            raise ApplianceError(
                ErrorType.size_mismatch, f"received {writer.size} bytes, expected {exact}"
            )
        digest = await writer.finish()
        if expected_sha256 is not None and digest != expected_sha256:
            raise ApplianceError(ErrorType.checksum_mismatch)
        return await in_thread(publish, writer, digest)
    except InsufficientStorage as exc:
        _clean(writer, give_back)
        raise ApplianceError(ErrorType.insufficient_storage, str(exc)) from exc
    except StoreUnavailable as exc:
        _clean(writer, give_back)
        raise unavailable(exc) from exc
    except BaseException:
        _clean(writer, give_back)
        raise
    finally:
        metrics.uploads_in_progress.dec()


async def paced(chunks: AsyncIterator[bytes], pace: Pace) -> AsyncIterator[bytes]:
    """``chunks``, as long as every window brings ``min_rate * window`` bytes.

    A client that trickles or stops mid-body would otherwise hold its connection, its
    URL and a temporary file until the server's read timeout; this one gets 408 (and
    its URL back) once a window passes short of the minimum. Only the waits for the
    client are timed, never the server's own writes.
    """
    if pace.min_rate <= 0:
        async for chunk in chunks:
            yield chunk
        return
    loop = asyncio.get_running_loop()
    need = pace.min_rate * pace.window
    deadline, got = loop.time() + pace.window, 0
    iterator = aiter(chunks)
    while True:
        try:
            async with asyncio.timeout_at(deadline):
                chunk = await anext(iterator)
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise ApplianceError(
                ErrorType.request_timeout,
                f"the body arrived slower than {pace.min_rate} bytes/s over {pace.window:g} s;"
                " send it again with the same URL",
            ) from None
        got += len(chunk)
        if got >= need:  # this window is satisfied: the next one starts now
            deadline, got = loop.time() + pace.window, 0
        yield chunk


def _clean(writer: Writer | None, give_back: Callable[[], None]) -> None:
    if writer is not None:
        writer.discard()
    give_back()


def _check_length(length: int | None, limit: int, exact: int | None) -> None:
    """Refuse before reading when the client announces a body that cannot fit."""
    if length is None:
        return
    if length > limit:
        raise ApplianceError(ErrorType.payload_too_large, f"the body exceeds {limit} bytes")
    if exact is not None and length != exact:
        raise ApplianceError(
            ErrorType.size_mismatch, f"Content-Length is {length}, expected {exact}"
        )
