"""Listing, describing, downloading and deleting an organization's files."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response

from appliance import files
from appliance.context import Appliance
from appliance.errors import ApplianceError, ErrorType, invalid
from appliance.http.credentials import authenticate
from appliance.http.error_responses import HttpError
from storage import NotStored


async def list_files(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "upload")
    raw_limit = request.query_params.get("limit", str(files.DEFAULT_PAGE))
    if not raw_limit.isdigit():
        raise invalid("limit", "must be an integer")
    records, next_cursor = await run_in_threadpool(
        files.list_files,
        appliance.db,
        principal.org.id,
        int(raw_limit),
        request.query_params.get("cursor"),
    )
    return JSONResponse({"files": [r.to_dict() for r in records], "next_cursor": next_cursor})


async def get_file(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "upload")
    record = await run_in_threadpool(
        files.get_file, appliance.db, principal.org.id, request.path_params["file_id"]
    )
    return JSONResponse(record.to_dict())


async def delete_file(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "upload")
    await run_in_threadpool(
        files.delete_file,
        appliance.db,
        appliance.store,
        principal.org.id,
        request.path_params["file_id"],
        principal.actor,
    )
    return Response(status_code=204)


async def file_content(request: Request) -> Response:
    """The bytes, streamed; ``Range`` requests are answered with 206."""
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "upload")
    record = await run_in_threadpool(
        files.get_file, appliance.db, principal.org.id, request.path_params["file_id"]
    )
    try:
        path = appliance.store.path_of(principal.org.id, record.filename)
    except NotStored as exc:
        raise ApplianceError(ErrorType.not_found, "the file's content is missing") from exc
    _check_range(request.headers.get("range"), record.size)
    await run_in_threadpool(
        files.note_download, appliance.db, principal.org.id, record.file_id, principal.actor
    )
    return FileResponse(
        path,
        media_type=record.content_type or "application/octet-stream",
        filename=record.filename,
        # Served as a download, never sniffed into something a browser would run.
        headers={"X-Content-Type-Options": "nosniff"},
    )


def _check_range(header: str | None, size: int) -> None:
    """416 as JSON, like every other error, for a range that starts past the end."""
    if not header or not header.startswith("bytes="):
        return
    for part in header[6:].split(","):
        start, _, _end = part.strip().partition("-")
        if start.isdigit() and int(start) >= size:
            raise HttpError(
                ErrorType.range_not_satisfiable,
                f"the file has {size} bytes",
                {"Content-Range": f"bytes */{size}"},
            )
