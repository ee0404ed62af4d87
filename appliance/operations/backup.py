"""Backups: a consistent copy of the database and of every stored file, and the way back.

The database is copied with SQLite's online backup API, so it is consistent while
the server keeps running. The files named in that copy are then copied and their
SHA-256 checked against the database as they go: a file deleted or replaced after
the snapshot is reported, never silently copied wrong. The signing secrets are
included (presigned URLs stay valid after a restore), and so are the audit key and
the snapshot's audit head (the trail verifies after a restore), so a backup is as
secret as the data directory and the configuration's secrets, and is written 0700/0600.

A restore trusts nothing of the backup it has not checked: the files against the
database snapshot (not only against the manifest beside them, which could be edited
with them), and the snapshot's audit trail against the key and head in the backup.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from dataclasses import asdict, dataclass, field
from io import BufferedIOBase
from pathlib import Path
from typing import Any

from appliance import audit
from appliance.accounts import apikeys, orgs
from appliance.audit_seal import Seal, SealError
from appliance.clock import now_iso
from appliance.config import Settings
from appliance.context import Appliance, audit_seal
from appliance.db import open_db
from appliance.db.sqlite import read_only
from appliance.files import records as files
from storage import NotStored
from storage.durable import fsync_path, sha256_file, write_private
from storage.names import is_safe_component


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


MANIFEST = "manifest.json"
DB_NAME = "appliance.db"
SECRETS_NAME = "signing-keys"
AUDIT_KEY_NAME = "audit-key"
AUDIT_HEAD_NAME = "audit-head"
COPY_BYTES = 1024 * 1024


@dataclass
class Report:
    path: str
    created_at: str
    organizations: int = 0
    api_keys: int = 0
    files: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def backup(appliance: Appliance, dest: Path) -> Report:
    """Copy the database, every file and the signing secrets into ``dest`` (new or empty)."""
    try:
        return _backup(appliance, dest)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(
            f"cannot write the backup to {dest}: {_reason(exc)}; what is there is"
            " incomplete: remove it, then run hpx backup again"
        ) from None


def _backup(appliance: Appliance, dest: Path) -> Report:
    if appliance.settings.database_url is not None:
        raise BackupError(
            "hpx backup copies the SQLite database; with database_url, back up PostgreSQL"
            " with pg_dump or its own tools (docs/scale-out.md)"
        )
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty")
    dest.mkdir(parents=True, exist_ok=True, mode=0o700)
    report = Report(path=str(dest), created_at=now_iso())
    _snapshot_db(appliance.settings.db_path, dest / DB_NAME)
    with read_only(dest / DB_NAME) as snapshot:
        report.organizations = orgs.count(snapshot)
        report.api_keys = apikeys.count(snapshot)
        rows = files.every_file(snapshot)
    entries = []
    for row in rows:
        org_id, file_id, filename = row["org_id"], row["id"], row["filename"]
        size, sha256 = row["size"], row["sha256"]
        status = "ok"
        try:
            target = dest / "orgs" / org_id / "files" / filename
            with appliance.store.open_file(org_id, filename) as source:
                if _copy_verified(source, target) != sha256:
                    status = "changed during backup"
        except NotStored:
            status = "deleted during backup"
        if status == "ok":
            report.files += 1
            report.bytes += size
        else:
            report.problems.append(f"{file_id}: {status}")
        entries.append(
            {
                "org_id": org_id,
                "file_id": file_id,
                "filename": filename,
                "size": size,
                "sha256": sha256,
                "status": status,
            }
        )
    secrets = appliance.settings.signing_keys_path
    if secrets.exists():
        _copy_private(secrets, dest / SECRETS_NAME)
    _keep_audit_head(appliance, dest)
    manifest = {"format": 1, "report": report.to_dict(), "files": entries}
    write_private(dest / MANIFEST, json.dumps(manifest, indent=1).encode())
    return report


def _keep_audit_head(appliance: Appliance, dest: Path) -> None:
    """The audit key, and the snapshot's newest record as the head kept beside it: what
    ``hpx audit verify`` and ``hpx restore`` need to show nothing was cut off the end."""
    key = appliance.settings.audit_key_path
    if not key.exists():
        return  # nothing was ever recorded with one
    _copy_private(key, dest / AUDIT_KEY_NAME)
    with read_only(dest / DB_NAME) as snapshot:
        newest = audit.newest(snapshot)
    if newest is not None:
        _backup_seal(dest).write_head(newest)


def _backup_seal(src: Path) -> Seal:
    return Seal(src / AUDIT_KEY_NAME, src / AUDIT_HEAD_NAME, create_key=False)


def restore(settings: Settings, src: Path, force: bool = False) -> Report:
    """Put a backup into ``settings.data_dir``; refuses to overwrite an existing database."""
    try:
        return _restore(settings, src, force)
    except SealError as exc:
        raise BackupError(f"restored, but the audit trail could not be keyed: {exc}") from None
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(
            f"cannot restore from {src} into {settings.data_dir}: {_reason(exc)}"
        ) from None


def _restore(settings: Settings, src: Path, force: bool) -> Report:
    manifest = _read_manifest(src)
    if settings.store != "local" or settings.database_url is not None:
        raise BackupError(
            "restore writes into a local store and SQLite only; with store = s3 or"
            " database_url, restore with the object store's and PostgreSQL's own tools"
            " (docs/scale-out.md)"
        )
    if settings.db_path.exists() and not force:
        raise BackupError(
            f"{settings.data_dir} already holds a database; stop the server and pass --force",
        )
    report = Report(path=str(settings.data_dir), created_at=manifest["report"]["created_at"])
    # Verify everything before touching the target: the files against the database
    # snapshot (the manifest is a list beside it, and could be edited with them).
    _check_db(src / DB_NAME)
    recorded = _snapshot_files(src / DB_NAME)
    for entry in manifest["files"]:
        if entry["status"] != "ok":
            continue
        damaged = BackupError(
            f"backup copy of {entry['file_id']} is missing or damaged; nothing was restored"
        )
        named = (entry["org_id"], entry["filename"], entry["size"], entry["sha256"])
        if recorded.get(entry["file_id"]) != named:
            raise damaged  # the manifest says other than the database
        path = src / "orgs" / entry["org_id"] / "files" / entry["filename"]
        if not path.is_file() or sha256_file(path) != entry["sha256"]:
            raise damaged
    _check_audit(src)
    listed = {entry["file_id"] for entry in manifest["files"]}
    for file_id in sorted(set(recorded) - listed):  # a manifest with entries left out
        report.problems.append(f"{file_id}: not in the manifest (not restored)")
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o750)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{settings.db_path}{suffix}").unlink(missing_ok=True)
    _snapshot_db(src / DB_NAME, settings.db_path)
    for entry in manifest["files"]:
        if entry["status"] != "ok":
            report.problems.append(f"{entry['file_id']}: {entry['status']} (not in backup)")
            continue
        source = src / "orgs" / entry["org_id"] / "files" / entry["filename"]
        target = settings.store_root / entry["org_id"] / "files" / entry["filename"]
        with open(source, "rb") as fin:
            _copy_verified(fin, target)
        report.files += 1
        report.bytes += entry["size"]
    if (src / SECRETS_NAME).exists():
        settings.signing_keys_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _copy_private(src / SECRETS_NAME, settings.signing_keys_path)
    if (src / AUDIT_KEY_NAME).exists():
        settings.audit_key_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _copy_private(src / AUDIT_KEY_NAME, settings.audit_key_path)
    settings.audit_head_path.unlink(missing_ok=True)  # the replaced trail's
    db = open_db(settings.db_path)  # brings an older backup up to the current schema
    db.audit_seal = audit_seal(settings)
    audit.anchor(db)  # the restored trail's head (keyed by a marker if it was not)
    report.organizations = orgs.count(db.conn)
    report.api_keys = apikeys.count(db.conn)
    db.close()
    return report


def _reason(exc: OSError | sqlite3.Error) -> str:
    """Why, without the file: an OSError's filename may be a stored file's, and those
    carry patients' names."""
    return getattr(exc, "strerror", None) or str(exc)


