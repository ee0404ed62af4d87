"""Credentials, organization isolation, and the files endpoints."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from appliance import clock
from appliance.accounts import apikeys, orgs
from tests.helpers import error_of, presign, stored_names
from tests.servers import InProcess, MakeServer, Server


@pytest.fixture(scope="session")
def server(app_in_process: InProcess) -> InProcess:
    """This module's API tests run against the app in this process (tests/servers.py)."""
    return app_in_process


def upload(client: httpx.Client, key: str, name: str, data: bytes) -> dict:
    grant = presign(client, key, filename=name)
    r = client.put(grant["upload_url"], content=data)
    assert r.status_code == 201, r.text
    return r.json()


def test_missing_malformed_unknown_and_revoked_keys_are_401(
    server: Server, client: httpx.Client
) -> None:
    _org, key = server.new_org()
    body = {"filename": "a.csv"}
    for headers in (
        {},
        {"X-API-Key": "nonsense"},
        {"X-API-Key": key[:-2] + "zz"},
        {"X-API-Key": "hpk_000000000000_" + "a" * 43},
    ):
        r = client.post("/v1/uploads", json=body, headers=headers)
        assert (r.status_code, error_of(r)) == (401, "unauthorized"), headers
    key_id = key.split("_")[1]
    apikeys.revoke_key(server.appliance.db, key_id)
    r = client.post("/v1/uploads", json=body, headers={"X-API-Key": key})
    assert (r.status_code, error_of(r)) == (401, "unauthorized")
    assert "revoked" in r.json()["message"]


def test_expired_key_is_401(server: Server, client: httpx.Client) -> None:
    org, _ = server.new_org()
    with clock.shifted(-2 * 24 * 3600):  # issued two days ago, for one day
        issued = apikeys.issue_key(server.appliance.db, org.id, expires_in_days=1)
    r = client.get("/v1/files", headers={"X-API-Key": issued.api_key})
    assert (r.status_code, error_of(r)) == (401, "unauthorized")


