"""The metadata database's surface, the same on both databases: one SQLite file through
sqlite-utils (the default), or PostgreSQL (``database_url``) for several nodes.

Both offer the same small surface, :class:`DB` and the :class:`Connection` it hands
out: ``execute`` and ``query`` with ``?`` placeholders, and ``table(name)`` with
sqlite-utils' ``insert``/``insert_all``/``update``/``upsert``. Every module writes its
SQL once, for both. Read-then-write work runs inside :meth:`DB.write`, which lets one
writer at a time in (SQLite: ``BEGIN IMMEDIATE`` and a lock between processes;
PostgreSQL: a transaction-scoped advisory lock, the same across nodes), so that two
writers never both read the old state.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

Params = Sequence[Any] | dict[str, Any]
T = TypeVar("T")


class Table(Protocol):
    """The part of sqlite-utils' ``Table`` the data layer uses."""

    def insert(self, record: dict[str, Any]) -> Any: ...

    def insert_all(self, records: Iterable[dict[str, Any]]) -> Any: ...

    def update(self, pk_values: Any, updates: dict[str, Any]) -> Any: ...

    def upsert(self, record: dict[str, Any], pk: Any) -> Any: ...


class Cursor(Protocol):
    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


class Connection(Protocol):
    """What a module's SQL runs on: sqlite-utils' ``Database``, or its PostgreSQL peer."""

    def execute(self, sql: str, parameters: Any = None) -> Cursor: ...

    def query(self, sql: str, params: Any = None) -> Iterator[dict[str, Any]]: ...

    def table(self, table_name: str) -> Any: ...


class DB(Protocol):
    audit_seal: Any
    """The audit chain's key and head file (appliance/audit_seal.py)."""

    @property
    def conn(self) -> Connection:
        """This thread's connection, outside any transaction (each statement commits)."""

    def write(self) -> AbstractContextManager[Connection]:
        """A read-then-write transaction, one writer at a time (see the module)."""

    def write_grouped(self, work: Callable[[Connection], T]) -> T:
        """``work(conn)`` committed together with other callers' work, each in a
        savepoint of its own (appliance/db/group_commit.py): for small writes under load."""

    def rows(self, sql: str, params: Params = ()) -> list[dict[str, Any]]: ...

    def row(self, sql: str, params: Params = ()) -> dict[str, Any] | None: ...

    def exclusive(self, job: str) -> AbstractContextManager[bool]:
        """True inside the block if no other process sharing this database runs
        ``job`` (housekeeping runs once, not once per node)."""

    @property
    def instance(self) -> str:
        """The name claims made through this database are recorded under
        (appliance/uploads/claims.py)."""

    def alive(self, owner: str) -> bool:
        """Is the holder of claims named ``owner`` still running?"""

    def after_fork(self) -> None: ...

    def close(self) -> None: ...

    def counters_follow_rows(self) -> None:
        """After rows were copied in with their own ``seq`` values (``hpx migrate``),
        make the next ``seq`` come after them."""


class Reads:
    """``rows`` and ``row``, the same on every database: over ``self.conn.query``."""

    conn: Any

    def rows(self, sql: str, params: Params = ()) -> list[dict[str, Any]]:
        return list(self.conn.query(sql, params))

    def row(self, sql: str, params: Params = ()) -> dict[str, Any] | None:
        rows = self.rows(sql, params)
        return rows[0] if rows else None


def after_commit(conn: Connection, hook: Callable[[Connection], None]) -> None:
    """Run ``hook(conn)`` once the write transaction ``conn`` is in has committed, never
    if it rolls back (the audit head outside the database must never lead it)."""
    hooks: list[Callable[[Connection], None]] = conn.hpx_after_commit  # type: ignore[attr-defined]
    if hook not in hooks:
        hooks.append(hook)


def audit_seal_of(conn: Connection) -> Any:
    """The audit key and head (appliance/audit_seal.py) of the database ``conn`` writes
    to: set on the database by whoever opens it with its configuration."""
    return conn.hpx_audit_seal  # type: ignore[attr-defined]


def begin_hooks(conn: Any, db: Any) -> list[Callable[[Connection], None]]:
    """At the start of a write transaction: no hooks yet, and the database's audit seal."""
    hooks: list[Callable[[Connection], None]] = []
    conn.hpx_after_commit = hooks
    conn.hpx_audit_seal = db.audit_seal
    return hooks


def run_hooks(conn: Any, hooks: list[Callable[[Connection], None]]) -> None:
    for hook in hooks:
        hook(conn)


def new_instance() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"
