"""Drop links over HTTP: the page a person opens, the call its script makes to open
the link, the tus creation endpoint it uses, and the call that closes the link with a
receipt.

The page and its notices are HTML (a person reads them); the endpoints the page's
script calls answer like the rest of the API. The browser that opened a link
holds its session in a cookie scoped to the link's own path, ``SameSite=Strict``, so
no other site's page can send it. The work is in :mod:`appliance.uploads.links`.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from appliance import clock
from appliance.accounts.orgs import get_org
from appliance.clock import parse_iso
from appliance.context import Appliance
from appliance.errors import ApplianceError
from appliance.http import pages
from appliance.http.tus_views import created_response, creation, tus_view
from appliance.threads import in_thread
from appliance.uploads import links

LINK_PATH = "/v1/drop/"
"""Path prefix of every drop link; the next path segment is the token (a secret)."""
COOKIE = "hpx_drop"
CHUNK_SIZE = 8 * 1024 * 1024
"""Bytes per PATCH from the page: each is durable once answered, so a reload or a
lost connection costs at most this much again."""


def possessive(name: str) -> str:
    """``St Mary's`` for a name already possessive (never ``St Mary's's``), ``Kings'``
    for one ending in ``s'``, else the name with ``'s``."""
    if name.endswith(("'s", "\u2019s", "s'", "s\u2019")):
        return name
    return name + "'s"


async def drop_page(request: Request) -> Response:
    """``GET /v1/drop/{token}`` (and HEAD): the page, or a notice saying why not. It
    opens nothing: link scanners and previews fetch it before the person does."""
    appliance: Appliance = request.app.state.appliance
    token = request.path_params["token"]
    try:
        link = await in_thread(links.show, appliance, token, request.cookies.get(COOKIE))
        org = await in_thread(get_org, appliance.db, link.org_id)
    except ApplianceError as exc:
        return pages.notice(exc)
    return pages.render(
        "drop.html",
        org=org.name if org is not None else "",
        org_possessive=possessive(org.name if org is not None else ""),
        label=link.label or "",
        open_url=LINK_PATH + token + "/open",
        create_url=LINK_PATH + token + "/tus/",
        done_url=LINK_PATH + token + "/done",
        chunk_size=str(CHUNK_SIZE),
        max_files=str(link.max_files),
        expires=parse_iso(link.expires_at).strftime("%Y-%m-%d %H:%M"),
    )


async def drop_open(request: Request) -> Response:
    """``POST /v1/drop/{token}/open``: the page's script, when the person gives it the
    first file, binds the link to this browser (its session cookie); the same browser
    may ask again (a reload)."""
    appliance: Appliance = request.app.state.appliance
    token = request.path_params["token"]
    visit = await in_thread(links.open_link, appliance, token, request.cookies.get(COOKIE))
    response = JSONResponse({"link_id": visit.link.id, "max_files": visit.link.max_files})
    if visit.session is not None:
        expires = parse_iso(visit.link.expires_at)
        response.set_cookie(
            COOKIE,
            visit.session,
            max_age=max(1, int(expires.timestamp() - clock.now())),
            path=LINK_PATH + token,
            secure=True,
            httponly=True,
            samesite="strict",
        )
    return response


@tus_view
async def drop_create(request: Request) -> Response:
    """``POST /v1/drop/{token}/tus/``: tus creation for the page's script."""
    appliance: Appliance = request.app.state.appliance
    length, filename, content_type = creation(request)
    created = await in_thread(
        lambda: links.create_upload(
            appliance,
            request.path_params["token"],
            request.cookies.get(COOKIE),
            filename=filename,
            content_type=content_type,
            length=length,
        )
    )
    return await created_response(request, appliance, created)


async def drop_done(request: Request) -> Response:
    """``POST /v1/drop/{token}/done``: close the link; the files it brought."""
    appliance: Appliance = request.app.state.appliance
    received = await in_thread(
        links.close, appliance, request.path_params["token"], request.cookies.get(COOKIE)
    )
    return JSONResponse({"files": [record.to_dict() for record in received]})
