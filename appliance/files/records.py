"""Finished files: metadata rows, always read and written scoped to one organization."""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass
from typing import Any

from appliance import audit
from appliance.clock import now_iso
from appliance.db import DB, Connection
from appliance.errors import ApplianceError, ErrorType, invalid
from appliance.ids import new_id

DEFAULT_PAGE = 100
MAX_PAGE = 1000


@dataclass(frozen=True)
class FileRecord:
    file_id: str
    upload_id: str | None
    filename: str
    size: int
    sha256: str
    content_type: str | None
    created_at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_COLUMNS = "id AS file_id, upload_id, filename, size, sha256, content_type, created_at"


def record_upload(
    conn: Connection,
    org_id: str,
    upload_id: str,
    *,
    stored_name: str,
    size: int,
    sha256: str,
    content_type: str | None,
    actor: str,
) -> FileRecord:
    """Record the file an upload produced, with its audit entry, inside the caller's
    transaction (the one that also ends the upload, whatever its kind)."""
    record = FileRecord(
        file_id=new_id("file"),
        upload_id=upload_id,
        filename=stored_name,
        size=size,
        sha256=sha256,
        content_type=content_type,
        created_at=now_iso(),
    )
    row = asdict(record)
    conn.table("files").insert({"id": row.pop("file_id"), "org_id": org_id, **row})
    audit.record(conn, actor, "file.upload", org_id=org_id, target=record.file_id)
    return record


def get_file(db: DB, org_id: str, file_id: str) -> FileRecord:
    row = db.row(f"SELECT {_COLUMNS} FROM files WHERE id = ? AND org_id = ?", (file_id, org_id))  # noqa: S608
    if row is None:
        raise ApplianceError(ErrorType.not_found, "no such file")
    return FileRecord(**row)


def list_files(
    db: DB, org_id: str, limit: int = DEFAULT_PAGE, cursor: str | None = None
) -> tuple[list[FileRecord], str | None]:
    """Newest first, keyset-paginated: a page is stable while files are added."""
    if not 1 <= limit <= MAX_PAGE:
        raise invalid("limit", f"must be between 1 and {MAX_PAGE}")
    before = _decode_cursor(cursor) if cursor else None
    sql = f"SELECT seq, {_COLUMNS} FROM files WHERE org_id = ?"  # noqa: S608
    params: list[Any] = [org_id]
    if before is not None:
        sql += " AND seq < ?"
        params.append(before)
    rows = db.rows(sql + " ORDER BY seq DESC LIMIT ?", (*params, limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = _encode_cursor(rows[-1]["seq"]) if more else None
    return [FileRecord(**{k: v for k, v in r.items() if k != "seq"}) for r in rows], next_cursor


def all_files(db: DB, org_id: str) -> list[FileRecord]:
    rows = db.rows(f"SELECT {_COLUMNS} FROM files WHERE org_id = ? ORDER BY seq", (org_id,))  # noqa: S608
    return [FileRecord(**r) for r in rows]


def every_file(conn: Connection) -> list[dict[str, Any]]:
    """Every file of every organization in ``conn``'s database, by organization then in
    upload order: ``org_id``, ``id``, ``filename``, ``size``, ``sha256`` (a backup's list)."""
    return list(
        conn.query("SELECT org_id, id, filename, size, sha256 FROM files ORDER BY org_id, seq")
    )


def uploads_recorded_twice(db: DB) -> list[str]:
    """Upload sessions that produced more than one file (the single-use promise broken)."""
    rows = db.rows(
        "SELECT upload_id FROM files WHERE upload_id IS NOT NULL"
        " GROUP BY upload_id HAVING count(*) > 1"
    )
    return [r["upload_id"] for r in rows]


def tabular_files(db: DB, org_id: str) -> list[FileRecord]:
    """The organization's CSV and TSV files, oldest first: each becomes a dataset."""
    rows = db.rows(
        f"SELECT {_COLUMNS} FROM files WHERE org_id = ?"  # noqa: S608
        " AND (lower(filename) LIKE '%.csv' OR lower(filename) LIKE '%.tsv') ORDER BY seq",
        (org_id,),
    )
    return [FileRecord(**r) for r in rows]


def delete_record(db: DB, org_id: str, file_id: str, actor: str) -> FileRecord:
    """Remove the file's row, audited in the same transaction; the record it was (its
    bytes are the files service's to delete: appliance/files/service.py)."""
    record = get_file(db, org_id, file_id)
    with db.write() as conn:
        conn.execute("DELETE FROM files WHERE id = ? AND org_id = ?", (file_id, org_id))
        audit.record(conn, actor, "file.delete", org_id=org_id, target=file_id)
    return record


def note_download(db: DB, org_id: str, file_id: str, actor: str) -> None:
    audit.record_now(db, actor, "file.download", org_id=org_id, target=file_id)


def stored_names(db: DB, org_id: str) -> set[str]:
    """The names under which the organization's recorded files are stored."""
    return {
        r["filename"] for r in db.rows("SELECT filename FROM files WHERE org_id = ?", (org_id,))
    }


def usage_by_org(db: DB) -> dict[str, tuple[int, int]]:
    """(number of files, bytes) per organization that has files."""
    rows = db.rows(
        "SELECT org_id, COUNT(*) AS n, COALESCE(SUM(size), 0) AS b FROM files GROUP BY org_id"
    )
    return {r["org_id"]: (int(r["n"]), int(r["b"])) for r in rows}


def used_bytes(db: DB, org_id: str) -> int:
    row = db.row("SELECT COALESCE(SUM(size), 0) AS n FROM files WHERE org_id = ?", (org_id,))
    return int(row["n"]) if row else 0


def _encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"s:{seq}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = text.partition(":")
        if kind != "s":
            raise ValueError(kind)
        seq = int(value)
        if not 0 < seq < 2**63:
            raise ValueError(value)
        return seq
    except ValueError as exc:
        raise invalid("cursor", "is not a cursor this server handed out") from exc
