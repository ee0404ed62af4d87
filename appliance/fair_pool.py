"""Threads shared fairly between organizations: each at most a share, turns round-robin.

A plain ``ThreadPoolExecutor`` serves its queue first in, first out: one organization
that sends twelve slow queries (or six large CSV files to import) fills every thread,
and another organization's work waits behind all of it. Here each job belongs to a key
(the organization's id); a key never holds more than ``share`` of the threads, and a
free thread takes the next job of the key after the one it served last, so a key with
one job waiting is served before a key's eleventh.

Its threads may run at a lower priority (``nice``): on a host with two cores, the
scheduler then gives the threads that answer requests the CPU first, and the pool's
work takes what they leave. Threads that the jobs start (DuckDB's own) inherit it.

Threads are started when there is a job one could take and end when there is none, so
an idle pool holds no thread (nothing to stop at exit). A forked server process starts
with an empty pool: the parent's jobs, and its lock, stay the parent's.
"""

from __future__ import annotations

import functools
import os
import threading
import weakref
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


@dataclass
class _Job:
    key: str
    call: Callable[[], Any]
    future: Future[Any]


class FairPool:
    """At most ``threads`` jobs at once, at most ``share`` of them of one key."""

    def __init__(self, threads: int, share: int, name: str, nice: int = 0) -> None:
        if not 1 <= share <= threads:
            raise ValueError("share must be between 1 and threads")
        self.threads = threads
        self.share = share
        self.name = name
        self.nice = nice
        self._empty()
        os.register_at_fork(after_in_child=functools.partial(_empty_after_fork, weakref.ref(self)))

    def _empty(self) -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, deque[_Job]] = {}
        """Jobs not started, by key; the dict's order is the keys' turn order."""
        self._running: dict[str, int] = {}
        self._workers = 0

    def submit(
        self, key: str, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
    ) -> Future[T]:
        """Queue ``fn(*args, **kwargs)`` as a job of ``key``; its future."""
        future: Future[T] = Future()
        job = _Job(key, functools.partial(fn, *args, **kwargs), future)
        with self._lock:
            self._queues.setdefault(key, deque()).append(job)
            self._start_worker()
        return future

    def withdraw(self, future: Future[Any]) -> bool:
        """Take a job that has not started out of its queue (cancelled); False once it
        has started (it then runs to its end)."""
        with self._lock:
            for key, queue in self._queues.items():
                for job in queue:
                    if job.future is future:
                        queue.remove(job)
                        if not queue:
                            del self._queues[key]
                        future.cancel()
                        return True
        return False

    def running(self, key: str) -> int:
        with self._lock:
            return self._running.get(key, 0)

    def waiting(self, key: str) -> int:
        with self._lock:
            return len(self._queues.get(key, ()))

    # -- under the lock ---------------------------------------------------------------

    def _eligible(self) -> str | None:
        """The first key, in turn order, with a job waiting and room in its share."""
        return next((k for k in self._queues if self._running.get(k, 0) < self.share), None)

    def _start_worker(self) -> None:
        if self._workers < self.threads and self._eligible() is not None:
            self._workers += 1
            threading.Thread(target=self._work, name=f"{self.name}-{self._workers}").start()

    def _take(self) -> _Job | None:
        key = self._eligible()
        if key is None:
            return None
        queue = self._queues.pop(key)  # popped and put back last: its turn is over
        job = queue.popleft()
        if queue:
            self._queues[key] = queue
        self._running[key] = self._running.get(key, 0) + 1
        return job

    def _done(self, key: str) -> None:
        left = self._running[key] - 1
        if left:
            self._running[key] = left
        else:
            del self._running[key]

    # -- in a worker thread -----------------------------------------------------------

    def _work(self) -> None:
        if self.nice:
            _lower_priority(self.nice)
        while True:
            with self._lock:
                job = self._take()
                if job is None:
                    self._workers -= 1
                    return
                self._start_worker()  # another job may be waiting for a thread, too
            try:
                if job.future.set_running_or_notify_cancel():
                    try:
                        job.future.set_result(job.call())
                    except BaseException as exc:  # handed to the caller, as an executor does
                        job.future.set_exception(exc)
            finally:
                with self._lock:
                    self._done(job.key)


def _empty_after_fork(ref: weakref.ref[FairPool]) -> None:
    pool = ref()
    if pool is not None:
        pool._empty()


def _lower_priority(steps: int) -> None:
    """This thread's nice value raised by ``steps`` (Linux keeps one per thread; raising
    it needs no privilege). Where that cannot be done, the thread keeps its priority."""
    try:
        me = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, me, min(19, os.getpriority(os.PRIO_PROCESS, me) + steps))
    except (AttributeError, OSError):
        pass
