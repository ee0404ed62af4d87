"""A hostile or unlucky day: what an attacker or a broken configuration must not achieve."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from appliance.accounts import orgs, users
from tests.cli_runner import run_hpx
from tests.helpers import error_of, presign, sha, wait_until
from tests.servers import MakeServer, Server, free_port, start_partial_put

MIB = 1024 * 1024


def test_concurrent_wrong_passwords_are_counted_before_they_are_checked(
    make_server: MakeServer,
) -> None:
    server: Server = make_server(auth_failures_per_minute="10")
    org, _key = server.new_org()
    users.add_user(server.appliance.db, org.id, "target@example.org", "the right passphrase")

    async def flood() -> list[int]:
        async with server.async_client() as client:
            attempts = [
                client.post(
                    "/v1/auth/token",
                    json={"email": "target@example.org", "password": f"guess {i}"},
                )
                for i in range(20)  # twice the limit, all at once
            ]
            return [r.status_code for r in await asyncio.gather(*attempts)]

    statuses = asyncio.run(flood())
    assert statuses.count(401) <= 10, statuses  # at most the limit was checked by argon2
    assert statuses.count(429) >= 10
    assert set(statuses) <= {401, 429}


@pytest.mark.e2e  # starts hpx serve
@pytest.mark.parametrize("content", ["", "# only a comment\n", "x\n", "short-secret\n"])
def test_bad_signing_secrets_stop_the_start(tmp_path: Path, content: str) -> None:
    secrets_file = tmp_path / "secrets" / "signing-keys"
    secrets_file.parent.mkdir(parents=True)
    secrets_file.write_text(content)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPX_")}
    r = subprocess.run(
        [sys.executable, "-m", "appliance", "serve", "--data-dir", str(tmp_path),
         "--bind", f"127.0.0.1:{free_port()}"],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert r.returncode == 1
    assert "signing secrets" in r.stderr and str(secrets_file) in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.e2e  # starts hpx serve
def test_an_audit_key_missing_from_the_configuration_stops_the_start(tmp_path: Path) -> None:
    """Outside the data directory (a production install's /etc/healthproximate) the key
    is installed, never made by the service: a node must not chain under a key of its
    own that the other nodes do not share."""
    etc = tmp_path / "etc"
    etc.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPX_")}
    env["HPX_CONFIG"] = "/dev/null"
    env["HPX_AUDIT_KEY_FILE"] = str(etc / "audit-key")
    r = subprocess.run(
        [sys.executable, "-m", "appliance", "serve", "--data-dir", str(tmp_path / "data"),
         "--bind", f"127.0.0.1:{free_port()}"],
        capture_output=True, text=True, env=env, timeout=60, check=False,
    )  # fmt: skip
    assert r.returncode == 1
    assert "audit key" in r.stderr and str(etc / "audit-key") in r.stderr
    assert "Traceback" not in r.stderr
    assert not (etc / "audit-key").exists()


def test_malformed_input_is_400_never_500(server: Server, client: httpx.Client) -> None:
    _org, key = server.new_org()
    h = {"X-API-Key": key, "Content-Type": "application/json"}
    nested = "[" * 20_000 + "]" * 20_000  # under the 64 KiB limit, deeper than Python recurses
    for path in ("/v1/auth/token", "/v1/uploads", "/v1/queries"):
        r = client.post(path, content=nested, headers=h)
        assert (r.status_code, error_of(r)) == (400, "invalid_request"), path
    r = client.get("/v1/files", params={"cursor": "czo" + "9" * 3000}, headers=h)
    assert (r.status_code, error_of(r)) == (400, "invalid_request")
    import base64

    huge = base64.urlsafe_b64encode(b"s:" + b"9" * 40).decode().rstrip("=")
    r = client.get("/v1/files", params={"cursor": huge}, headers=h)
    assert (r.status_code, error_of(r)) == (400, "invalid_request")
    for bad in ("text/csv\r\nX-Evil: 1", "text/html\n", "no-slash", "a/b; c"):
        r = client.post("/v1/uploads", json={"filename": "x.csv", "content_type": bad}, headers=h)
        assert (r.status_code, error_of(r)) == (400, "invalid_request"), bad
        assert "content_type" in r.json()["message"]


def test_a_token_without_an_organization_is_refused(server: Server, client: httpx.Client) -> None:
    import time

    import jwt

    from appliance.accounts.access_tokens import ALGORITHM, AUDIENCE, ISSUER

    org, _ = server.new_org()
    user = users.add_user(server.appliance.db, org.id, "no-org@example.org", "a long passphrase x")
    now = int(time.time())
    claims = {"sub": user.id, "iat": now, "exp": now + 60, "aud": AUDIENCE, "iss": ISSUER}
    key = server.appliance.token_keys._keys[0]
    token = jwt.encode(claims, key, algorithm=ALGORITHM)
    r = client.get("/v1/datasets", headers={"Authorization": f"Bearer {token}"})
    assert (r.status_code, error_of(r)) == (401, "unauthorized")


def test_downloads_are_not_sniffed_and_a_bad_range_is_json(
    server: Server, client: httpx.Client
) -> None:
    _org, key = server.new_org()
    grant = presign(client, key, filename="page.html", content_type="text/html")
    file = client.put(grant["upload_url"], content=b"<script>alert(1)</script>").json()
    h = {"X-API-Key": key}
    r = client.get(f"/v1/files/{file['file_id']}/content", headers=h)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-disposition"].startswith("attachment")
    r = client.get(f"/v1/files/{file['file_id']}/content", headers=h | {"Range": "bytes=500-"})
    assert (r.status_code, error_of(r)) == (416, "range_not_satisfiable")
    assert r.headers["content-range"] == f"bytes */{file['size']}"


def test_revoking_a_key_refuses_the_urls_it_made(server: Server, client: httpx.Client) -> None:
    from appliance.accounts import apikeys

    org, _ = server.new_org()
    issued = apikeys.issue_key(server.appliance.db, org.id, "leaked")
    h = {"X-API-Key": issued.api_key}
    single = presign(client, issued.api_key, filename="later.csv")
    session = client.post(
        "/v1/uploads/multipart", json={"filename": "big.bin", "size": 10}, headers=h
    ).json()
    other = apikeys.issue_key(server.appliance.db, org.id, "kept")
    kept = presign(client, other.api_key, filename="kept.csv")
    apikeys.revoke_key(server.appliance.db, issued.key_id)
    r = client.put(single["upload_url"], content=b"a,b\n")
    assert (r.status_code, error_of(r)) == (401, "unauthorized")
    assert "revoked" in r.json()["message"]
    r = client.put(session["parts"][0]["upload_url"], content=b"0123456789")
    assert (r.status_code, error_of(r)) == (401, "unauthorized")
    assert client.put(kept["upload_url"], content=b"a,b\n").status_code == 201  # others work


def test_readyz_says_what_is_not_ready(server: Server, make_server: MakeServer) -> None:
    with server.client() as client:
        r = client.get("/readyz")
    assert r.status_code == 200 and r.json()["status"] == "ready"
    assert all(c["ok"] for c in r.json()["checks"].values())
    assert set(r.json()["checks"]) == {"database", "store", "disk", "signing_secrets"}
    full: Server = make_server(disk_reserve=str(10**18))
    with full.client() as client:
        r = client.get("/readyz")
        assert r.status_code == 503 and r.json()["status"] == "not_ready"
        disk = r.json()["checks"]["disk"]
        assert disk["ok"] is False and "reserve" in disk["problem"]
        assert r.json()["checks"]["database"]["ok"] is True
        _org, key = full.new_org()
        r = client.post(
            "/v1/uploads", json={"filename": "x.csv", "size": 10}, headers={"X-API-Key": key}
        )
        assert (r.status_code, error_of(r)) == (507, "insufficient_storage")


@pytest.mark.serial  # measures another organization's latency: alone, not beside other tests
def test_imports_run_beside_requests_not_in_them(server: Server, tmp_path: Path) -> None:
    """A large CSV of one organization: its dataset requests wait on the event loop while
    the import has threads of its own; another organization is answered at once."""
    import random
    import time

    from appliance.analytics import datasets

    big_org, big_key = server.new_org()
    _other, other_key = server.new_org()
    source = tmp_path / "big.csv"
    rng = random.Random(5)
    # 1.5 M rows, a distinct patient and note each; the rest drawn from 4,096 random
    # combinations (drawing three numbers a row took 2.5 s of this test's 3.4).
    middles = [f"{rng.randint(18, 99)},w{rng.randint(1, 9)},{rng.randint(1, 40)},note 0."
               for _ in range(4096)]  # fmt: skip
    with open(source, "w") as fh:
        fh.write("patient_id,age,ward,los,note\n")
        fh.writelines(f"P{i},{middles[i % 4096]}{i * 7919 % 10**8:08d}\n" for i in range(1_500_000))
    with server.client() as client:
        grant = presign(client, big_key, filename="big.csv", size=source.stat().st_size)
        with open(source, "rb") as fh:
            assert client.put(grant["upload_url"], content=fh).status_code == 201

    # In this process, the same data directory: a new file is "importing" at once.
    found = {d.name: d for d in datasets.sync(server.appliance, big_org.id)}
    assert found["big"].status == "importing" and datasets.pending(big_org.id)

    async def load() -> tuple[list[int], list[float]]:
        async with server.async_client() as client:
            heavy = [client.get("/v1/datasets", headers={"X-API-Key": big_key}) for _ in range(12)]
            waits: list[float] = []

            async def light() -> None:
                for _ in range(10):
                    start = time.perf_counter()
                    r = await client.get("/v1/files", headers={"X-API-Key": other_key})
                    assert r.status_code == 200
                    waits.append(time.perf_counter() - start)

            results = await asyncio.gather(*heavy, light())
            return [r.status_code for r in results[:-1]], waits

    statuses, waits = asyncio.run(load())
    assert statuses == [200] * 12
    assert max(waits) < 1.0, waits  # the other organization never waited on the import


def test_hpx_verify_finds_what_is_wrong_on_disk(make_server: MakeServer) -> None:
    server: Server = make_server()  # its own: this test breaks files
    org, key = server.new_org()
    stored = {}
    with server.client() as client:
        for name, body in (("a.csv", b"x,y\n1,2\n"), ("b.csv", b"x,y\n3,4\n"),
                           ("c.bin", b"c" * 100)):  # fmt: skip
            grant = presign(client, key, filename=name)
            stored[name] = client.put(grant["upload_url"], content=body).json()
        assert client.get("/v1/datasets", headers={"X-API-Key": key}).status_code == 200

    def verify(*extra: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HPX_")}
        return subprocess.run(
            [sys.executable, "-m", "appliance", "verify", "--data-dir", str(server.data_dir),
             "--json", *extra],
            capture_output=True, text=True, env=env, timeout=120, check=False,
        )  # fmt: skip

    clean = verify("--rehash")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    files_dir = server.data_dir / "orgs" / org.id / "files"
    (files_dir / "a.csv").write_bytes(b"x,y\n9,9\n")  # same size, other bytes
    (files_dir / "b.csv").unlink()
    (files_dir / "stray.bin.part").write_bytes(b"half")
    (files_dir / "published-not-recorded.csv").write_bytes(b"a crash's leftover")
    assert verify().returncode == 1  # the missing file is found without rehashing
    r = verify("--rehash")
    assert r.returncode == 1
    import json

    found = {(p["problem"], p["object"]) for p in json.loads(r.stdout)["problems"]}
    assert ("content differs", stored["a.csv"]["file_id"]) in found
    assert ("missing", stored["b.csv"]["file_id"]) in found
    assert ("temporary file visible", "a file with no record") in found
    assert json.loads(r.stdout)["leftovers"] == 1  # counted, for gc, but not a fault
    assert "stray" not in r.stdout and "a.csv" not in r.stdout  # ids, never filenames


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 48 MiB filesystem (tmpfs) for the data directory, where root may mount one."""
    mount = tmp_path / "small"
    mount.mkdir()
    r = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(mount)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if r.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({r.stderr.strip() or 'not root'})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_is_507_and_deleting_still_works(
    make_server: MakeServer, small_disk: Path
) -> None:
    server: Server = make_server(data_dir=small_disk, disk_reserve=str(12 * 1024 * 1024))
    try:
        _org, key = server.new_org()
        h = {"X-API-Key": key}
        with server.client() as client:
            keep = presign(client, key, filename="small.bin")
            small = client.put(keep["upload_url"], content=b"s" * 1024 * 1024).json()

            def endless() -> Iterator[bytes]:  # no size declared: more than the disk holds
                for _ in range(64):
                    yield b"x" * (1024 * 1024)

            grant = presign(client, key, filename="huge.bin")
            r = client.put(grant["upload_url"], content=endless())
            assert (r.status_code, error_of(r)) == (507, "insufficient_storage")
            assert shutil.disk_usage(small_disk).free >= 12 * 1024 * 1024  # reserve kept
            assert client.get("/readyz").status_code == 200  # the partial upload is gone
            r = client.delete(f"/v1/files/{small['file_id']}", headers=h)
            assert r.status_code == 204
            assert client.get("/v1/files", headers=h).json()["files"] == []
            # Something else fills the disk to the last byte: the database cannot commit.
            filler = small_disk / "filler"
            with open(filler, "wb") as fh:
                try:
                    while True:
                        fh.write(b"f" * (1024 * 1024))
                        fh.flush()
                except OSError:
                    pass
            for _ in range(3):
                r = client.post("/v1/uploads", json={"filename": f"{_}.csv"}, headers=h)
                assert (r.status_code, error_of(r)) == (507, "insufficient_storage")
            assert client.get("/readyz").status_code == 503
            filler.unlink()
            assert client.get("/readyz").status_code == 200
        assert "Traceback" not in server.log()
    finally:
        server.stop()


def test_the_audit_trail_proves_itself(make_server: MakeServer) -> None:
    import sqlite3

    from appliance import audit

    server: Server = make_server()  # its own: it tampers
    org, key = server.new_org()
    users.add_user(server.appliance.db, org.id, "auditor@example.org", "a long passphrase 12")
    with server.client() as client:
        for password in ("wrong!", "a long passphrase 12"):
            client.post("/v1/auth/token",
                        json={"email": "auditor@example.org", "password": password})  # fmt: skip
        grant = presign(client, key, filename="record.csv")
        file = client.put(grant["upload_url"], content=b"a\n1\n").json()
        h = {"X-API-Key": key}
        client.get(f"/v1/files/{file['file_id']}/content", headers=h)
        client.delete(f"/v1/files/{file['file_id']}", headers=h)
    actions = [r["action"] for r in audit.recent(server.appliance.db, 50, org_id=org.id)]
    for action in ("auth.signin_failed", "auth.signin", "file.upload", "file.download",
                   "file.delete", "key.use", "user.add", "org.create"):  # fmt: skip
        assert action in actions, (action, actions)
    trail = server.appliance.db.rows("SELECT detail, target FROM audit_log")
    assert not any("record.csv" in str(r) for r in trail)  # ids, never filenames
    assert audit.verify(server.appliance.db)["ok"] is True

    db_path = server.data_dir / "appliance.db"

    def hpx_verify() -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HPX_")}
        return subprocess.run(
            [sys.executable, "-m", "appliance", "audit", "verify", "--data-dir",
             str(server.data_dir)],
            capture_output=True, text=True, env=env, timeout=60, check=False,
        )  # fmt: skip

    assert hpx_verify().returncode == 0
    raw = sqlite3.connect(db_path)
    try:  # the triggers refuse a change or a removal through SQL
        for sql in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                raw.execute(sql)
        # Behind the triggers' back (dropped, then put back), a change breaks the chain.
        seq = raw.execute(
            "SELECT seq FROM audit_log WHERE action = 'file.delete' ORDER BY seq DESC"
        ).fetchone()[0]
        raw.execute("DROP TRIGGER audit_log_no_update")
        raw.execute("UPDATE audit_log SET actor = 'nobody' WHERE seq = ?", (seq,))
        raw.commit()
    finally:
        raw.close()
    r = hpx_verify()
    assert r.returncode == 1 and f"broken at record {seq}" in r.stderr


def _public_chain(previous: str, row: sqlite3.Row) -> str:
    """The chain as anyone can recompute it without the key: SHA-256 of the previous hash
    and the fields (the 0.x rule, written out here, apart from the code under test)."""
    fields = [row[k] for k in ("at", "actor", "action", "org_id", "target", "detail")]
    text = "\x1f".join("" if f is None else f for f in fields)
    return hashlib.sha256(f"{previous}\x1e{text}".encode()).hexdigest()


def _rechain(raw: sqlite3.Connection) -> None:
    """Recompute every record's hash from the first, as an attacker without the key."""
    previous = ""
    for row in raw.execute("SELECT * FROM audit_log ORDER BY seq").fetchall():
        previous = _public_chain(previous, row)
        raw.execute("UPDATE audit_log SET hash = ? WHERE seq = ?", (previous, row["seq"]))


@contextlib.contextmanager
def _behind_the_triggers(db_path: Path) -> Iterator[sqlite3.Connection]:
    """The database file opened by hand, the append-only triggers dropped and put back."""
    raw = sqlite3.connect(db_path)
    raw.row_factory = sqlite3.Row
    triggers = raw.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
    ).fetchall()
    assert len(triggers) == 2
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("DROP TRIGGER audit_log_no_delete")
    try:
        yield raw
        for (sql,) in triggers:
            raw.execute(sql)
        raw.commit()
    finally:
        raw.close()