ENTRY_FIELDS = {"org_id": str, "file_id": str, "filename": str, "size": int,
                "sha256": str, "status": str}  # fmt: skip


def _read_manifest(src: Path) -> dict[str, Any]:
    """The backup's manifest, its shape checked before anything is restored from it; a
    name that could climb out of the data directory (a backup edited on a shared disk)
    makes it damaged."""
    path = src / MANIFEST
    if not path.is_file():
        raise BackupError(f"{src} has no {MANIFEST}: not a backup")
    damaged = BackupError(f"{path} is damaged: not a backup this can restore")
    try:
        manifest = json.loads(path.read_text())
    except ValueError:
        raise damaged from None
    if not (
        isinstance(manifest, dict)
        and isinstance(manifest.get("report"), dict)
        and isinstance(manifest["report"].get("created_at"), str)
        and isinstance(manifest.get("files"), list)
        and all(
            isinstance(entry, dict)
            and all(isinstance(entry.get(k), t) for k, t in ENTRY_FIELDS.items())
            and is_safe_component(entry["org_id"])
            and is_safe_component(entry["filename"])
            for entry in manifest["files"]
        )
    ):
        raise damaged
    return manifest


def _check_db(path: Path) -> None:
    """The backup's database exists and SQLite finds it whole (read-only: a missing file
    must not be created empty, and the backup is not changed)."""
    try:
        db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            whole = db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            db.close()
    except sqlite3.Error:
        whole = False
    if not whole:
        raise BackupError(f"{path} is missing or damaged; nothing was restored")


def _snapshot_files(path: Path) -> dict[str, tuple[str, str, int, str]]:
    """Every file the backup's database records: id -> organization, name, size, SHA-256."""
    with read_only(path) as db:
        rows = files.every_file(db)
    return {r["id"]: (r["org_id"], r["filename"], r["size"], r["sha256"]) for r in rows}


def _check_audit(src: Path) -> None:
    """The backup's audit trail verifies with the key and head it carries (a backup
    without a key is from before the key: its trail is keyed after the restore)."""
    if not (src / AUDIT_KEY_NAME).exists():
        return
    try:
        with read_only(src / DB_NAME) as db:
            verdict = audit.verify_rows(audit.in_order(db), _backup_seal(src))
    except SealError as exc:
        raise BackupError(f"{src}: {exc}; nothing was restored") from None
    if not verdict["ok"]:
        raise BackupError(
            f"the backup's audit trail does not verify (record {verdict['broken_at_seq']}:"
            f" {verdict['problem']}); nothing was restored"
        )


def _snapshot_db(source: Path, target: Path) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        dst.close()
        src.close()
    os.chmod(target, 0o600)
    fsync_path(target)


def _copy_verified(fin: BufferedIOBase, target: Path) -> str:
    """Copy and hash in one pass; the copy is fsynced. Returns the SHA-256 of what was read."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256()
    with open(target, "wb") as fout:
        while block := fin.read(COPY_BYTES):
            digest.update(block)
            fout.write(block)
        fout.flush()
        os.fsync(fout.fileno())
    os.chmod(target, 0o600)
    return digest.hexdigest()


def _copy_private(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    os.chmod(target, 0o600)
    fsync_path(target)
