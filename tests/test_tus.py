"""tus 1.0 at /v1/tus/: an off-the-shelf client (tuspy) against a real server over TLS,
and the protocol's answers to wrong offsets, versions, checksums and expired uploads."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import shutil
import signal
import socket
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from appliance import clock
from appliance.accounts import apikeys, orgs
from appliance.errors import ApplianceError
from appliance.operations import housekeeping
from appliance.uploads import tus_records, tus_service
from tests.helpers import sha, wait_until
from tests.servers import MakeServer, Server

# tuspy (with aiohttp under it) is imported by the tests that use it: importing it costs
# about 0.7 s of CPU in every pytest process that collects this module.
TUS = {"Tus-Resumable": "1.0.0"}
OFFSET_TYPE = {"Content-Type": "application/offset+octet-stream"}


@pytest.fixture
def trusted(server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """tuspy speaks through requests, which trusts REQUESTS_CA_BUNDLE."""
    ca = tmp_path / "ca.pem"
    server.ca.cert_pem.write_to_path(str(ca))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca))


def files_of(server: Server, key: str) -> list[dict[str, object]]:
    with server.client() as client:
        files: list[dict[str, object]] = client.get("/v1/files", headers={"X-API-Key": key}).json()[
            "files"
        ]
        return files


def create(client: httpx.Client, key: str, length: int, name: str = "scan.bin") -> str:
    meta = "filename " + base64.b64encode(name.encode()).decode()
    r = client.post(
        "/v1/tus/",
        headers=TUS | {"X-API-Key": key, "Upload-Length": str(length), "Upload-Metadata": meta},
    )
    assert r.status_code == 201, r.text
    assert r.headers["tus-resumable"] == "1.0.0" and "upload-expires" in r.headers
    return str(r.headers["location"])


def test_tuspy_uploads_with_checksums(server: Server, trusted: None, tmp_path: Path) -> None:
    from tusclient import client as tus_client

    _org, key = server.new_org()
    data = os.urandom(3 * 1024 * 1024 + 17)
    path = tmp_path / "Röntgen 01.dcm"
    path.write_bytes(data)
    c = tus_client.TusClient(server.url + "/v1/tus/", headers={"X-API-Key": key})
    uploader = c.uploader(
        str(path),
        chunk_size=1024 * 1024,
        metadata={"filename": path.name, "filetype": "application/dicom"},
        upload_checksum=True,  # a sha1 Upload-Checksum on every PATCH
    )
    uploader.upload()
    (stored,) = files_of(server, key)
    assert stored["sha256"] == sha(data) and stored["size"] == len(data)
    assert stored["filename"] == "Röntgen 01.dcm"
    assert stored["content_type"] == "application/dicom"
    assert uploader.url is not None and uploader.url.split("/v1/tus/")[1] not in server.log()


def test_tuspy_resumes_after_the_server_is_killed(
    make_server: MakeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tusclient import client as tus_client

    server = make_server()
    ca = tmp_path / "ca.pem"
    server.ca.cert_pem.write_to_path(str(ca))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca))
    _org, key = server.new_org()
    data = os.urandom(5 * 1024 * 1024)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    c = tus_client.TusClient(server.url + "/v1/tus/", headers={"X-API-Key": key})
    first = c.uploader(str(path), chunk_size=1024 * 1024, metadata={"filename": "big.bin"})
    first.upload(stop_at=2 * 1024 * 1024)  # two chunks, then the client stops
    url = first.url
    server.stop(signal.SIGKILL)
    server.start()
    again = c.uploader(str(path), url=url, chunk_size=1024 * 1024)
    assert again.offset == 2 * 1024 * 1024  # resumed where the server said, not from 0
    again.upload()
    (stored,) = files_of(server, key)
    assert stored["sha256"] == sha(data)


def test_the_protocols_refusals(server: Server) -> None:
    _org, key = server.new_org()
    data = b"0123456789" * 100
    with server.client() as client:
        r = client.options("/v1/tus/")
        assert r.status_code == 204 and "creation" in r.headers["tus-extension"]
        assert "sha256" in r.headers["tus-checksum-algorithm"]
        url = create(client, key, len(data))

        r = client.head(url, headers={"Tus-Resumable": "0.2.2"})
        assert r.status_code == 412 and r.headers["tus-version"] == "1.0.0"
        r = client.patch(url, content=data[:10], headers=TUS | OFFSET_TYPE | {"Upload-Offset": "5"})
        assert r.status_code == 409 and r.json()["error"] == "offset_mismatch"
        bad = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
        r = client.patch(
            url,
            content=data[:100],
            headers=TUS | OFFSET_TYPE | {"Upload-Offset": "0", "Upload-Checksum": f"sha256 {bad}"},
        )
        assert r.status_code == 460 and r.json()["error"] == "checksum_mismatch"
        assert client.head(url, headers=TUS).headers["upload-offset"] == "0"  # not appended
        r = client.patch(url, content=data[:100], headers=TUS | {"Upload-Offset": "0"})
        assert r.status_code == 415  # not application/offset+octet-stream
        good = base64.b64encode(hashlib.sha256(data[:100]).digest()).decode()
        r = client.patch(
            url,
            content=data[:100],
            headers=TUS | OFFSET_TYPE | {"Upload-Offset": "0", "Upload-Checksum": f"sha256 {good}"},
        )
        assert r.status_code == 204 and r.headers["upload-offset"] == "100"
        r = client.patch(
            url, content=data[100:], headers=TUS | OFFSET_TYPE | {"Upload-Offset": "100"}
        )
        assert r.status_code == 204 and r.headers["upload-offset"] == str(len(data))
        r = client.patch(url, content=b"x", headers=TUS | OFFSET_TYPE | {"Upload-Offset": "1000"})
        assert r.status_code == 410  # complete: the URL took its file

        doomed = create(client, key, 10)
        assert client.delete(doomed, headers=TUS).status_code == 204  # termination
        assert client.head(doomed, headers=TUS).status_code == 404

        unknown = server.appliance.signer.sign("tus_0000", _org.id, 2**31, kind="tus")
        assert client.head(f"/v1/tus/{unknown}", headers=TUS).status_code == 404
        put_token = url.rsplit("/", 1)[1]
        assert client.put(f"/v1/put/{put_token}", content=b"x").status_code == 403  # not a PUT URL

        principal = apikeys.authenticate_key(server.appliance.db, key)
        with clock.shifted(-3 * 24 * 3600):  # created three days ago
            old = tus_service.create(
                server.appliance, principal, filename="old.bin", content_type=None, length=10
            )
        assert client.head(f"/v1/tus/{old.token}", headers=TUS).status_code == 410
        r = client.patch(
            f"/v1/tus/{old.token}", content=b"x", headers=TUS | OFFSET_TYPE | {"Upload-Offset": "0"}
        )
        assert r.status_code == 410 and r.json()["error"] == "token_expired"

        r = client.post("/v1/tus/", headers=TUS | {"Upload-Length": "10"})  # no credential
        assert r.status_code == 401

        # Another organization's upload: its id under a token of this organization, and
        # this organization's key joining another's partial upload, are both 404.
        _other, other_key = server.new_org()
        theirs = create(client, other_key, 10)
        their_id = server.appliance.signer.verify(theirs.rsplit("/", 1)[1]).upload_id
        forged = server.appliance.signer.sign(their_id, _org.id, 2**31, kind="tus")
        assert client.head(f"/v1/tus/{forged}", headers=TUS).status_code == 404
        r = client.patch(f"/v1/tus/{forged}", content=b"x",
                         headers=TUS | OFFSET_TYPE | {"Upload-Offset": "0"})  # fmt: skip
        assert r.status_code == 404
        r = client.post("/v1/tus/", headers=TUS | {"X-API-Key": other_key, "Upload-Length": "3",
                                                   "Upload-Concat": "partial"})  # fmt: skip
        piece = r.headers["location"]
        client.patch(piece, content=b"abc", headers=TUS | OFFSET_TYPE | {"Upload-Offset": "0"})
        r = client.post("/v1/tus/", headers=TUS | {"X-API-Key": key,
                                                   "Upload-Concat": f"final;{piece}"})  # fmt: skip
        assert r.status_code == 404
        assert client.head(theirs, headers=TUS).status_code == 200  # theirs, untouched


def test_creation_with_upload_and_deferred_length(server: Server) -> None:
    _org, key = server.new_org()
    data = os.urandom(200_000)
    with server.client() as client:
        r = client.post(
            "/v1/tus/",
            content=data[:50_000],
            headers=TUS | OFFSET_TYPE | {"X-API-Key": key, "Upload-Defer-Length": "1"},
        )
        assert r.status_code == 201 and r.headers["upload-offset"] == "50000"
        url = r.headers["location"]
        head = client.head(url, headers=TUS)
        assert head.headers["upload-defer-length"] == "1" and "upload-length" not in head.headers
        r = client.patch(
            url,
            content=data[50_000:],
            headers=TUS | OFFSET_TYPE | {"Upload-Offset": "50000", "Upload-Length": str(len(data))},
        )
        assert r.status_code == 204, r.text
        assert r.headers["upload-length"] == str(len(data))
        (stored,) = client.get("/v1/files", headers={"X-API-Key": key}).json()["files"]
        assert stored["sha256"] == sha(data) and stored["filename"] == "upload"


def test_a_presigned_creation_url_works_once(server: Server, trusted: None, tmp_path: Path) -> None:
    """A browser or a partner's tool holds a creation URL, never the API key."""
    from tusclient import client as tus_client

    _org, key = server.new_org()
    with server.client() as client:
        r = client.post(
            "/v1/uploads",
            json={"protocol": "tus", "filename": "ward 7.csv", "size": 5000},
            headers={"X-API-Key": key},
        )
        assert r.status_code == 201, r.text
        grant = r.json()
    assert grant["method"] == "POST" and grant["protocol"] == "tus"
    data = os.urandom(5000)
    path = tmp_path / "anything.bin"
    path.write_bytes(data)
    c = tus_client.TusClient(grant["upload_url"])  # no X-API-Key
    c.uploader(str(path), chunk_size=2048).upload()
    (stored,) = files_of(server, key)
    assert (stored["filename"], stored["sha256"]) == ("ward 7.csv", sha(data))
    with server.client() as client:
        r = client.post(grant["upload_url"], headers=TUS | {"Upload-Length": "5000"})
        assert r.status_code == 410 and r.json()["error"] == "token_used"
        apikeys.revoke_key(server.appliance.db, key.split("_")[1])
        r = client.post(
            "/v1/uploads",
            json={"protocol": "tus", "filename": "x"},
            headers={"X-API-Key": key},
        )
        assert r.status_code == 401


