"""Group commit: many small write transactions made durable by one commit.

Why: every write transaction ends in a commit that waits for its fsync
(``synchronous=FULL``), and writers take turns. Under load, presign requests queued
behind one another's fsync, each handing the GIL back and forth around it:
``bench/presign_vs_bare.py`` measured the appliance at 0.44x a bare app's rate with
the server neither using a full core nor holding the lock for long.

Here whoever arrives while a commit is in progress leaves its work in a queue; the
next thread to take the lead runs everything queued, each piece in a savepoint of
one transaction, and commits once. A piece that raises is rolled back alone and only
its caller sees the error. Every caller returns after the commit that made its work
durable (or with the error that stopped that commit), so an acknowledged presigned
URL survives a power cut exactly as before.

Work must not open a transaction of its own (it already runs inside one) and must
write through the connection it is given; reads through the database object run on
the same connection, since the leader runs them on its own thread. And
``write_grouped`` must not be called inside ``write()``: that thread would wait for
the lead while a leader waits for its write lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")

MAX_BATCH = 64
"""Pieces per commit: bounds how long one leader's callers wait for the slowest."""


class _Job(Generic[T]):
    __slots__ = ("done", "error", "value", "work")

    def __init__(self, work: Callable[[Any], T]) -> None:
        self.work = work
        self.done = False
        self.value: T | None = None
        self.error: BaseException | None = None


class GroupCommit:
    """``write_grouped``, for a database class whose ``write()`` opens one write
    transaction; call ``_reset_group()`` on construction and after a fork."""

    def write(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _reset_group(self) -> None:
        self._queue: list[_Job[Any]] = []
        self._queue_lock = threading.Lock()
        self._leader = threading.Lock()

    def write_grouped(self, work: Callable[[Any], T]) -> T:
        """``work(conn)`` in a write transaction shared with other callers; its
        result once that transaction is committed."""
        job: _Job[T] = _Job(work)
        with self._queue_lock:
            self._queue.append(job)
        with self._leader:
            while not job.done:
                with self._queue_lock:
                    batch = self._queue[:MAX_BATCH]
                    del self._queue[:MAX_BATCH]
                self._commit(batch)
        if job.error is not None:
            raise job.error
        return cast(T, job.value)

    def _commit(self, batch: list[_Job[Any]]) -> None:
        try:
            with self.write() as conn:
                for job in batch:
                    conn.execute("SAVEPOINT grouped")
                    try:
                        job.value = job.work(conn)
                    except Exception as exc:  # this caller's error, and only its
                        conn.execute("ROLLBACK TO grouped")
                        job.error = exc
                    conn.execute("RELEASE grouped")
        except BaseException as exc:  # nothing of the batch was committed
            for job in batch:
                job.error = exc
        finally:
            for job in batch:
                job.done = True
