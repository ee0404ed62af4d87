"""Multipart upload sessions: the database side of large, resumable sessions.

A session is a row of ``uploads`` with ``kind = 'multipart'``. Each presigned part
URL is a row of ``part_grants``, so every URL is single-use on its own (pending →
receiving → done) while the same part may be sent again with a fresh URL. A part
that arrived is a row of ``upload_parts``, written only after its bytes are durable:
that table is what a resuming client is shown.

Completing moves the session ``pending → assembling → done`` under the write lock;
it is refused while any part is still being received, and no part can start while
it assembles, so the parts never change under the assembly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from appliance import clock
from appliance.accounts.orgs import Org
from appliance.clock import iso_epoch, now_iso, parse_iso
from appliance.db import DB, Connection
from appliance.errors import ApplianceError, ErrorType, invalid
from appliance.files.records import FileRecord, get_file
from appliance.ids import new_id
from appliance.uploads import claims, upload_records
from appliance.uploads.upload_records import MultipartSession

MIB = 1024 * 1024
MIN_PART_SIZE = 5 * MIB
"""Smallest part but the last: keeps the number of files and requests sane."""
DEFAULT_PART_SIZE = 16 * MIB
MAX_PART_SIZE = 5 * 1024 * MIB
MAX_PARTS = 10_000
URLS_PER_RESPONSE = 1_000


@dataclass(frozen=True)
class PartGrant:
    part_number: int
    size: int
    grant_id: str


def plan_parts(size: int, part_size: int | None) -> tuple[int, int]:
    """(part size, part count) for a file; the default part size grows for huge files."""
    if part_size is None:
        part_size = max(DEFAULT_PART_SIZE, math.ceil(size / MAX_PARTS / MIB) * MIB)
    elif not MIN_PART_SIZE <= part_size <= MAX_PART_SIZE:
        raise invalid("part_size", f"must be between {MIN_PART_SIZE} and {MAX_PART_SIZE} bytes")
    count = math.ceil(size / part_size)
    if count > MAX_PARTS:
        raise invalid("part_size", f"gives {count} parts; at most {MAX_PARTS} are allowed")
    return part_size, count


def create_session(
    db: DB,
    org: Org,
    *,
    filename: str,
    size: int,
    part_size: int | None,
    sha256: str | None,
    content_type: str,
    expires_at: str,
    key_id: str | None = None,
    user_id: str | None = None,
) -> MultipartSession:
    part_size, part_count = plan_parts(size, part_size)
    session = MultipartSession(
        id=new_id("upl"),
        org_id=org.id,
        filename=filename,
        content_type=content_type,
        size=size,
        sha256=sha256,
        state="pending",
        created_at=now_iso(),
        expires_at=expires_at,
        part_size=part_size,
        part_count=part_count,
        key_id=key_id,
        user_id=user_id,
    )
    upload_records.insert_session(db, org, session)
    return session


def get_session(db: DB, org_id: str, upload_id: str) -> MultipartSession:
    return _load_session(db.conn, org_id, upload_id)


def _load_session(conn: Connection, org_id: str, upload_id: str) -> MultipartSession:
    """The organization's multipart session, read on ``conn`` (inside its transaction)."""
    session = upload_records.load(conn, org_id, upload_id)
    if not isinstance(session, MultipartSession):
        raise ApplianceError(ErrorType.not_found, "no such multipart upload")
    return session


def parts_received(db: DB, upload_id: str) -> list[dict[str, Any]]:
    return db.rows(
        "SELECT part_number, size, sha256 FROM upload_parts WHERE upload_id = ?"
        " ORDER BY part_number",
        (upload_id,),
    )


