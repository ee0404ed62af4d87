"""Reading and validating JSON request bodies, with errors that name the field."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

from starlette.requests import ClientDisconnect, Request

from appliance import json_values, media_types
from appliance.errors import ApplianceError, ErrorType, invalid

MAX_JSON_BYTES = 64 * 1024
DRAIN_BYTES = 8 * 1024 * 1024
"""Of a refused body, at most this much is read and dropped so the client sees the answer."""
DRAIN_SECONDS = 5.0
"""…and for at most this long: past it the answer goes out and the connection closes."""
REST_SECONDS = 10.0
"""After the answer, the rest of a refused body is read and dropped for at most this long."""
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
    """Read and drop (a bounded part of) the body of a request that is being refused;
    True if the body ended (or there was none left to read).

    A response sent before the body is read makes the server close the connection
    (it cannot be reused with a body half-read), and a client that meanwhile sends
    its next request on it sees "server disconnected" instead of the answer; so
    every error answer drains first. A client that sent ``Expect: 100-continue``
    and has not been told to continue sends no body: nothing to drain.
    """
    if request.headers.get("expect", "").lower() == "100-continue" and not _reading(request):
        return True
    return await _drop(request, DRAIN_BYTES, DRAIN_SECONDS)


async def drain_rest(request: Request) -> None:
    """After an error answer, read what the client still sends, until it stops or
    ``REST_SECONDS`` pass. A body left unread stalls the server's reading of the
    connection, so it would not see the client hang up: an answer given while the
    body was stalled (the object store slow to refuse a part) left the connection
    open until TLS gave up on it, 30 s later."""
    await _drop(request, None, REST_SECONDS)


async def _drop(request: Request, budget: int | None, seconds: float) -> bool:
    try:
        async with asyncio.timeout(seconds):  # a trickle must not hold the connection
            async for chunk in request.stream():
                if budget is not None:
                    budget -= len(chunk)
                    if budget < 0:
                        return False
    except (ClientDisconnect, RuntimeError):  # gone, or read already
        return True
    except TimeoutError:  # slow: answered now, and what still comes is read after it
        return False  # (closing on unread bytes resets the connection: no answer seen)
    return True


def _reading(request: Request) -> bool:
    """Whether the handler already asked for the body (so 100 Continue went out)."""
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
