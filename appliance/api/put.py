"""``PUT /v1/put/{token}``: where every presigned URL points."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from appliance.api import multipart, uploads
from appliance.api.common import require_active_org
from appliance.context import Appliance
from appliance.presign import Grant


async def put_presigned(request: Request) -> Response:
    """Verify the token, then hand over to the single-file or the part upload."""
    appliance: Appliance = request.app.state.appliance

    grant: Grant = appliance.signer.verify(request.path_params["token"])
    await require_active_org(appliance, grant.org_id)
    if grant.part_number is not None and grant.grant_id is not None:
        return await multipart.put_part(request, appliance, grant)
    return await uploads.put_single(request, appliance, grant)
