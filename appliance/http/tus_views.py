"""tus 1.0 over HTTP (https://tus.io/protocols/resumable-upload): discovery, creation
(with an upload, or with the length deferred), offsets, appending, checksums,
expiration and termination, at ``/v1/tus/``.

The protocol's own headers and statuses are spoken here (409 for a wrong offset, 412
for another version, 460 for a checksum mismatch, 410 for an expired upload), with
the appliance's JSON error body; the work is in :mod:`appliance.uploads.tus_service`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import AsyncIterator, Awaitable, Callable
from email.utils import formatdate

from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from appliance import media_types
from appliance.accounts.apikeys import Principal
from appliance.clock import parse_iso
from appliance.context import Appliance
from appliance.errors import ApplianceError, ErrorType
from appliance.http import parsing
from appliance.http.credentials import authenticate
from appliance.http.error_responses import HttpError
from appliance.http.urls import public_base
from appliance.threads import in_thread
from appliance.uploads import tus_service
from appliance.uploads.receive import Body, BodyInterrupted
from appliance.uploads.tus_records import TusUpload

VERSION = "1.0.0"
TUS_PATH = "/v1/tus/"
EXTENSIONS = (
    "creation,creation-with-upload,creation-defer-length,expiration,checksum,termination,"
    "concatenation"
)
OFFSET_TYPE = "application/offset+octet-stream"
TUS_STATUS = {ErrorType.checksum_mismatch: 460, ErrorType.token_expired: 410}
"""Where tus asks for another status than the appliance's table."""

View = Callable[[Request], Awaitable[Response]]


def tus_view(view: View) -> View:
    """Every answer carries ``Tus-Resumable``; errors keep the JSON body with tus's
    statuses; a request of another protocol version is 412."""

    async def wrapped(request: Request) -> Response:
        headers = {"Tus-Resumable": VERSION}
        try:
            if request.method != "OPTIONS" and request.headers.get("tus-resumable") != VERSION:
                raise HttpError(
                    ErrorType.invalid_request,
                    f"Tus-Resumable must be {VERSION}",
                    {"Tus-Version": VERSION},
                    status=412,
                )
            response = await view(request)
        except HttpError as exc:
            exc.headers = {**headers, **exc.headers}
            raise
        except ApplianceError as exc:
            error = HttpError(exc.kind, exc.message, headers, TUS_STATUS.get(exc.kind))
            error.retry_after = exc.retry_after
            raise error from exc
        response.headers.update(headers)
        return response

    wrapped.__name__ = view.__name__
    return wrapped


@tus_view
async def tus_options(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    return Response(
        status_code=204,
        headers={
            "Tus-Version": VERSION,
            "Tus-Extension": EXTENSIONS,
            "Tus-Max-Size": str(appliance.settings.max_upload_size),
            "Tus-Checksum-Algorithm": ",".join(tus_service.CHECKSUMS),
        },
    )


@tus_view
async def tus_create(request: Request) -> Response:
    """``POST /v1/tus/`` with an API key or a bearer token: a new upload's URL."""
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "upload")
    concat = request.headers.get("upload-concat", "")
    if concat.startswith("final;"):
        return await _final(request, appliance, principal, concat.removeprefix("final;"))
    if concat not in ("", "partial"):
        raise ApplianceError(ErrorType.invalid_request, "Upload-Concat: partial, or final;URLS")
    length, filename, content_type = creation(request)
    created = await in_thread(
        lambda: tus_service.create(
            appliance,
            principal,
            filename=filename or "upload",
            content_type=content_type,
            length=length,
            partial=concat == "partial",
        )
    )
    return await created_response(request, appliance, created)


async def _final(
    request: Request, appliance: Appliance, principal: Principal, urls: str
) -> Response:
    """``Upload-Concat: final;URL URL …``: the partial uploads joined into the file."""
    tokens = [url.rstrip("/").rsplit("/", 1)[-1] for url in urls.split()]
    metadata = _metadata(request.headers.get("upload-metadata", ""))
    created, _record = await in_thread(
        lambda: tus_service.concatenate(
            appliance,
            principal,
            tokens,
            filename=metadata.get("filename") or metadata.get("name") or "upload",
            content_type=_content_type(metadata),
        )
    )
    return Response(
        status_code=201,
        headers={
            "Location": public_base(request) + TUS_PATH + created.token,
            "Upload-Expires": _http_date(created.upload.expires_at),
        },
    )


@tus_view
async def tus_create_presigned(request: Request) -> Response:
    """``POST`` to a presigned creation URL (``POST /v1/uploads`` with ``"protocol":
    "tus"`` made it): no other credential; it creates one upload, then is used."""
    appliance: Appliance = request.app.state.appliance
    length, filename, content_type = creation(request)
    created = await in_thread(
        lambda: tus_service.create_reserved(
            appliance,
            request.path_params["token"],
            filename=filename,
            content_type=content_type,
            length=length,
        )
    )
    return await created_response(request, appliance, created)


