"""The metadata database on one SQLite file, through sqlite-utils (the default).

WAL lets the server, the CLI and the console work at once; ``synchronous=FULL`` makes a
committed upload survive a power cut, which an acknowledged upload must. Connections
are per thread: the server runs queries in a thread pool, and SQLite connections must
not be shared between threads mid-transaction. Read-then-write work takes
``BEGIN IMMEDIATE`` and a lock between processes (appliance/db/surface.py says why).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from appliance.db import holders
from appliance.db.group_commit import GroupCommit
from appliance.db.schema import MIGRATIONS
from appliance.db.surface import Connection, Reads, begin_hooks, new_instance, run_hooks
from appliance.lean_imports import without

with without("numpy", "pandas"):
    import sqlite_utils

BUSY_TIMEOUT_MS = 10_000


class SqliteDB(Reads, GroupCommit):
    """A SQLite file with one connection per thread."""

    audit_seal: Any = None
    """The audit chain's key and head file (appliance/audit_seal.py), set by
    open_appliance; without one, writing an audit record is refused."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.holders_dir = path.with_name(path.name + ".holders")
        """Where each process that makes claims holds its name (appliance/db/holders.py)."""
        self.after_fork()

    def after_fork(self) -> None:
        """Fresh connections and locks, and a name of its own: a forked server process
        must not use its parent's (SQLite connections do not survive a fork), and its
        claims must die with it, not with the whole server (appliance/uploads/claims.py)."""
        for inherited in (getattr(self, "_lock_file", None), getattr(self, "_holder", None)):
            if inherited is not None:  # the parent's: closing our copy leaves its lock
                os.close(inherited)
        self._instance: str | None = None
        self._holder: int | None = None
        self._guard = threading.Lock()
        self._local = threading.local()
        # Writers queue here: the threads of this process on the lock, the processes
        # (server processes, the CLI, the console) on an flock of a file beside the
        # database. Left to SQLite, they would poll its write lock with the busy
        # handler's growing sleeps: bench/presign_load.py measured 479 req/s at p99
        # 489 ms that way.
        self._write_lock = threading.RLock()
        self._lock_file: int | None = None
        self._depth = 0
        self._reset_group()

    @property
    def conn(self) -> sqlite_utils.Database:
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if db is None:
            raw = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            raw.execute("PRAGMA journal_mode=WAL")
            raw.execute("PRAGMA synchronous=FULL")
            raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            raw.execute("PRAGMA foreign_keys=ON")
            db = sqlite_utils.Database(raw, execute_plugins=False)
            self._local.db = db
        return db

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:  # a Connection
        """A read-then-write transaction: takes the write lock before the first read."""
        db = self.conn
        with self._write_lock, self._between_processes():
            db.execute("BEGIN IMMEDIATE")
            hooks = begin_hooks(db, self)
            try:
                yield db
            except BaseException:
                db.conn.rollback()
                raise
            else:
                db.execute("COMMIT")
        run_hooks(db, hooks)  # outside the lock: a hook's file write holds up no writer

    @contextmanager
    def _between_processes(self) -> Iterator[None]:
        """The flock of ``<db>.lock``, held by one thread of this process at a time."""
        if self._lock_file is None:
            lock_path = self.path.with_name(self.path.name + ".lock")
            self._lock_file = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        self._depth += 1
        if self._depth == 1:
            fcntl.flock(self._lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                fcntl.flock(self._lock_file, fcntl.LOCK_UN)

    @contextmanager
    def exclusive(self, job: str) -> Iterator[bool]:
        """One host: its server runs housekeeping in one process only (server.py)."""
        yield True

    @property
    def instance(self) -> str:
        """This process's name, held (appliance/db/holders.py) from its first claim until it
        ends. Taking one also sweeps away the names of processes that are gone."""
        with self._guard:
            if self._instance is None:
                name = new_instance()
                holders.sweep(self.holders_dir)
                self._holder = holders.hold(self.holders_dir, name)
                self._instance = name
            return self._instance

    def alive(self, owner: str) -> bool:
        """This process, or another that still holds the name: a server process that
        was killed is dead at once, while its siblings serve on (an earlier start's,
        too: the whole server's are)."""
        return owner == self._instance or holders.alive(self.holders_dir, owner)

    def counters_follow_rows(self) -> None:
        """SQLite's AUTOINCREMENT already continues after the largest ``seq``."""

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None


def migrate(db: SqliteDB) -> int:
    """Apply pending migrations in one transaction each; return the schema version."""
    while True:
        with db.write() as conn:
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version >= len(MIGRATIONS):
                return version
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version={version + 1}")


def _statements(script: str) -> list[str]:
    """The script's statements, one by one: executescript() would COMMIT our transaction.

    A trigger's body holds semicolons of its own, so pieces are joined until SQLite
    says the statement is complete.
    """
    out: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                out.append(pending.strip().removesuffix(";"))
            pending = ""
    return out


def open_sqlite(path: Path) -> SqliteDB:
    """Open (creating if needed) and migrate the SQLite file at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = SqliteDB(path)
    migrate(db)
    return db


@contextmanager
def read_only(path: Path) -> Iterator[Connection]:
    """The SQLite file at ``path`` read-only, as a :class:`Connection` (a backup's: a
    missing file is not created, the file never changed), for the tables' own modules."""
    db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        yield sqlite_utils.Database(db)
    finally:
        db.close()
