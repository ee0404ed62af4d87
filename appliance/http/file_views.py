"""Listing, describing, downloading and deleting an organization's files."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from appliance import media_types
from appliance.context import Appliance
from appliance.errors import invalid
from appliance.files import service as files
from appliance.files.records import DEFAULT_PAGE
from appliance.http.credentials import authenticate
from appliance.http.ranges import file_response
from appliance.threads import in_thread


async def list_files(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "upload")
    raw_limit = request.query_params.get("limit", str(DEFAULT_PAGE))
    if not raw_limit.isdigit():
        raise invalid("limit", "must be an integer")
    cursor = request.query_params.get("cursor")
    if cursor == "":  # not the first page by accident: that is no cursor at all
        raise invalid("cursor", "is empty; leave it out for the first page")
    records, next_cursor = await in_thread(
        files.list_files, appliance.db, principal.org.id, int(raw_limit), cursor
    )
    return JSONResponse({"files": [r.to_dict() for r in records], "next_cursor": next_cursor})


async def get_file(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "upload")
    record = await in_thread(
        files.describe, appliance.db, principal.org.id, request.path_params["file_id"]
    )
    return JSONResponse(record.to_dict())


async def delete_file(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "upload")
    await in_thread(
        files.delete,
        appliance.db,
        appliance.store,
        principal.org.id,
        request.path_params["file_id"],
        principal.actor,
    )
    return Response(status_code=204)


async def file_content(request: Request) -> Response:
    """The bytes, streamed; one ``Range`` is answered with 206."""
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "upload")
    file_id = request.path_params["file_id"]
    download = await in_thread(
        files.open_download, appliance.db, appliance.store, principal.org.id, file_id
    )
    record = download.record
    response = file_response(
        download.reader,
        record.size,
        filename=record.filename,
        media_type=media_types.servable(record.content_type),
        range_header=request.headers.get("range"),
        etag=record.sha256,
    )
    await in_thread(files.note_download, appliance.db, download, principal.actor)
    return response
