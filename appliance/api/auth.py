"""Who is calling: resolving the credential of a request to a Principal."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from appliance import apikeys
from appliance.apikeys import Principal
from appliance.context import Appliance
from appliance.errors import ApiError, ErrorType
from appliance.ratelimit import FailureLimiter


async def authenticate(request: Request, scope: str) -> Principal:
    """The caller's principal with ``scope``, or 401/403/429.

    Failed attempts are counted per client address; past the limit even a correct
    key is refused for a while, so guessing costs the guesser time.
    """
    appliance: Appliance = request.app.state.appliance
    limiter: FailureLimiter = request.app.state.key_limiter
    address = request.client.host if request.client else "unknown"
    limiter.check(address)
    presented = request.headers.get("x-api-key")
    if not presented:
        raise ApiError(ErrorType.unauthorized, "send an API key in the X-API-Key header")
    try:
        principal = await run_in_threadpool(apikeys.authenticate_key, appliance.db, presented)
    except ApiError as exc:
        if exc.kind is ErrorType.unauthorized:
            limiter.fail(address)
        raise
    principal.require(scope)
    return principal
