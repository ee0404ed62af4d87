"""Resumable uploads over tus 1.0: the ``tus_uploads`` table.

An upload moves ``open → receiving → open … → done``; one made through a presigned
creation URL starts ``reserved`` until a client creates it (once: the URL is then
used). Each PATCH takes it with one conditional UPDATE (so two PATCHes at once get
409) once nothing in the request is refused, and gives it back, whatever happens,
with the number of bytes that are now durable. That number, not the size of the file
on disk, is the offset a client is told: bytes written by a PATCH that never finished
are cut off before the next one appends. A complete partial upload (``done``) is
taken the same way, all its siblings at once, by the final upload that joins them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from appliance.accounts.orgs import Org
from appliance.clock import now_iso
from appliance.db import DB, Connection
from appliance.errors import ApplianceError, ErrorType
from appliance.files.records import FileRecord
from appliance.ids import new_id
from appliance.uploads import claims, upload_records


@dataclass(frozen=True)
class TusUpload:
    id: str
    org_id: str
    filename: str
    content_type: str | None
    length: int | None
    """The file's size, or None while the client defers it (creation-defer-length)."""
    received: int
    """Bytes durable so far: the offset a client resumes from."""
    max_size: int
    state: str
    created_at: str
    expires_at: str
    file_id: str | None = None
    key_id: str | None = None
    user_id: str | None = None
    concat: str | None = None
    """None; "partial" (one piece of a parallel upload, never a file itself); "final"."""
    link_id: str | None = None
    """The drop link a person created it through (uploads/links.py), if any."""
    claimed_by: str | None = None
    """The process receiving a PATCH (appliance/uploads/claims.py)."""

    @property
    def limit(self) -> int:
        return self.length if self.length is not None else self.max_size


def create(
    db: DB,
    org: Org,
    *,
    filename: str,
    content_type: str | None,
    length: int | None,
    max_size: int,
    expires_at: str,
    key_id: str | None,
    user_id: str | None,
    state: str = "open",
    concat: str | None = None,
    link_id: str | None = None,
) -> TusUpload:
    upload = TusUpload(
        id=new_id("tus"),
        org_id=org.id,
        filename=filename,
        content_type=content_type,
        length=length,
        received=0,
        max_size=max_size,
        state=state,
        created_at=now_iso(),
        expires_at=expires_at,
        key_id=key_id,
        user_id=user_id,
        concat=concat,
        link_id=link_id,
    )
    with db.write() as conn:
        conn.table("tus_uploads").insert(asdict(upload))
    return upload


def activate(
    db: DB,
    org_id: str,
    upload_id: str,
    *,
    length: int | None,
    filename: str | None,
    content_type: str | None,
) -> TusUpload:
    """A client creates the upload a presigned creation URL reserved: once."""
    with db.write() as conn:
        upload = _load(conn, org_id, upload_id)
        if upload is None:
            raise ApplianceError(ErrorType.not_found, "no such upload")
        if upload.state != "reserved":
            raise ApplianceError(ErrorType.token_used, "this creation URL was used")
        if upload.length is not None and length is not None and length != upload.length:
            raise ApplianceError(
                ErrorType.size_mismatch, f"Upload-Length is {length}, expected {upload.length}"
            )
        changes = {
            "state": "open",
            "length": upload.length if upload.length is not None else length,
            "filename": filename or upload.filename,
            "content_type": upload.content_type or content_type,
        }
        conn.table("tus_uploads").update(upload_id, changes)
    return TusUpload(**{**asdict(upload), **changes})


def get(db: DB, org_id: str, upload_id: str) -> TusUpload:
    """The organization's upload; 404 for an unknown one or another organization's."""
    found = _load(db.conn, org_id, upload_id)
    if found is None:
        raise ApplianceError(ErrorType.not_found, "no such upload")
    return found


def claim(
    db: DB, org_id: str, upload_id: str, offset: int, declared: int | None = None
) -> TusUpload:
    """Take the upload for one PATCH that starts at ``offset`` (with ``declared``, the
    Upload-Length it sends, if any). Every refusal comes before the upload is taken,
    so none leaves it taken: a claim is only ever given back by the PATCH that made it."""
    with db.write() as conn:
        upload = _unfinished(db, conn, org_id, upload_id)
        if upload.state == "reserved":
            raise ApplianceError(ErrorType.not_found, "this upload was never created")
        if upload.expires_at <= now_iso():
            raise ApplianceError(ErrorType.token_expired, "this upload has expired")
        if offset != upload.received:
            raise ApplianceError(
                ErrorType.offset_mismatch,
                f"Upload-Offset is {offset}; the upload has {upload.received} bytes",
            )
        _check_declared(upload, declared)
        conn.execute(
            "UPDATE tus_uploads SET state = 'receiving', claimed_by = ? WHERE id = ?",
            (db.instance, upload_id),
        )
    return upload


