"""``hpx migrate``: a populated single-host install (local tree, SQLite) moved into the
object store and PostgreSQL, verified, safe to run twice; a node on the new
configuration then serves the same files, URLs, uploads in progress and audit trail."""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

import pytest

from appliance.accounts import users
from tests.ceph import Ceph
from tests.cli_runner import run_hpx
from tests.helpers import presign, sha
from tests.postgres import Postgres
from tests.servers import MakeServer

pytestmark = pytest.mark.xdist_group("ceph")
MIB = 1024 * 1024
TUS = {"Tus-Resumable": "1.0.0", "Content-Type": "application/offset+octet-stream"}


def on(base: str, url: str) -> str:
    """The same URL on another node (what the load balancer's name does for a partner)."""
    return base + "/v1/" + url.split("/v1/", 1)[1]


def test_a_populated_install_moves_verified_and_keeps_working(
    make_server: MakeServer, ceph: Ceph, postgres: Postgres, tmp_path: Path
) -> None:
    source = make_server()
    org, key = source.new_org()
    users.add_user(source.appliance.db, org.id, "analyst@example.org", "a long passphrase 1")
    small, big = b"id,bmi\n1,22.5\n", os.urandom(9 * MIB + 1)
    multipart = os.urandom(11 * MIB)
    tus_data = os.urandom(3 * MIB)
    headers = {"X-API-Key": key}
    with source.client() as c:
        done = {}
        for name, data in (("cohort.csv", small), ("scan.dcm", big)):
            grant = presign(c, key, filename=name)
            assert c.put(grant["upload_url"], content=data).status_code == 201
            done[name] = grant["upload_url"]
        unused = presign(c, key, filename="later.csv")
        opened = {"filename": "run.bam", "size": len(multipart), "part_size": 5 * MIB}
        session = c.post("/v1/uploads/multipart", headers=headers, json=opened).json()
        first = session["parts"][0]
        assert c.put(first["upload_url"], content=multipart[: 5 * MIB]).status_code in (200, 201)
        meta = "filename " + base64.b64encode(b"notes.bin").decode()
        created = c.post("/v1/tus/", headers=headers | TUS | {"Upload-Length": str(len(tus_data)),
                                                              "Upload-Metadata": meta})  # fmt: skip
        tus_url = created.headers["location"]
        r = c.patch(tus_url, content=tus_data[:MIB], headers=TUS | {"Upload-Offset": "0"})
        assert r.status_code == 204, r.text
        before = c.get("/v1/files", headers=headers).json()["files"]
    source.stop()

    new_config = tmp_path / "scale-out.toml"
    settings = ceph.settings(f"moved-{secrets.token_hex(4)}") | {
        "database_url": postgres.new_database(),
        "signing_keys_file": str(source.data_dir / "secrets" / "signing-keys"),
        "data_dir": str(tmp_path / "node"),
    }
    new_config.write_text("".join(f"{k} = {json.dumps(v)}\n" for k, v in settings.items()))
    argv = ("migrate", "--to-config", str(new_config), "--data-dir", str(source.data_dir))
    first_run = run_hpx(*argv, "--json", env=source.env)
    assert first_run.returncode == 0, first_run.stdout + first_run.stderr
    report = json.loads(first_run.stdout)
    assert (report["files"], report["files_already_there"], report["bytes"]) == (
        2,
        0,
        len(small) + len(big),
    )
    assert (report["parts"], report["resumable_uploads"]) == (1, 1)
    again = run_hpx(*argv, "--json", env=source.env)  # safe to run twice
    assert again.returncode == 0, again.stdout + again.stderr
    assert json.loads(again.stdout)["files_already_there"] == 2
    assert json.loads(again.stdout)["rows"] == report["rows"]

    node = make_server(
        data_dir=tmp_path / "node", **{k: v for k, v in settings.items() if k != "data_dir"}
    )
    with node.client() as c:
        after = c.get("/v1/files", headers=headers).json()["files"]
        assert after == before
        for file in after:
            got = c.get(f"/v1/files/{file['file_id']}/content", headers=headers)
            assert sha(got.content) == file["sha256"]
        assert c.put(on(node.url, done["cohort.csv"]), content=small).status_code == 410
        assert c.put(on(node.url, unused["upload_url"]), content=b"a\n1\n").status_code == 201
        second = session["parts"][1]
        assert c.put(
            on(node.url, second["upload_url"]), content=multipart[5 * MIB : 10 * MIB]
        ).status_code in (200, 201)
        third = session["parts"][2]
        assert c.put(
            on(node.url, third["upload_url"]), content=multipart[10 * MIB :]
        ).status_code in (
            200,
            201,
        )
        r = c.post(f"/v1/uploads/multipart/{session['upload_id']}/complete", headers=headers)
        assert r.status_code == 201, r.text
        assert r.json()["sha256"] == sha(multipart)
        r = c.patch(
            on(node.url, tus_url), content=tus_data[MIB:], headers=TUS | {"Upload-Offset": str(MIB)}
        )
        assert r.status_code == 204, r.text
        names = {f["filename"]: f for f in c.get("/v1/files", headers=headers).json()["files"]}
        assert names["notes.bin"]["sha256"] == sha(tus_data)
    for command in (("audit", "verify"), ("verify", "--rehash")):
        checked = run_hpx(*command, "--data-dir", str(node.data_dir), env=node.env)
        assert checked.returncode == 0, checked.stdout + checked.stderr