def creation(request: Request) -> tuple[int | None, str | None, str | None]:
    """(Upload-Length, filename, content type) of a creation request."""
    length = parsing.header_number(request, "upload-length")
    if length is None and request.headers.get("upload-defer-length") != "1":
        raise ApplianceError(
            ErrorType.invalid_request, "send Upload-Length, or Upload-Defer-Length: 1"
        )
    metadata = _metadata(request.headers.get("upload-metadata", ""))
    filename = metadata.get("filename") or metadata.get("name")
    return length, filename, _content_type(metadata)


def _content_type(metadata: dict[str, str]) -> str | None:
    """The ``filetype`` (or ``content_type``) of ``Upload-Metadata``, checked like the
    ``content_type`` of ``POST /v1/uploads``: it comes back on every download."""
    value = metadata.get("filetype") or metadata.get("content_type")
    if value is None:
        return None
    return media_types.check(value, "Upload-Metadata filetype")


async def created_response(
    request: Request, appliance: Appliance, created: tus_service.Created
) -> Response:
    """201 with the new upload's URL (and its offset, when the creation carried bytes)."""
    url = public_base(request) + TUS_PATH + created.token
    headers = {"Location": url, "Upload-Expires": _http_date(created.upload.expires_at)}
    if _has_body(request):  # creation-with-upload
        _require_offset_type(request)
        upload, _record = await _append(request, appliance, created.token, 0)
        headers["Upload-Offset"] = str(upload.received)
    return Response(status_code=201, headers=headers)


@tus_view
async def tus_head(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    upload = await in_thread(tus_service.status, appliance, request.path_params["token"])
    return Response(status_code=200, headers=_upload_headers(upload))


@tus_view
async def tus_patch(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    _require_offset_type(request)
    offset = parsing.header_number(request, "upload-offset")
    if offset is None:
        raise ApplianceError(ErrorType.invalid_request, "Upload-Offset is required")
    upload, _record = await _append(request, appliance, request.path_params["token"], offset)
    return Response(status_code=204, headers=_upload_headers(upload))


@tus_view
async def tus_delete(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    await in_thread(tus_service.terminate, appliance, request.path_params["token"])
    return Response(status_code=204)


async def _append(
    request: Request, appliance: Appliance, token: str, offset: int
) -> tuple[TusUpload, object]:
    checksum_header = request.headers.get("upload-checksum")
    checksum = tus_service.parse_checksum(checksum_header) if checksum_header else None
    body = Body(_chunks(request), parsing.header_number(request, "content-length"))
    try:
        return await tus_service.append(
            appliance,
            request.app.state.metrics,
            token,
            offset,
            body,
            length=parsing.header_number(request, "upload-length"),
            checksum=checksum,
        )
    except BodyInterrupted:
        raise ClientDisconnect() from None


async def _chunks(request: Request) -> AsyncIterator[bytes]:
    try:
        async for chunk in request.stream():
            if chunk:
                yield chunk
    except ClientDisconnect:
        raise BodyInterrupted() from None


def _upload_headers(upload: TusUpload) -> dict[str, str]:
    headers = {
        "Upload-Offset": str(upload.received),
        "Upload-Expires": _http_date(upload.expires_at),
        "Cache-Control": "no-store",
    }
    if upload.length is None:
        headers["Upload-Defer-Length"] = "1"
    else:
        headers["Upload-Length"] = str(upload.length)
    return headers


def _metadata(header: str) -> dict[str, str]:
    """``Upload-Metadata: key base64,key base64,flag`` → {key: text}."""
    found: dict[str, str] = {}
    for item in header.split(","):
        key, _, encoded = item.strip().partition(" ")
        if not key:
            continue
        try:
            found[key] = base64.b64decode(encoded, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
            raise ApplianceError(
                ErrorType.invalid_request, f"Upload-Metadata: {key!r} is not base64 UTF-8"
            ) from exc
    return found


def _has_body(request: Request) -> bool:
    return request.headers.get("content-length", "0") != "0" or (
        "chunked" in request.headers.get("transfer-encoding", "")
    )


def _require_offset_type(request: Request) -> None:
    if request.headers.get("content-type", "").split(";")[0].strip() != OFFSET_TYPE:
        raise HttpError(
            ErrorType.invalid_request, f"Content-Type must be {OFFSET_TYPE}", {}, status=415
        )


def _http_date(iso: str) -> str:
    return formatdate(parse_iso(iso).timestamp(), usegmt=True)
