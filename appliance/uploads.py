"""Upload sessions: the database side of presigned uploads.

A session moves ``pending → receiving → done``. Each step is one conditional UPDATE
inside ``BEGIN IMMEDIATE``, so of many concurrent PUTs to one URL exactly one moves
it to ``receiving``; the rest see 409 ``upload_in_progress`` or 410 ``token_used``.
A failed attempt moves it back to ``pending``, so the URL can be retried until it
expires. After a crash, :func:`reset_interrupted` (run when the server starts) puts
interrupted sessions back to ``pending``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from appliance import apikeys, audit, users
from appliance.db import DB
from appliance.errors import ApiError, ErrorType
from appliance.files import FileRecord, used_bytes
from appliance.ids import new_id, now_iso
from appliance.orgs import Org


@dataclass(frozen=True)
class Upload:
    id: str
    org_id: str
    kind: str
    filename: str
    content_type: str | None
    size: int | None
    sha256: str | None
    max_size: int
    state: str
    created_at: str
    expires_at: str
    file_id: str | None
    part_size: int | None = None
    part_count: int | None = None
    key_id: str | None = None
    """The API key that asked for the URL (or None)…"""
    user_id: str | None = None
    """…or the signed-in user: revoking or disabling it refuses the URL."""

    @property
    def limit(self) -> int:
        """The most bytes a body may have: the declared size, else the configured maximum."""
        return self.size if self.size is not None else self.max_size


def create_upload(
    db: DB,
    org: Org,
    *,
    filename: str,
    content_type: str | None,
    size: int | None,
    sha256: str | None,
    expires_at: str,
    max_size: int,
    key_id: str | None = None,
    user_id: str | None = None,
) -> Upload:
    upload = Upload(
        id=new_id("upl"),
        org_id=org.id,
        kind="single",
        filename=filename,
        content_type=content_type,
        size=size,
        sha256=sha256,
        max_size=max_size,
        state="pending",
        created_at=now_iso(),
        expires_at=expires_at,
        file_id=None,
        key_id=key_id,
        user_id=user_id,
    )
    insert_session(db, org, upload)
    return upload


def insert_session(db: DB, org: Org, upload: Upload) -> None:
    """Record a new session; a declared size reserves quota, checked in the same transaction
    so that concurrent sessions cannot together overshoot it."""
    with db.write() as conn:
        if upload.size is not None:
            check_quota(db, org, upload.size)  # same thread, same connection: inside the lock
        conn.table("uploads").insert(vars(upload))


def claim(db: DB, org_id: str, upload_id: str) -> Upload:
    """Take the session for one PUT, or raise the error the other callers must see."""
    with db.write() as conn:
        rows = list(
            conn.query("SELECT * FROM uploads WHERE id = ? AND org_id = ?", (upload_id, org_id))
        )
        if not rows:
            raise ApiError(ErrorType.not_found, "this upload no longer exists")
        upload = Upload(**rows[0])
        if upload.state == "done":
            raise ApiError(ErrorType.token_used)
        if upload.state == "receiving":
            raise ApiError(ErrorType.upload_in_progress)
        if upload.expires_at <= now_iso():
            raise ApiError(ErrorType.token_expired)
        require_issuer(db, upload)
        conn.execute("UPDATE uploads SET state = 'receiving' WHERE id = ?", (upload_id,))
    return upload


def require_issuer(db: DB, upload: Upload) -> None:
    """A URL is only as good as the credential that asked for it."""
    if upload.key_id is not None and not apikeys.still_valid(db, upload.key_id):
        raise ApiError(
            ErrorType.unauthorized,
            "the API key that made this URL was revoked or has expired; ask for a new URL",
        )
    if upload.user_id is not None and not users.is_active(db, upload.user_id):
        raise ApiError(ErrorType.unauthorized, "the user who made this URL is disabled")


def release(db: DB, org_id: str, upload_id: str) -> None:
    """Give the URL back after a failed attempt."""
    with db.write() as conn:
        conn.execute(
            "UPDATE uploads SET state = 'pending'"
            " WHERE id = ? AND org_id = ? AND state = 'receiving'",
            (upload_id, org_id),
        )


def finish(db: DB, upload: Upload, stored_name: str, size: int, sha256: str) -> FileRecord:
    """Record the file and mark the session done, in one transaction."""
    record = FileRecord(
        file_id=new_id("file"),
        upload_id=upload.id,
        filename=stored_name,
        size=size,
        sha256=sha256,
        content_type=upload.content_type,
        created_at=now_iso(),
    )
    with db.write() as conn:
        conn.execute(
            "INSERT INTO files (id, org_id, upload_id, filename, size, sha256, content_type,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.file_id,
                upload.org_id,
                upload.id,
                stored_name,
                size,
                sha256,
                upload.content_type,
                record.created_at,
            ),
        )
        conn.execute(
            "UPDATE uploads SET state = 'done', file_id = ? WHERE id = ? AND org_id = ?",
            (record.file_id, upload.id, upload.org_id),
        )
        actor = f"key:{upload.key_id}" if upload.key_id else f"user:{upload.user_id}"
        audit.record(conn, actor, "file.upload", org_id=upload.org_id, target=record.file_id)
    return record


def check_quota(db: DB, org: Org, incoming: int, exclude_upload: str | None = None) -> None:
    """507 if ``incoming`` more bytes would exceed the organization's quota.

    Sessions still open count with their declared size: space is reserved when a
    session is created, so parallel sessions cannot together overshoot the quota.
    """
    if org.quota_bytes is None:
        return
    row = db.row(
        "SELECT COALESCE(SUM(size), 0) AS n FROM uploads WHERE org_id = ? AND size IS NOT NULL"
        " AND state != 'done' AND expires_at > ? AND id != ?",
        (org.id, now_iso(), exclude_upload or ""),
    )
    reserved = int(row["n"]) if row else 0
    if used_bytes(db, org.id) + reserved + incoming > org.quota_bytes:
        raise ApiError(
            ErrorType.insufficient_storage, "this would exceed the organization's storage quota"
        )


def reset_interrupted(db: DB) -> int:
    """After a restart no body is being received or assembled: give those sessions back."""
    with db.write() as conn:
        n = conn.execute(
            "UPDATE uploads SET state = 'pending' WHERE state IN ('receiving', 'assembling')"
        ).rowcount
        n += conn.execute(
            "UPDATE part_grants SET state = 'pending' WHERE state = 'receiving'"
        ).rowcount
        return n


def remove_expired(db: DB) -> list[tuple[str, str]]:
    """Forget sessions that can no longer be used; returns their (org id, upload id).

    Only idle (pending) sessions go: one still receiving a body started before its
    expiry and is let finish. Finished sessions keep their file row.
    """
    with db.write() as conn:
        rows = conn.execute(
            "SELECT org_id, id FROM uploads WHERE state = 'pending' AND expires_at <= ?",
            (now_iso(),),
        ).fetchall()
        conn.execute(
            "DELETE FROM uploads WHERE state = 'pending' AND expires_at <= ?", (now_iso(),)
        )
    return [(r[0], r[1]) for r in rows]


def recent_activity(db: DB, limit: int = 100) -> list[dict[str, Any]]:
    """The newest upload sessions of every organization, for the operator's console."""
    return db.rows(
        "SELECT u.id, u.created_at, o.name AS org_name, u.kind, u.filename, u.size, u.state,"
        " u.expires_at, u.file_id,"
        " (SELECT COUNT(*) FROM upload_parts p WHERE p.upload_id = u.id) AS parts_received,"
        " u.part_count"
        " FROM uploads u JOIN orgs o ON o.id = u.org_id ORDER BY u.created_at DESC, u.rowid DESC"
        " LIMIT ?",
        (limit,),
    )

