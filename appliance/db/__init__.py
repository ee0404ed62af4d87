"""The metadata database: :func:`open_db` opens SQLite (appliance/db/sqlite.py) or
PostgreSQL (appliance/db/postgres.py); every module talks to either through the surface
of appliance/db/surface.py (:class:`DB`, :class:`Connection`), re-exported here."""

from __future__ import annotations

from pathlib import Path

from appliance.db.schema import TABLES
from appliance.db.surface import (
    DB,
    Connection,
    Cursor,
    Params,
    Reads,
    Table,
    after_commit,
    audit_seal_of,
    begin_hooks,
    new_instance,
    run_hooks,
)

__all__ = [
    "DB",
    "Connection",
    "Cursor",
    "Params",
    "Reads",
    "Table",
    "after_commit",
    "audit_seal_of",
    "begin_hooks",
    "copy_rows",
    "new_instance",
    "open_db",
    "run_hooks",
]


def open_db(path: Path, url: str | None = None) -> DB:
    """Open (creating if needed) and migrate the database: PostgreSQL at ``url`` if
    one is given, else the SQLite file at ``path``."""
    if url is not None:
        from appliance.db.postgres import open_postgres

        return open_postgres(url)
    from appliance.db.sqlite import open_sqlite

    return open_sqlite(path)


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
