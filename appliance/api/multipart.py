"""Large files: multipart sessions, part URLs, resuming, completing, aborting."""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from appliance import multipart
from appliance.api import bodies
from appliance.api.auth import authenticate
from appliance.api.common import (
    DEFAULT_CONTENT_TYPE,
    ensure_space,
    public_base,
    require_active_org,
)
from appliance.api.receive import receive
from appliance.context import Appliance
from appliance.errors import ApiError, ErrorType, invalid
from appliance.ids import iso_epoch
from appliance.presign import PUT_PATH, Grant
from appliance.uploads import Upload
from storage import InsufficientStorage, NotStored, StreamWriter, sanitize_filename

log = logging.getLogger("hpx.multipart")


async def create_session(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    settings = appliance.settings
    principal = await authenticate(request, "upload")
    body = await bodies.read_json(request)
    filename = bodies.text(body, "filename", required=True)
    size = bodies.integer(
        body, "size", required=True, minimum=1, maximum=settings.max_multipart_size
    )
    part_size = bodies.integer(body, "part_size", minimum=1)
    sha256 = bodies.sha256_hex(body)
    content_type = bodies.content_type(body, DEFAULT_CONTENT_TYPE)
    assert filename is not None and size is not None
    part_size, _count = multipart.plan_parts(size, part_size)  # a bad request before a full disk
    # Parts and the assembled file exist side by side until the parts are removed.
    ensure_space(appliance, 2 * size)
    session = await run_in_threadpool(
        multipart.create_session,
        appliance.db,
        principal.org,
        filename=sanitize_filename(filename),
        size=size,
        part_size=part_size,
        sha256=sha256,
        content_type=content_type,
        expires_at=iso_epoch(time.time() + settings.multipart_session_ttl),
        key_id=principal.key_id,
        user_id=principal.user_id,
    )
    assert session.part_count is not None
    first = list(range(1, min(session.part_count, multipart.URLS_PER_RESPONSE) + 1))
    parts = await _part_urls(request, appliance, session.id, principal.org.id, first)
    log.info(
        "multipart %s opened for org %s: %d parts", session.id, session.org_id, session.part_count
    )
    return JSONResponse(
        {
            "upload_id": session.id,
            "filename": session.filename,
            "size": session.size,
            "part_size": session.part_size,
            "part_count": session.part_count,
            "expires_at": session.expires_at,
            "parts": parts,
        },
        status_code=201,
    )


async def fresh_part_urls(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "upload")
    body = await bodies.read_json(request)
    numbers = body.get("part_numbers")
    if (
        not isinstance(numbers, list)
        or not numbers
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers)
    ):
        raise invalid("part_numbers", "must be a non-empty list of integers")
    upload_id = request.path_params["upload_id"]
    parts = await _part_urls(request, appliance, upload_id, principal.org.id, numbers)
    return JSONResponse({"upload_id": upload_id, "parts": parts})


async def get_session(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "upload")
    session = await run_in_threadpool(
        multipart.get_session, appliance.db, principal.org.id, request.path_params["upload_id"]
    )
    received = await run_in_threadpool(multipart.parts_received, appliance.db, session.id)
    return JSONResponse(multipart.describe(session, received))


async def complete(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "upload")
    expected = _expected_parts(await _optional_json(request))
    upload_id = request.path_params["upload_id"]
    begun = await run_in_threadpool(
        multipart.begin_complete, appliance.db, principal.org.id, upload_id, expected
    )
    if not isinstance(begun, Upload):  # completed before: the same file, never a copy
        return JSONResponse(begun.to_dict(), status_code=201)
    session = begun
    assert session.part_count is not None
    started = time.perf_counter()
    try:
        temp, digest = await run_in_threadpool(
            appliance.store.assemble, session.org_id, session.id, session.part_count
        )
        try:
            if session.sha256 is not None and digest != session.sha256:
                raise ApiError(ErrorType.checksum_mismatch, "the assembled file's SHA-256 differs")
            stored = await run_in_threadpool(
                appliance.store.commit, session.org_id, temp, session.filename
            )
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        try:
            record = await run_in_threadpool(
                multipart.finish_complete, appliance.db, session, stored, digest
            )
        except BaseException:
            appliance.store.delete(session.org_id, stored)
            raise
    except InsufficientStorage as exc:
        multipart.fail_complete(appliance.db, session)
        raise ApiError(ErrorType.insufficient_storage, str(exc)) from exc
    except NotStored as exc:
        multipart.fail_complete(appliance.db, session)
        raise invalid("parts", f"part file(s) missing on disk: {exc}; send them again") from exc
    except BaseException:
        multipart.fail_complete(appliance.db, session)
        raise
    await run_in_threadpool(appliance.store.remove_parts, session.org_id, session.id)
    log.info(
        "multipart %s assembled as file %s (%d bytes) in %.2f s",
        session.id,
        record.file_id,
        record.size,
        time.perf_counter() - started,
    )
    return JSONResponse(record.to_dict(), status_code=201)


