"""Uploads over HTTP: presigned URLs, multipart sessions, and the PUT every URL points at.

Each view parses the request, authenticates, calls :mod:`appliance.uploads.service`
and shapes the answer; nothing here touches the database or the store.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from appliance import json_values
from appliance.accounts.apikeys import Principal
from appliance.accounts.presign import PUT_PATH
from appliance.context import Appliance
from appliance.errors import invalid
from appliance.http import parsing
from appliance.http.credentials import authenticate
from appliance.http.link_views import LINK_PATH
from appliance.http.tus_views import TUS_PATH
from appliance.http.tus_views import VERSION as TUS_VERSION
from appliance.http.urls import public_base
from appliance.threads import in_thread
from appliance.uploads import links, service, tus_service
from appliance.uploads.receive import Body
from appliance.uploads.service import DEFAULT_CONTENT_TYPE, PartUrl


async def create_upload(request: Request) -> Response:
    """``POST /v1/uploads``: a presigned URL for one file."""
    appliance: Appliance = request.app.state.appliance
    settings = appliance.settings
    principal = await authenticate(request, "upload")
    body = await parsing.read_json(request)
    protocol = body.get("protocol", "put")
    _check_every_field(body, appliance)
    if protocol == "tus":
        return await _create_tus(request, appliance, principal, body)
    if protocol == "link":
        return await _create_link(request, appliance, principal, body)
    if protocol != "put":
        raise invalid("protocol", "is 'put' (the default), 'tus' or 'link'")
    filename = parsing.text(body, "filename", required=True)
    assert filename is not None
    content_type = parsing.content_type(body, DEFAULT_CONTENT_TYPE)
    size = parsing.integer(body, "size", maximum=settings.max_upload_size)
    sha256 = parsing.sha256_hex(body)
    expires_in = _expires_in(body, appliance)
    presigned = await in_thread(
        lambda: service.presign_upload(
            appliance,
            principal,
            filename=filename,
            content_type=content_type,
            size=size,
            sha256=sha256,
            expires_in=expires_in,
        )
    )
    upload = presigned.upload
    return JSONResponse(
        {
            "upload_id": upload.id,
            "upload_url": public_base(request) + PUT_PATH + presigned.token,
            "method": "PUT",
            "headers": {"Content-Type": upload.content_type},
            "filename": upload.filename,
            "expires_at": upload.expires_at,
            "max_size": upload.limit,
        },
        status_code=201,
    )


async def _create_tus(
    request: Request, appliance: Appliance, principal: Principal, body: dict[str, Any]
) -> Response:
    """A presigned tus creation URL: a tus client (a browser's, a partner's) POSTs to
    it once, with no other credential, and gets its upload's URL back."""
    settings = appliance.settings
    filename = parsing.text(body, "filename")
    content_type = parsing.content_type(body, DEFAULT_CONTENT_TYPE)
    size = parsing.integer(body, "size", maximum=settings.max_upload_size)
    if "sha256" in body:  # "" or a digest alike: never accepted and then left unchecked
        raise invalid(
            "sha256",
            "is for protocol put; a tus client checks what it sends with Upload-Checksum",
        )
    expires_in = _expires_in(body, appliance)
    created = await in_thread(
        lambda: tus_service.reserve(
            appliance,
            principal,
            filename=filename,
            content_type=content_type,
            length=size,
            expires_in=expires_in,
        )
    )
    upload = created.upload
    return JSONResponse(
        {
            "upload_id": upload.id,
            "upload_url": public_base(request) + TUS_PATH + created.token,
            "method": "POST",
            "protocol": "tus",
            "headers": {"Tus-Resumable": TUS_VERSION},
            "filename": upload.filename,
            "expires_at": upload.expires_at,
            "max_size": upload.limit,
        },
        status_code=201,
    )


async def _create_link(
    request: Request, appliance: Appliance, principal: Principal, body: dict[str, Any]
) -> Response:
    """A drop link: a single-use page where a person drops files (uploads/links.py)."""
    label = parsing.text(body, "label", max_length=links.MAX_LABEL)
    max_files = parsing.integer(body, "max_files", minimum=1, maximum=links.MAX_FILES)
    expires_in = _expires_in(body, appliance)
    minted = await in_thread(
        lambda: links.mint(
            appliance, principal, label=label, max_files=max_files, expires_in=expires_in
        )
    )
    link = minted.link
    return JSONResponse(
        {
            "link_id": link.id,
            "protocol": "link",
            "url": public_base(request) + LINK_PATH + minted.token,
            "label": link.label,
            "max_files": link.max_files,
            "expires_at": link.expires_at,
        },
        status_code=201,
    )


async def put_presigned(request: Request) -> Response:
    """``PUT /v1/put/{token}``: a whole file (201, the file) or one part (200, the part)."""
    appliance: Appliance = request.app.state.appliance
    body = Body(request.stream(), parsing.header_number(request, "Content-Length"))
    result = await service.put(
        appliance, request.app.state.metrics, request.path_params["token"], body
    )
    if isinstance(result, service.ReceivedPart):
        return JSONResponse(result.to_dict())
    return JSONResponse(result.to_dict(), status_code=201)


