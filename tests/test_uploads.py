"""Single-file presigned uploads: through the app in this process, and over TLS to a real
server where connections, TLS or processes are the point."""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
import time

import httpx
import pytest

from appliance.accounts import orgs
from appliance.accounts.presign import Signer, load_signing_secrets
from tests.helpers import error_of, presign, sha, stored_bytes, stored_names, temp_files
from tests.servers import InProcess, MakeServer, Server, start_partial_put


@pytest.fixture(scope="session")
def server(app_in_process: InProcess) -> InProcess:
    """This module's API tests run against the app in this process (tests/servers.py);
    the ones about TLS and connections take ``real_server``."""
    return app_in_process


def test_presign_then_put_stores_the_file(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    data = b"patient_id,bmi\n1,22.5\n2,31.0\n"
    grant = presign(
        client,
        key,
        filename="cohort.csv",
        size=len(data),
        sha256=sha(data),
        content_type="text/csv",
    )
    assert grant["method"] == "PUT"
    assert grant["upload_url"].startswith(server.url + "/v1/put/")
    assert grant["filename"] == "cohort.csv"
    assert grant["max_size"] == len(data)
    assert grant["headers"] == {"Content-Type": "text/csv"}

    r = client.put(grant["upload_url"], content=data)
    assert r.status_code == 201, r.text
    file = r.json()
    assert set(file) == {
        "file_id",
        "upload_id",
        "filename",
        "size",
        "sha256",
        "content_type",
        "created_at",
    }
    assert (file["upload_id"], file["filename"], file["size"], file["sha256"]) == (
        grant["upload_id"],
        "cohort.csv",
        len(data),
        sha(data),
    )
    assert file["content_type"] == "text/csv"
    assert stored_bytes(server, org.id, "cohort.csv") == data
    assert temp_files(server, org.id) == []


def test_the_url_is_single_use(server: Server, client: httpx.Client) -> None:
    _org, key = server.new_org()
    grant = presign(client, key)
    assert client.put(grant["upload_url"], content=b"one").status_code == 201
    r = client.put(grant["upload_url"], content=b"two")
    assert (r.status_code, error_of(r)) == (410, "token_used")


def test_same_name_gets_a_numbered_suffix(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    for body in (b"first", b"second"):
        grant = presign(client, key, filename="export.csv")
        assert client.put(grant["upload_url"], content=body).status_code == 201
    assert stored_names(server, org.id) == ["export (1).csv", "export.csv"]
    assert stored_bytes(server, org.id, "export.csv") == b"first"


def test_nasty_filename_is_sanitized_and_reported(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    grant = presign(client, key, filename="../../etc/passwd")
    assert grant["filename"] == "etc_passwd"
    r = client.put(grant["upload_url"], content=b"x")
    assert r.json()["filename"] == "etc_passwd"
    assert stored_names(server, org.id) == ["etc_passwd"]


def test_size_mismatch_does_not_consume_the_url(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    grant = presign(client, key, size=10)
    r = client.put(grant["upload_url"], content=b"short")
    assert (r.status_code, error_of(r)) == (422, "size_mismatch")
    assert stored_names(server, org.id) == [] and temp_files(server, org.id) == []
    assert client.put(grant["upload_url"], content=b"0123456789").status_code == 201


def test_size_mismatch_when_streamed_short(server: Server, client: httpx.Client) -> None:
    """No Content-Length (chunked): the shortfall is found at the end of the body."""
    org, key = server.new_org()
    grant = presign(client, key, size=10)
    r = client.put(grant["upload_url"], content=iter([b"abc", b"def"]))
    assert (r.status_code, error_of(r)) == (422, "size_mismatch")
    assert temp_files(server, org.id) == []


def test_checksum_mismatch_does_not_consume_the_url(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    data = b"the real bytes"
    grant = presign(client, key, sha256=sha(data))
    r = client.put(grant["upload_url"], content=b"other bytes!!!")
    assert (r.status_code, error_of(r)) == (422, "checksum_mismatch")
    assert stored_names(server, org.id) == [] and temp_files(server, org.id) == []
    assert client.put(grant["upload_url"], content=data).status_code == 201


def test_body_larger_than_declared_is_413(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    grant = presign(client, key, size=4)
    r = client.put(grant["upload_url"], content=b"way too long")
    assert (r.status_code, error_of(r)) == (413, "payload_too_large")
    assert temp_files(server, org.id) == []


def test_streamed_body_is_cut_off_at_the_limit(server: Server, client: httpx.Client) -> None:
    """Chunked body with no Content-Length: refused while streaming, not after."""
    org, key = server.new_org()
    grant = presign(client, key, size=1024)
    chunks = iter([b"x" * 1000, b"y" * 1000, b"z" * 1000])
    r = client.put(grant["upload_url"], content=chunks)
    assert (r.status_code, error_of(r)) == (413, "payload_too_large")
    assert stored_names(server, org.id) == [] and temp_files(server, org.id) == []
    assert client.put(grant["upload_url"], content=b"k" * 1024).status_code == 201


def test_configured_maximum_applies_without_declared_size(make_server: MakeServer) -> None:
    server: Server = make_server(max_upload_size="1000")
    with server.client() as client:
        _org, key = server.new_org()
        r = client.post(
            "/v1/uploads", json={"filename": "a", "size": 1001}, headers={"X-API-Key": key}
        )
        assert (r.status_code, error_of(r)) == (400, "invalid_request")
        assert "size" in r.json()["message"]
        grant = presign(client, key)
        assert grant["max_size"] == 1000
        r = client.put(grant["upload_url"], content=iter([b"a" * 600, b"b" * 600]))
        assert (r.status_code, error_of(r)) == (413, "payload_too_large")


def test_twenty_concurrent_puts_exactly_one_wins(server: Server) -> None:
    org, key = server.new_org()
    with server.client() as c:
        grant = presign(c, key)
    body = os.urandom(2 * 1024 * 1024)

    async def race() -> list[int]:
        async with server.async_client() as ac:
            rs = await asyncio.gather(
                *(ac.put(grant["upload_url"], content=body) for _ in range(20))
            )
        return [r.status_code for r in rs]

    codes = asyncio.run(race())
    assert codes.count(201) == 1, codes
    assert set(codes) <= {201, 409, 410}, codes
    assert stored_names(server, org.id) == ["data.csv"]
    assert stored_bytes(server, org.id, "data.csv") == body


def _retry_until_not_busy(client: httpx.Client, url: str, data: bytes) -> httpx.Response:
    """The server notices a disconnect asynchronously: retry while it still says 409."""
    deadline = time.monotonic() + 20
    while True:
        r = client.put(url, content=data)
        if r.status_code != 409 or time.monotonic() > deadline:
            return r
        time.sleep(0.05)


def test_put_cut_off_halfway_leaves_nothing_and_url_stays_usable(real_server: Server) -> None:
    server = real_server  # a connection cut halfway: a real socket
    org, key = server.new_org()
    total = 8 * 1024 * 1024
    with server.client() as client:
        grant = presign(client, key, size=total)
        start_partial_put(
            server, grant["upload_url"], total, server.data_dir / "orgs" / org.id / "tmp"
        ).close()
        data = os.urandom(total)
        r = _retry_until_not_busy(client, grant["upload_url"], data)
    assert r.status_code == 201, r.text
    assert r.json()["sha256"] == sha(data)
    assert stored_names(server, org.id) == ["data.csv"]
    assert temp_files(server, org.id) == []


def test_expired_url_is_refused(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    grant = presign(client, key)
    signer = Signer(load_signing_secrets(server.data_dir / "secrets" / "signing-keys"))
    expired = signer.sign(grant["upload_id"], org.id, int(time.time()) - 1)
    r = client.put(f"/v1/put/{expired}", content=b"late")
    assert (r.status_code, error_of(r)) == (403, "token_expired")


def test_tampered_and_foreign_tokens_are_refused(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    grant = presign(client, key)
    token = grant["upload_url"].rsplit("/", 1)[1]
    payload, signature = token.rsplit(".", 1)
    # Change the first character: the last one of unpadded base64 carries spare bits.
    flipped = f"{payload}.{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"
    forged = Signer(["not the server's secret"]).sign(grant["upload_id"], org.id, 2**31)
    for bad in (flipped, forged, "garbage", token + "x"):
        r = client.put(f"/v1/put/{bad}", content=b"x")
        assert (r.status_code, error_of(r)) == (403, "invalid_token"), bad
    assert client.put(grant["upload_url"], content=b"still good").status_code == 201


def test_rotated_secret_still_verifies_old_urls(make_server: MakeServer) -> None:
    server: Server = make_server()
    secrets_file = server.data_dir / "secrets" / "signing-keys"
    _org, key = server.new_org()
    with server.client() as client:  # closed before the restart: no idle TLS connection
        old = presign(client, key)
    assert server.stop() == 0
    secrets_file.write_text("a-brand-new-secret-0123456789abcdef\n" + secrets_file.read_text())
    server.start()
    with server.client() as client:
        new = presign(client, key)
        assert client.put(old["upload_url"], content=b"old").status_code == 201
        assert client.put(new["upload_url"], content=b"new").status_code == 201
    token = new["upload_url"].rsplit("/", 1)[1]
    newest = Signer(["a-brand-new-secret-0123456789abcdef"])
    assert newest.verify(token).upload_id == new["upload_id"]


def test_suspended_org_cannot_use_its_urls(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    grant = presign(client, key)
    orgs.set_status(server.appliance.db, org.id, "suspended")
    r = client.put(grant["upload_url"], content=b"x")
    assert (r.status_code, error_of(r)) == (403, "forbidden")
    orgs.set_status(server.appliance.db, org.id, "active")
    assert client.put(grant["upload_url"], content=b"x").status_code == 201


def test_quota_is_enforced_with_507(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    orgs.set_quota(server.appliance.db, org.id, 100)
    r = client.post(
        "/v1/uploads", json={"filename": "big", "size": 101}, headers={"X-API-Key": key}
    )
    assert (r.status_code, error_of(r)) == (507, "insufficient_storage")
    grant = presign(client, key)  # size unknown up front: checked when the body is in
    r = client.put(grant["upload_url"], content=b"q" * 101)
    assert (r.status_code, error_of(r)) == (507, "insufficient_storage")
    assert stored_names(server, org.id) == [] and temp_files(server, org.id) == []
    assert client.put(grant["upload_url"], content=b"q" * 100).status_code == 201
    r = client.post("/v1/uploads", json={"filename": "more", "size": 1}, headers={"X-API-Key": key})
    assert (r.status_code, error_of(r)) == (507, "insufficient_storage")
    assert "100 B used of 100 B allowed, and this upload is 1 B" in r.json()["message"]


def test_a_quota_refusal_says_what_is_used_and_allowed(
    server: Server, client: httpx.Client
) -> None:
    """A 507 for the quota says how much is used, held by open uploads and allowed."""
    org, key = server.new_org()
    orgs.set_quota(server.appliance.db, org.id, 3 * 1024 * 1024)
    grant = presign(client, key)
    assert client.put(grant["upload_url"], content=b"q" * (1024 * 1024)).status_code == 201
    held = client.post(
        "/v1/uploads", json={"filename": "held", "size": 512 * 1024}, headers={"X-API-Key": key}
    )
    assert held.status_code == 201, held.text
    r = client.post(
        "/v1/uploads", json={"filename": "big", "size": 2 * 1024 * 1024},
        headers={"X-API-Key": key},
    )  # fmt: skip
    assert (r.status_code, error_of(r)) == (507, "insufficient_storage")
    assert r.json()["message"] == (
        "this would exceed the organization's storage quota: 1.0 MiB used (and 512.0 KiB"
        " held by uploads in progress) of 3.0 MiB allowed, and this upload is 2.0 MiB"
    )


def test_presign_validation_names_the_field(server: Server, client: httpx.Client) -> None:
    _org, key = server.new_org()
    h = {"X-API-Key": key}
    cases = [
        ({}, "filename"),
        ({"filename": ""}, "filename"),
        ({"filename": 5}, "filename"),
        ({"filename": "a", "size": -1}, "size"),
        ({"filename": "a", "size": "10"}, "size"),
        ({"filename": "a", "sha256": "abc"}, "sha256"),
        ({"filename": "a", "expires_in": 0}, "expires_in"),
        ({"filename": "a", "expires_in": 10**9}, "expires_in"),
    ]
    for body, field_name in cases:
        r = client.post("/v1/uploads", json=body, headers=h)
        assert (r.status_code, error_of(r)) == (400, "invalid_request"), body
        assert r.json()["message"].startswith(field_name), r.json()
    for raw in (b"{not json", b"[1, 2]", b""):
        r = client.post("/v1/uploads", content=raw, headers=h)
        assert (r.status_code, error_of(r)) == (400, "invalid_request")
    r = client.post("/v1/uploads", content=b"{" + b" " * 70_000 + b"}", headers=h)
    assert (r.status_code, error_of(r)) == (413, "payload_too_large")


def test_expires_in_sets_expiry(server: Server, client: httpx.Client) -> None:
    _org, key = server.new_org()
    before = time.time()
    grant = presign(client, key, expires_in=120)
    from appliance.clock import parse_iso

    expires = parse_iso(grant["expires_at"]).timestamp()
    assert before + 118 <= expires <= time.time() + 121


def handshake(server: Server) -> tuple[str | None, str | None]:
    """(ALPN protocol, TLS version) the server picks for a client offering h2 and 1.1."""
    ctx = server.ssl_context()
    ctx.set_alpn_protocols(["h2", "http/1.1"])
    with (
        socket.create_connection(("127.0.0.1", server.port)) as raw,
        ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        return tls.selected_alpn_protocol(), tls.version()


def test_http2_is_not_offered(real_server: Server) -> None:
    protocol, version = handshake(real_server)
    assert protocol == "http/1.1"
    assert version in ("TLSv1.2", "TLSv1.3")


def test_plain_http_is_not_served(real_server: Server) -> None:
    with socket.create_connection(("127.0.0.1", real_server.port)) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        s.settimeout(10)
        try:
            reply = s.recv(1024)
        except (ConnectionResetError, ssl.SSLError):
            reply = b""
    assert b'"ok"' not in reply


def test_concurrent_sessions_never_overshoot_the_quota(tmp_path) -> None:
    """Thirty threads reserve 100 bytes each against a 1,000-byte quota: ten win."""
    import threading

    from appliance.config import load_settings
    from appliance.context import open_appliance
    from appliance.errors import ApplianceError
    from appliance.uploads import upload_records

    appliance = open_appliance(load_settings(data_dir=tmp_path))
    org = orgs.set_quota(appliance.db, orgs.create_org(appliance.db, "q").id, 1000)
    won: list[str] = []
    refused: list[str] = []

    def reserve() -> None:
        try:
            upload = upload_records.create_upload(
                appliance.db,
                org,
                filename="a",
                content_type=None,
                size=100,
                sha256=None,
                expires_at="2999-01-01T00:00:00Z",
                max_size=10**9,
            )
            won.append(upload.id)
        except ApplianceError as exc:
            refused.append(exc.kind.name)

    threads = [threading.Thread(target=reserve) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(won) == 10
    assert refused == ["insufficient_storage"] * 20


def test_http2_is_offered_only_when_configured(make_server: MakeServer) -> None:
    server: Server = make_server(http2="true")
    assert handshake(server)[0] == "h2"
