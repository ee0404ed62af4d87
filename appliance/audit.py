"""The audit trail: who did what to which organization, and when.

Every administrative service function takes an ``actor`` (``cli:alice``,
``console:root``) and records its action here in the same transaction as the change
itself, so the trail is complete whichever tool made the change, and an action that
rolled back leaves no entry.
"""

from __future__ import annotations

import getpass
from typing import Any

import sqlite_utils

from appliance.db import DB
from appliance.ids import now_iso


def actor_for(tool: str) -> str:
    """``tool:unix-user``, the operator as the host knows them."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{tool}:{user}"


def record(
    conn: sqlite_utils.Database,
    actor: str,
    action: str,
    *,
    org_id: str | None = None,
    target: str | None = None,
    detail: str | None = None,
) -> None:
    """Add an entry; call it inside the transaction that makes the change. Never a secret."""
    conn.execute(
        "INSERT INTO audit_log (at, actor, action, org_id, target, detail)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (now_iso(), actor, action, org_id, target, detail),
    )


def recent(db: DB, limit: int = 200, org_id: str | None = None) -> list[dict[str, Any]]:
    sql = (
        "SELECT a.seq, a.at, a.actor, a.action, a.org_id, o.name AS org_name, a.target, a.detail"
        " FROM audit_log a LEFT JOIN orgs o ON o.id = a.org_id"
    )
    params: tuple[Any, ...] = ()
    if org_id is not None:
        sql += " WHERE a.org_id = ?"
        params = (org_id,)
    return db.rows(sql + " ORDER BY a.seq DESC LIMIT ?", (*params, limit))