KILLED_CLIENT = """
import sys
from tusclient import client
from tusclient.storage.filestorage import FileStorage
c = client.TusClient(sys.argv[1], headers={"X-API-Key": sys.argv[2]})
c.uploader(sys.argv[3], chunk_size=256 * 1024, store_url=True,
           url_storage=FileStorage(sys.argv[4])).upload()
"""


def test_a_killed_tuspy_resumes_from_the_servers_offset(
    server: Server, trusted: None, tmp_path: Path
) -> None:
    """tuspy in a process of its own, SIGKILLed mid-upload; a new one picks the URL
    from tuspy's own URL store and goes on from the offset the server reports."""
    import subprocess
    import sys
    import time

    from tusclient import client as tus_client
    from tusclient.storage.filestorage import FileStorage

    _org, key = server.new_org()
    data = os.urandom(16 * 1024 * 1024)
    path = tmp_path / "sequencing.bin"
    path.write_bytes(data)
    store = tmp_path / "tus-urls.json"
    args = [
        sys.executable,
        "-c",
        KILLED_CLIENT,
        server.url + "/v1/tus/",
        key,
        str(path),
        str(store),
    ]
    proc = subprocess.Popen(args, env=os.environ.copy())
    deadline = time.monotonic() + 60
    url = None
    try:
        offset = 0
        while offset < 1024 * 1024:  # until the server holds at least 1 MiB of it
            assert proc.poll() is None, "the client finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.02)  # the poll interval of a wait on a visible condition
            url = FileStorage(str(store)).get_item(_fingerprint(path)) if store.exists() else None
            if url:
                with server.client() as client:
                    offset = int(client.head(url, headers=TUS).headers["upload-offset"])
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    upload_id = server.appliance.signer.verify(str(url).rsplit("/", 1)[1]).upload_id
    while tus_records.get(server.appliance.db, _org.id, upload_id).state == "receiving":
        assert time.monotonic() < deadline, "the server never noticed the client was gone"
        time.sleep(0.01)  # the poll interval of a wait on a visible condition
    c = tus_client.TusClient(server.url + "/v1/tus/", headers={"X-API-Key": key})
    # A PATCH the killed client had already sent may still be appended after it died:
    # the offset can move once more, and a 409 then makes tuspy ask again (its retry).
    again = c.uploader(
        str(path),
        chunk_size=1024 * 1024,
        store_url=True,
        url_storage=FileStorage(str(store)),
        retries=3,
        retry_delay=1,
    )
    assert again.offset >= 1024 * 1024  # resumed, not restarted
    again.upload()
    (stored,) = files_of(server, key)
    assert stored["sha256"] == sha(data)


