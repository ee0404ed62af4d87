"""Small pieces the single and multipart upload endpoints share."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from appliance.context import Appliance
from appliance.errors import ApiError, ErrorType
from appliance.orgs import get_org
from storage import InsufficientStorage

DEFAULT_CONTENT_TYPE = "application/octet-stream"
ORG_GONE = "the organization was deleted while the body arrived; nothing was stored"


async def require_active_org(appliance: Appliance, org_id: str) -> None:
    """A presigned URL is only as good as its organization: suspended means refused."""
    org = await run_in_threadpool(get_org, appliance.db, org_id)
    if org is None:
        raise ApiError(ErrorType.not_found, ORG_GONE)
    if not org.active:
        raise ApiError(ErrorType.forbidden, "the organization is suspended")


def ensure_space(appliance: Appliance, size: int) -> None:
    try:
        appliance.store.ensure_space(size)
    except InsufficientStorage as exc:
        raise ApiError(ErrorType.insufficient_storage, str(exc)) from exc


def public_base(request: Request) -> str:
    """Base of presigned URLs: as configured, else the host the client called."""
    configured = request.app.state.appliance.settings.public_url
    return (configured or str(request.base_url)).rstrip("/")
