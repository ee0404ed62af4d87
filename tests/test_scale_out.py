"""Several nodes as one appliance: two ``hpx serve`` processes (here on two ports of
one host, each with its own data directory) sharing one PostgreSQL database, one
bucket of a real Ceph RADOS Gateway and one signing-secrets file."""

from __future__ import annotations

import os
import secrets
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest

from appliance.accounts import users
from appliance.db.postgres import PostgresDB
from appliance.operations import housekeeping
from tests.ceph import Ceph
from tests.cli_runner import run_hpx
from tests.helpers import presign, sha
from tests.postgres import Postgres
from tests.servers import MakeServer, Server
from tests.test_object_store import leftovers, partial_put, store_of

pytestmark = pytest.mark.xdist_group("ceph")
MIB = 1024 * 1024


@dataclass
class Nodes:
    a: Server
    b: Server
    settings: dict[str, str]


def start_nodes(make_server: MakeServer, ceph: Ceph, postgres: Postgres, tmp: Path) -> Nodes:
    secrets_file = tmp / "signing-keys"  # what the operator puts on every node
    secrets_file.write_text(secrets.token_urlsafe(48) + "\n")
    secrets_file.chmod(0o600)
    audit_key = tmp / "audit-key"  # beside it, shared the same way
    audit_key.write_text(secrets.token_urlsafe(48) + "\n")
    audit_key.chmod(0o600)
    settings = ceph.settings(f"nodes-{secrets.token_hex(4)}") | {
        "database_url": postgres.new_database(),
        "signing_keys_file": str(secrets_file),
    }
    return Nodes(make_server(**settings), make_server(**settings), settings)


@pytest.fixture(scope="module")
def nodes(scaled_out_nodes: Nodes) -> Nodes:
    """The session's two nodes (conftest.py; test_single_use.py's too)."""
    return scaled_out_nodes


def test_a_url_minted_on_one_node_is_used_on_the_other(nodes: Nodes) -> None:
    _org, key = nodes.a.new_org()
    data = os.urandom(12 * MIB)
    with nodes.a.client() as a, nodes.b.client() as b:
        grant = presign(a, key, filename="scan.dcm", sha256=sha(data))
        assert grant["upload_url"].startswith(nodes.a.url)
        r = b.put(grant["upload_url"].replace(nodes.a.url, nodes.b.url), content=data)
        assert r.status_code == 201, r.text
        again = a.put(grant["upload_url"], content=b"x")
        assert again.status_code == 410  # used, whichever node is asked
        file_id = r.json()["file_id"]
        got = a.get(f"/v1/files/{file_id}/content", headers={"X-API-Key": key})
        assert got.content == data
        listed_b = b.get("/v1/files", headers={"X-API-Key": key}).json()["files"]
        assert [f["file_id"] for f in listed_b] == [file_id]


def test_a_node_killed_mid_upload_the_url_works_on_the_other(
    make_server: MakeServer, ceph: Ceph, postgres: Postgres, tmp_path: Path
) -> None:
    pair = start_nodes(make_server, ceph, postgres, tmp_path)
    org, key = pair.a.new_org()
    total = 40 * MIB
    with pair.a.client() as a:
        grant = presign(a, key, size=total)
    s3 = store_of(pair.a).s3
    conn = partial_put(pair.a, grant["upload_url"], total, 30 * MIB,
                       lambda: any(s3.multipart_uploads(f"{org.id}/")))  # fmt: skip
    assert pair.a.stop(signal.SIGKILL) == -signal.SIGKILL
    conn.close()
    assert store_of(pair.b).stored_names(org.id) == set()
    # The killed node's claim died with it: the other node takes the URL over.
    data = os.urandom(total)
    with pair.b.client() as b:
        r = b.put(grant["upload_url"].replace(pair.a.url, pair.b.url), content=data)
        assert r.status_code == 201, r.text
        assert r.json()["sha256"] == sha(data)
    housekeeping.collect(pair.b.appliance, grace_seconds=0)
    assert leftovers(pair.b, org.id) == []
    verified = run_hpx("verify", "--rehash", "--data-dir", str(pair.b.data_dir), env=pair.b.env)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_housekeeping_runs_on_one_node_at_a_time(postgres: Postgres) -> None:
    url = postgres.new_database()
    one, two = PostgresDB(url), PostgresDB(url)
    with one.exclusive("housekeeping") as first:
        assert first
        with two.exclusive("housekeeping") as second:
            assert not second
        with two.exclusive("another job") as other:
            assert other
    with two.exclusive("housekeeping") as after:
        assert after
    one.close()
    two.close()


def test_sign_in_on_one_node_ask_on_the_other_same_answer(nodes: Nodes) -> None:
    org, key = nodes.a.new_org()
    csv = b"patient_id,age,bmi\n1,50,22.5\n2,61,31.0\n3,47,27.5\n4,70,24.0\n"
    # a trusted analyst (rows): the exact mean of four rows
    users.add_user(
        nodes.a.appliance.db, org.id, "analyst@example.org", "a long passphrase 1", rows=True
    )
    with nodes.a.client() as a, nodes.b.client() as b:
        grant = presign(a, key, filename="cohort.csv", content_type="text/csv")
        assert a.put(grant["upload_url"], content=csv).status_code == 201
        token = a.post(
            "/v1/auth/token",
            json={"email": "analyst@example.org", "password": "a long passphrase 1"},
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        question = {"question": "What is the mean bmi in cohort?"}
        answers = [c.post("/v1/queries", json=question, headers=headers) for c in (a, b)]
    assert [r.status_code for r in answers] == [200, 200], [r.text for r in answers]
    results = [r.json()["answer"] for r in answers]
    assert results[0] == results[1] == (22.5 + 31.0 + 27.5 + 24.0) / 4
