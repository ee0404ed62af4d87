"""The appliance with its files in an object store (``store = "s3"``): real servers over
TLS on a real Ceph RADOS Gateway (tests/ceph.py). The same promises as on the local
tree: a URL used once, nothing partial visible, crashes and an object store that goes
away lose nothing, ``hpx verify`` finds every byte where it belongs."""

from __future__ import annotations

import hashlib
import os
import secrets
import signal
import socket
import ssl
from collections.abc import Callable
from pathlib import Path

import pytest

from appliance.operations import housekeeping
from appliance.partner.client import Client
from storage import S3Store
from tests.ceph import Ceph
from tests.cli_runner import run_hpx
from tests.helpers import presign, sha, wait_until
from tests.servers import MakeServer, Server

pytestmark = pytest.mark.xdist_group("ceph")
MIB = 1024 * 1024


def store_of(server: Server) -> S3Store:
    store = server.appliance.store
    assert isinstance(store, S3Store)
    return store


def leftovers(server: Server, org_id: str) -> list[str]:
    """Objects and unfinished multipart uploads of the organization outside its files."""
    s3 = store_of(server).s3
    objects = [i.key for i in s3.objects(f"{org_id}/") if "/files/" not in i.key]
    return objects + [key for key, _, _ in s3.multipart_uploads(f"{org_id}/")]


def test_put_download_and_delete(s3_server: Server) -> None:
    org, key = s3_server.new_org()
    data = os.urandom(20 * MIB + 3)  # several object-store parts, the last one short
    with s3_server.client() as c:
        grant = presign(c, key, filename="scan.dcm", size=len(data), sha256=sha(data))
        r = c.put(grant["upload_url"], content=data)
        assert r.status_code == 201, r.text
        file = r.json()
        assert file["sha256"] == sha(data)
        headers = {"X-API-Key": key}
        whole = c.get(f"/v1/files/{file['file_id']}/content", headers=headers)
        assert whole.content == data
        part = c.get(f"/v1/files/{file['file_id']}/content",
                     headers=headers | {"Range": "bytes=9437180-9437199"})  # fmt: skip
        assert (part.status_code, part.content) == (206, data[9437180:9437200])
        assert store_of(s3_server).stored_names(org.id) == {"scan.dcm"}
        assert c.delete(f"/v1/files/{file['file_id']}", headers=headers).status_code == 204
    assert store_of(s3_server).stored_names(org.id) == set()
    assert leftovers(s3_server, org.id) == []


