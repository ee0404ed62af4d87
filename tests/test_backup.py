"""Backing up a running appliance and restoring it into a new data directory."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from appliance.accounts import apikeys
from appliance.config import load_settings
from appliance.context import open_appliance
from tests.cli_runner import Result, run_hpx
from tests.helpers import presign, sha
from tests.servers import MakeServer, Server


def hpx(*args: str) -> Result:
    return run_hpx(*args, "--json")


def test_backup_of_running_server_restores_every_file_and_key(
    make_server: MakeServer, tmp_path: Path
) -> None:
    server: Server = make_server()
    org_a, key_a = server.new_org()
    org_b, key_b = server.new_org()
    uploaded = {}
    with server.client() as client:
        for key, name in ((key_a, "a1.csv"), (key_a, "a2.csv"), (key_b, "b1.csv")):
            data = os.urandom(100_000)
            grant = presign(client, key, filename=name)
            r = client.put(grant["upload_url"], content=data)
            uploaded[r.json()["file_id"]] = sha(data)

    dest = tmp_path / "backup"
    r = hpx("backup", str(dest), "--data-dir", str(server.data_dir))  # server still running
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert (report["organizations"], report["api_keys"], report["files"]) == (2, 2, 3)
    assert report["problems"] == []
    assert oct(dest.stat().st_mode & 0o777) == "0o700"
    manifest = json.loads((dest / "manifest.json").read_text())
    assert {f["file_id"]: f["sha256"] for f in manifest["files"]} == uploaded

    restored_dir = tmp_path / "restored"
    r = hpx("restore", str(dest), "--data-dir", str(restored_dir))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["files"] == 3
    again = hpx("restore", str(dest), "--data-dir", str(restored_dir))
    assert again.returncode == 1 and "already holds a database" in again.stderr

    restored = open_appliance(load_settings(data_dir=restored_dir))
    for key, org in ((key_a, org_a), (key_b, org_b)):
        assert apikeys.authenticate_key(restored.db, key).org.id == org.id
    rows = restored.db.rows("SELECT id, org_id, filename, sha256 FROM files")
    assert {r["id"]: r["sha256"] for r in rows} == uploaded
    for row in rows:
        with restored.store.open_file(row["org_id"], row["filename"]) as fh:
            assert sha(fh.read()) == row["sha256"]


def _backed_up(server: Server, tmp_path: Path) -> tuple[str, Path]:
    """A new organization with one file, x.csv, and a backup of the server taken
    after it: the organization's id and the backup's directory."""
    org, key = server.new_org()
    with server.client() as client:
        grant = presign(client, key, filename="x.csv")
        assert client.put(grant["upload_url"], content=b"precious").status_code == 201
    dest = tmp_path / "backup"
    assert hpx("backup", str(dest), "--data-dir", str(server.data_dir)).returncode == 0
    return org.id, dest


def test_damaged_backup_is_refused_before_anything_is_written(
    server: Server, tmp_path: Path
) -> None:
    org_id, dest = _backed_up(server, tmp_path)
    (dest / "orgs" / org_id / "files" / "x.csv").write_bytes(b"tampered")
    target = tmp_path / "restored"
    r = hpx("restore", str(dest), "--data-dir", str(target))
    assert r.returncode == 1 and "damaged" in r.stderr
    assert not (target / "appliance.db").exists()


def test_a_file_and_its_manifest_hash_both_edited_are_refused(
    server: Server, tmp_path: Path
) -> None:
    """The manifest is a list beside the files: edited with them, it would vouch for
    them. The database snapshot in the backup is what the files are checked against."""
    org_id, dest = _backed_up(server, tmp_path)
    forged = b"tampered"
    (dest / "orgs" / org_id / "files" / "x.csv").write_bytes(forged)
    manifest = json.loads((dest / "manifest.json").read_text())
    for entry in manifest["files"]:
        if entry["org_id"] == org_id:
            entry["sha256"], entry["size"] = sha(forged), len(forged)
    (dest / "manifest.json").write_text(json.dumps(manifest))
    target = tmp_path / "restored"
    r = hpx("restore", str(dest), "--data-dir", str(target))
    assert r.returncode == 1 and "damaged" in r.stderr, r.stdout + r.stderr
    assert not (target / "appliance.db").exists()
    # Its entry left out of the manifest instead: the file is said to be missing.
    (file_id,) = (e["file_id"] for e in manifest["files"] if e["org_id"] == org_id)
    manifest["files"] = [e for e in manifest["files"] if e["org_id"] != org_id]
    (dest / "manifest.json").write_text(json.dumps(manifest))
    r = hpx("restore", str(dest), "--data-dir", str(target))
    assert r.returncode == 0, r.stderr
    assert f"{file_id}: not in the manifest (not restored)" in json.loads(r.stdout)["problems"]


def test_a_restored_trail_verifies_and_a_cut_one_is_refused(server: Server, tmp_path: Path) -> None:
    """The backup carries the audit key and its head: the restored trail verifies; a
    backup whose trail lost its last records is refused."""
    _org_id, dest = _backed_up(server, tmp_path)
    for name in ("audit-key", "audit-head"):
        assert oct((dest / name).stat().st_mode & 0o777) == "0o600"
    restored = tmp_path / "restored"
    assert hpx("restore", str(dest), "--data-dir", str(restored)).returncode == 0
    r = hpx("audit", "verify", "--data-dir", str(restored))
    assert r.returncode == 0, r.stdout + r.stderr
    assert json.loads(r.stdout)["keyed"] > 0

    raw = sqlite3.connect(dest / "appliance.db")
    try:
        raw.execute("DROP TRIGGER audit_log_no_delete")
        raw.execute("DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)")
        raw.commit()
    finally:
        raw.close()
    target = tmp_path / "restored-cut"
    r = hpx("restore", str(dest), "--data-dir", str(target))
    assert r.returncode == 1 and "audit trail does not verify" in r.stderr, r.stderr
    assert not (target / "appliance.db").exists()


def test_a_manifest_that_names_a_path_outside_or_is_garbled_is_refused(
    server: Server, tmp_path: Path
) -> None:
    org_id, dest = _backed_up(server, tmp_path)
    manifest = dest / "manifest.json"
    good = json.loads(manifest.read_text())
    # A backup edited on a shared disk: this organization's file said to live above.
    (entry,) = (e for e in good["files"] if e["org_id"] == org_id)
    (dest / "orgs" / entry["org_id"] / "escape.csv").write_bytes(b"precious")
    climbing = good | {"files": [entry | {"filename": "../escape.csv"}]}
    for text in (json.dumps(climbing), "{not json", json.dumps({"files": [{}]}), "[]"):
        manifest.write_text(text)
        target = tmp_path / "restored"
        r = hpx("restore", str(dest), "--data-dir", str(target))
        assert r.returncode == 1 and "damaged" in r.stderr, (text, r.stderr)
        assert not (target / "appliance.db").exists()
        assert not (target / "orgs").exists()


def test_a_backup_that_cannot_be_written_says_why(server: Server, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    r = hpx("backup", str(blocker / "backup"), "--data-dir", str(server.data_dir))
    assert r.returncode == 1 and "cannot write the backup" in r.stderr, r.stderr
    assert "Traceback" not in r.stderr


def test_a_backup_whose_database_is_damaged_or_missing_is_refused(
    server: Server, tmp_path: Path
) -> None:
    _org_id, dest = _backed_up(server, tmp_path)
    db = dest / "appliance.db"
    for damage in ("garbage", "missing"):
        if damage == "garbage":
            db.write_bytes(b"not a database at all, but long enough to look like a header")
        else:
            db.unlink()
        target = tmp_path / "restored"
        r = hpx("restore", str(dest), "--data-dir", str(target))
        assert r.returncode == 1 and "missing or damaged" in r.stderr, r.stderr
        assert not target.exists()
    assert not db.exists()  # the check did not create an empty one in the backup
