"""The audit trail: who did what to which organization, and when.

Every administrative service function takes an ``actor`` (``cli:alice``,
``console:root``) and records its action here in the same transaction as the change
itself, so the trail is complete whichever tool made the change, and an action that
rolled back leaves no entry. Sign-ins, uploads, downloads and deletions are recorded
too, with ids, never filenames.

The trail proves itself: SQLite triggers refuse to change or delete a record, and
each record carries ``hash`` = SHA-256 of the previous record's hash and its own
fields, so a record changed, removed or moved behind the database's back breaks the
chain at that point (``hpx audit verify``). Records written before the chain existed
(migration 5) have no hash and are reported as such.
"""

from __future__ import annotations

import getpass
import hashlib
from typing import Any

from appliance.db import DB, Connection
from appliance.ids import now_iso


def actor_for(tool: str) -> str:
    """``tool:unix-user``, the operator as the host knows them."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{tool}:{user}"


def record(
    conn: Connection,
    actor: str,
    action: str,
    *,
    org_id: str | None = None,
    target: str | None = None,
    detail: str | None = None,
) -> None:
    """Add an entry; call it inside the (write) transaction that makes the change.

    Never a secret, never a filename. The write lock orders the records, so each
    one's predecessor is the chain's head at the moment it is written.
    """
    head = list(
        conn.query("SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1")
    )
    at = now_iso()
    fields = (at, actor, action, org_id, target, detail)
    row = dict(zip(("at", "actor", "action", "org_id", "target", "detail"), fields, strict=True))
    row["hash"] = _chain(head[0]["hash"] if head else "", fields)
    conn.table("audit_log").insert(row)


def record_now(
    db: DB,
    actor: str,
    action: str,
    *,
    org_id: str | None = None,
    target: str | None = None,
) -> None:
    """An entry in a transaction of its own (an event that changes nothing else)."""
    with db.write() as conn:
        record(conn, actor, action, org_id=org_id, target=target)


def _chain(previous: str, fields: tuple[str | None, ...]) -> str:
    text = "\x1f".join("" if f is None else f for f in fields)
    return hashlib.sha256(f"{previous}\x1e{text}".encode()).hexdigest()


def verify(db: DB) -> dict[str, Any]:
    """Walk the chain; the first record that does not follow from its predecessor, if any."""
    previous = ""
    legacy = chained = 0
    for row in db.conn.query(
        "SELECT seq, at, actor, action, org_id, target, detail, hash FROM audit_log ORDER BY seq"
    ):
        if row["hash"] is None:
            if chained:
                return _verdict(
                    False, legacy, chained, previous, row["seq"], "a record lost its hash"
                )
            legacy += 1
            continue
        fields = (row["at"], row["actor"], row["action"], row["org_id"], row["target"],
                  row["detail"])  # fmt: skip
        if _chain(previous, fields) != row["hash"]:
            reason = "changed, or a record before it was removed or moved"
            return _verdict(False, legacy, chained, previous, row["seq"], reason)
        previous = row["hash"]
        chained += 1
    return _verdict(True, legacy, chained, previous, None, None)


def _verdict(
    ok: bool, legacy: int, chained: int, head: str, seq: int | None, reason: str | None
) -> dict[str, Any]:
    out: dict[str, Any] = {"ok": ok, "chained": chained, "before_chaining": legacy}
    if ok:
        out["head"] = head  # keep it: a later run can show nothing was cut off the end
    else:
        out["broken_at_seq"] = seq
        out["problem"] = reason
    return out


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