def _trail_with_records(data_dir: Path) -> None:
    for command in (("init",), ("org", "create", "north"), ("org", "create", "south"),
                    ("org", "quota", "north", "1000"), ("org", "rename", "south", "east"),
                    ("org", "suspend", "east")):  # fmt: skip
        r = run_hpx(*command, "--data-dir", str(data_dir))
        assert r.returncode == 0, r.stderr


def _delete_last_two(raw: sqlite3.Connection) -> None:
    raw.execute("DELETE FROM audit_log WHERE seq >= (SELECT MAX(seq) - 1 FROM audit_log)")


def _delete_one_and_rechain(raw: sqlite3.Connection) -> None:
    raw.execute("DELETE FROM audit_log WHERE action = 'org.quota'")
    _rechain(raw)


def _edit_one_and_rechain(raw: sqlite3.Connection) -> None:
    raw.execute("UPDATE audit_log SET actor = 'cli:nobody' WHERE action = 'org.rename'")
    _rechain(raw)


def _append_a_forged_org_delete(raw: sqlite3.Connection) -> None:
    last = raw.execute("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    forged = {"at": last["at"], "actor": "cli:root", "action": "org.delete",
              "org_id": last["org_id"], "target": "east", "detail": None}  # fmt: skip
    raw.execute(
        "INSERT INTO audit_log (at, actor, action, org_id, target, detail)"
        " VALUES (:at, :actor, :action, :org_id, :target, :detail)",
        forged,
    )
    row = raw.execute("SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    raw.execute(
        "UPDATE audit_log SET hash = ? WHERE seq = ?",
        (_public_chain(last["hash"], row), row["seq"]),
    )


