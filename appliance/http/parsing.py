"""Reading and validating JSON request bodies, with errors that name the field."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from starlette.requests import Request

from appliance import json_values, media_types
from appliance.errors import ApplianceError, ErrorType, invalid

MAX_JSON_BYTES = 64 * 1024
DRAIN_WINDOW_SECONDS = 5.0
DRAIN_WINDOW_BYTES = 256 * 1024
"""A refused body is read and dropped before the answer as long as it keeps coming as
an upload does: at least this many bytes in each window (a trickle is cut)…"""
DRAIN_MOST_SECONDS = 120.0
"""…for at most this long in all; past either, the answer goes out and the connection
closes."""
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


async def read_json(request: Request) -> dict[str, Any]:
    """The body as a JSON object, read with a size limit (never an unbounded body)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_JSON_BYTES:
        raise ApplianceError(
            ErrorType.payload_too_large, f"JSON bodies are limited to {MAX_JSON_BYTES} bytes"
        )
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_JSON_BYTES:
            raise ApplianceError(
                ErrorType.payload_too_large, f"JSON bodies are limited to {MAX_JSON_BYTES} bytes"
            )
    try:
        body = json.loads(data) if data else None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApplianceError(ErrorType.invalid_request, "the body is not valid JSON") from exc
    except RecursionError:
        raise ApplianceError(ErrorType.invalid_request, "the body is nested too deeply") from None
    if not isinstance(body, dict):
        raise ApplianceError(ErrorType.invalid_request, "the body must be a JSON object")
    return body


def content_type(body: dict[str, Any], default: str) -> str:
    """A media type as HTTP allows it (``text/csv; charset=utf-8``): it is sent back
    as a header on download (appliance/media_types.py)."""
    value = text(body, "content_type", max_length=media_types.MAX_LENGTH)
    if value is None:
        return default
    return media_types.check(value, "content_type")


def text(
    body: dict[str, Any], name: str, *, required: bool = False, max_length: int = 1024
) -> str | None:
    value = body.get(name)
    if value is None:
        if required:
            raise invalid(name, "is required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise invalid(name, "must be a non-empty string")
    if len(value) > max_length:
        raise invalid(name, f"must be at most {max_length} characters")
    return value


def integer(
    body: dict[str, Any],
    name: str,
    *,
    required: bool = False,
    minimum: int = 0,
    maximum: int | None = None,
) -> int | None:
    value = body.get(name)
    if value is None:
        if required:
            raise invalid(name, "is required")
        return None
    value = json_values.whole_number(value)
    if value is None:
        raise invalid(name, "must be an integer")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
        raise invalid(name, f"must be {bound}")
    return value


def sha256_hex(body: dict[str, Any], name: str = "sha256") -> str | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not _SHA256.match(value.lower()):
        raise invalid(name, "must be 64 hexadecimal characters")
    return value.lower()


async def discard_body(request: Request) -> bool:
    """Read and drop the rest of the body of a request that is being refused, before
    the answer; True if the body ended (or there was none left to read).

    Hypercorn closes a connection whose request body has not ended as soon as the
    answer is complete, and closing on unread bytes resets it: the reset throws away
    the answer the client has not read yet, and it sees "server disconnected" (twenty
    PUTs of one 9 MiB URL on a loaded machine, read 8 MiB and answered, lost losers'
    409s that way). So the body is read to its end first, as long as it keeps coming
    at an upload's pace (``DRAIN_WINDOW_BYTES`` in each ``DRAIN_WINDOW_SECONDS``), for
    at most ``DRAIN_MOST_SECONDS``; a trickle is answered within a window. A client
    that sent ``Expect: 100-continue`` and has not been told to continue sends no body:
    nothing to drain. A body refused in the middle (past its limit) is drained the same
    way; one whose end the handler already read is not, because asking the channel for
    more after the end waits for the client to hang up.
    """
    if _reading(request):
        return True
    if request.headers.get("expect", "").lower() == "100-continue":
        return True
    loop = asyncio.get_running_loop()
    end = loop.time() + DRAIN_MOST_SECONDS
    try:
        while True:
            got = 0
            async with asyncio.timeout_at(min(loop.time() + DRAIN_WINDOW_SECONDS, end)):
                while got < DRAIN_WINDOW_BYTES:
                    message = await request.receive()
                    if message["type"] != "http.request":
                        return True  # the client went away
                    got += len(message.get("body", b""))
                    if not message.get("more_body", False):
                        return True  # the body ended: the connection can be used again
    except TimeoutError:
        return False  # a trickle, or past the most


def _reading(request: Request) -> bool:
    """Whether the body's end was already read (Starlette marks the stream consumed only
    when the last part arrives) or the whole body is held."""
    return bool(getattr(request, "_stream_consumed", False)) or hasattr(request, "_body")


def header_number(request: Request, name: str) -> int | None:
    """A header that must be a non-negative integer (Content-Length, Upload-Offset, …);
    None when absent, 400 naming the header otherwise."""
    value = request.headers.get(name)
    if value is None:
        return None
    if not value.isdigit():
        raise invalid(name, "must be a number")
    return int(value)
