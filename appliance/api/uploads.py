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
from appliance.api.common import (
    DEFAULT_CONTENT_TYPE,
    ORG_GONE,
    ensure_space,
    public_base,
    require_active_org,
)
from appliance.api.receive import receive
from appliance.context import Appliance
from appliance.errors import ApiError, ErrorType
from appliance.files import FileRecord
from appliance.ids import iso_epoch
from appliance.orgs import get_org
from appliance.presign import PUT_PATH, Grant
from storage import StreamWriter, sanitize_filename

log = logging.getLogger("hpx.uploads")


async def create_upload(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    settings = appliance.settings
    principal = await authenticate(request, "upload")
    body = await bodies.read_json(request)
    filename = bodies.text(body, "filename", required=True)
    content_type = bodies.content_type(body, DEFAULT_CONTENT_TYPE)
    size = bodies.integer(body, "size", maximum=settings.max_upload_size)
    sha256 = bodies.sha256_hex(body)
    expires_in = (
        bodies.integer(body, "expires_in", minimum=1, maximum=settings.upload_url_max_ttl)
        or settings.upload_url_ttl
    )
    assert filename is not None
    if size is not None:
        ensure_space(appliance, size)
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
        key_id=principal.key_id,
        user_id=principal.user_id,
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


async def put_single(request: Request, appliance: Appliance, grant: Grant) -> Response:
    upload = await run_in_threadpool(uploads.claim, appliance.db, grant.org_id, grant.upload_id)

    async def publish(writer: StreamWriter, digest: str) -> FileRecord:
        org = await run_in_threadpool(get_org, appliance.db, upload.org_id)
        if org is None:
            raise ApiError(ErrorType.not_found, ORG_GONE)
        await run_in_threadpool(uploads.check_quota, appliance.db, org, writer.size, upload.id)
        try:
            stored = await run_in_threadpool(
                appliance.store.commit, upload.org_id, writer.path, upload.filename
            )
        except FileNotFoundError:  # the tree went with the organization just now
            await require_active_org(appliance, upload.org_id)
            raise
        try:
            return await run_in_threadpool(
                uploads.finish, appliance.db, upload, stored, writer.size, digest
            )
        except BaseException:
            appliance.store.delete(upload.org_id, stored)
            raise

    record = await receive(
        request,
        appliance.store,
        upload.org_id,
        limit=upload.limit,
        exact=upload.size,
        expected_sha256=upload.sha256,
        publish=publish,
        give_back=lambda: uploads.release(appliance.db, upload.org_id, upload.id),
    )
    log.info("upload %s stored as file %s (%d bytes)", upload.id, record.file_id, record.size)
    return JSONResponse(record.to_dict(), status_code=201)
