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
of the PUT, the next tus PATCH, a multipart ``complete``); the rest is given back at
start, and in the supervisor each time a server process ends.

This module holds the rule; each table's module gives back its own rows
(``release_dead_claims`` in upload_records.py, multipart.py and tus_records.py), and
:func:`appliance.uploads.service.release_dead_claims` asks all three at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from appliance.db import DB


def held(db: DB, owner: str | None) -> bool:
    """Is the claim still held? (A claim of no recorded holder predates this rule.)"""
    return owner is not None and db.alive(owner)


def of_dead_holders(db: DB, owners: Iterable[str | None]) -> tuple[str, list[Any]] | None:
    """Of the holders named in claimed rows, the dead ones, as a condition on
    ``claimed_by`` and its parameters for the owner's UPDATE; None if all live."""
    dead = [o for o in owners if not held(db, o)]
    if not dead:
        return None
    conditions = ["claimed_by IS NULL"] if None in dead else []
    named = [o for o in dead if o is not None]
    if named:
        conditions.append(f"claimed_by IN ({', '.join('?' for _ in named)})")
    return f"({' OR '.join(conditions)})", named