def _check_declared(upload: TusUpload, declared: int | None) -> None:
    """An Upload-Length sent with a PATCH: the length already fixed, or (deferred until
    now) one within the maximum and not below the bytes already received."""
    if declared is None:
        return
    if upload.length is not None:
        if declared != upload.length:
            raise ApplianceError(ErrorType.invalid_request, "Upload-Length cannot change")
        return
    if declared > upload.max_size:
        raise ApplianceError(
            ErrorType.payload_too_large, f"Upload-Length exceeds {upload.max_size}"
        )
    if declared < upload.received:
        raise ApplianceError(
            ErrorType.invalid_request,
            f"Upload-Length is {declared}; the upload already has {upload.received} bytes",
        )


def release(db: DB, upload_id: str, received: int, length: int | None) -> None:
    """Give the upload back after a PATCH, with the bytes now durable."""
    with db.write() as conn:
        conn.execute(
            "UPDATE tus_uploads SET state = 'open', received = ?, length = ?, claimed_by = NULL"
            " WHERE id = ? AND state = 'receiving'",
            (received, length, upload_id),
        )


def finish(
    db: DB,
    upload: TusUpload,
    stored_name: str,
    size: int,
    sha256: str,
    partials: Sequence[str] = (),
) -> FileRecord:
    """Record the file and mark the upload done, in one transaction (which also
    forgets the ``partials`` a final upload joined); none if the upload was
    forgotten meanwhile (expired, and collected while its last PATCH ran)."""
    with db.write() as conn:
        record = upload_records.record_file(conn, upload, stored_name, size, sha256)
        done = conn.execute(
            "UPDATE tus_uploads SET state = 'done', received = ?, length = ?, file_id = ?,"
            " claimed_by = NULL WHERE id = ? AND state != 'done'",
            (size, size, record.file_id, upload.id),
        ).rowcount
        if done != 1:
            raise ApplianceError(ErrorType.token_expired, "this upload has expired")
        for upload_id in partials:
            conn.execute(
                "DELETE FROM tus_uploads WHERE id = ? AND concat = 'partial'", (upload_id,)
            )
    return record


def complete_partial(db: DB, upload_id: str, size: int) -> None:
    """A partial upload has all its bytes: it waits for the final upload that joins it."""
    with db.write() as conn:
        conn.execute(
            "UPDATE tus_uploads SET state = 'done', received = ?, length = ?, claimed_by = NULL"
            " WHERE id = ?",
            (size, size, upload_id),
        )


def take_partials(db: DB, org_id: str, upload_ids: list[str]) -> list[TusUpload]:
    """Take the complete partial uploads a final upload names, all or none, so that
    of concurrent final uploads naming the same ones exactly one joins them; the
    others see 409 while it does (404 once they are joined and gone)."""
    joiner = _JOINING + db.instance
    with db.write() as conn:
        pieces = []
        for upload_id in upload_ids:
            piece = _load(conn, org_id, upload_id)
            if piece is None:
                raise ApplianceError(ErrorType.not_found, "no such upload")
            if piece.concat != "partial" or piece.state != "done":
                raise ApplianceError(
                    ErrorType.invalid_request, f"upload {piece.id} is not a complete partial upload"
                )
            if _joined_now(db, piece):
                raise ApplianceError(
                    ErrorType.upload_in_progress, f"upload {piece.id} is being joined"
                )
            pieces.append(piece)
        for upload_id in upload_ids:
            conn.execute("UPDATE tus_uploads SET claimed_by = ? WHERE id = ?", (joiner, upload_id))
    return pieces


def give_back_partials(db: DB, upload_ids: list[str]) -> None:
    """A join that failed: its partial uploads may be joined again."""
    with db.write() as conn:
        for upload_id in upload_ids:
            conn.execute(
                "UPDATE tus_uploads SET claimed_by = NULL"
                " WHERE id = ? AND state = 'done' AND concat = 'partial'",
                (upload_id,),
            )


_JOINING = "join:"
"""``claimed_by`` of a complete partial upload a final upload is joining: this prefix,
then the joining process's instance (appliance/uploads/claims.py)."""


def _joined_now(db: DB, piece: TusUpload) -> bool:
    """Is a live process joining this complete partial upload?"""
    holder = piece.claimed_by or ""
    return holder.startswith(_JOINING) and claims.held(db, holder.removeprefix(_JOINING))


def terminate(db: DB, org_id: str, upload_id: str) -> None:
    with db.write() as conn:
        _unfinished(db, conn, org_id, upload_id)
        conn.execute("DELETE FROM tus_uploads WHERE id = ?", (upload_id,))


