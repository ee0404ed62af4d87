"""Upload sessions: the database side of presigned uploads.

A session moves ``pending → receiving → done``. Each step is one conditional UPDATE
inside a write transaction (one writer at a time: appliance/db/), so of many
concurrent PUTs to one URL exactly one moves it to ``receiving``; the rest see 409
``upload_in_progress`` or 410 ``token_used``. A failed attempt moves it back to
``pending``, so the URL can be retried until it expires. A claim whose process died
(a crash, a lost node) is given back (appliance/uploads/claims.py).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar, Protocol

from appliance import sizes
from appliance.accounts import apikeys, users
from appliance.accounts.orgs import Org
from appliance.clock import now_iso
from appliance.db import DB, Connection
from appliance.errors import ApplianceError, ErrorType
from appliance.files import records as files
from appliance.files.records import FileRecord, used_bytes
from appliance.ids import new_id
from appliance.uploads import claims


@dataclass(frozen=True)
class Upload:
    """A single-file upload: one presigned URL, one body."""

    id: str
    org_id: str
    filename: str
    content_type: str | None
    size: int | None
    """Declared by the client, or None: then at most ``max_size``."""
    sha256: str | None
    max_size: int
    state: str
    created_at: str
    expires_at: str
    file_id: str | None = None
    key_id: str | None = None
    """The API key that asked for the URL (or None)…"""
    user_id: str | None = None
    """…or the signed-in user: revoking or disabling it refuses the URL."""
    claimed_by: str | None = None
    """The process receiving its body (appliance/uploads/claims.py)."""

    kind: ClassVar[str] = "single"

    @property
    def limit(self) -> int:
        """The most bytes a body may have: the declared size, else the configured maximum."""
        return self.size if self.size is not None else self.max_size


@dataclass(frozen=True)
class MultipartSession:
    """A large file sent as numbered parts, each through URLs of its own."""

    id: str
    org_id: str
    filename: str
    content_type: str | None
    size: int
    part_size: int
    part_count: int
    sha256: str | None
    state: str
    created_at: str
    expires_at: str
    file_id: str | None = None
    key_id: str | None = None
    user_id: str | None = None
    claimed_by: str | None = None
    """The process assembling it (appliance/uploads/claims.py)."""

    kind: ClassVar[str] = "multipart"

    def part_length(self, part_number: int) -> int:
        """Every part is ``part_size`` long but the last, which holds the rest."""
        if part_number < self.part_count:
            return self.part_size
        return self.size - self.part_size * (self.part_count - 1)


Session = Upload | MultipartSession


def _row(session: Session) -> dict[str, Any]:
    row = asdict(session) | {"kind": session.kind}
    if isinstance(session, MultipartSession):
        row["max_size"] = session.size
    return row


def _session(row: dict[str, Any]) -> Session:
    fields = dict(row)
    kind = fields.pop("kind")
    if kind == "multipart":
        fields.pop("max_size", None)
        return MultipartSession(**fields)
    fields.pop("part_size", None)
    fields.pop("part_count", None)
    return Upload(**fields)


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
        filename=filename,
        content_type=content_type,
        size=size,
        sha256=sha256,
        max_size=max_size,
        state="pending",
        created_at=now_iso(),
        expires_at=expires_at,
        key_id=key_id,
        user_id=user_id,
    )
    insert_session(db, org, upload)
    return upload


def insert_session(db: DB, org: Org, session: Session) -> None:
    """Record a new session; a declared size reserves quota, checked in the same transaction
    so that concurrent sessions cannot together overshoot it."""
    row = _row(session)

    def insert(conn: Connection) -> None:
        if session.size is not None:
            check_quota(db, org, session.size)  # same thread, same connection: inside the lock
        conn.table("uploads").insert(row)

    db.write_grouped(insert)  # presigns under load share one commit


def load(conn: Connection, org_id: str, upload_id: str) -> Session | None:
    """The organization's session, read on ``conn`` (so inside its transaction)."""
    rows = list(
        conn.query("SELECT * FROM uploads WHERE id = ? AND org_id = ?", (upload_id, org_id))
    )
    return _session(rows[0]) if rows else None


def set_state(
    conn: Connection, upload_id: str, state: str, *, was: str, by: str | None = None
) -> bool:
    """Move a session from state ``was`` to ``state``, claimed by ``by`` (a process, for
    ``receiving`` and ``assembling``); False if it was not in ``was``."""
    cursor = conn.execute(
        "UPDATE uploads SET state = ?, claimed_by = ? WHERE id = ? AND state = ?",
        (state, by, upload_id, was),
    )
    return bool(cursor.rowcount)


def claim(db: DB, org_id: str, upload_id: str) -> Upload:
    """Take the session for one PUT, or raise the error the other callers must see."""
    with db.write() as conn:
        upload = load(conn, org_id, upload_id)
        if not isinstance(upload, Upload):
            raise ApplianceError(ErrorType.not_found, "this upload no longer exists")
        if upload.state == "done":
            raise ApplianceError(ErrorType.token_used)
        if upload.state == "receiving" and claims.held(db, upload.claimed_by):
            raise ApplianceError(ErrorType.upload_in_progress)
        if upload.expires_at <= now_iso():
            raise ApplianceError(ErrorType.token_expired)
        require_issuer(db, upload)
        set_state(conn, upload_id, "receiving", was=upload.state, by=db.instance)
    return upload


