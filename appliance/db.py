"""The metadata database: one SQLite file through sqlite-utils (the default), or
PostgreSQL (``database_url``, appliance/db_postgres.py) for several nodes.

Both offer the same small surface, :class:`DB` and the :class:`Connection` it hands
out: ``execute`` and ``query`` with ``?`` placeholders, and ``table(name)`` with
sqlite-utils' ``insert``/``insert_all``/``update``/``upsert``. Every module writes its
SQL once, for both. Read-then-write work runs inside :meth:`DB.write`, which lets one
writer at a time in (SQLite: ``BEGIN IMMEDIATE`` and a lock between processes;
PostgreSQL: a transaction-scoped advisory lock, the same across nodes), so that two
writers never both read the old state.

SQLite: WAL lets the server, the CLI and the console work at once; ``synchronous=FULL``
makes a committed upload survive a power cut, which an acknowledged upload must.
Connections are per thread: the server runs queries in a thread pool, and SQLite
connections must not be shared between threads mid-transaction.
"""

from __future__ import annotations

import fcntl
import os
import socket
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol, TypeVar

from appliance import holders
from appliance.group_commit import GroupCommit
from appliance.lean_imports import without

with without("numpy", "pandas"):
    import sqlite_utils

BUSY_TIMEOUT_MS = 10_000

# Forward migrations, applied in order; the schema version is PRAGMA user_version.
# Never edit a released entry: append a new one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE orgs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        quota_bytes INTEGER,
        created_at TEXT NOT NULL
    );
    CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        scopes TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT,
        revoked_at TEXT,
        last_used_at TEXT
    );
    CREATE INDEX api_keys_org ON api_keys(org_id);
    CREATE TABLE uploads (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        kind TEXT NOT NULL DEFAULT 'single' CHECK (kind IN ('single', 'multipart')),
        filename TEXT NOT NULL,
        content_type TEXT,
        size INTEGER,
        sha256 TEXT,
        max_size INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'receiving', 'assembling', 'done')),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        file_id TEXT,
        part_size INTEGER,
        part_count INTEGER
    );
    CREATE INDEX uploads_org ON uploads(org_id, created_at);
    CREATE INDEX uploads_expiry ON uploads(state, expires_at);
    CREATE TABLE part_grants (
        id TEXT PRIMARY KEY,
        upload_id TEXT NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
        part_number INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
            CHECK (state IN ('pending', 'receiving', 'done')),
        expires_at TEXT NOT NULL
    );
    CREATE INDEX part_grants_upload ON part_grants(upload_id, part_number);
    CREATE TABLE upload_parts (
        upload_id TEXT NOT NULL REFERENCES uploads(id) ON DELETE CASCADE,
        part_number INTEGER NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (upload_id, part_number)
    );
    CREATE TABLE files (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        upload_id TEXT,
        filename TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        content_type TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX files_org ON files(org_id, seq);
    CREATE UNIQUE INDEX files_upload ON files(upload_id);
    """,
    # 2: users who sign in for a JWT, and the audit trail of administrative actions.
    """
    CREATE TABLE users (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
        created_at TEXT NOT NULL,
        password_changed_at TEXT NOT NULL
    );
    CREATE INDEX users_org ON users(org_id);
    CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        org_id TEXT,
        target TEXT,
        detail TEXT
    );
    CREATE INDEX audit_log_org ON audit_log(org_id, seq);
    """,
    # 3: analytics — data dictionaries of datasets, and follow-up conversations.
    """
    CREATE TABLE dataset_dictionaries (
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        file_id TEXT NOT NULL,
        columns TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (org_id, file_id)
    );
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        owner TEXT NOT NULL,
        plan TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX conversations_expiry ON conversations(expires_at);
    """,
    # 4: who made an upload URL, so that revoking the key (or disabling the user)
    # refuses the URLs it made.
    """
    ALTER TABLE uploads ADD COLUMN key_id TEXT;
    ALTER TABLE uploads ADD COLUMN user_id TEXT;
    """,
    # 5: the audit trail is append-only and hash-chained (see audit.py).
    """
    ALTER TABLE audit_log ADD COLUMN hash TEXT;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN OLD.hash IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
    """,
    # 6: resumable uploads over the tus 1.0 protocol (see uploads/tus.py).
    """
    CREATE TABLE tus_uploads (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        filename TEXT NOT NULL,
        content_type TEXT,
        length INTEGER,
        received INTEGER NOT NULL DEFAULT 0,
        max_size INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'open'
            CHECK (state IN ('reserved', 'open', 'receiving', 'done')),
        concat TEXT CHECK (concat IN ('partial', 'final')),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        file_id TEXT,
        key_id TEXT,
        user_id TEXT
    );
    CREATE INDEX tus_uploads_expiry ON tus_uploads(state, expires_at);
    """,
    # 7: drop links, single-use pages a person uploads files through (uploads/links.py).
    """
    CREATE TABLE drop_links (
        id TEXT PRIMARY KEY,
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        label TEXT,
        max_files INTEGER NOT NULL,
        uploads INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'open', 'closed')),
        session_hash TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        opened_at TEXT,
        closed_at TEXT,
        key_id TEXT,
        user_id TEXT
    );
    CREATE INDEX drop_links_expiry ON drop_links(expires_at);
    ALTER TABLE tus_uploads ADD COLUMN link_id TEXT;
    CREATE INDEX tus_uploads_link ON tus_uploads(link_id);
    """,
    # 8: who holds each claim, so that only a dead holder's claims are given back
    # (appliance/claims.py): several nodes share one database.
    """
    ALTER TABLE uploads ADD COLUMN claimed_by TEXT;
    ALTER TABLE part_grants ADD COLUMN claimed_by TEXT;
    ALTER TABLE tus_uploads ADD COLUMN claimed_by TEXT;
    """,
    # 9: a user's token epoch, carried in each sign-in token and raised by a password
    # change or a disable, so that those end the tokens issued before them.
    """
    ALTER TABLE users ADD COLUMN token_epoch INTEGER NOT NULL DEFAULT 0;
    """,
    # 10: disclosure control (analytics/disclosure.py): each organization's smallest
    # count an answer may show (11 for every organization, new or existing), which
    # users an operator granted record-level access (the scope ``rows``), and the row
    # sets of recent answers, for the differencing guard (analytics/differencing.py).
    """
    ALTER TABLE orgs ADD COLUMN min_cell_size INTEGER NOT NULL DEFAULT 11;
    ALTER TABLE users ADD COLUMN rows_scope INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE disclosure_row_sets (
        org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
        file_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        row_count INTEGER NOT NULL,
        rows TEXT NOT NULL
    );
    CREATE INDEX disclosure_row_sets_dataset ON disclosure_row_sets(org_id, file_id, row_count);
    CREATE INDEX disclosure_row_sets_expiry ON disclosure_row_sets(expires_at);
    """,
]


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
        savepoint of its own (appliance/group_commit.py): for small writes under load."""

    def rows(self, sql: str, params: Params = ()) -> list[dict[str, Any]]: ...

    def row(self, sql: str, params: Params = ()) -> dict[str, Any] | None: ...

    def exclusive(self, job: str) -> AbstractContextManager[bool]:
        """True inside the block if no other process sharing this database runs
        ``job`` (housekeeping runs once, not once per node)."""

    @property
    def instance(self) -> str:
        """The name claims made through this database are recorded under
        (appliance/claims.py)."""

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