def _null_detail_to_empty(raw: sqlite3.Connection) -> None:
    assert raw.execute("UPDATE audit_log SET detail = '' WHERE seq = 2").rowcount == 1


@pytest.mark.parametrize(
    "tamper",
    [
        _delete_last_two,
        _delete_one_and_rechain,
        _edit_one_and_rechain,
        _append_a_forged_org_delete,
        _null_detail_to_empty,
    ],
)
def test_the_audit_chain_cannot_be_redone_without_its_key(tmp_path: Path, tamper: Any) -> None:
    data_dir = tmp_path / "data"
    _trail_with_records(data_dir)
    verify = ("audit", "verify", "--data-dir", str(data_dir), "--json")
    before = run_hpx(*verify)
    assert before.returncode == 0, before.stderr
    assert json.loads(before.stdout)["chained"] == 5
    with _behind_the_triggers(data_dir / "appliance.db") as raw:
        assert raw.execute("SELECT detail FROM audit_log WHERE seq = 2").fetchone()[0] is None
        tamper(raw)
    after = run_hpx(*verify)
    assert after.returncode == 1, after.stdout
    assert "the audit trail is broken" in after.stderr


def test_an_earlier_head_given_to_verify_must_still_be_in_the_chain(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    _trail_with_records(data_dir)
    verify = ("audit", "verify", "--data-dir", str(data_dir), "--json")
    head = json.loads(run_hpx(*verify).stdout)["head"]
    r = run_hpx("org", "create", "west", "--data-dir", str(data_dir))
    assert r.returncode == 0, r.stderr
    assert run_hpx(*verify, "--head", head).returncode == 0
    assert run_hpx(*verify, "--head", "0" * 64).returncode == 1


def test_a_torn_head_slot_leaves_the_other(tmp_path: Path) -> None:
    """The head is written in place in the older of two slots a block apart (no fsync
    per record): a power cut tears at most the one being written, and verify uses the
    other, one record behind; both unreadable is damage."""
    data_dir = tmp_path / "data"
    _trail_with_records(data_dir)
    head_file = data_dir / "audit-head"
    raw = head_file.read_bytes()
    slots = [json.loads(raw[n * 4096 : n * 4096 + 256]) for n in (0, 1)]
    newest = max(range(2), key=lambda n: slots[n]["seq"])
    assert slots[newest]["seq"] == 5 and slots[1 - newest]["seq"] == 4
    with open(head_file, "r+b") as fh:
        fh.seek(newest * 4096 + 20)
        fh.write(b"\0" * 100)  # torn mid-write
    verify = ("audit", "verify", "--data-dir", str(data_dir), "--json")
    r = run_hpx(*verify)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["head_kept_at_seq"] == 4
    with open(head_file, "r+b") as fh:
        fh.seek((1 - newest) * 4096)
        fh.write(b"garbage")
    r = run_hpx(*verify)
    assert r.returncode == 1 and "damaged" in r.stderr, r.stderr


def test_the_server_logs_the_audit_head_for_the_journal(make_server: MakeServer) -> None:
    """The journal keeps heads the database's owner cannot rewrite: each one the server
    logs passes `hpx audit verify --head`, also after later records."""
    from appliance import audit

    server: Server = make_server(gc_interval="1")
    try:
        server.new_org()
        head = audit.newest(server.appliance.db.conn)
        assert head is not None
        wait_until(lambda: head.hash in server.log(), "the head in the server's log")
        server.new_org()
        verify = ("audit", "verify", "--data-dir", str(server.data_dir), "--head")
        assert run_hpx(*verify, head.hash).returncode == 0
        assert run_hpx(*verify, head.hash[::-1]).returncode == 1
    finally:
        server.stop()


def test_concurrent_writers_keep_one_chain_and_its_head(tmp_path: Path) -> None:
    """Two openings of one data directory (as two server processes) writing at once:
    one unbroken chain, and the head kept outside names its newest record."""
    from concurrent.futures import ThreadPoolExecutor

    from appliance import audit
    from appliance.config import load_settings
    from appliance.context import open_appliance

    (tmp_path / "empty.toml").write_text("")  # no setting of this machine's
    settings = load_settings(tmp_path / "empty.toml", data_dir=tmp_path / "data")
    openings = [open_appliance(settings) for _ in range(2)]

    def write(n: int) -> None:
        audit.record_now(openings[n % 2].db, "test:writer", "test.event", target=str(n))

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(write, range(80)))
    r = run_hpx("audit", "verify", "--data-dir", str(settings.data_dir), "--json")
    assert r.returncode == 0, r.stderr
    verdict = json.loads(r.stdout)
    (newest,) = openings[0].db.rows("SELECT MAX(seq) AS seq FROM audit_log")
    assert (verdict["keyed"], verdict["head_kept_at_seq"]) == (80, newest["seq"])