def delete(conn: Connection, upload_id: str) -> None:
    """Forget a session (its parts and part URLs go with it, by foreign key)."""
    conn.execute("DELETE FROM uploads WHERE id = ?", (upload_id,))


class Issued(Protocol):
    """Anything a credential asked for: an upload session, a resumable upload, a link."""

    @property
    def key_id(self) -> str | None: ...

    @property
    def user_id(self) -> str | None: ...


class IssuedUpload(Issued, Protocol):
    """An upload a credential asked for, which becomes a file."""

    @property
    def id(self) -> str: ...

    @property
    def org_id(self) -> str: ...

    @property
    def content_type(self) -> str | None: ...


def require_issuer(db: DB, upload: Issued) -> None:
    """A URL is only as good as the credential that asked for it."""
    if upload.key_id is not None and not apikeys.still_valid(db, upload.key_id):
        raise ApplianceError(
            ErrorType.unauthorized,
            "the API key that made this URL was revoked or has expired; ask for a new URL",
        )
    if upload.user_id is not None and not users.is_active(db, upload.user_id):
        raise ApplianceError(ErrorType.unauthorized, "the user who made this URL is disabled")


def release(db: DB, org_id: str, upload_id: str) -> None:
    """Give the URL back after a failed attempt."""
    with db.write() as conn:
        conn.execute(
            "UPDATE uploads SET state = 'pending'"
            " WHERE id = ? AND org_id = ? AND state = 'receiving'",
            (upload_id, org_id),
        )


def finish(db: DB, session: Session, stored_name: str, size: int, sha256: str) -> FileRecord:
    """Record the file and mark the session done, in one transaction."""
    with db.write() as conn:
        record = record_file(conn, session, stored_name, size, sha256)
        conn.execute(
            "UPDATE uploads SET state = 'done', file_id = ? WHERE id = ? AND org_id = ?",
            (record.file_id, session.id, session.org_id),
        )
    return record


def record_file(
    conn: Connection, upload: IssuedUpload, stored_name: str, size: int, sha256: str
) -> FileRecord:
    """The finished upload's file row and audit record, in the caller's transaction
    (which also marks the upload done in its own table); the audit trail names whoever
    asked for the upload."""
    actor = f"key:{upload.key_id}" if upload.key_id else f"user:{upload.user_id}"
    return files.record_upload(
        conn,
        upload.org_id,
        upload.id,
        stored_name=stored_name,
        size=size,
        sha256=sha256,
        content_type=upload.content_type,
        actor=actor,
    )


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
    used = used_bytes(db, org.id)
    if used + reserved + incoming > org.quota_bytes:
        held = f" (and {sizes.human(reserved)} held by uploads in progress)" if reserved else ""
        raise ApplianceError(
            ErrorType.insufficient_storage,
            f"this would exceed the organization's storage quota: {sizes.human(used)} used"
            f"{held} of {sizes.human(org.quota_bytes)} allowed, and this upload is"
            f" {sizes.human(incoming)}",
        )


def remove_expired(db: DB) -> list[tuple[str, str]]:
    """Forget sessions that can no longer be used; returns their (org id, upload id).

    Only idle (pending) sessions go: one still receiving a body started before its
    expiry and is let finish. Finished sessions keep their file row.
    """
    with db.write() as conn:
        stamp = now_iso()
        rows = list(
            conn.query(
                "SELECT org_id, id FROM uploads WHERE state = 'pending' AND expires_at <= ?",
                (stamp,),
            )
        )
        conn.execute("DELETE FROM uploads WHERE state = 'pending' AND expires_at <= ?", (stamp,))
    return [(r["org_id"], r["id"]) for r in rows]


def recent(db: DB, limit: int = 100) -> list[dict[str, Any]]:
    """The newest upload sessions of every organization, for the operator's console."""
    return db.rows(
        "SELECT id, org_id, created_at, kind, filename, size, state, expires_at, file_id,"
        " part_count FROM uploads ORDER BY created_at DESC, id DESC LIMIT ?",
        (limit,),
    )


def open_multipart_ids(db: DB, org_id: str) -> set[str]:
    """The organization's multipart sessions not yet completed: their parts are wanted."""
    rows = db.rows(
        "SELECT id FROM uploads WHERE org_id = ? AND kind = 'multipart' AND state != 'done'",
        (org_id,),
    )
    return {r["id"] for r in rows}


def release_dead_claims(conn: Connection, db: DB) -> int:
    """Give back the claims on uploads whose holder is gone (claims.py), inside
    the caller's write transaction; how many."""
    holders = conn.query(
        "SELECT DISTINCT claimed_by FROM uploads WHERE state IN ('receiving', 'assembling')"
    )
    dead = claims.of_dead_holders(db, [row["claimed_by"] for row in holders])
    if dead is None:
        return 0
    condition, params = dead
    # The condition is claims.py's, of placeholders only: every value is bound.
    sql = (
        f"UPDATE uploads SET state = 'pending', claimed_by = NULL"  # noqa: S608
        f" WHERE state IN ('receiving', 'assembling') AND {condition}"
    )
    return int(conn.execute(sql, params).rowcount)