class SqliteDB(Reads, GroupCommit):
    """A SQLite file with one connection per thread."""

    audit_seal: Any = None
    """The audit chain's key and head file (appliance/audit_seal.py), set by
    open_appliance; without one, writing an audit record is refused."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.holders_dir = path.with_name(path.name + ".holders")
        """Where each process that makes claims holds its name (appliance/holders.py)."""
        self.after_fork()

    def after_fork(self) -> None:
        """Fresh connections and locks, and a name of its own: a forked server process
        must not use its parent's (SQLite connections do not survive a fork), and its
        claims must die with it, not with the whole server (appliance/claims.py)."""
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
        """This process's name, held (appliance/holders.py) from its first claim until it
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


TABLES = (
    "orgs", "api_keys", "users", "uploads", "part_grants", "upload_parts", "files",
    "audit_log", "dataset_dictionaries", "conversations", "tus_uploads", "drop_links",
    "disclosure_row_sets",
)  # fmt: skip
"""Every table, each after the ones it refers to."""


def copy_rows(source: DB, target: DB) -> dict[str, int]:
    """Every row of every table from ``source`` into ``target`` (same schema version),
    rows already there left as they are, so a second run adds only what is new. How
    many rows each table has in ``target`` after it. Rows keep their ``seq``: the
    audit trail's hash chain is the same chain."""
    counts: dict[str, int] = {}
    with target.write() as conn:
        for table in TABLES:
            for row in source.rows(f"SELECT * FROM {table}"):  # noqa: S608 - our names
                columns = ", ".join(row)
                marks = ", ".join("?" for _ in row)
                conn.execute(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
                    " ON CONFLICT DO NOTHING",
                    list(row.values()),
                )
            counts[table] = int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # noqa: S608
    target.counters_follow_rows()
    return counts


def new_instance() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def open_db(path: Path, url: str | None = None) -> DB:
    """Open (creating if needed) and migrate the database: PostgreSQL at ``url`` if
    one is given, else the SQLite file at ``path``."""
    if url is not None:
        from appliance.db_postgres import open_postgres

        return open_postgres(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = SqliteDB(path)
    migrate(db)
    return db


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
