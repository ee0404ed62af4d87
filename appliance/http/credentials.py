"""Who is calling: resolving the credential of a request to a Principal, and sign-in."""

from __future__ import annotations

import asyncio

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from appliance.accounts import apikeys
from appliance.accounts.apikeys import Principal
from appliance.context import Appliance
from appliance.errors import ApplianceError, ErrorType
from appliance.http import parsing
from appliance.http.ratelimit import FailureLimiter
from appliance.threads import in_thread


async def authenticate(request: Request, scope: str) -> Principal:
    """The caller's principal with ``scope``, from ``X-API-Key`` or a bearer token.

    Failed attempts are counted per client address; past the limit even a correct
    credential is refused for a while, so guessing costs the guesser time.
    """
    appliance: Appliance = request.app.state.appliance
    limiter: FailureLimiter = request.app.state.failure_limiter
    address = client_address(request)
    limiter.check(address)  # keys are checked in microseconds: counted after, as failures
    key = request.headers.get("x-api-key")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    try:
        if key:
            principal = await in_thread(apikeys.authenticate_key, appliance.db, key)
        elif scheme.lower() == "bearer" and token.strip():
            principal = await in_thread(
                appliance.token_keys.authenticate, appliance.db, token.strip()
            )
        else:
            raise ApplianceError(
                ErrorType.unauthorized,
                "send an API key (X-API-Key) or a bearer token (Authorization: Bearer)",
            )
    except ApplianceError as exc:
        if exc.kind is ErrorType.unauthorized:
            limiter.fail(address)
        raise
    principal.require(scope)
    return principal


async def sign_in(request: Request) -> Response:
    """``POST /v1/auth/token``: email and password for a JWT."""
    appliance: Appliance = request.app.state.appliance
    limiter: FailureLimiter = request.app.state.failure_limiter
    address = client_address(request)
    limiter.check(address)
    body = await parsing.read_json(request)
    email = parsing.text(body, "email", required=True, max_length=254)
    password = parsing.text(body, "password", required=True, max_length=1024)
    assert email is not None and password is not None
    limiter.attempt(address)  # counted before argon2 runs, so concurrency cannot skip it
    try:
        # argon2id takes 64 MiB and most of a core: a few at a time, waiting on the
        # event loop rather than in worker threads other requests need.
        async with _password_checks(request):
            token = await in_thread(
                appliance.token_keys.issue,
                appliance.db,
                email,
                password,
                appliance.settings.access_token_ttl,
            )
    except ApplianceError as exc:
        if exc.kind is not ErrorType.unauthorized:
            limiter.succeeded(address)
        raise
    limiter.succeeded(address)
    return JSONResponse(token.to_dict(), headers={"Cache-Control": "no-store"})


PASSWORD_CHECKS_AT_ONCE = 2


def _password_checks(request: Request) -> asyncio.Semaphore:
    state = request.app.state
    if getattr(state, "password_checks", None) is None:
        state.password_checks = asyncio.Semaphore(PASSWORD_CHECKS_AT_ONCE)
    semaphore: asyncio.Semaphore = state.password_checks
    return semaphore


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