def test_a_trail_from_before_the_key_is_keyed_by_a_marker(tmp_path: Path) -> None:
    """Records chained the 0.x way (SHA-256, no key) verify as such; the next write
    adds a keyed marker that covers them, after which changing one of them shows."""
    data_dir = tmp_path / "data"
    assert run_hpx("init", "--data-dir", str(data_dir)).returncode == 0
    with _behind_the_triggers(data_dir / "appliance.db") as raw:
        for n in range(3):
            raw.execute(
                "INSERT INTO audit_log (at, actor, action, target) VALUES (?, ?, ?, ?)",
                ("2026-01-01T00:00:00Z", "cli:old", "org.create", f"org{n}"),
            )
        _rechain(raw)
    verify = ("audit", "verify", "--data-dir", str(data_dir), "--json")
    missing = run_hpx(*verify)
    assert missing.returncode == 1 and "no head kept outside" in missing.stderr
    assert run_hpx("org", "create", "new", "--data-dir", str(data_dir)).returncode == 0
    r = run_hpx(*verify)
    assert r.returncode == 0, r.stderr
    assert (json.loads(r.stdout)["before_key"], json.loads(r.stdout)["keyed"]) == (3, 2)
    actions = [e["action"] for e in json.loads(run_hpx("audit", "--data-dir", str(data_dir),
                                                       "--json").stdout)]  # fmt: skip
    assert actions[:2] == ["org.create", "audit.key"]
    with _behind_the_triggers(data_dir / "appliance.db") as raw:
        raw.execute("UPDATE audit_log SET target = 'orgX' WHERE target = 'org1'")
        _rechain(raw)
    assert run_hpx(*verify).returncode == 1


def test_one_address_gets_a_bounded_share_of_requests(
    make_server: MakeServer, tmp_path: Path
) -> None:
    from tests.servers import start_partial_put

    server: Server = make_server(max_requests_per_address="2")
    org, key = server.new_org()
    with server.client() as client:
        grants = [presign(client, key, filename=f"slow{i}.bin") for i in range(2)]
    tmp_dir = server.data_dir / "orgs" / org.id / "tmp"
    held = [start_partial_put(server, g["upload_url"], 4 * 1024 * 1024, tmp_dir) for g in grants]
    try:
        with server.client() as client:
            r = client.get("/v1/files", headers={"X-API-Key": key})
            assert (r.status_code, error_of(r)) == (429, "rate_limited")
            assert r.headers["retry-after"] == "1"
            assert client.get("/healthz").status_code == 200  # monitors always get through
    finally:
        for conn in held:
            conn.close()
    with server.client() as client:  # the share is given back when they end
        for _ in range(50):
            r = client.get("/v1/files", headers={"X-API-Key": key})
            if r.status_code == 200:
                break
        assert r.status_code == 200


def test_a_trickling_refused_body_does_not_hold_the_connection(server: Server) -> None:
    import socket
    import time

    ctx = server.ssl_context()
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    conn = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
    try:
        conn.sendall(
            b"PUT /v1/put/not-a-token HTTP/1.1\r\nHost: x\r\nContent-Length: 8000000\r\n\r\n"
            + b"a" * 16
        )  # then nothing: a client trickling (or sleeping) on a refused upload
        start = time.monotonic()
        answer = conn.recv(4096)
        assert b" 403 " in answer.split(b"\r\n", 1)[0]
        assert time.monotonic() - start < 15  # the drain gave up, not Hypercorn's 300 s
    finally:
        conn.close()


