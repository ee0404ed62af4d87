"""Blocking work (the database, the disk) off the event loop, in a bounded pool.

Why not Starlette's ``run_in_threadpool``: it goes through anyio's ``to_thread``, which
cost ~58 µs of CPU a call against ~16 µs for asyncio's own executor (20,000 no-op
calls from 32 tasks on uvloop), and a presign makes two such calls: py-spy put a
quarter of a server process's time under ``run_in_threadpool`` during
bench/presign_vs_bare.py. What anyio gave is kept: a bound on the threads, and work
that is not abandoned: a cancelled caller (a client gone, a server stopping) waits
for its call to finish before the cancellation goes on, so that cleanup never races
the work it cleans up after (an upload published in a thread while its URL is given
back, say).
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

THREADS = 8
"""Per server process. Each thread keeps its own SQLite connection and page cache, and
an argon2id sign-in takes 64 MiB on one: anyio's default of 40 would let those add up.
Eight are plenty for short queries, and writers queue on the database's lock anyway."""

_pool: ThreadPoolExecutor | None = None
_pool_pid = 0
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    """This process's pool: a server process forked from another makes its own."""
    global _pool, _pool_pid
    with _pool_lock:  # event loops in several threads (the tests' clients) may ask at once
        if _pool is None or _pool_pid != os.getpid():
            _pool = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="hpx-db")
            _pool_pid = os.getpid()
        return _pool


async def in_thread(func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """``func(*args, **kwargs)`` in a worker thread; its result or its exception."""
    future = asyncio.get_running_loop().run_in_executor(
        _executor(), functools.partial(func, *args, **kwargs)
    )
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        await wait_out(future)
        raise


async def wait_out(future: asyncio.Future[Any]) -> None:
    """Wait for a call that has started to end, however often the caller is cancelled
    meanwhile (the caller then goes on with its own cancellation). Its exception, if
    any, is taken here: the caller has gone, and nothing else will look at it."""
    while not future.done():
        try:
            await asyncio.wait([future])
        except asyncio.CancelledError:
            continue
    if not future.cancelled():
        future.exception()
