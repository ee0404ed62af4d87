"""``hpx migrate --to-config NEW.toml``: a single-host install's files and metadata
moved into the store and database another configuration names (an object store and
PostgreSQL: docs/scale-out.md), verified before success is reported.

The audit trail keeps its hashes, so the new configuration must name the same audit
key (it is copied there when it has none). Files go first, each copied then read back
from the new store and checked against its recorded SHA-256; the metadata follows,
so the new database never names a file the new store does not hold. Bytes of uploads
still in progress (multipart parts, tus uploads) are copied too, so URLs handed out
keep working. Running it again is safe: files already there with the right bytes are
kept, rows already there are left. The source must not be serving (its data
directory is locked while this runs).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from dataclasses import asdict, dataclass, field
from io import BufferedIOBase
from typing import Any

from appliance import audit
from appliance.accounts import orgs
from appliance.context import Appliance
from appliance.db import copy_rows
from appliance.files import records as files
from storage import NotStored, Store
from storage.durable import write_private

COPY_BYTES = 8 * 1024 * 1024


class MigrateError(Exception):
    """The migration cannot go on or did not verify; nothing reported as moved."""


@dataclass
class Report:
    files: int = 0
    bytes: int = 0
    files_already_there: int = 0
    parts: int = 0
    resumable_uploads: int = 0
    rows: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def migrate(source: Appliance, target: Appliance) -> Report:
    if (source.settings.store, source.settings.database_url) == (
        target.settings.store,
        target.settings.database_url,
    ) and source.settings.data_dir == target.settings.data_dir:
        raise MigrateError("the new configuration names the same store and database")
    _same_audit_key(source, target)
    target.store.prepare()
    report = Report()
    for org in orgs.list_orgs(source.db):
        for record in files.all_files(source.db, org.id):
            copied = _copy_file(source.store, target.store, org.id, record)
            report.files += 1
            report.bytes += record.size
            report.files_already_there += not copied
        for upload_id in source.store.multipart_ids(org.id):
            report.parts += _copy_parts(source.store, target.store, org.id, upload_id)
        for upload_id in source.store.resumable_ids(org.id):
            _copy_resumable(source.store, target.store, org.id, upload_id)
            report.resumable_uploads += 1
    report.rows = copy_rows(source.db, target.db)
    audit.anchor(target.db)  # this node's head of the copied chain
    return report


def _same_audit_key(source: Appliance, target: Appliance) -> None:
    """The records keep their hashes, so the new configuration must name the same audit
    key: copied there if it has none, refused if it names another."""
    mine, theirs = source.db.audit_seal, target.db.audit_seal
    if not theirs.key_path.exists():
        theirs.key_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_private(theirs.key_path, mine.key + b"\n", exclusive=True)
    if not hmac.compare_digest(mine.key, theirs.key):
        raise MigrateError(
            f"the new configuration's audit key ({theirs.key_path}) is not this one's"
            f" ({mine.key_path}): the trail would not verify; copy this one there"
        )


def _copy_file(source: Store, target: Store, org_id: str, record: files.FileRecord) -> bool:
    """Copy unless the new store already holds it intact; False if it did. Raises
    MigrateError unless the new store's copy reads back with the recorded SHA-256."""
    name = record.filename
    if name in target.stored_names(org_id):
        if _sha256(target, org_id, name) == record.sha256:
            return False
        target.delete(org_id, name)  # not ours, or not whole: copied again
    with source.open_file(org_id, name) as fh:
        staged = asyncio.run(_write(target, org_id, fh, record.size))
    if staged[1] != record.sha256:
        staged[0].discard()
        raise MigrateError(f"file {record.file_id} differs from its record in the source")
    stored = target.commit(org_id, staged[0], name)
    if stored != name or _sha256(target, org_id, stored) != record.sha256:
        raise MigrateError(f"file {record.file_id} did not verify in the new store")
    return True


def _copy_parts(source: Store, target: Store, org_id: str, upload_id: str) -> int:
    numbers = source.part_numbers(org_id, upload_id)
    for number in numbers:
        with source.open_part(org_id, upload_id, number) as fh:
            staged, _ = asyncio.run(_write(target, org_id, fh, None))
        target.commit_part(org_id, upload_id, number, staged)
    return len(numbers)


def _copy_resumable(source: Store, target: Store, org_id: str, upload_id: str) -> None:
    async def go() -> None:
        writer = target.open_resumable(org_id, upload_id, 0, hashlib.sha256())
        try:
            with source.open_resumable_bytes(org_id, upload_id) as fh:
                while block := fh.read(COPY_BYTES):
                    await writer.write(block)
            await writer.finish()
        except BaseException:
            writer.discard()
            raise

    asyncio.run(go())


async def _write(
    target: Store, org_id: str, fh: BufferedIOBase, size: int | None
) -> tuple[Any, str]:
    writer = target.open_writer(org_id, size)
    try:
        while block := fh.read(COPY_BYTES):
            await writer.write(block)
        return writer, await writer.finish()
    except BaseException:
        writer.discard()
        raise


def _sha256(store: Store, org_id: str, name: str) -> str:
    """The stored file's SHA-256, or "" if it is not there (yet)."""
    try:
        return store.sha256(org_id, name)
    except NotStored:
        return ""
