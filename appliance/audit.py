"""The audit trail: who did what to which organization, and when.

Every administrative service function takes an ``actor`` (``cli:alice``,
``console:root``) and records its action here in the same transaction as the change
itself, so the trail is complete whichever tool made the change, and an action that
rolled back leaves no entry. Sign-ins, uploads, downloads and deletions are recorded
too, with ids, never filenames.

The trail proves itself: SQLite triggers refuse to change or delete a record, and
each record carries ``hash`` = HMAC-SHA-256, under a key kept apart from the database
(appliance/audit_seal.py), of the previous record's hash and its own fields as a JSON
array (so NULL and ``''`` differ). Without the key nobody can change, remove, move or
add a record and make the chain fit again; and since a key alone cannot show records
cut off the end, each node keeps the latest head outside the database, which must be
in the chain (``hpx audit verify``). Records chained before the key existed (SHA-256,
0.x) are verified by that rule and covered by the first keyed record after them (the
marker ``audit.key``); records written before the chain existed (migration 5) have no
hash. Both are counted apart in the verdict.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from appliance.audit_seal import Head, Seal, SealError
from appliance.clock import now_iso
from appliance.db import DB, Connection, after_commit, audit_seal_of

log = logging.getLogger("appliance.audit")


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
    one's predecessor is the chain's head at the moment it is written; the head kept
    outside the database moves on once the transaction commits.
    """
    seal = _seal(conn)
    previous = _keyed_head(conn, seal)
    _insert(conn, seal, previous, (now_iso(), actor, action, org_id, target, detail))


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


def anchor(db: DB) -> None:
    """Key the chain if its newest record is not keyed (an upgrade, a restore of an
    older backup: the marker record ``audit.key``), and keep its head outside the
    database; at server start, after a restore or a migration."""
    with db.write() as conn:
        seal = _seal(conn)
        seal.key  # noqa: B018 - read now: a missing key stops the start, not a request
        _keyed_head(conn, seal)
        after_commit(conn, _keep_head)


def _seal(conn: Connection) -> Seal:
    seal = audit_seal_of(conn)
    if not isinstance(seal, Seal):
        raise SealError("this database was opened without its audit key")
    return seal


def _keyed_head(conn: Connection, seal: Seal) -> str:
    """The hash the next record follows. If the chain has records but its newest is not
    keyed (written before the key existed), a marker record is added first, keyed,
    covering the unkeyed chain up to it: from there on nobody without the key can
    change, remove or add a record unseen."""
    last = list(
        conn.query(
            "SELECT seq, at, actor, action, org_id, target, detail, hash FROM audit_log"
            " WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 2"
        )
    )
    if last:
        before = last[1]["hash"] if len(last) > 1 else ""
        if hmac.compare_digest(_mac(seal, before, _fields(last[0])), last[0]["hash"]):
            return str(last[0]["hash"])
    elif not list(conn.query("SELECT seq FROM audit_log LIMIT 1")):
        return ""  # a new trail: keyed from its first record
    previous = last[0]["hash"] if last else ""
    marker = (now_iso(), "system", MARKER, None, None, None)
    return _insert(conn, seal, previous, marker)


def _insert(conn: Connection, seal: Seal, previous: str, fields: Fields) -> str:
    row: dict[str, Any] = dict(zip(FIELDS, fields, strict=True))
    row["hash"] = _mac(seal, previous, fields)
    conn.table("audit_log").insert(row)
    after_commit(conn, _keep_head)
    return str(row["hash"])


def newest(conn: Connection) -> Head | None:
    """The chain's newest record in ``conn``'s database (its hash is no secret: it
    proves, it does not sign)."""
    sql = "SELECT seq, hash FROM audit_log WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1"
    rows = list(conn.query(sql))
    return Head(int(rows[0]["seq"]), str(rows[0]["hash"])) if rows else None


