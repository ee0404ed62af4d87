"""Single-file presigned uploads: ask for a URL, then PUT the bytes to it."""

from __future__ import annotations

import logging
import time

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from appliance import uploads
from appliance.api import bodies
from appliance.api.auth import authenticate
from appliance.context import Appliance
from appliance.errors import ApiError, ErrorType, invalid
from appliance.ids import iso_epoch
from appliance.orgs import get_org
from appliance.presign import PUT_PATH, Grant
from storage import InsufficientStorage, StreamWriter, sanitize_filename

log = logging.getLogger("hpx.uploads")

DEFAULT_CONTENT_TYPE = "application/octet-stream"


async def create_upload(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    settings = appliance.settings
    principal = await authenticate(request, "upload")
    body = await bodies.read_json(request)
    filename = bodies.text(body, "filename", required=True)
    content_type = bodies.text(body, "content_type", max_length=255) or DEFAULT_CONTENT_TYPE
    size = bodies.integer(body, "size", maximum=settings.max_upload_size)
    sha256 = bodies.sha256_hex(body)
    expires_in = (
        bodies.integer(body, "expires_in", minimum=1, maximum=settings.upload_url_max_ttl)
        or settings.upload_url_ttl
    )
    assert filename is not None
    if size is not None:
        try:
            appliance.store.ensure_space(size)
        except InsufficientStorage as exc:
            raise ApiError(ErrorType.insufficient_storage, str(exc)) from exc

    expires = int(time.time()) + expires_in
    upload = await run_in_threadpool(
        uploads.create_upload,
        appliance.db,
        principal.org,
        filename=sanitize_filename(filename),
        content_type=content_type,
        size=size,
        sha256=sha256,
        expires_at=iso_epoch(expires),
        max_size=settings.max_upload_size,
    )
    token = appliance.signer.sign(upload.id, upload.org_id, expires)
    log.info("upload %s presigned for org %s", upload.id, upload.org_id)
    return JSONResponse(
        {
            "upload_id": upload.id,
            "upload_url": public_base(request) + PUT_PATH + token,
            "method": "PUT",
            "headers": {"Content-Type": content_type},
            "filename": upload.filename,
            "expires_at": upload.expires_at,
            "max_size": upload.limit,
        },
        status_code=201,
    )


async def put_upload(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    try:
        grant = appliance.signer.verify(request.path_params["token"])
        if grant.part_number is not None:
            raise ApiError(ErrorType.invalid_token, "this is a multipart part URL")
        await _require_active_org(appliance, grant)
        upload = await run_in_threadpool(uploads.claim, appliance.db, grant.org_id, grant.upload_id)
    except ApiError:
        await bodies.discard_body(request, started=False)
        raise
    writer: StreamWriter | None = None
    try:
        _check_content_length(request, upload.limit, upload.size)
        writer = appliance.store.open_writer(upload.org_id, upload.size)
        async for chunk in request.stream():
            if writer.size + len(chunk) > upload.limit:
                raise ApiError(
                    ErrorType.payload_too_large, f"the body exceeds {upload.limit} bytes"
                )
            await writer.write(chunk)
        if upload.size is not None and writer.size != upload.size:
            raise ApiError(
                ErrorType.size_mismatch,
                f"received {writer.size} bytes, declared {upload.size}",
            )
        digest = await writer.finish()
        if upload.sha256 is not None and digest != upload.sha256:
            raise ApiError(ErrorType.checksum_mismatch)
        org = await run_in_threadpool(get_org, appliance.db, upload.org_id)
        if org is not None:
            await run_in_threadpool(uploads.check_quota, appliance.db, org, writer.size)
        stored = await run_in_threadpool(
            appliance.store.commit, upload.org_id, writer.path, upload.filename
        )
        try:
            record = await run_in_threadpool(
                uploads.finish, appliance.db, upload, stored, writer.size, digest
            )
        except BaseException:
            appliance.store.delete(upload.org_id, stored)
            raise
    except InsufficientStorage as exc:
        _give_back(appliance, upload, writer)
        raise ApiError(ErrorType.insufficient_storage, str(exc)) from exc
    except BaseException:
        # Also on cancellation: no await here, so the cleanup cannot be interrupted.
        _give_back(appliance, upload, writer)
        raise
    log.info("upload %s stored as file %s (%d bytes)", upload.id, record.file_id, record.size)
    return JSONResponse(record.to_dict(), status_code=201)


def _give_back(appliance: Appliance, upload: uploads.Upload, writer: StreamWriter | None) -> None:
    if writer is not None:
        writer.discard()
    uploads.release(appliance.db, upload.org_id, upload.id)


async def _require_active_org(appliance: Appliance, grant: Grant) -> None:
    org = await run_in_threadpool(get_org, appliance.db, grant.org_id)
    if org is None:
        raise ApiError(ErrorType.not_found, "this upload no longer exists")
    if not org.active:
        raise ApiError(ErrorType.forbidden, "the organization is suspended")


def _check_content_length(request: Request, limit: int, declared: int | None) -> None:
    """Refuse before reading when the client announces a body that cannot fit."""
    value = request.headers.get("content-length")
    if value is None:
        return
    if not value.isdigit():
        raise invalid("Content-Length", "must be a number")
    length = int(value)
    if length > limit:
        raise ApiError(ErrorType.payload_too_large, f"the body exceeds {limit} bytes")
    if declared is not None and length != declared:
        raise ApiError(
            ErrorType.size_mismatch, f"Content-Length is {length}, declared size {declared}"
        )


def public_base(request: Request) -> str:
    configured = request.app.state.appliance.settings.public_url
    return (configured or str(request.base_url)).rstrip("/")
