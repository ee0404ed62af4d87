"""appliance/threads.py: blocking calls off the event loop, bounded, never abandoned."""

from __future__ import annotations

import asyncio
import threading

import pytest

from appliance import threads
from appliance.threads import in_thread


def test_results_and_errors_come_back() -> None:
    async def go() -> None:
        assert await in_thread(pow, 2, 10) == 1024
        assert await in_thread(int, "ff", base=16) == 255
        with pytest.raises(ValueError):
            await in_thread(int, "not a number")

    asyncio.run(go())


def test_a_cancelled_caller_waits_for_its_call_to_finish() -> None:
    """A caller's cleanup runs after the call it cleans up after, never beside it."""
    order: list[str] = []
    started = threading.Event()
    release = threading.Event()

    def work() -> None:
        started.set()
        assert release.wait(30)
        order.append("call finished")

    async def caller() -> None:
        try:
            await in_thread(work)
        except asyncio.CancelledError:
            order.append("caller cancelled")
            raise

    async def go() -> None:
        task = asyncio.create_task(caller())
        assert await asyncio.to_thread(started.wait, 30)
        task.cancel()
        task.cancel()  # twice, as a stopping server may
        for _ in range(10):  # loop turns in which an abandoning caller would be done
            await asyncio.sleep(0)
        assert not task.done()
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(go())
    assert order == ["call finished", "caller cancelled"]


def test_at_most_threads_calls_run_at_once() -> None:
    running = 0
    most = 0
    lock = threading.Condition()
    release = threading.Event()

    def work() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
            lock.notify_all()
        assert release.wait(30)
        with lock:
            running -= 1

    async def go() -> None:
        calls = [asyncio.create_task(in_thread(work)) for _ in range(3 * threads.THREADS)]

        def pool_full() -> bool:
            with lock:
                return lock.wait_for(lambda: running == threads.THREADS, timeout=30)

        assert await asyncio.to_thread(pool_full)
        with lock:
            assert running == threads.THREADS  # the others wait their turn
        release.set()
        await asyncio.gather(*calls)

    asyncio.run(go())
    assert most == threads.THREADS