async def abort(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "upload")
    upload_id = request.path_params["upload_id"]
    await run_in_threadpool(multipart.abort, appliance.db, principal.org.id, upload_id)
    await run_in_threadpool(appliance.store.remove_parts, principal.org.id, upload_id)
    return Response(status_code=204)


async def put_part(request: Request, appliance: Appliance, grant: Grant) -> Response:
    assert grant.part_number is not None and grant.grant_id is not None
    part_number, grant_id = grant.part_number, grant.grant_id
    session = await run_in_threadpool(
        multipart.claim_part,
        appliance.db,
        grant.org_id,
        grant.upload_id,
        grant_id,
        part_number,
    )
    length = multipart.part_length(session, part_number)

    async def publish(writer: StreamWriter, digest: str) -> dict[str, Any]:
        try:
            await run_in_threadpool(
                appliance.store.commit_part, session.org_id, session.id, part_number, writer.path
            )
        except FileNotFoundError:  # the tree went with the organization just now
            await require_active_org(appliance, session.org_id)
            raise
        alive = await run_in_threadpool(
            multipart.record_part,
            appliance.db,
            session,
            part_number,
            grant_id,
            writer.size,
            digest,
        )
        if not alive:
            await run_in_threadpool(appliance.store.remove_parts, session.org_id, session.id)
            raise ApiError(ErrorType.not_found, "this multipart upload was aborted")
        return {"part_number": part_number, "size": writer.size, "sha256": digest}

    result = await receive(
        request,
        appliance.store,
        session.org_id,
        limit=length,
        exact=length,
        expected_sha256=None,
        publish=publish,
        give_back=lambda: multipart.release_part(appliance.db, grant_id),
    )
    return JSONResponse(result)


async def _part_urls(
    request: Request, appliance: Appliance, upload_id: str, org_id: str, numbers: list[int]
) -> list[dict[str, Any]]:
    session, grants, expires = await run_in_threadpool(
        multipart.issue_grants,
        appliance.db,
        org_id,
        upload_id,
        numbers,
        appliance.settings.upload_url_ttl,
    )
    base = public_base(request) + PUT_PATH
    return [
        {
            "part_number": g.part_number,
            "size": g.size,
            "upload_url": base
            + appliance.signer.sign(session.id, org_id, expires, g.part_number, g.grant_id),
            "expires_at": iso_epoch(expires),
        }
        for g in grants
    ]


async def _optional_json(request: Request) -> dict[str, Any]:
    if request.headers.get("content-length") in (
        None,
        "0",
    ) and "chunked" not in request.headers.get("transfer-encoding", ""):
        return {}
    return await bodies.read_json(request)


def _expected_parts(body: dict[str, Any]) -> dict[int, str] | None:
    listed = body.get("parts")
    if listed is None:
        return None
    if not isinstance(listed, list):
        raise invalid("parts", "must be a list of {part_number, sha256}")
    expected: dict[int, str] = {}
    for item in listed:
        if not isinstance(item, dict) or not isinstance(item.get("part_number"), int):
            raise invalid("parts", "each item needs an integer part_number")
        digest = bodies.sha256_hex(item)
        if digest is None:
            raise invalid("parts", "each item needs a sha256")
        expected[item["part_number"]] = digest
    return expected