def issue_grants(
    db: DB, org_id: str, upload_id: str, part_numbers: list[int], url_ttl: int
) -> tuple[MultipartSession, list[PartGrant], int]:
    """Rows for fresh single-use part URLs, and their expiry (epoch seconds).

    A part URL lives ``url_ttl`` seconds, but never past its session.
    """
    session = get_session(db, org_id, upload_id)
    expires = min(int(clock.now()) + url_ttl, int(parse_iso(session.expires_at).timestamp()))
    expires_at = iso_epoch(expires)
    _require_open(session)
    if len(part_numbers) > URLS_PER_RESPONSE:
        raise invalid("part_numbers", f"at most {URLS_PER_RESPONSE} at a time")
    bad = [n for n in part_numbers if not 1 <= n <= session.part_count]
    if bad:
        raise invalid("part_numbers", f"must be between 1 and {session.part_count}: {bad[:5]}")
    grants = [PartGrant(n, session.part_length(n), new_id("pg")) for n in part_numbers]
    with db.write() as conn:
        conn.table("part_grants").insert_all(
            {"id": g.grant_id, "upload_id": upload_id, "part_number": g.part_number,
             "expires_at": expires_at}
            for g in grants
        )  # fmt: skip
    return session, grants, expires


def claim_part(
    db: DB, org_id: str, upload_id: str, grant_id: str, part_number: int
) -> MultipartSession:
    """Take one part URL for one PUT, or raise what the other callers must see."""
    with db.write() as conn:
        session = _load_session(conn, org_id, upload_id)
        _require_open(session)
        upload_records.require_issuer(db, session)
        grants = list(
            conn.query(
                "SELECT state, claimed_by FROM part_grants"
                " WHERE id = ? AND upload_id = ? AND part_number = ?",
                (grant_id, upload_id, part_number),
            )
        )
        if not grants:
            raise ApplianceError(ErrorType.invalid_token)
        state = grants[0]["state"]
        if state == "done":
            raise ApplianceError(
                ErrorType.token_used, "this part URL was used; ask for a fresh one"
            )
        if state == "receiving" and claims.held(db, grants[0]["claimed_by"]):
            raise ApplianceError(ErrorType.upload_in_progress)
        conn.execute(
            "UPDATE part_grants SET state = 'receiving', claimed_by = ? WHERE id = ?",
            (db.instance, grant_id),
        )
    return session


def release_part(db: DB, grant_id: str) -> None:
    with db.write() as conn:
        conn.execute(
            "UPDATE part_grants SET state = 'pending' WHERE id = ? AND state = 'receiving'",
            (grant_id,),
        )


def record_part(
    db: DB, session: MultipartSession, part_number: int, grant_id: str, size: int, sha256: str
) -> bool:
    """Note a durable part; False if the session was aborted meanwhile."""
    with db.write() as conn:
        current = upload_records.load(conn, session.org_id, session.id)
        if current is None or current.state != "pending":
            return False
        conn.table("upload_parts").upsert(
            {"upload_id": session.id, "part_number": part_number, "size": size,
             "sha256": sha256, "received_at": now_iso()},
            pk=("upload_id", "part_number"),
        )  # fmt: skip
        conn.execute("UPDATE part_grants SET state = 'done' WHERE id = ?", (grant_id,))
    return True


def begin_complete(
    db: DB, org_id: str, upload_id: str, expected: dict[int, str] | None
) -> MultipartSession | FileRecord:
    """Check the parts and move to ``assembling``; a finished session gives its file."""
    with db.write() as conn:
        session = _load_session(conn, org_id, upload_id)
        if session.state == "done" and session.file_id is not None:
            return get_file(db, org_id, session.file_id)
        if session.state == "assembling" and claims.held(db, session.claimed_by):
            raise ApplianceError(ErrorType.upload_in_progress, "this upload is being completed")
        if session.expires_at <= now_iso():
            raise ApplianceError(ErrorType.token_expired, "this multipart upload has expired")
        busy = sorted(
            r["part_number"]
            for r in conn.query(
                "SELECT part_number, claimed_by FROM part_grants"
                " WHERE upload_id = ? AND state = 'receiving'",
                (upload_id,),
            )
            if claims.held(db, r["claimed_by"])
        )
        if busy:
            raise ApplianceError(
                ErrorType.upload_in_progress, f"part(s) still being received: {busy[:10]}"
            )
        _check_parts(
            session, {r["part_number"]: r for r in parts_received(db, upload_id)}, expected
        )
        upload_records.set_state(conn, upload_id, "assembling", was=session.state, by=db.instance)
    return session


