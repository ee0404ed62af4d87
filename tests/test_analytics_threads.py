"""appliance/analytics/threads.py: past its share, an organization waits, then is told 429."""

from __future__ import annotations

import asyncio
import threading

import pytest

from appliance.analytics import threads
from appliance.errors import ApplianceError, ErrorType

POOL = 2  # a pool of its own for these tests: one thread each, at most, for two orgs


def test_past_its_share_an_organization_waits_then_gets_429(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(threads, "WAIT_S", 0.2)  # the bound, shortened; nothing else changed
    release = threading.Event()
    ran: list[str] = []

    def hold(name: str) -> str:
        ran.append(name)
        assert release.wait(30)
        return name

    async def go() -> None:
        first = asyncio.create_task(threads.run(POOL, "org-a", hold, "a1"))
        while threads.pool(POOL).running("org-a") == 0:
            await asyncio.sleep(0.01)  # the poll interval of a wait on a visible condition
        with pytest.raises(ApplianceError) as refused:
            await threads.run(POOL, "org-a", hold, "a2")
        assert refused.value.kind is ErrorType.rate_limited
        assert refused.value.retry_after == threads.RETRY_AFTER_S
        # Another organization is not behind org-a: it has a thread of its own.
        assert await threads.run(POOL, "org-b", str.upper, "b") == "B"
        release.set()
        assert await first == "a1"

    asyncio.run(go())
    assert ran == ["a1"]  # the refused call never ran
    assert threads.pool(POOL).waiting("org-a") == 0


def test_a_cancelled_caller_withdraws_a_waiting_call_and_waits_for_a_running_one() -> None:
    release = threading.Event()
    ran: list[str] = []

    def hold(name: str) -> None:
        ran.append(name)
        assert release.wait(30)
        ran.append(f"{name} done")

    async def go() -> None:
        running = asyncio.create_task(threads.run(POOL, "org-c", hold, "c1"))
        waiting = asyncio.create_task(threads.run(POOL, "org-c", hold, "c2"))
        while threads.pool(POOL).waiting("org-c") == 0 or not ran:
            await asyncio.sleep(0.01)  # the poll interval of a wait on a visible condition
        waiting.cancel()
        running.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        for _ in range(10):  # loop turns in which an abandoning caller would be done
            await asyncio.sleep(0)
        assert not running.done()  # it waits for the call it started
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await running

    asyncio.run(go())
    assert ran == ["c1", "c1 done"]  # c2 was withdrawn before it started
