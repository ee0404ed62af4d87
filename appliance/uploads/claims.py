"""Who holds a claim (a URL receiving a body, a session being assembled, a tus PATCH),
and whether that holder is still alive.

A claim records the server process that made it (``DB.instance``, one per process,
never shared by the processes of one ``hpx serve``). While its holder lives, everyone
else gets 409 ``upload_in_progress``; once the holder is gone, the claim is given
back, so a URL whose upload was cut by a crash can be used again at once:

- on one host (SQLite), each process holds a locked file named after its instance
  (appliance/db/holders.py), which the kernel unlocks when the process ends;
- across nodes (PostgreSQL), each server process holds an advisory lock named after
  its instance for as long as its connection lives: a process that dies (SIGKILL, a
  lost host) loses it.

Either way the next request that meets a dead holder's claim takes it over (a retry
of the PUT, the next tus PATCH, a multipart ``complete``); ``release_dead`` gives
back the rest: at start, and in the supervisor each time a server process ends.
"""

from __future__ import annotations

from appliance.db import DB, Connection

CLAIMS = {
    "uploads": "state IN ('receiving', 'assembling')",
    "part_grants": "state = 'receiving'",
    "tus_uploads": "state = 'receiving'",
}
"""The tables with claims, and which of their rows are claimed."""
RELEASED = {"uploads": "pending", "part_grants": "pending", "tus_uploads": "open"}


def held(db: DB, owner: str | None) -> bool:
    """Is the claim still held? (A claim of no recorded holder predates this rule.)"""
    return owner is not None and db.alive(owner)


def release_dead(db: DB) -> int:
    """Give back every claim whose holder is gone; how many."""
    released = 0
    with db.write() as conn:
        for table, claimed in CLAIMS.items():
            owners = _owners(conn, table, claimed)
            dead = [o for o in owners if not held(db, o)]
            if not dead:
                continue
            conditions = ["claimed_by IS NULL"] if None in dead else []
            named = [o for o in dead if o is not None]
            if named:
                conditions.append(f"claimed_by IN ({', '.join('?' for _ in named)})")
            released += conn.execute(
                f"UPDATE {table} SET state = '{RELEASED[table]}', claimed_by = NULL"  # noqa: S608
                f" WHERE {claimed} AND ({' OR '.join(conditions)})",
                named,
            ).rowcount
    return released


def _owners(conn: Connection, table: str, claimed: str) -> list[str | None]:
    sql = f"SELECT DISTINCT claimed_by FROM {table} WHERE {claimed}"  # noqa: S608 - ours
    return [row["claimed_by"] for row in conn.query(sql)]