def test_multipart_in_parallel_and_tus(
    s3_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tusclient import client as tus_client  # here: aiohttp under it is 0.7 s to import

    org, key = s3_server.new_org()
    ca = tmp_path / "ca.pem"
    s3_server.ca.cert_pem.write_to_path(str(ca))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca))  # tuspy speaks through requests
    path = tmp_path / "run.fastq"
    path.write_bytes(os.urandom(23 * MIB))
    client = Client(s3_server.url, api_key=key, cacert=str(ca))
    file = client.upload(path, parallel=4, part_size=5 * MIB)
    assert file["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()

    tus = tus_client.TusClient(s3_server.url + "/v1/tus/", headers={"X-API-Key": key})
    small = tmp_path / "notes.csv"
    small.write_bytes(os.urandom(3 * MIB + 11))
    uploader = tus.uploader(str(small), chunk_size=MIB, metadata={"filename": "notes.csv"})
    uploader.upload()
    with s3_server.client() as c:
        listed = c.get("/v1/files", headers={"X-API-Key": key}).json()["files"]
        by_name = {f["filename"]: f for f in listed}
        assert by_name["notes.csv"]["sha256"] == sha(small.read_bytes())
        got = c.get(f"/v1/files/{by_name['notes.csv']['file_id']}/content",
                    headers={"X-API-Key": key})  # fmt: skip
        assert got.content == small.read_bytes()
    assert store_of(s3_server).stored_names(org.id) == {"run.fastq", "notes.csv"}
    housekeeping.collect(s3_server.appliance, grace_seconds=0)
    assert leftovers(s3_server, org.id) == []


def partial_put(server: Server, url: str, total: int, sent: int,
                receiving: Callable[[], bool]) -> ssl.SSLSocket:  # fmt: skip
    """Send ``sent`` of ``total`` bytes and wait until ``receiving()`` says the server
    has begun storing them; the connection stays open for the caller."""
    conn = server.ssl_context().wrap_socket(
        socket.create_connection(("127.0.0.1", server.port)), server_hostname="127.0.0.1"
    )
    path = url.split(server.url, 1)[1]
    conn.sendall(f"PUT {path} HTTP/1.1\r\nHost: x\r\nContent-Length: {total}\r\n\r\n".encode())
    conn.sendall(b"h" * sent)
    wait_until(receiving, "the server never started storing the body", interval=0.02)
    return conn


def held_open(server_port: int, client_port: int) -> bool:
    """Whether the server still holds its end of that connection open (established, or
    told by the client it is closing: CLOSE_WAIT), from /proc/net/tcp."""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote, state = fields[1], fields[2], fields[3]
        ports = (int(local.split(":")[1], 16), int(remote.split(":")[1], 16))
        if ports == (server_port, client_port) and state in ("01", "08"):
            return True
    return False


def test_a_node_killed_mid_upload_loses_nothing(make_server: MakeServer, ceph: Ceph) -> None:
    server = make_server(**ceph.settings(f"hpx-{secrets.token_hex(4)}"))
    org, key = server.new_org()
    total = 40 * MIB
    with server.client() as c:
        grant = presign(c, key, size=total)
    s3 = store_of(server).s3
    conn = partial_put(server, grant["upload_url"], total, 30 * MIB,
                       lambda: any(s3.multipart_uploads(f"{org.id}/")))  # fmt: skip
    assert server.stop(signal.SIGKILL) == -signal.SIGKILL
    conn.close()
    assert store_of(server).stored_names(org.id) == set()  # nothing visible

    server.start()
    data = os.urandom(total)
    with server.client() as c:
        r = c.put(grant["upload_url"], content=data)
        assert r.status_code == 201, r.text
        assert r.json()["sha256"] == sha(data)
    collected = housekeeping.collect(server.appliance, grace_seconds=0)
    assert collected.temp_files >= 1  # the killed attempt's unfinished multipart upload
    assert leftovers(server, org.id) == []
    verified = run_hpx("verify", "--rehash", "--data-dir", str(server.data_dir), env=server.env)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_the_object_store_going_away_mid_upload_is_503_and_nothing_lost(
    make_server: MakeServer, ceph: Ceph
) -> None:
    server = make_server(**ceph.settings(f"hpx-{secrets.token_hex(4)}"))
    org, key = server.new_org()
    total = 40 * MIB
    with server.client() as c:
        grant = presign(c, key, size=total)
        small = presign(c, key, filename="small.csv")
        kept = presign(c, key, filename="kept.csv")
        assert c.put(kept["upload_url"], content=b"a,b\n1,2\n").status_code == 201
    s3 = store_of(server).s3
    conn = partial_put(server, grant["upload_url"], total, 30 * MIB,
                       lambda: any(s3.multipart_uploads(f"{org.id}/")))  # fmt: skip
    ceph.stop_gateway()
    try:
        # The server answers as soon as a part cannot be sent, reads and drops the rest
        # of the body, and lets the connection go when the client does.
        conn.settimeout(30)
        conn.sendall(b"h" * (total - 30 * MIB))
        answer = conn.recv(65536)
        client_port = conn.getsockname()[1]
        conn.close()
        assert answer.startswith(b"HTTP/1.1 503"), answer[:200]
        wait_until(  # within 20 s: TLS alone would hold a stalled one for 30 s
            lambda: not held_open(server.port, client_port),
            "the server kept the connection open",
            timeout=20,
            interval=0.05,
        )
        with server.client() as c:
            r = c.put(small["upload_url"], content=b"x,y\n")
            assert (r.status_code, r.json()["error"]) == (503, "store_unavailable")
            assert r.headers["retry-after"] == "5"
            ready = c.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["checks"]["store"]["ok"] is False
    finally:
        ceph.start_gateway()
    assert store_of(server).stored_names(org.id) == {"kept.csv"}  # nothing else visible

    data = os.urandom(total)  # both URLs work once the object store is back
    with server.client() as c:
        r = c.put(grant["upload_url"], content=data)
        assert r.status_code == 201, r.text
        assert r.json()["sha256"] == sha(data)
        assert c.put(small["upload_url"], content=b"x,y\n").status_code == 201
        assert c.get("/readyz").status_code == 200
    assert server.log().count('"PUT /v1/put/[redacted] 1.1" 503') >= 1
    housekeeping.collect(server.appliance, grace_seconds=0)
    assert leftovers(server, org.id) == []
    verified = run_hpx("verify", "--rehash", "--data-dir", str(server.data_dir), env=server.env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
