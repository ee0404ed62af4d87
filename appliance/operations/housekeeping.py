"""Garbage collection: what crashes, expiries and deletions leave behind.

The database is the truth. Bytes on disk that no row refers to were never
acknowledged to a client (or were deleted), so after a grace period they are
removed. The grace period protects uploads that are being committed right now.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from appliance.accounts.orgs import org_names
from appliance.analytics import conversations
from appliance.context import Appliance
from appliance.files import records as files
from appliance.uploads import links, tus_records, tus_service, upload_records

GRACE_SECONDS = 3600.0
"""Untouched this long, a temporary or unreferenced file is certainly abandoned."""


@dataclass
class Collected:
    expired_sessions: int = 0
    temp_files: int = 0
    orphan_files: int = 0
    orphan_orgs: int = 0
    orphan_part_dirs: int = 0
    expired_conversations: int = 0
    expired_links: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def collect_once(appliance: Appliance) -> Collected | None:
    """:func:`collect`, unless another node sharing the database is collecting now
    (then None: that node's round covers this one)."""
    with appliance.db.exclusive("housekeeping") as ours:
        return collect(appliance) if ours else None


def collect(appliance: Appliance, grace_seconds: float = GRACE_SECONDS) -> Collected:
    db, store = appliance.db, appliance.store
    result = Collected()
    expired = upload_records.remove_expired(db)
    for org_id, upload_id in expired:
        store.remove_parts(org_id, upload_id)
    expired_tus = tus_records.remove_expired(db)
    for org_id, upload_id in expired_tus:
        store.remove_resumable(org_id, upload_id)
        tus_service.forget(upload_id)
    result.expired_sessions = len(expired) + len(expired_tus)
    result.expired_conversations = conversations.remove_expired(db)
    result.expired_links = links.remove_expired(appliance)
    result.temp_files = store.remove_stale_temp_files(grace_seconds)
    known_orgs = set(org_names(db))
    for org_id in store.org_ids():
        if org_id not in known_orgs:
            store.delete_org(org_id)
            result.orphan_orgs += 1
            continue
        referenced = files.stored_names(db, org_id)
        for name in store.stored_names(org_id) - referenced:
            if store.age_seconds(org_id, name) >= grace_seconds:
                store.delete(org_id, name)
                result.orphan_files += 1
        # Parts of sessions that are gone (aborted, expired, or completed before a crash).
        open_sessions = upload_records.open_multipart_ids(db, org_id)
        for upload_id in store.multipart_ids(org_id) - open_sessions:
            store.remove_parts(org_id, upload_id)
            result.orphan_part_dirs += 1
        # Partial files of resumable uploads that were terminated, expired or finished.
        for upload_id in store.resumable_ids(org_id) - tus_records.open_ids(db, org_id):
            store.remove_resumable(org_id, upload_id)
            result.orphan_part_dirs += 1
    return result