def test_suspended_org_is_403_at_once_and_resumes(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    h = {"X-API-Key": key}
    assert client.get("/v1/files", headers=h).status_code == 200
    orgs.set_status(server.appliance.db, org.name, "suspended")
    r = client.get("/v1/files", headers=h)
    assert (r.status_code, error_of(r)) == (403, "forbidden")
    orgs.set_status(server.appliance.db, org.name, "active")
    assert client.get("/v1/files", headers=h).status_code == 200


def test_wrong_scope_is_403(server: Server, client: httpx.Client) -> None:
    _org, key = server.new_org(scopes=["query"])
    r = client.post("/v1/uploads", json={"filename": "a"}, headers={"X-API-Key": key})
    assert (r.status_code, error_of(r)) == (403, "forbidden")


def test_key_guessing_is_rate_limited(make_server: MakeServer) -> None:
    server: Server = make_server(auth_failures_per_minute="3")
    _org, key = server.new_org()
    with server.client() as client:
        for _ in range(3):
            r = client.get("/v1/files", headers={"X-API-Key": "hpk_guess_guess"})
            assert r.status_code == 401
        r = client.get("/v1/files", headers={"X-API-Key": "hpk_guess_guess"})
        assert (r.status_code, error_of(r)) == (429, "rate_limited")
        assert 1 <= int(r.headers["Retry-After"]) <= 60
        # While limited, even the right key waits: guessing must not be able to probe.
        assert client.get("/v1/files", headers={"X-API-Key": key}).status_code == 429


def test_org_a_cannot_see_or_delete_org_b_files(server: Server, client: httpx.Client) -> None:
    _org_a, key_a = server.new_org()
    org_b, key_b = server.new_org()
    b_file = upload(client, key_b, "b-secret.csv", b"org b data")
    upload(client, key_a, "a.csv", b"org a data")
    ha, hb = {"X-API-Key": key_a}, {"X-API-Key": key_b}

    listed = client.get("/v1/files", headers=ha).json()["files"]
    assert [f["filename"] for f in listed] == ["a.csv"]
    for method, path in (
        ("GET", f"/v1/files/{b_file['file_id']}"),
        ("GET", f"/v1/files/{b_file['file_id']}/content"),
        ("DELETE", f"/v1/files/{b_file['file_id']}"),
    ):
        r = client.request(method, path, headers=ha)
        assert (r.status_code, error_of(r)) == (404, "not_found"), path
    r = client.get(f"/v1/files/{b_file['file_id']}/content", headers=hb)
    assert r.content == b"org b data"
    assert "b-secret.csv" in stored_names(server, org_b.id)


def test_get_content_range_and_delete(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    h = {"X-API-Key": key}
    data = bytes(range(256)) * 100
    f = upload(client, key, "blob.bin", data)
    assert client.get(f"/v1/files/{f['file_id']}", headers=h).json() == f
    r = client.get(f"/v1/files/{f['file_id']}/content", headers=h)
    assert r.content == data and hashlib.sha256(r.content).hexdigest() == f["sha256"]
    r = client.get(f"/v1/files/{f['file_id']}/content", headers=h | {"Range": "bytes=10-19"})
    assert r.status_code == 206 and r.content == data[10:20]
    assert r.headers["content-range"] == f"bytes 10-19/{len(data)}"
    assert client.delete(f"/v1/files/{f['file_id']}", headers=h).status_code == 204
    assert client.get(f"/v1/files/{f['file_id']}", headers=h).status_code == 404
    assert "blob.bin" not in stored_names(server, org.id)


def test_downloads_speak_ranges_and_head(server: Server, client: httpx.Client) -> None:
    _org, key = server.new_org()
    h = {"X-API-Key": key}
    data = bytes(range(256)) * 10
    f = upload(client, key, "Données 2024.bin", data)
    url = f"/v1/files/{f['file_id']}/content"
    r = client.head(url, headers=h)
    assert (r.status_code, r.content) == (200, b"")
    assert r.headers["content-length"] == str(len(data))
    r = client.get(url, headers=h | {"Range": "bytes=-10"})
    assert (r.status_code, r.content) == (206, data[-10:])
    assert r.headers["content-range"] == f"bytes {len(data) - 10}-{len(data) - 1}/{len(data)}"
    r = client.get(url, headers=h | {"Range": "bytes=2500-999999"})
    assert (r.status_code, r.content) == (206, data[2500:])
    r = client.get(url, headers=h | {"Range": "bytes=0-1, 5-6"})  # several: the whole file
    assert (r.status_code, r.content) == (200, data)
    assert r.headers["etag"] == f'"{f["sha256"]}"'
    assert r.headers["accept-ranges"] == "bytes"
    assert r.headers["content-disposition"] == (
        "attachment; filename*=utf-8''Donn%C3%A9es%202024.bin"
    )


def test_pagination_walks_every_file_once(server: Server, client: httpx.Client) -> None:
    _org, key = server.new_org()
    h = {"X-API-Key": key}
    ids = [upload(client, key, f"f{i}.csv", b"%d" % i)["file_id"] for i in range(7)]
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": "3"} | ({"cursor": cursor} if cursor else {})
        page = client.get("/v1/files", headers=h, params=params).json()
        assert len(page["files"]) <= 3
        seen += [f["file_id"] for f in page["files"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))  # newest first
    for params in ({"limit": "0"}, {"limit": "abc"}, {"limit": "5000"}, {"cursor": "@@"}):
        r = client.get("/v1/files", headers=h, params=params)
        assert (r.status_code, error_of(r)) == (400, "invalid_request"), params


def test_unknown_routes_and_wrong_methods_are_json(server: Server, client: httpx.Client) -> None:
    r = client.get("/v1/nope")
    assert (r.status_code, error_of(r)) == (404, "not_found")
    r = client.get("/nope")
    assert (r.status_code, error_of(r)) == (404, "not_found")
    r = client.patch("/v1/files")
    assert (r.status_code, error_of(r)) == (405, "method_not_allowed")
    assert "GET" in r.headers["allow"]
    r = client.get("/v1/uploads")
    assert (r.status_code, error_of(r)) == (405, "method_not_allowed")
    # Two routes on one path (GET and DELETE): Allow names both.
    r = client.post("/v1/files/file_0000")
    assert (r.status_code, error_of(r)) == (405, "method_not_allowed")
    assert set(r.headers["allow"].split(", ")) == {"GET", "HEAD", "DELETE"}
    assert client.get("/healthz").json() == {"status": "ok"}


def test_a_long_name_taken_twice_is_still_downloadable(
    server: Server, client: httpx.Client
) -> None:
    """The duplicate suffix takes a capped name past the cap; it must still be served."""
    _org, key = server.new_org()
    long_name = "x" * 300 + ".csv"
    first = upload(client, key, long_name, b"one")
    second = upload(client, key, long_name, b"two")
    assert second["filename"].endswith(" (1).csv") and len(second["filename"].encode()) > 200
    for f, body in ((first, b"one"), (second, b"two")):
        r = client.get(f"/v1/files/{f['file_id']}/content", headers={"X-API-Key": key})
        assert r.status_code == 200 and r.content == body


def test_refusals_before_the_body_is_read_keep_the_connection_usable(
    real_server: Server,
) -> None:
    """A request refused before its body was read (bad key) must not cost the
    connection: the body is drained, and the next request on it is answered."""
    import socket

    body = b'{"filename": "a.csv", "pad": "' + b"x" * 1_000_000 + b'"}'
    head = (
        "POST /v1/uploads HTTP/1.1\r\nHost: x\r\nX-API-Key: hpk_nope_nope\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    ).encode()
    ctx = real_server.ssl_context()
    with (
        socket.create_connection(("127.0.0.1", real_server.port)) as raw,
        ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        tls.settimeout(30)
        for _ in range(20):
            tls.sendall(head)  # headers first: the refusal can be decided on them alone
            tls.sendall(body)
        tls.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        received = b""
        while b'{"status":"ok"}' not in received:
            chunk = tls.recv(65536)
            assert chunk, f"connection closed after {received.count(b'HTTP/1.1 401')} answers"
            received += chunk
    assert received.count(b"HTTP/1.1 401") == 20
