"""Analytics work in threads of its own, each organization at most half of them.

Queries (DuckDB, numpy fits) and what a question needs first (the dataset list, the
reading of the question) can take seconds; the request threads of
:mod:`appliance.threads` answer uploads, file lists, presigns and sign-ins in
milliseconds. Sharing one pool let one organization's twelve heavy plans fill it and
hold everyone's uploads behind them. Here analytics has a :class:`FairPool` of its own
(``analytics_threads``, one per server process), one organization holds at most half of
it, and free threads go round-robin between organizations. A request beyond its
organization's share waits on the event loop, holding no thread, for at most
:data:`WAIT_S`; then it is refused with 429 ``rate_limited`` and ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from appliance.errors import ApplianceError, ErrorType
from appliance.fair_pool import FairPool
from appliance.threads import wait_out

P = ParamSpec("P")
T = TypeVar("T")

WAIT_S = 10.0
"""The longest a request waits for a thread within its organization's share."""
RETRY_AFTER_S = 5
"""What a refused request is told to wait before trying again."""

NICE = 10
"""How much lower the analytics threads' priority is than the request threads': the
kernel gives a nice-10 thread about a tenth of the CPU a nice-0 thread gets when both
want it, so on two busy cores an upload or a presign still runs almost at once."""

_pools: dict[int, FairPool] = {}
_pools_lock = threading.Lock()


def share(threads: int) -> int:
    """The most threads one organization may hold: half, and at least one."""
    return max(1, threads // 2)


def pool(threads: int) -> FairPool:
    """The analytics pool of ``threads`` (one size in a server; tests may use others)."""
    with _pools_lock:
        found = _pools.get(threads)
        if found is None:
            found = _pools[threads] = FairPool(threads, share(threads), "hpx-analytics", NICE)
        return found


async def run(
    threads: int, org_id: str, func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
) -> T:
    """``func(*args, **kwargs)`` in the analytics pool as the organization's; its result.

    As with :func:`appliance.threads.in_thread`, a call that has started is never
    abandoned: a cancelled caller waits for it to end. A call still waiting for its
    turn is simply withdrawn.
    """
    chosen = pool(threads)
    future = chosen.submit(org_id, func, *args, **kwargs)
    waiter = asyncio.wrap_future(future)
    try:
        await asyncio.wait([waiter], timeout=WAIT_S)
    except asyncio.CancelledError:
        if not chosen.withdraw(future):
            await wait_out(waiter)
        raise
    if not waiter.done() and chosen.withdraw(future):
        raise ApplianceError(
            ErrorType.rate_limited,
            "every analytics thread this organization may use is busy (its share: half of"
            f" them); retry in {RETRY_AFTER_S} s",
            retry_after=RETRY_AFTER_S,
        )
    try:
        return await asyncio.shield(waiter)
    except asyncio.CancelledError:
        await wait_out(waiter)
        raise
