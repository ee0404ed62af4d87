"""Serving a stored file with ``Range`` support, from any store's reader.

One range (``bytes=a-b``, ``bytes=a-``, ``bytes=-n``) is answered with 206; several
ranges, or a header this module does not understand, get the whole file (200), which
RFC 9110 allows; a range that starts past the end is 416 as JSON, like every error.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from io import BufferedIOBase
from urllib.parse import quote

from starlette.responses import StreamingResponse

from appliance.errors import ErrorType
from appliance.http.error_responses import HttpError
from appliance.threads import in_thread

READ_BYTES = 1024 * 1024


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(first, last) byte to send, both included; None for the whole file."""
    if not header or not header.startswith("bytes="):
        return None
    spec = header[6:].strip()
    if "," in spec:
        return None
    first, dash, last = spec.partition("-")
    if not dash or not (first.isdigit() or last.isdigit()):
        return None
    if not first:  # the last n bytes
        n = int(last)
        if n == 0:
            raise _unsatisfiable(size)
        return max(0, size - n), size - 1
    start = int(first)
    if start >= size:
        raise _unsatisfiable(size)
    end = min(int(last), size - 1) if last.isdigit() else size - 1
    return (start, end) if end >= start else None


def file_response(
    reader: BufferedIOBase,
    size: int,
    *,
    filename: str,
    media_type: str,
    range_header: str | None,
    etag: str,
) -> StreamingResponse:
    """The file (or its range) as a download that browsers never sniff; it closes
    ``reader`` when done, or when the client goes away."""
    try:
        wanted = byte_range(range_header, size)
    except BaseException:
        reader.close()
        raise
    first, last = wanted if wanted is not None else (0, size - 1)
    headers = {
        "Content-Length": str(max(0, last - first + 1)),
        "Accept-Ranges": "bytes",
        "Content-Disposition": _attachment(filename),
        "ETag": f'"{etag}"',
        "X-Content-Type-Options": "nosniff",
    }
    if wanted is not None:
        headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    return StreamingResponse(
        _chunks(reader, first, last - first + 1),
        status_code=206 if wanted is not None else 200,
        media_type=media_type,
        headers=headers,
    )


async def _chunks(reader: BufferedIOBase, offset: int, length: int) -> AsyncIterator[bytes]:
    try:
        await in_thread(reader.seek, offset)
        while length > 0:
            block = await in_thread(reader.read, min(READ_BYTES, length))
            if not block:
                return
            length -= len(block)
            yield block
    finally:
        reader.close()


def _attachment(filename: str) -> str:
    quoted = quote(filename)
    if quoted == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename*=utf-8''{quoted}"


def _unsatisfiable(size: int) -> HttpError:
    return HttpError(
        ErrorType.range_not_satisfiable,
        f"the file has {size} bytes",
        {"Content-Range": f"bytes */{size}"},
    )