def _fingerprint(path: Path) -> str:
    from tusclient.fingerprint.fingerprint import Fingerprint

    with open(path, "rb") as fh:
        return str(Fingerprint().get_fingerprint(fh))


NODE_CLIENT = Path(__file__).parent / "js" / "tus_upload.js"


@pytest.mark.skipif(
    shutil.which("node") is None or not (NODE_CLIENT.parent / "node_modules").is_dir(),
    reason="tus-js-client needs Node and `npm ci --prefix tests/js` (./install.sh --test runs it)",
)
def test_tus_js_client_uploads_in_four_parallel_parts(server: Server, tmp_path: Path) -> None:
    """tus-js-client's parallelUploads: partial uploads, then a final one joining them."""
    _org, key = server.new_org()
    ca = tmp_path / "ca.pem"
    server.ca.cert_pem.write_to_path(str(ca))
    data = os.urandom(4 * 1024 * 1024 + 3)
    src = tmp_path / "parallel.bin"
    src.write_bytes(data)
    env = os.environ | {"HPX_API_KEY": key, "NODE_EXTRA_CA_CERTS": str(ca)}
    r = subprocess.run(
        ["node", str(NODE_CLIENT), server.url + "/v1/tus/", str(src), "4"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    (stored,) = files_of(server, key)  # the parts are not files of their own
    assert (stored["filename"], stored["sha256"]) == ("parallel.bin", sha(data))
    tus_dir = server.data_dir / "orgs" / _org.id / "tus"
    assert not list(tus_dir.glob("*.part"))  # the partial uploads went with the join


def test_a_suspended_organizations_tus_urls_are_refused(server: Server) -> None:
    org, key = server.new_org()
    with server.client() as client:
        url = create(client, key, 10)
        orgs.set_status(server.appliance.db, org.id, "suspended")
        assert client.head(url, headers=TUS).status_code == 403
        r = client.patch(url, content=b"x", headers=TUS | OFFSET_TYPE | {"Upload-Offset": "0"})
        assert (r.status_code, r.json()["error"]) == (403, "forbidden")
        assert client.delete(url, headers=TUS).status_code == 403
        orgs.set_status(server.appliance.db, org.id, "active")
        assert client.head(url, headers=TUS).headers["upload-offset"] == "0"


BAD_TYPES = ["text/csv\r\nX-Injected: 1", "text/csv; charset=ĉ", "text/中文"]
"""A line break (a header split on download) and characters outside Latin-1 (a header
that cannot be sent at all)."""


def _meta(**fields: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in fields.items())


def test_a_bad_filetype_is_refused_at_every_entrance(server: Server) -> None:
    """tus ``filetype`` metadata through a key, a presigned creation URL, a drop link
    and a final concatenation, like ``content_type`` in ``POST /v1/uploads``: 400."""
    _org, key = server.new_org()
    auth = {"X-API-Key": key}
    with server.client() as client:
        piece = client.post(
            "/v1/tus/", headers=TUS | auth | {"Upload-Length": "3", "Upload-Concat": "partial"}
        ).headers["location"]
        r = client.patch(piece, content=b"abc", headers=TUS | OFFSET_TYPE | {"Upload-Offset": "0"})
        assert r.status_code == 204
        link = client.post("/v1/uploads", headers=auth, json={"protocol": "link"}).json()["url"]
        drop = link.split(server.url, 1)[1]
        assert client.post(drop + "/open").status_code == 200
        for bad in BAD_TYPES:
            meta = {"Upload-Metadata": _meta(filename="a.csv", filetype=bad)}
            creation = TUS | meta | {"Upload-Length": "3"}
            r = client.post("/v1/tus/", headers=creation | auth)
            assert (r.status_code, r.json()["error"]) == (400, "invalid_request"), bad
            assert "filetype" in r.json()["message"]
            grant = client.post("/v1/uploads", headers=auth, json={"protocol": "tus"}).json()
            r = client.post(grant["upload_url"], headers=creation)
            assert (r.status_code, r.json()["error"]) == (400, "invalid_request"), bad
            r = client.post(drop + "/tus/", headers=creation)
            assert (r.status_code, r.json()["error"]) == (400, "invalid_request"), bad
            r = client.post(
                "/v1/tus/", headers=TUS | auth | meta | {"Upload-Concat": f"final;{piece}"}
            )
            assert (r.status_code, r.json()["error"]) == (400, "invalid_request"), bad
            r = client.post(
                "/v1/uploads", headers=auth, json={"filename": "a", "content_type": bad}
            )
            assert (r.status_code, r.json()["error"]) == (400, "invalid_request"), bad
        assert files_of(server, key) == []
        # A good type still goes through every entrance (here: the partial, joined).
        good = {"Upload-Metadata": _meta(filename="a.csv", filetype="text/csv; charset=utf-8")}
        r = client.post("/v1/tus/", headers=TUS | auth | good | {"Upload-Concat": f"final;{piece}"})
        assert r.status_code == 201, r.text
        (stored,) = files_of(server, key)
        assert stored["content_type"] == "text/csv; charset=utf-8"


def test_a_file_stored_with_a_bad_type_downloads_as_octet_stream(server: Server) -> None:
    """Files stored before types were checked: their download still works."""
    _org, key = server.new_org()
    with server.client() as client:
        url = create(client, key, 3)
        client.patch(url, content=b"a,b", headers=TUS | OFFSET_TYPE | {"Upload-Offset": "0"})
        (stored,) = files_of(server, key)
        for bad in BAD_TYPES:
            with server.appliance.db.write() as conn:
                conn.execute(
                    "UPDATE files SET content_type = ? WHERE id = ?", (bad, stored["file_id"])
                )
            r = client.get(f"/v1/files/{stored['file_id']}/content", headers={"X-API-Key": key})
            assert r.status_code == 200, bad
            assert r.headers["content-type"] == "application/octet-stream"
            assert r.content == b"a,b" and "x-injected" not in r.headers


def test_a_refused_upload_length_leaves_the_upload_usable(server: Server) -> None:
    """A PATCH whose Upload-Length differs from the upload's, or (deferred) exceeds the
    maximum or falls below the bytes received, is refused; the next PATCH and a
    DELETE go on as if it had never come (it used to leave a 409 until a restart)."""
    _org, key = server.new_org()
    with server.client() as client:
        largest = int(client.options("/v1/tus/").headers["tus-max-size"])
        url = create(client, key, 10)
        r = client.patch(
            url,
            content=b"abc",
            headers=TUS | OFFSET_TYPE | {"Upload-Offset": "0", "Upload-Length": "20"},
        )
        assert (r.status_code, r.json()["error"]) == (400, "invalid_request")
        r = client.patch(url, content=b"abc", headers=TUS | OFFSET_TYPE | {"Upload-Offset": "0"})
        assert r.status_code == 204, r.text  # not 409: the refusal left nothing taken
        assert r.headers["upload-offset"] == "3"

        r = client.post("/v1/tus/", headers=TUS | {"X-API-Key": key, "Upload-Defer-Length": "1"})
        deferred = r.headers["location"]
        r = client.patch(
            deferred,
            content=b"abcd",
            headers=TUS | OFFSET_TYPE | {"Upload-Offset": "0", "Upload-Length": str(largest + 1)},
        )
        assert (r.status_code, r.json()["error"]) == (413, "payload_too_large")
        r = client.patch(
            deferred, content=b"abcd", headers=TUS | OFFSET_TYPE | {"Upload-Offset": "0"}
        )
        assert r.status_code == 204, r.text
        assert r.headers["upload-offset"] == "4"
        r = client.patch(
            deferred,
            content=b"",
            headers=TUS | OFFSET_TYPE | {"Upload-Offset": "4", "Upload-Length": "3"},
        )
        assert (r.status_code, r.json()["error"]) == (400, "invalid_request")
        r = client.patch(
            deferred,
            content=b"ef",
            headers=TUS | OFFSET_TYPE | {"Upload-Offset": "4", "Upload-Length": "6"},
        )
        assert r.status_code == 204, r.text
        assert [f["sha256"] for f in files_of(server, key)] == [sha(b"abcdef")]
        assert client.delete(url, headers=TUS).status_code == 204
        assert client.head(url, headers=TUS).status_code == 404


def test_gc_forgets_an_expired_upload_whose_receiver_died(
    make_server: MakeServer, tmp_path: Path
) -> None:
    """A PATCH cut by the death of its server leaves the upload ``receiving``; once it
    has expired, gc removes it and its bytes like an idle one (they count toward no
    quota, so nothing else would)."""
    server = make_server()
    org, key = server.new_org()
    with server.client() as client:
        url = create(client, key, 1024 * 1024)
    upload_id = server.appliance.signer.verify(url.rsplit("/", 1)[1]).upload_id
    ctx = server.ssl_context()
    conn = ctx.wrap_socket(
        socket.create_connection(("127.0.0.1", server.port)), server_hostname="127.0.0.1"
    )
    path = url.split(server.url, 1)[1]
    head = (
        f"PATCH {path} HTTP/1.1\r\nHost: x\r\nTus-Resumable: 1.0.0\r\n"
        f"Content-Type: application/offset+octet-stream\r\nUpload-Offset: 0\r\n"
        f"Content-Length: {1024 * 1024}\r\n\r\n"
    )
    conn.sendall(head.encode() + b"x" * 4096)
    db, store = server.appliance.db, server.appliance.store
    wait_until(
        lambda: (
            tus_records.get(db, org.id, upload_id).state == "receiving"
            and upload_id in store.resumable_ids(org.id)
        ),
        "the server never started receiving",
    )
    server.stop(signal.SIGKILL)
    conn.close()
    collected = housekeeping.collect(server.appliance)
    assert tus_records.get(db, org.id, upload_id).state == "receiving"  # not expired yet: kept
    assert collected.expired_sessions == 0
    with clock.shifted(2 * 24 * 3600):  # past multipart_session_ttl (24 h)
        collected = housekeeping.collect(server.appliance)
    assert collected.expired_sessions == 1
    with pytest.raises(ApplianceError):
        tus_records.get(db, org.id, upload_id)
    assert upload_id not in store.resumable_ids(org.id)


def _partial(client: httpx.Client, key: str, data: bytes) -> str:
    """A complete partial upload of ``data``: its URL."""
    r = client.post(
        "/v1/tus/",
        headers=TUS
        | {"X-API-Key": key, "Upload-Length": str(len(data)), "Upload-Concat": "partial"},
    )
    url = str(r.headers["location"])
    r = client.patch(url, content=data, headers=TUS | OFFSET_TYPE | {"Upload-Offset": "0"})
    assert r.status_code == 204, r.text
    return url


def test_concurrent_final_uploads_join_the_partials_once(server: Server) -> None:
    """Eight final uploads naming the same partial uploads at once: one file, once."""
    org, key = server.new_org()
    first, second = os.urandom(8 * 1024 * 1024), os.urandom(8 * 1024 * 1024)
    with server.client() as client:
        pieces = f"{_partial(client, key, first)} {_partial(client, key, second)}"
        # A join that fails (the quota) gives the partial uploads back, at once.
        orgs.set_quota(server.appliance.db, org.id, 1024)
        final = TUS | {"X-API-Key": key, "Upload-Concat": f"final;{pieces}"}
        r = client.post("/v1/tus/", headers=final)
        assert (r.status_code, r.json()["error"]) == (507, "insufficient_storage")
        orgs.set_quota(server.appliance.db, org.id, None)

    async def race() -> list[httpx.Response]:
        async with server.async_client() as aclient:
            return await asyncio.gather(
                *(aclient.post("/v1/tus/", headers=final) for _ in range(8))
            )

    answers = asyncio.run(race())
    statuses = sorted(r.status_code for r in answers)
    assert statuses.count(201) == 1, statuses
    losers = [r.json()["error"] for r in answers if r.status_code != 201]
    assert set(losers) <= {"upload_in_progress", "not_found"}, losers
    (stored,) = files_of(server, key)
    assert (stored["size"], stored["sha256"]) == (len(first) * 2, sha(first + second))
    assert server.appliance.store.resumable_ids(org.id) == set()


def test_a_patch_cancelled_while_it_takes_the_upload_gives_it_back(tmp_path: Path) -> None:
    """The request's task cancelled (its client gone) while its thread is taking the
    upload: the thread finishes taking it, and the upload is given back all the same
    (it was left ``receiving``, a 409 to every later PATCH until a restart)."""
    import sys
    import threading

    from appliance.metrics import Metrics
    from appliance.uploads.receive import Body
    from tests.servers import in_process

    app = in_process(tmp_path)
    appliance = app.appliance
    org = orgs.create_org(appliance.db, "cancelled")
    principal = apikeys.authenticate_key(
        appliance.db, apikeys.issue_key(appliance.db, org.id).api_key
    )
    created = tus_service.create(
        appliance, principal, filename="a.bin", content_type=None, length=3
    )
    metrics = Metrics(free_bytes=lambda: 0.0, imports_running=lambda: 0.0)

    async def nothing() -> AsyncIterator[bytes]:
        yield b"abc"

    def taking() -> bool:  # a thread is inside tus_records.claim, waiting for the write lock
        return any(
            frame.f_code.co_name == "claim" and frame.f_code.co_filename.endswith("tus_records.py")
            for top in sys._current_frames().values()
            for frame in _stack(top)
        )

    async def cancel_mid_claim() -> None:
        body = Body(nothing(), 3)
        task = asyncio.ensure_future(tus_service.append(appliance, metrics, created.token, 0, body))
        await asyncio.to_thread(wait_until, taking, "the PATCH never began to take the upload")
        task.cancel()
        await asyncio.sleep(0)  # the cancellation reaches the task while the lock is held
        release.set()
        with pytest.raises(asyncio.CancelledError):
            await task

    release = threading.Event()
    held = threading.Event()

    def hold_the_write_lock() -> None:
        with appliance.db.write():
            held.set()
            release.wait(30)

    holder = threading.Thread(target=hold_the_write_lock)
    holder.start()
    held.wait(30)
    try:
        asyncio.run(cancel_mid_claim())
    finally:
        release.set()
        holder.join()
    upload = tus_records.get(appliance.db, org.id, created.upload.id)
    assert (upload.state, upload.received) == ("open", 0)


def _stack(frame: Any) -> Iterator[Any]:
    while frame is not None:
        yield frame
        frame = frame.f_back