async def create_session(request: Request) -> Response:
    """``POST /v1/uploads/multipart``: a session and the URLs of its first parts."""
    appliance: Appliance = request.app.state.appliance
    settings = appliance.settings
    principal = await authenticate(request, "upload")
    body = await parsing.read_json(request)
    filename = parsing.text(body, "filename", required=True)
    size = parsing.integer(
        body, "size", required=True, minimum=1, maximum=settings.max_multipart_size
    )
    assert filename is not None and size is not None
    part_size = parsing.integer(body, "part_size", minimum=1)
    sha256 = parsing.sha256_hex(body)
    content_type = parsing.content_type(body, DEFAULT_CONTENT_TYPE)
    session, parts = await in_thread(
        lambda: service.open_session(
            appliance,
            principal,
            filename=filename,
            size=size,
            part_size=part_size,
            sha256=sha256,
            content_type=content_type,
        )
    )
    return JSONResponse(
        {
            "upload_id": session.id,
            "filename": session.filename,
            "size": session.size,
            "part_size": session.part_size,
            "part_count": session.part_count,
            "expires_at": session.expires_at,
            "parts": _part_urls(request, parts),
        },
        status_code=201,
    )


async def fresh_part_urls(request: Request) -> Response:
    """``POST /v1/uploads/multipart/{id}/parts``: new URLs, to resume or to go on."""
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "upload")
    body = await parsing.read_json(request)
    listed = body.get("part_numbers")
    numbers = [json_values.whole_number(n) for n in listed] if isinstance(listed, list) else []
    if not numbers or None in numbers:
        raise invalid("part_numbers", "must be a non-empty list of integers")
    upload_id = request.path_params["upload_id"]
    parts = await in_thread(
        service.part_urls,
        appliance,
        principal.org.id,
        upload_id,
        [n for n in numbers if n is not None],
    )
    return JSONResponse({"upload_id": upload_id, "parts": _part_urls(request, parts)})


async def get_session(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "upload")
    state = await in_thread(
        service.session_state, appliance, principal.org.id, request.path_params["upload_id"]
    )
    return JSONResponse(state)


async def complete(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "upload")
    expected = _expected_parts(await _optional_json(request))
    record = await in_thread(
        service.complete, appliance, principal.org.id, request.path_params["upload_id"], expected
    )
    return JSONResponse(record.to_dict(), status_code=201)


async def abort(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "upload")
    await in_thread(service.abort, appliance, principal.org.id, request.path_params["upload_id"])
    return Response(status_code=204)


def _check_every_field(body: dict[str, Any], appliance: Appliance) -> None:
    """Every field ``POST /v1/uploads`` describes is checked whichever protocol is
    asked for: a malformed one (an empty label with put, a bad sha256 with a link) is
    400, as the description says, not silently ignored."""
    parsing.text(body, "filename")
    parsing.text(body, "label", max_length=links.MAX_LABEL)
    parsing.integer(body, "max_files", minimum=1, maximum=links.MAX_FILES)
    parsing.content_type(body, DEFAULT_CONTENT_TYPE)
    parsing.integer(body, "size", maximum=appliance.settings.max_upload_size)
    parsing.sha256_hex(body)
    _expires_in(body, appliance)


def _expires_in(body: dict[str, Any], appliance: Appliance) -> int | None:
    """A URL's asked-for lifetime: at least a second, at most ``upload_url_max_ttl``."""
    return parsing.integer(
        body, "expires_in", minimum=1, maximum=appliance.settings.upload_url_max_ttl
    )


def _part_urls(request: Request, parts: list[PartUrl]) -> list[dict[str, Any]]:
    base = public_base(request) + PUT_PATH
    return [
        {
            "part_number": p.part_number,
            "size": p.size,
            "upload_url": base + p.token,
            "expires_at": p.expires_at,
        }
        for p in parts
    ]


async def _optional_json(request: Request) -> dict[str, Any]:
    if request.headers.get("content-length") in (
        None,
        "0",
    ) and "chunked" not in request.headers.get("transfer-encoding", ""):
        return {}
    return await parsing.read_json(request)


def _expected_parts(body: dict[str, Any]) -> dict[int, str] | None:
    listed = body.get("parts")
    if listed is None:
        return None
    if not isinstance(listed, list):
        raise invalid("parts", "must be a list of {part_number, sha256}")
    expected: dict[int, str] = {}
    for item in listed:
        number = (
            json_values.whole_number(item.get("part_number")) if isinstance(item, dict) else None
        )
        if not isinstance(item, dict) or number is None:
            raise invalid("parts", "each item needs an integer part_number")
        digest = parsing.sha256_hex(item)
        if digest is None:
            raise invalid("parts", "each item needs a sha256")
        expected[number] = digest
    return expected