def _keep_head(conn: Connection) -> None:
    """After a commit: the chain's newest committed record, as this node's head. A head
    that cannot be written stays behind (never ahead), which verify accepts."""
    newest = list(conn.query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"))
    if not newest or newest[0]["hash"] is None:
        return
    try:
        _seal(conn).write_head(Head(int(newest[0]["seq"]), str(newest[0]["hash"])))
    except (OSError, SealError) as exc:
        log.warning("the audit head could not be kept: %s", type(exc).__name__)


FIELDS = ("at", "actor", "action", "org_id", "target", "detail")
Fields = tuple[str | None, ...]
MARKER = "audit.key"


def _fields(row: dict[str, Any]) -> Fields:
    return tuple(row[name] for name in FIELDS)


def _mac(seal: Seal, previous: str, fields: Fields) -> str:
    """HMAC of the previous hash and the fields as a JSON array: NULL and ``''`` differ,
    and no field's content can pass for a separator."""
    return seal.mac(json.dumps([previous, *fields], ensure_ascii=True, separators=(",", ":")))


def _unkeyed(previous: str, fields: Fields) -> str:
    """The chain before the key (0.x): SHA-256 anyone can recompute, NULL written as ''."""
    text = "\x1f".join("" if f is None else f for f in fields)
    return hashlib.sha256(f"{previous}\x1e{text}".encode()).hexdigest()


def verify(db: DB, expected_head: str | None = None) -> dict[str, Any]:
    """Walk the chain: the first record that does not follow from its predecessor, or
    the head kept outside the database (or ``expected_head``) not found in it."""
    seal = db.audit_seal
    if not isinstance(seal, Seal):
        raise SealError("this database was opened without its audit key")
    return verify_rows(in_order(db.conn), seal, expected_head)


def in_order(conn: Connection) -> Iterator[dict[str, Any]]:
    """Every record of the trail in ``conn``'s database, oldest first, with its hash."""
    return conn.query(
        "SELECT seq, at, actor, action, org_id, target, detail, hash FROM audit_log ORDER BY seq"
    )


def verify_rows(
    rows: Iterable[dict[str, Any]], seal: Seal, expected_head: str | None = None
) -> dict[str, Any]:
    """:func:`verify` over the records ``rows`` (in ``seq`` order) and ``seal``'s key
    and head: also what ``hpx restore`` checks a backup with."""
    walk = _Walk()
    try:
        kept = seal.read_head()
    except SealError as exc:
        return walk.verdict(None, str(exc))
    kept_found = given_found = False
    for row in rows:
        problem = walk.step(seal, row)
        if problem is not None:
            return walk.verdict(row["seq"], problem)
        if kept is not None and row["seq"] == kept.seq:
            kept_found = hmac.compare_digest(str(row["hash"]), kept.hash)
        given_found = given_found or row["hash"] == expected_head
    if kept is None and walk.records:
        return walk.verdict(
            None,
            f"no head kept outside the database ({seal.head_path}): records may have been"
            " cut off the end; or the server has not run since the upgrade",
        )
    if kept is not None and not kept_found:
        return walk.verdict(kept.seq, "the last record kept outside the database is gone or"
                            " changed: records were cut off the end")  # fmt: skip
    if expected_head is not None and not given_found:
        return walk.verdict(None, "the head given is not in the chain")
    return walk.verdict(None, None, anchored=kept.seq if kept else None)


@dataclass
class _Walk:
    previous: str = ""
    records: int = 0
    legacy: int = 0
    unkeyed: int = 0
    keyed: int = 0

    def step(self, seal: Seal, row: dict[str, Any]) -> str | None:
        self.records += 1
        if row["hash"] is None:
            if self.unkeyed or self.keyed:
                return "a record lost its hash"
            self.legacy += 1
            return None
        fields = _fields(row)
        if hmac.compare_digest(_mac(seal, self.previous, fields), row["hash"]):
            self.keyed += 1
        elif self.keyed or _unkeyed(self.previous, fields) != row["hash"]:
            return "changed, added without the key, or a record before it was removed"
        else:
            self.unkeyed += 1
        self.previous = row["hash"]
        return None

    def verdict(
        self, seq: int | None, problem: str | None, anchored: int | None = None
    ) -> dict[str, Any]:
        out: dict[str, Any] = {
            "ok": problem is None,
            "chained": self.keyed + self.unkeyed,
            "keyed": self.keyed,
            "before_key": self.unkeyed,
            "before_chaining": self.legacy,
        }
        if problem is None:
            out["head"] = self.previous  # keep it: `hpx audit verify --head` checks it later
            out["head_kept_at_seq"] = anchored
        else:
            out["broken_at_seq"] = seq
            out["problem"] = problem
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
