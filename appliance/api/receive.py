"""Receiving a presigned PUT: the one path every body takes to disk.

Single uploads and multipart parts differ only in how a URL is claimed and where
the finished bytes go; streaming, limits, hashing and cleanup are the same, and live
here once.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from starlette.requests import Request

from appliance.errors import ApiError, ErrorType, invalid
from appliance.metrics import Metrics
from storage import InsufficientStorage, LocalStore, StreamWriter

T = TypeVar("T")


async def receive(
    request: Request,
    store: LocalStore,
    org_id: str,
    *,
    limit: int,
    exact: int | None,
    expected_sha256: str | None,
    publish: Callable[[StreamWriter, str], Awaitable[T]],
    give_back: Callable[[], None],
) -> T:
    """Stream the body to a temporary file, check it, then ``publish(writer, sha256)``.

    ``limit`` is the most bytes accepted (413 beyond, as soon as it is passed);
    ``exact``, if set, is the size the body must have (422 otherwise). On any failure
    (also a disconnect or a cancellation) the temporary file is removed and
    ``give_back()`` returns the URL to its owner, synchronously, so that no await can
    interrupt the cleanup.
    """
    writer: StreamWriter | None = None
    metrics: Metrics = request.app.state.metrics
    metrics.uploads_in_progress.inc()
    try:
        _check_content_length(request, limit, exact)
        writer = store.open_writer(org_id, exact)
        async for chunk in request.stream():
            if writer.size + len(chunk) > limit:
                raise ApiError(ErrorType.payload_too_large, f"the body exceeds {limit} bytes")
            metrics.upload_bytes.inc(len(chunk))
            await writer.write(chunk)
        if exact is not None and writer.size != exact:
            raise ApiError(
                ErrorType.size_mismatch, f"received {writer.size} bytes, expected {exact}"
            )
        digest = await writer.finish()
        if expected_sha256 is not None and digest != expected_sha256:
            raise ApiError(ErrorType.checksum_mismatch)
        return await publish(writer, digest)
    except InsufficientStorage as exc:
        _clean(writer, give_back)
        raise ApiError(ErrorType.insufficient_storage, str(exc)) from exc
    except BaseException:
        _clean(writer, give_back)
        raise
    finally:
        metrics.uploads_in_progress.dec()


def _clean(writer: StreamWriter | None, give_back: Callable[[], None]) -> None:
    if writer is not None:
        writer.discard()
    give_back()


def _check_content_length(request: Request, limit: int, exact: int | None) -> None:
    """Refuse before reading when the client announces a body that cannot fit."""
    value = request.headers.get("content-length")
    if value is None:
        return
    if not value.isdigit():
        raise invalid("Content-Length", "must be a number")
    length = int(value)
    if length > limit:
        raise ApiError(ErrorType.payload_too_large, f"the body exceeds {limit} bytes")
    if exact is not None and length != exact:
        raise ApiError(ErrorType.size_mismatch, f"Content-Length is {length}, expected {exact}")
