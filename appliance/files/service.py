"""The files service: what the views and the commands call to list, describe, download
and delete an organization's files. It joins the ``files`` table (records.py) to the
store and the audit trail, as the upload service does for uploads; no HTTP here."""

from __future__ import annotations

from dataclasses import dataclass
from io import BufferedIOBase

from appliance.db import DB
from appliance.errors import ApplianceError, ErrorType
from appliance.files import records
from appliance.files.records import FileRecord
from storage import NotStored, Store


@dataclass
class Download:
    """A file's record and its bytes, open: the caller streams them, then closes."""

    org_id: str
    record: FileRecord
    reader: BufferedIOBase


def list_files(
    db: DB, org_id: str, limit: int, cursor: str | None
) -> tuple[list[FileRecord], str | None]:
    """A page of the organization's files, and the cursor of the next (None: the last)."""
    return records.list_files(db, org_id, limit, cursor)


def describe(db: DB, org_id: str, file_id: str) -> FileRecord:
    return records.get_file(db, org_id, file_id)


def open_download(db: DB, store: Store, org_id: str, file_id: str) -> Download:
    """The file's record and its bytes, opened: a record whose bytes are gone is
    ``not_found``, as a missing record is."""
    record = records.get_file(db, org_id, file_id)
    try:
        reader = store.open_file(org_id, record.filename)
    except NotStored as exc:
        raise ApplianceError(ErrorType.not_found, "the file's content is missing") from exc
    return Download(org_id, record, reader)


def note_download(db: DB, download: Download, actor: str) -> None:
    """Audit a download once its answer is ready to be sent; if the audit cannot be
    written, the bytes are closed and not sent."""
    try:
        records.note_download(db, download.org_id, download.record.file_id, actor)
    except BaseException:
        download.reader.close()
        raise


def delete(db: DB, store: Store, org_id: str, file_id: str, actor: str) -> None:
    """Row first, then bytes: a crash in between leaves only unreferenced bytes for gc.

    Caches built from the files (the analytics tables) are dropped too, so that no
    copy of a deleted file's rows outlives it; they are rebuilt on next use.
    """
    record = records.delete_record(db, org_id, file_id, actor)
    store.delete(org_id, record.filename)
    store.clear_derived(org_id)