_FORGOTTEN = (
    "(state IN ('reserved', 'open', 'receiving') OR (state = 'done' AND concat = 'partial'))"
)
"""Uploads an expiry ends, in every state but a finished file's: never used,
unfinished, or partial ones never joined."""


def remove_expired(db: DB) -> list[tuple[str, str]]:
    """Forget uploads past their expiry that no live process holds (a PATCH or a join
    that began before the expiry is let finish; one whose process is gone is
    abandoned); returns their (org id, upload id)."""
    stamp = now_iso()
    with db.write() as conn:
        rows = [
            TusUpload(**row)
            for row in conn.query(
                f"SELECT * FROM tus_uploads WHERE {_FORGOTTEN} AND expires_at <= ?",  # noqa: S608
                (stamp,),
            )
        ]
        gone = [upload for upload in rows if not _held(db, upload)]
        for upload in gone:
            conn.execute("DELETE FROM tus_uploads WHERE id = ?", (upload.id,))
    return [(upload.org_id, upload.id) for upload in gone]


def _held(db: DB, upload: TusUpload) -> bool:
    """Is a live process at work on the upload: receiving a PATCH, or joining it?"""
    if upload.state == "receiving":
        return claims.held(db, upload.claimed_by)
    return _joined_now(db, upload)


def open_ids(db: DB, org_id: str) -> set[str]:
    """The organization's uploads whose bytes are still wanted: not yet complete, or a
    complete partial upload waiting for its final one."""
    rows = db.rows(
        "SELECT id FROM tus_uploads WHERE org_id = ? AND (state != 'done' OR concat = 'partial')",
        (org_id,),
    )
    return {r["id"] for r in rows}


def files_of_link(db: DB, org_id: str, link_id: str) -> list[str]:
    """The ids of the files that uploads through a drop link became, oldest first."""
    rows = db.rows(
        "SELECT file_id FROM tus_uploads WHERE org_id = ? AND link_id = ? AND file_id IS NOT NULL"
        " ORDER BY created_at, id",
        (org_id, link_id),
    )
    return [r["file_id"] for r in rows]


def end_link_uploads(db: DB, conn: Connection, org_id: str, link_id: str) -> list[str]:
    """A drop link is closing (in ``conn``'s transaction): its uploads not complete are
    forgotten, so none takes bytes afterwards; their ids, whose bytes the caller
    removes. 409 if one is receiving a PATCH now."""
    rows = list(
        conn.query(
            "SELECT * FROM tus_uploads WHERE org_id = ? AND link_id = ? AND state != 'done'",
            (org_id, link_id),
        )
    )
    uploads = [TusUpload(**row) for row in rows]
    if any(_held(db, upload) for upload in uploads):
        raise ApplianceError(
            ErrorType.upload_in_progress, "a file is still arriving; finish once it has"
        )
    for upload in uploads:
        conn.execute("DELETE FROM tus_uploads WHERE id = ?", (upload.id,))
    return [upload.id for upload in uploads]


def _unfinished(db: DB, conn: Connection, org_id: str, upload_id: str) -> TusUpload:
    """The upload, if no live PATCH holds it and it is not complete (read in
    ``conn``'s transaction); else the error the caller must see."""
    upload = _load(conn, org_id, upload_id)
    if upload is None:
        raise ApplianceError(ErrorType.not_found, "no such upload")
    if upload.state == "receiving" and claims.held(db, upload.claimed_by):
        raise ApplianceError(ErrorType.upload_in_progress)
    if _joined_now(db, upload):
        raise ApplianceError(ErrorType.upload_in_progress, "this upload is being joined")
    if upload.state == "done":
        raise ApplianceError(ErrorType.token_used, "this upload is complete")
    return upload


def _load(conn: Connection, org_id: str, upload_id: str) -> TusUpload | None:
    rows: list[dict[str, Any]] = list(
        conn.query("SELECT * FROM tus_uploads WHERE id = ? AND org_id = ?", (upload_id, org_id))
    )
    return TusUpload(**rows[0]) if rows else None


def release_dead_claims(conn: Connection, db: DB) -> int:
    """Give back the claims on tus_uploads whose holder is gone (claims.py), inside
    the caller's write transaction; how many."""
    holders = conn.query("SELECT DISTINCT claimed_by FROM tus_uploads WHERE state = 'receiving'")
    dead = claims.of_dead_holders(db, [row["claimed_by"] for row in holders])
    if dead is None:
        return 0
    condition, params = dead
    # The condition is claims.py's, of placeholders only: every value is bound.
    sql = (
        f"UPDATE tus_uploads SET state = 'open', claimed_by = NULL"  # noqa: S608
        f" WHERE state = 'receiving' AND {condition}"
    )
    return int(conn.execute(sql, params).rowcount)
