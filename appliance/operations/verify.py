"""``hpx verify``: proof that what the database says is stored is what is on disk.

Every file row must have its bytes, with the recorded size (and, with ``rehash``, the
recorded SHA-256); no temporary or stray file may sit among the finished ones; no
session may have produced two files; analytics copies must match their files.
The report names organizations and file ids, never filenames.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from appliance.accounts import orgs
from appliance.analytics import datasets
from appliance.context import Appliance
from appliance.files import records as files
from storage import NotStored


@dataclass
class Report:
    files_checked: int = 0
    bytes_checked: int = 0
    rehashed: bool = False
    leftovers: int = 0
    """Complete files no record refers to (a crash between publishing and recording)."""
    problems: list[dict[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, kind: str, org_id: str, what: str) -> None:
        self.problems.append({"problem": kind, "org_id": org_id, "object": what})

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"ok": self.ok}


def verify(appliance: Appliance, rehash: bool = False) -> Report:
    report = Report(rehashed=rehash)
    store = appliance.store
    known_orgs = {o.id for o in orgs.list_orgs(appliance.db)}
    for org_id in sorted(known_orgs):
        records = files.all_files(appliance.db, org_id)
        for record in records:
            report.files_checked += 1
            try:
                size = store.size_of(org_id, record.filename)
                report.bytes_checked += size
                if size != record.size:
                    report.add("size differs", org_id, record.file_id)
                elif rehash and store.sha256(org_id, record.filename) != record.sha256:
                    report.add("content differs", org_id, record.file_id)
            except NotStored:
                report.add("missing", org_id, record.file_id)
        recorded = {r.filename for r in records}
        for name in sorted(store.stored_names(org_id) - recorded):
            if name.endswith((".part", ".tmp")):
                report.add("temporary file visible", org_id, "a file with no record")
            else:
                # Published, then the process died before the database recorded it: no
                # client was told of it and none can reach it; hpx gc removes it after an
                # hour. Debris of a crash, not a fault.
                report.leftovers += 1
        for file_id in datasets.stale_copies(appliance, org_id):
            report.add("analytics copy differs", org_id, file_id)
    for org_id in sorted(set(store.org_ids()) - known_orgs):
        report.add("tree of an unknown organization", org_id, "its directory")
    for upload_id in files.uploads_recorded_twice(appliance.db):
        report.add("upload completed twice", "-", upload_id)
    return report
