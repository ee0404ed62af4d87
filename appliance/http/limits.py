"""Fair shares: no client address may hold more than a bounded number of requests in
flight, and the whole server no more than a bounded total.

Every request in flight holds memory, and may hold a worker thread or a database
connection; a flood from one address must not take them from everyone else. Past the
limit the answer is 429 ``rate_limited`` at once, with ``Retry-After``, before any body
is read.
"""

from __future__ import annotations

from collections import Counter

from starlette.types import ASGIApp, Receive, Scope, Send

from appliance.errors import ErrorType
from appliance.http.error_responses import HttpError, error_response


class InFlightLimit:
    def __init__(self, app: ASGIApp, per_address: int, total: int) -> None:
        self.app = app
        self.per_address = per_address
        self.total = total
        self.by_address: Counter[str] = Counter()
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in ("/healthz", "/readyz"):
            await self.app(scope, receive, send)  # a monitor must always get through
            return
        client = scope.get("client")
        address = client[0] if client else "unknown"
        if self.by_address[address] >= self.per_address or self.in_flight >= self.total:
            busy = HttpError(
                ErrorType.rate_limited,
                "too many requests in flight; retry shortly",
                {"Retry-After": "1", "Connection": "close"},
            )
            await error_response(busy)(scope, receive, send)
            return
        self.by_address[address] += 1
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
            self.by_address[address] -= 1
            if not self.by_address[address]:
                del self.by_address[address]