def finish_complete(db: DB, session: MultipartSession, stored_name: str, sha256: str) -> FileRecord:
    record = upload_records.finish(db, session, stored_name, session.size, sha256)
    with db.write() as conn:
        conn.execute("DELETE FROM part_grants WHERE upload_id = ?", (session.id,))
    return record


def fail_complete(db: DB, session: MultipartSession) -> None:
    """Back to ``pending``: the parts are still there, the client may fix and retry."""
    with db.write() as conn:
        upload_records.set_state(conn, session.id, "pending", was="assembling")


def part_counts(db: DB, upload_ids: list[str]) -> dict[str, int]:
    """How many parts have arrived, per session."""
    if not upload_ids:
        return {}
    marks = ", ".join("?" * len(upload_ids))
    rows = db.rows(
        f"SELECT upload_id, COUNT(*) AS n FROM upload_parts WHERE upload_id IN ({marks})"  # noqa: S608
        " GROUP BY upload_id",
        tuple(upload_ids),
    )
    return {r["upload_id"]: int(r["n"]) for r in rows}


def abort(db: DB, org_id: str, upload_id: str) -> None:
    with db.write() as conn:
        session = _load_session(conn, org_id, upload_id)
        if session.state == "done":
            raise ApplianceError(ErrorType.token_used, "already completed; delete the file instead")
        if session.state == "assembling":
            raise ApplianceError(ErrorType.upload_in_progress, "this upload is being completed")
        upload_records.delete(conn, session.id)


def describe(session: MultipartSession, received: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "upload_id": session.id,
        "filename": session.filename,
        "size": session.size,
        "sha256": session.sha256,
        "content_type": session.content_type,
        "part_size": session.part_size,
        "part_count": session.part_count,
        "state": session.state,
        "created_at": session.created_at,
        "expires_at": session.expires_at,
        "file_id": session.file_id,
        "parts_received": received,
    }


def _require_open(session: MultipartSession) -> None:
    if session.state == "done":
        raise ApplianceError(ErrorType.token_used, "this multipart upload is already complete")
    if session.state == "assembling":
        raise ApplianceError(ErrorType.upload_in_progress, "this upload is being completed")
    if session.expires_at <= now_iso():
        raise ApplianceError(ErrorType.token_expired, "this multipart upload has expired")


def _check_parts(
    session: MultipartSession,
    received: dict[int, dict[str, Any]],
    expected: dict[int, str] | None,
) -> None:
    missing = [n for n in range(1, session.part_count + 1) if n not in received]
    if missing:
        shown = ", ".join(map(str, missing[:20])) + (" ..." if len(missing) > 20 else "")
        raise invalid("parts", f"{len(missing)} part(s) missing: {shown}")
    wrong = [n for n, r in received.items() if r["size"] != session.part_length(n)]
    if wrong:
        raise ApplianceError(ErrorType.size_mismatch, f"part(s) of the wrong size: {wrong[:20]}")
    if expected:
        bad = [n for n, digest in expected.items() if received.get(n, {}).get("sha256") != digest]
        if bad:
            raise ApplianceError(ErrorType.checksum_mismatch, f"part(s) differ: {sorted(bad)[:20]}")


def release_dead_claims(conn: Connection, db: DB) -> int:
    """Give back the claims on part_grants whose holder is gone (claims.py), inside
    the caller's write transaction; how many."""
    holders = conn.query("SELECT DISTINCT claimed_by FROM part_grants WHERE state = 'receiving'")
    dead = claims.of_dead_holders(db, [row["claimed_by"] for row in holders])
    if dead is None:
        return 0
    condition, params = dead
    # The condition is claims.py's, of placeholders only: every value is bound.
    sql = (
        f"UPDATE part_grants SET state = 'pending', claimed_by = NULL"  # noqa: S608
        f" WHERE state = 'receiving' AND {condition}"
    )
    return int(conn.execute(sql, params).rowcount)