@pytest.mark.e2e  # sends a refused body for about 20 s
def test_a_refused_body_still_arriving_keeps_its_answer(server: Server) -> None:
    """A refused body that keeps coming as an upload does is read to its end before the
    answer, so the answer is not lost: Hypercorn closes a connection whose body has not
    ended once the answer is out, and closing on unread bytes resets it, which throws
    away what the client has not read yet. Twenty PUTs of one 9 MiB URL on a loaded
    machine were answered after 8 MiB, and a loser saw "server disconnected" instead of
    its 409. Here the body goes on for about 16 s past 8 MiB, at 1.25 MiB/s."""
    step = 256 * 1024
    rest = 20 * 1024 * 1024
    ctx = server.ssl_context()
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=60)
    conn = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
    try:
        size = 8 * 1024 * 1024 + rest
        head = f"PUT /v1/put/not-a-token HTTP/1.1\r\nHost: x\r\nContent-Length: {size}\r\n\r\n"
        conn.sendall(head.encode() + b"a" * (8 * 1024 * 1024))  # what is read before the answer
        for _ in range(rest // step):  # then the rest, steadily: pacing the client
            conn.sendall(b"a" * step)
            time.sleep(0.2)
        answer = conn.recv(4096)
        assert b" 403 " in answer.split(b"\r\n", 1)[0], answer[:200]
    finally:
        conn.close()


def test_a_body_refused_in_the_middle_is_read_to_its_end(server: Server) -> None:
    """A body refused after part of it was read (a JSON body past its limit, sent
    chunked so that no length refuses it first) is read to its end before the answer,
    as one refused before it is read is: the 413 arrives, and the same connection
    answers the next request (a connection whose body was left unread is closed, and a
    close on unread bytes can reset it and lose the answer)."""
    chunk = 256 * 1024
    ctx = server.ssl_context()
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=60)
    conn = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
    try:
        head = b"POST /v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        conn.sendall(head + b"Transfer-Encoding: chunked\r\n\r\n")
        conn.sendall(b"%x\r\n[%s\r\n" % (chunk, b" " * (chunk - 1)))
        for _ in range(16):  # 4 MiB more than the 64 KiB limit, as fast as it goes
            conn.sendall(b"%x\r\n%s\r\n" % (chunk, b" " * chunk))
        conn.sendall(b"0\r\n\r\n")
        reader = conn.makefile("rb")
        assert b" 413 " in reader.readline()
        length = 0
        while (line := reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
            assert not line.lower().startswith(b"connection: close"), line
        assert b"payload_too_large" in reader.read(length)
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert b" 200 " in reader.readline()  # the same connection, still usable
    finally:
        conn.close()


# The crash loop's bounds (test_a_crash_loop_loses_nothing_acknowledged): it ran 30
# rounds; 12 kill each kind of upload six times at moments spread over its phases, and
# the loop goes on (to 30 at most) only until it has seen 3 uploads acknowledged and 3
# cut short, the proportions the 30 rounds required (3 to 27 of them acknowledged). The
# moments are spread over the time an upload takes now: a fixed 5-250 ms window let 1
# of 30 finish at a load average of 11 (each round then took 17 s), and a window from
# one uncut upload measured once, none of 30 at 15.
CRASH_ROUNDS_MIN = 12
CRASH_ROUNDS_MAX = 30
CRASH_OUTCOMES_EACH = 3


@pytest.mark.long
def test_a_crash_loop_loses_nothing_acknowledged(make_server: MakeServer) -> None:
    """SIGKILL the server at random moments during single uploads, parts and assembly,
    restarting each time; then every acknowledged upload is there, intact, and hpx
    verify finds nothing wrong.

    Each round is a start and a kill (an interpreter importing the application), so the
    rounds are as few as prove the property: at least CRASH_ROUNDS_MIN (half of them
    multipart, half single PUTs; the random moment falls before, during or after each
    phase of both), and then only until both outcomes were seen CRASH_OUTCOMES_EACH
    times each (acknowledged, and killed before the answer), at most CRASH_ROUNDS_MAX:
    a round that was never cut short, or never finished, proves nothing about the
    other. The moments are drawn (from a fixed seed) over the time each kind last took
    uncut, measured first: the same spread of phases on an idle machine or a loaded one."""
    import hashlib
    import random
    import signal
    import threading
    import time

    server: Server = make_server()
    _org, key = server.new_org()
    h = {"X-API-Key": key}
    rng = random.Random(20261129)
    acknowledged: dict[str, str] = {}  # file_id: sha256 the server answered

    def single(client: httpx.Client) -> None:
        body = rng.randbytes(rng.randint(64, 4096) * 1024)
        grant = presign(client, key, filename="crash.bin")
        r = client.put(grant["upload_url"], content=body)
        if r.status_code == 201:
            acknowledged[r.json()["file_id"]] = hashlib.sha256(body).hexdigest()

    def multipart(client: httpx.Client) -> None:
        part = 5 * 1024 * 1024
        body = rng.randbytes(2 * part + 1234)
        s = client.post(
            "/v1/uploads/multipart",
            json={"filename": "crash-mp.bin", "size": len(body), "part_size": part},
            headers=h,
        ).json()
        for p in s["parts"]:
            start = (p["part_number"] - 1) * part
            client.put(p["upload_url"], content=body[start : start + p["size"]])
        r = client.post(f"/v1/uploads/multipart/{s['upload_id']}/complete", headers=h)
        if r.status_code == 201:
            acknowledged[r.json()["file_id"]] = hashlib.sha256(body).hexdigest()

    # How long each kind takes uncut, now, on this machine (a loaded one takes many times
    # longer, and a server just started longer than a warm one): the kills fall within
    # about that span. Each round the estimate follows what happened: the time an
    # uncut upload took, or twice as long after an upload was cut short, so that on
    # any machine some rounds finish and some are cut.
    took: dict[Callable[[httpx.Client], None], float] = {}
    for op in (single, multipart):
        with server.client() as client:
            began = time.monotonic()
            op(client)
            took[op] = time.monotonic() - began
    rounds, uncut = 0, len(acknowledged)
    while rounds < CRASH_ROUNDS_MAX and not (
        rounds >= CRASH_ROUNDS_MIN
        and len(acknowledged) - uncut >= CRASH_OUTCOMES_EACH
        and rounds - (len(acknowledged) - uncut) >= CRASH_OUTCOMES_EACH
    ):
        operation = single if rounds % 2 else multipart
        rounds += 1
        finished: list[float] = []

        def run(
            op: Callable[[httpx.Client], None] = operation, finished: list[float] = finished
        ) -> None:
            try:
                with server.client() as client:
                    began = time.monotonic()
                    op(client)
                    finished.append(time.monotonic() - began)
            except (httpx.HTTPError, KeyError, ValueError):
                pass  # killed mid-request: not acknowledged, so nothing is owed

        worker = threading.Thread(target=run)
        worker.start()
        # The kill comes at a random moment within the span, or at once after the answer
        # if the upload ends first (the server has just acknowledged it).
        worker.join(timeout=rng.uniform(0.02, 1.5) * took[operation])
        server.stop(signal.SIGKILL)
        worker.join(timeout=60)
        took[operation] = finished[0] if finished else took[operation] * 2
        server.start()

    with server.client() as client:
        for file_id, digest in acknowledged.items():
            r = client.get(f"/v1/files/{file_id}/content", headers=h)
            assert r.status_code == 200, file_id
            assert hashlib.sha256(r.content).hexdigest() == digest
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPX_")}
    r = subprocess.run(
        [sys.executable, "-m", "appliance", "verify", "--rehash", "--data-dir",
         str(server.data_dir)],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    # Some rounds must finish and some be cut short, or the test proves little.
    finished = len(acknowledged) - uncut
    assert min(finished, rounds - finished) >= CRASH_OUTCOMES_EACH, (rounds, finished)


def _raw_tls(server: Server, timeout: float = 30) -> ssl.SSLSocket:
    raw = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
    return server.ssl_context().wrap_socket(raw, server_hostname="127.0.0.1")


def _answer(conn: ssl.SSLSocket) -> tuple[int, dict[str, str], dict[str, Any]]:
    """Read one complete HTTP/1.1 answer with a Content-Length body."""
    data = b""
    while b"\r\n\r\n" not in data:
        piece = conn.recv(65536)
        assert piece, f"closed before an answer: {data!r}"
        data += piece
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (h.split(":", 1) for h in lines[1:])}
    while len(body) < int(headers["content-length"]):
        piece = conn.recv(65536)
        assert piece
        body += piece
    return int(lines[0].split()[1]), headers, json.loads(body)


def test_a_slow_body_gets_408_and_its_url_back(make_server: MakeServer) -> None:
    server: Server = make_server(min_body_rate="2000", body_rate_window="1")
    _org, key = server.new_org()
    data = os.urandom(100_000)
    with server.client() as client:
        grant = presign(client, key, filename="slow.bin", size=len(data))
        path = grant["upload_url"].split(server.url, 1)[1]
        conn = _raw_tls(server)
        try:
            conn.sendall(f"PUT {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {len(data)}\r\n\r\n"
                         .encode() + data[:100])  # fmt: skip
            started = time.monotonic()
            status, headers, body = _answer(conn)  # then nothing: far below 2000 bytes/s
            assert (status, body["error"]) == (408, "request_timeout")
            assert headers.get("connection") == "close"
            assert time.monotonic() - started < 10  # the window, not the 300 s read timeout
        finally:
            conn.close()
        r = client.put(grant["upload_url"], content=data)  # the same URL, sent properly
        assert r.status_code == 201, r.text
        assert r.json()["sha256"] == sha(data)
    assert "Traceback" not in server.log()


@pytest.mark.long
def test_connections_that_say_nothing_are_closed(server: Server) -> None:
    """Idle after the handshake (5 s keep-alive) or stuck before it (10 s handshake)."""
    silent = [_raw_tls(server) for _ in range(20)]
    half = [socket.create_connection(("127.0.0.1", server.port), timeout=30) for _ in range(20)]
    half_headers = _raw_tls(server)
    half_headers.sendall(b"GET /v1/files HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
    started = time.monotonic()
    try:
        for conn in [*silent, half_headers]:
            assert conn.recv(1024) == b""  # closed by the server
        for sock in half:
            with contextlib.suppress(ConnectionResetError):
                assert sock.recv(1024) == b""
        assert time.monotonic() - started < 25
    finally:
        for s in [*silent, *half, half_headers]:
            s.close()


def test_a_client_that_hangs_up_is_not_a_server_error(server: Server, tmp_path: Path) -> None:
    org, key = server.new_org()
    with server.client() as client:
        r = client.post(
            "/v1/uploads/multipart",
            json={"filename": "gone.bin", "size": 10 * MIB, "part_size": 5 * MIB},
            headers={"X-API-Key": key},
        )
        assert r.status_code == 201, r.text
        part_url = r.json()["parts"][0]["upload_url"]
        tmp_dir = server.data_dir / "orgs" / org.id / "tmp"
        conn = start_partial_put(server, part_url, 5 * MIB, tmp_dir)
        conn.close()  # hang up with a quarter of the part unsent
        # the server cleans up when it notices
        wait_until(lambda: not any(tmp_dir.glob("*.part")), "the partial part was never removed")
        assert client.put(part_url, content=b"p" * 5 * MIB).status_code == 200  # given back
        metrics = client.get("/metrics").text
    put_lines = [line for line in metrics.splitlines() if 'handler="put_presigned"' in line]
    assert any('status="499"' in line for line in put_lines), put_lines
    assert not any('status="500"' in line for line in put_lines), put_lines
    assert "unhandled ClientDisconnect" not in server.log()


def test_deleting_an_organization_during_a_put_is_404_and_leaves_nothing(
    server: Server,
) -> None:
    org, key = server.new_org()
    with server.client() as client:
        grant = presign(client, key, filename="late.bin", size=1024 * 1024)
    tmp_dir = server.data_dir / "orgs" / org.id / "tmp"
    conn = start_partial_put(server, grant["upload_url"], 1024 * 1024, tmp_dir)
    try:
        orgs.delete_org(server.appliance.db, server.appliance.store, org.id)
        conn.sendall(b"h" * (1024 * 1024 - 1024 * 1024 * 3 // 4))
        status, _headers, body = _answer(conn)
    finally:
        conn.close()
    assert (status, body["error"]) == (404, "not_found")
    assert server.appliance.db.row("SELECT COUNT(*) AS n FROM files WHERE org_id = ?",
                                   (org.id,))["n"] == 0  # fmt: skip
    tree = server.data_dir / "orgs" / org.id
    assert not tree.exists() or not any(p.is_file() for p in tree.rglob("*"))


def test_an_import_that_would_eat_the_disk_reserve_waits(
    make_server: MakeServer, small_disk: Path, tmp_path: Path
) -> None:
    reserve = 12 * 1024 * 1024
    server: Server = make_server(data_dir=small_disk, disk_reserve=str(reserve))
    try:
        org, key = server.new_org()
        rows = "".join(f"{i},{i % 90},ward {i % 7},{i * 7 % 1000}\n" for i in range(700_000))
        csv = ("id,age,ward,cost\n" + rows).encode()
        assert 12e6 < len(csv) < 18e6  # fits beside the reserve, its import does not
        with server.client() as client:
            grant = presign(client, key, filename="big.csv", size=len(csv))
            assert client.put(grant["upload_url"], content=csv).status_code == 201
            r = client.get("/v1/datasets", headers={"X-API-Key": key})
            assert r.status_code == 200, r.text
            (dataset,) = r.json()["datasets"]
            assert dataset["status"] == "error"
            assert "not enough free disk space" in dataset["error"]
        assert shutil.disk_usage(small_disk).free >= reserve
        derived = small_disk / "orgs" / org.id / "derived" / "analytics"
        assert not list(derived.glob("*.parquet"))
    finally:
        server.stop()


# -- analytics: hostile input to datasets and plans (issue 29) --------------------------


def _upload_csv(client: httpx.Client, key: str, filename: str, content: bytes) -> str:
    """Upload a CSV; the name of the dataset it became."""
    grant = presign(client, key, filename=filename, content_type="text/csv")
    assert client.put(grant["upload_url"], content=content).status_code == 201
    found = client.get("/v1/datasets", headers={"X-API-Key": key}).json()["datasets"]
    (ds,) = [d for d in found if d["filename"] == grant["filename"]]
    return str(ds["name"])


def _plan(client: httpx.Client, key: str, dataset: str, **plan: Any) -> httpx.Response:
    body = {"plan": {"dataset": dataset, **plan}}
    return client.post("/v1/queries", json=body, headers={"X-API-Key": key})


def test_a_filename_is_never_a_pattern(server: Server, client: httpx.Client) -> None:
    _org, key = server.new_org()
    _upload_csv(client, key, "x.csv", b"n\n1\n")
    bracketed = _upload_csv(client, key, "[x].csv", b"n\n2\n3\n")
    r = _plan(client, key, bracketed, statistic="sum", column="n")
    assert r.status_code == 200, r.text
    assert r.json()["answer"] == 5  # its own rows, not x.csv's


ADMISSIONS = Path(__file__).parent / "data" / "analytics" / "admissions.csv"
HUGE = 10**400  # past any float; 2**128 is past DuckDB's 128-bit integers


def test_dates_and_numbers_a_plan_may_hold_are_never_a_500(
    server: Server, client: httpx.Client
) -> None:
    _org, key = server.new_org()
    name = _upload_csv(client, key, "admissions.csv", ADMISSIONS.read_bytes())
    # Python reads these as dates; DuckDB cannot cast them: the plan names the field.
    for day in ("2024-W10-1", "20240301", "2024-03-01T00:00"):
        flt = {"column": "admission_date", "op": ">", "value": day}
        r = _plan(client, key, name, statistic="count", filters=[flt])
        assert (r.status_code, error_of(r)) == (400, "invalid_request"), day
        assert r.json()["message"].startswith("plan.filters")
    for big in (2**63, 2**127, 2**128, HUGE, -HUGE):
        for column in ("age", "bmi"):
            flt = {"column": column, "op": "<", "value": big}
            r = _plan(client, key, name, statistic="count", filters=[flt])
            assert (r.status_code, error_of(r)) == (400, "invalid_request"), (column, big)
            assert "plan.filters[0]" in r.json()["message"]
    r = _plan(client, key, name, statistic="percentile", column="age", percentile=HUGE)
    assert (r.status_code, error_of(r)) == (400, "invalid_request")
    died = [{"column": "died", "op": "=", "value": 1}]
    logistic = {"statistic": "logistic_regression", "condition": died, "predictors": ["age"]}
    r = _plan(client, key, name, **logistic, output="probability", at={"age": HUGE})
    assert (r.status_code, error_of(r)) == (400, "invalid_request")
    assert "plan.at" in r.json()["message"]
    # Far outside the data, a probability is 0 or 1 (e^-z underflows), on opposite sides.
    ends = []
    for age in (1e6, -1e6, 1e300, -1e300):
        r = _plan(client, key, name, **logistic, output="probability", at={"age": age})
        assert r.status_code == 200, (age, r.text)
        ends.append(r.json()["answer"])
        assert any("extrapolates" in c for c in r.json()["caveats"])
    assert ends[0] in (0.0, 1.0) and ends[1] == 1.0 - ends[0] and ends[2:] == ends[:2]
    # A line's prediction past the largest float is refused, not sent as Infinity.
    steep = _upload_csv(client, key, "steep.csv", b"x,y\n1,10\n2,20\n3,31\n")
    line = {"statistic": "linear_regression", "column": "y", "x": "x", "output": "prediction"}
    r = _plan(client, key, steep, **line, at={"x": 1e308})  # about 1e309
    assert (r.status_code, error_of(r)) == (422, "unanswerable_question")
    r = _plan(client, key, steep, **line, at={"x": 1e300})
    assert r.status_code == 200 and 1e301 < r.json()["answer"] < 1e302, r.text
    two = logistic | {"predictors": ["age", "bmi"]}
    r = _plan(client, key, name, **two, output="probability", at={"age": 50})
    assert (r.status_code, error_of(r)) == (400, "invalid_request")  # bmi has no value


def test_numbers_too_large_in_a_question_are_refused(server: Server, client: httpx.Client) -> None:
    _org, key = server.new_org()
    name = _upload_csv(client, key, "admissions.csv", ADMISSIONS.read_bytes())
    h = {"X-API-Key": key}
    for question in (
        f"how many patients older than {2**130}",
        f"how many patients older than {HUGE}",
        f"probability of death for age {HUGE}",
        f"predicted bmi at age {HUGE}",
        f"what is the {HUGE}th percentile of age",
    ):
        r = client.post("/v1/queries", json={"question": question, "dataset": name}, headers=h)
        assert (r.status_code, error_of(r)) == (422, "unanswerable_question"), question
    r = client.post(
        "/v1/queries", json={"question": "probability of death for age 1000000", "dataset": name},
        headers=h,
    )  # fmt: skip
    assert r.status_code == 200 and r.json()["answer"] in (0.0, 1.0), r.text


def _strict_json(text: str) -> Any:
    """JSON as the standard has it: a bare Infinity or NaN is an error, as in browsers."""

    def refuse(token: str) -> None:
        raise AssertionError(f"bare {token} in {text[:200]!r}")

    return json.loads(text, parse_constant=refuse)


def test_infinity_in_a_csv_is_not_a_number(server: Server, client: httpx.Client) -> None:
    """inf, -inf and NaN cells are not numbers: left out of the profile, empty in every
    answer, and said so; nothing sent holds a bare Infinity or NaN."""
    _org, key = server.new_org()
    h = {"X-API-Key": key}
    rows = [("A", "1.5"), ("A", "inf"), ("B", "-inf"), ("B", "2.5"), ("B", ""), ("A", "Infinity"),
            ("B", "NAN"), ("A", "3")]  # fmt: skip
    csv = "id,ward,x\n" + "".join(f"{i + 1},{w},{x}\n" for i, (w, x) in enumerate(rows))
    name = _upload_csv(client, key, "odd.csv", csv.encode())
    r = client.get(f"/v1/datasets/{name}", headers=h)
    assert r.status_code == 200, r.text
    (x,) = [c for c in _strict_json(r.text)["columns"] if c["name"] == "x"]
    assert (x["min"], x["max"], x["nulls"], x["non_finite"]) == (1.5, 3.0, 1, 4)
    finite = {"A": [1.5, 3.0], "B": [2.5]}
    expected: list[tuple[dict[str, Any], Any]] = [
        ({"statistic": "max", "column": "x"}, 3.0),
        ({"statistic": "min", "column": "x"}, 1.5),
        ({"statistic": "sum", "column": "x"}, 7.0),
        ({"statistic": "mean", "column": "x", "group_by": ["ward"]},
         {k: sum(v) / len(v) for k, v in finite.items()}),
        ({"statistic": "top", "column": "x", "limit": 2}, [8, 4]),
        ({"statistic": "list", "filters": [{"column": "x", "op": ">", "value": 0}]}, [1, 4, 8]),
        ({"statistic": "count", "filters": [{"column": "x", "op": "is_null"}]}, 5),
    ]  # fmt: skip
    for p, want in expected:
        r = _plan(client, key, name, **p)
        assert r.status_code == 200, (p, r.text)
        body = _strict_json(r.text)
        assert body["answer"] == want, p
        if p["statistic"] != "count":
            assert any("not finite numbers" in c for c in body["caveats"]), body["caveats"]
        sse = client.post(
            "/v1/queries", json={"plan": {"dataset": name, **p}},
            headers=h | {"Accept": "text/event-stream"},
        )  # fmt: skip
        events = [line[6:] for line in sse.text.splitlines() if line.startswith("data: ")]
        assert "event: done" in sse.text and _strict_json(events[-1])["answer"] == want, p
        for data in events:
            _strict_json(data)


def test_a_logistic_plan_cannot_ask_for_unbounded_inputs(
    server: Server, client: httpx.Client
) -> None:
    """The issue's plan repeated a dataset's 12 columns as 36 predictors (2.6 GB on 1M
    rows): refused, naming the field, before a row is read."""
    _org, key = server.new_org()
    name = _upload_csv(client, key, "admissions.csv", ADMISSIONS.read_bytes())
    columns = ["age", "length_of_stay", "systolic_bp", "bmi", "smoker", "died"]
    died = [{"column": "died", "op": "=", "value": 1}]
    for predictors in (columns * 6, columns * 12, ["age", "bmi", "age"]):
        r = _plan(client, key, name, statistic="logistic_regression", condition=died,
                  predictors=predictors)  # fmt: skip
        assert (r.status_code, error_of(r)) == (400, "invalid_request"), len(predictors)
        assert r.json()["message"].startswith("plan.predictors")
    r = _plan(client, key, name, statistic="logistic_regression", condition=died,
              predictors=["age", "bmi"])  # fmt: skip
    assert r.status_code == 200 and set(r.json()["answer"]) == {"age", "bmi"}, r.text


def test_a_lone_surrogate_in_a_plan_or_question_is_400(
    server: Server, client: httpx.Client
) -> None:
    """JSON can carry "\\ud800"; no UTF-8 text holds it: DuckDB cannot bind it, no answer
    can quote it."""
    _org, key = server.new_org()
    name = _upload_csv(client, key, "wards.csv", b"ward,n\nA,1\nB,2\n")
    for op in ("=", "contains", "in"):
        flt = {"column": "ward", "op": op, "value": "A\ud800"}
        if op == "in":
            flt = {"column": "ward", "op": op, "values": ["A\ud800"]}
        body = json.dumps({"plan": {"dataset": name, "statistic": "count", "filters": [flt]}})
        r = client.post("/v1/queries", content=body,
                        headers={"X-API-Key": key, "Content-Type": "application/json"})  # fmt: skip
        assert (r.status_code, error_of(r)) == (400, "invalid_request"), op
        assert r.json()["message"].startswith("plan.filters[0]")
    body = json.dumps({"question": "how many \ud800", "dataset": name})
    r = client.post("/v1/queries", content=body,
                    headers={"X-API-Key": key, "Content-Type": "application/json"})  # fmt: skip
    assert (r.status_code, error_of(r)) == (400, "invalid_request")
    assert r.json()["message"].startswith("question")


def test_a_result_past_the_largest_float_is_refused(server: Server, client: httpx.Client) -> None:
    """1e308 + 1e308 is no number JSON can send: refused as an overflow, never "no rows"
    and never a bare Infinity."""
    _org, key = server.new_org()
    name = _upload_csv(client, key, "vast.csv", b"g,d\nA,1e308\nA,1e308\nB,-1e308\n")
    for p in (
        {"statistic": "sum", "column": "d"},
        {"statistic": "mean", "column": "d"},
        {"statistic": "stddev", "column": "d"},
        {"statistic": "sum", "column": "d", "group_by": ["g"]},
    ):
        r = _plan(client, key, name, **p)
        assert (r.status_code, error_of(r)) == (422, "unanswerable_question"), (p, r.text)
        assert "no rows" not in r.json()["message"], p
    r = _plan(client, key, name, statistic="max", column="d")
    assert r.status_code == 200 and r.json()["answer"] == 1e308


def test_whole_numbers_past_64_bits_are_exact_or_refused(
    server: Server, client: httpx.Client
) -> None:
    """A column DuckDB reads as HUGEINT was written to Parquet as doubles: its values and
    every answer from them were rounded without a word. Here the huge values come after
    30,000 small ones, past the rows the sniffer first reads."""
    _org, key = server.new_org()
    h = {"X-API-Key": key}
    huge = [123456789012345678901234567890, 2**64 + 1, 2**53 + 1, -(10**37)]
    small = [k % 10 for k in range(30_000)]
    rows = [("a", v) for v in small] + [("b", v) for v in huge]
    csv = "ward,reads\n" + "".join(f"{w},{v}\n" for w, v in rows)
    name = _upload_csv(client, key, "reads.csv", csv.encode())
    wait_until(
        lambda: client.get(f"/v1/datasets/{name}", headers=h).json()["status"] != "importing",
        "the import to end",
    )
    r = client.get(f"/v1/datasets/{name}", headers=h)
    (col,) = [c for c in r.json()["columns"] if c["name"] == "reads"]  # json keeps every digit
    values = small + huge
    assert (col["type"], col["min"], col["max"]) == ("integer", min(values), max(values))
    assert f'"max":{max(values)}' in r.text  # a JSON number with every digit, not 1.2e29
    expected: list[tuple[dict[str, Any], Any]] = [
        ({"statistic": "max", "column": "reads"}, max(values)),
        ({"statistic": "sum", "column": "reads"}, sum(values)),
        ({"statistic": "sum", "column": "reads", "group_by": ["ward"]},
         {"a": sum(small), "b": sum(huge)}),
        ({"statistic": "count", "filters": [{"column": "reads", "op": "=", "value": 2**53}]}, 0),
        ({"statistic": "count", "filters": [{"column": "reads", "op": ">", "value": 2**53}]}, 3),
        ({"statistic": "top", "column": "reads", "limit": 1}, [30_001]),
    ]  # fmt: skip
    for p, want in expected:
        r = _plan(client, key, name, **p)
        assert r.status_code == 200, (p, r.text)
        assert r.json()["answer"] == want, p
    r = _plan(client, key, name, statistic="max", column="reads")
    assert any("past 2^53" in c for c in r.json()["caveats"])
    for p in (
        {"statistic": "mean", "column": "reads"},
        {"statistic": "median", "column": "reads"},
        {"statistic": "count", "filters": [{"column": "reads", "op": "=", "value": 1e29}]},
    ):
        r = _plan(client, key, name, **p)
        assert (r.status_code, error_of(r)) == (422, "unanswerable_question"), (p, r.text)
    r = client.post(
        "/v1/queries", json={"question": "what is the average reads", "dataset": name}, headers=h
    )
    assert (r.status_code, error_of(r)) == (422, "unanswerable_question"), r.text


def test_a_path_cannot_write_lines_or_escapes_into_the_log(make_server: MakeServer) -> None:
    """A forged record after ``%0A`` and a terminal escape after ``%1B`` arrive in the
    access log escaped, on the request's own line."""
    server = make_server()
    forged = "2026-12-07 03:00:00,000 [INFO] hpx.server: forged-record"
    path = "/v1/nothing%0D%0A" + forged.replace(" ", "%20") + "%1B%5B2J%E2%80%AEend"
    with server.client() as client:
        assert client.get(path).status_code == 404
    wait_until(lambda: "forged-record" in server.log(), "the request reached the access log")
    log = server.log()
    (line,) = [line for line in log.splitlines() if "forged-record" in line]
    assert line.startswith(tuple("0123456789")) and '"GET /v1/nothing\\x0d\\x0a2026' in line
    assert "\\x1b[2J" in line and "\\u202eend" in line
    assert "\x1b" not in log and "\r" not in log and "\u202e" not in log


def test_log_records_are_one_line_and_tracebacks_are_indented() -> None:
    """The appliance's own records and Hypercorn's errors go through the same
    formatter: a message or an exception quoting a client keeps to its record."""
    import io
    import logging

    from appliance.log_lines import CONTINUATION, FORMAT, OneLineFormatter

    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(OneLineFormatter(FORMAT))
    logger = logging.getLogger("hpx.test.log_lines")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("client said %s", "hi\n2026-12-07 [INFO] forged\x1b]0;title\x07")
        try:
            raise ValueError("bad input:\n2026-12-07 [ERROR] forged too\x1b[31m")
        except ValueError:
            logger.exception("a request failed")
    finally:
        logger.removeHandler(handler)
    lines = out.getvalue().splitlines()
    records = [line for line in lines if not line.startswith(CONTINUATION)]
    assert len(records) == 2, lines
    assert "hi\\x0a2026-12-07 [INFO] forged\\x1b]0;title\\x07" in records[0]
    assert records[1].endswith("a request failed")
    assert any(line.startswith(CONTINUATION + "Traceback") for line in lines)
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue()
