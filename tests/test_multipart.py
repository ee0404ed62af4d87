"""Multipart uploads: parallel parts, resume, completion, cleanup; in this process, and
against a real server where a process is killed."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from appliance import clock
from appliance.accounts import apikeys, orgs
from appliance.accounts.presign import PUT_PATH
from appliance.context import Appliance
from appliance.metrics import Metrics
from appliance.operations import housekeeping
from appliance.uploads import multipart, service
from appliance.uploads.receive import Body
from tests.helpers import error_of, sha, stored_bytes, stored_names, temp_files
from tests.servers import InProcess, MakeServer, Server, start_partial_put


@pytest.fixture(scope="session")
def server(app_in_process: InProcess) -> InProcess:
    """This module's API tests run against the app in this process (tests/servers.py);
    the ones about TLS and connections take ``real_server``."""
    return app_in_process


MIB = 1024 * 1024
PART = 5 * MIB


def open_session(client: httpx.Client, key: str, data: bytes, **extra: Any) -> dict[str, Any]:
    body = {"filename": "scan.dcm", "size": len(data), "part_size": PART} | extra
    r = client.post("/v1/uploads/multipart", json=body, headers={"X-API-Key": key})
    assert r.status_code == 201, r.text
    return r.json()


def open_session_in_process(appliance: Appliance, key: str, data: bytes) -> dict[str, Any]:
    """A session opened through the upload service in this process (at its clock)."""
    principal = apikeys.authenticate_key(appliance.db, key)
    session, parts = service.open_session(
        appliance,
        principal,
        filename="scan.dcm",
        size=len(data),
        part_size=PART,
        sha256=None,
        content_type="application/octet-stream",
    )
    return {"upload_id": session.id, "parts": [{"token": p.token} for p in parts]}


async def put_in_process(appliance: Appliance, token: str, content: bytes) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield content

    metrics = Metrics(free_bytes=lambda: 0.0, imports_running=lambda: 0.0)
    await service.put(appliance, metrics, token, Body(chunks(), len(content)))


def chunk(data: bytes, n: int) -> bytes:
    return data[(n - 1) * PART : n * PART]


def put_parts_concurrently(server: Server, parts: list[dict[str, Any]], data: bytes) -> list:
    async def go() -> list[httpx.Response]:
        async with server.async_client() as ac:
            return await asyncio.gather(
                *(ac.put(p["upload_url"], content=chunk(data, p["part_number"])) for p in parts)
            )

    return asyncio.run(go())


def session_state(client: httpx.Client, key: str, upload_id: str) -> dict[str, Any]:
    r = client.get(f"/v1/uploads/multipart/{upload_id}", headers={"X-API-Key": key})
    assert r.status_code == 200, r.text
    return r.json()


def complete(client: httpx.Client, key: str, upload_id: str, **body: Any) -> httpx.Response:
    return client.post(
        f"/v1/uploads/multipart/{upload_id}/complete",
        json=body or None,
        headers={"X-API-Key": key},
    )


def parts_kept(server: Server, org_id: str, upload_id: str) -> list[int]:
    return list(server.appliance.store.part_numbers(org_id, upload_id))


def test_parts_out_of_order_and_in_parallel(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    data = os.urandom(2 * PART + MIB)
    s = open_session(client, key, data, sha256=sha(data))
    assert (s["part_size"], s["part_count"]) == (PART, 3)
    assert [(p["part_number"], p["size"]) for p in s["parts"]] == [(1, PART), (2, PART), (3, MIB)]

    responses = put_parts_concurrently(server, list(reversed(s["parts"])), data)
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert {r.json()["part_number"]: r.json()["sha256"] for r in responses} == {
        n: sha(chunk(data, n)) for n in (1, 2, 3)
    }
    state = session_state(client, key, s["upload_id"])
    assert [p["part_number"] for p in state["parts_received"]] == [1, 2, 3]

    r = complete(client, key, s["upload_id"])
    assert r.status_code == 201, r.text
    f = r.json()
    assert (f["size"], f["sha256"], f["filename"]) == (len(data), sha(data), "scan.dcm")
    assert stored_bytes(server, org.id, "scan.dcm") == data
    assert parts_kept(server, org.id, s["upload_id"]) == []

    again = complete(client, key, s["upload_id"])  # completing twice: the same file
    assert again.status_code == 201 and again.json() == f
    assert stored_names(server, org.id) == ["scan.dcm"]
    assert session_state(client, key, s["upload_id"])["state"] == "done"


def test_part_url_is_single_use_and_a_fresh_one_replaces(
    server: Server, client: httpx.Client
) -> None:
    _org, key = server.new_org()
    data = os.urandom(PART + 10)
    s = open_session(client, key, data)
    url2 = s["parts"][1]["upload_url"]
    assert client.put(url2, content=b"x" * 10).status_code == 200
    r = client.put(url2, content=b"y" * 10)
    assert (r.status_code, error_of(r)) == (410, "token_used")

    fresh = client.post(
        f"/v1/uploads/multipart/{s['upload_id']}/parts",
        json={"part_numbers": [2]},
        headers={"X-API-Key": key},
    ).json()
    assert client.put(fresh["parts"][0]["upload_url"], content=chunk(data, 2)).status_code == 200
    assert client.put(s["parts"][0]["upload_url"], content=chunk(data, 1)).status_code == 200
    received = session_state(client, key, s["upload_id"])["parts_received"]
    assert received[1] == {"part_number": 2, "size": 10, "sha256": sha(chunk(data, 2))}
    r = complete(client, key, s["upload_id"])
    assert r.status_code == 201 and r.json()["sha256"] == sha(data)


def test_wrong_size_part_is_refused_and_url_kept(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    data = os.urandom(PART + 100)
    s = open_session(client, key, data)
    url = s["parts"][1]["upload_url"]  # expects 100 bytes
    r = client.put(url, content=b"z" * 101)
    assert (r.status_code, error_of(r)) == (413, "payload_too_large")
    r = client.put(url, content=b"z" * 99)
    assert (r.status_code, error_of(r)) == (422, "size_mismatch")
    r = client.put(url, content=iter([b"z" * 60, b"z" * 60]))  # streamed past the part
    assert (r.status_code, error_of(r)) == (413, "payload_too_large")
    assert temp_files(server, org.id) == []
    assert client.put(url, content=chunk(data, 2)).status_code == 200


def test_missing_part_and_checksum_mismatches_at_complete(
    server: Server, client: httpx.Client
) -> None:
    org, key = server.new_org()
    data = os.urandom(PART + 1000)
    s = open_session(client, key, data, sha256=sha(b"something else"))
    assert client.put(s["parts"][0]["upload_url"], content=chunk(data, 1)).status_code == 200
    r = complete(client, key, s["upload_id"])
    assert (r.status_code, error_of(r)) == (400, "invalid_request")
    assert "missing: 2" in r.json()["message"]

    assert client.put(s["parts"][1]["upload_url"], content=chunk(data, 2)).status_code == 200
    r = complete(
        client,
        key,
        s["upload_id"],
        parts=[
            {"part_number": 1, "sha256": sha(chunk(data, 1))},
            {"part_number": 2, "sha256": sha(b"not part two")},
        ],
    )
    assert (r.status_code, error_of(r)) == (422, "checksum_mismatch")
    assert "[2]" in r.json()["message"]

    r = complete(client, key, s["upload_id"])  # the whole-file hash was declared wrong
    assert (r.status_code, error_of(r)) == (422, "checksum_mismatch")
    assert session_state(client, key, s["upload_id"])["state"] == "pending"
    assert temp_files(server, org.id) == []
    assert stored_names(server, org.id) == []
    assert parts_kept(server, org.id, s["upload_id"]) == [1, 2]  # still resumable


def test_abort_removes_parts(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    data = os.urandom(PART + 5)
    s = open_session(client, key, data)
    assert client.put(s["parts"][0]["upload_url"], content=chunk(data, 1)).status_code == 200
    assert parts_kept(server, org.id, s["upload_id"]) == [1]
    r = client.delete(f"/v1/uploads/multipart/{s['upload_id']}", headers={"X-API-Key": key})
    assert r.status_code == 204
    assert parts_kept(server, org.id, s["upload_id"]) == []
    r = client.get(f"/v1/uploads/multipart/{s['upload_id']}", headers={"X-API-Key": key})
    assert (r.status_code, error_of(r)) == (404, "not_found")
    r = client.put(s["parts"][1]["upload_url"], content=chunk(data, 2))
    assert (r.status_code, error_of(r)) == (404, "not_found")


def test_sessions_are_isolated_between_orgs(server: Server, client: httpx.Client) -> None:
    _a, key_a = server.new_org()
    _b, key_b = server.new_org()
    s = open_session(client, key_a, os.urandom(100))
    hb = {"X-API-Key": key_b}
    for method, suffix, body in (
        ("GET", "", None),
        ("DELETE", "", None),
        ("POST", "/complete", {}),
        ("POST", "/parts", {"part_numbers": [1]}),
    ):
        r = client.request(
            method, f"/v1/uploads/multipart/{s['upload_id']}{suffix}", json=body, headers=hb
        )
        assert (r.status_code, error_of(r)) == (404, "not_found"), (method, suffix)
    assert session_state(client, key_a, s["upload_id"])["state"] == "pending"


def test_expired_session_is_refused_and_collected(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    data = os.urandom(PART + 7)
    appliance = server.appliance
    with clock.shifted(-2 * 24 * 3600):  # opened, and its first part sent, two days ago
        s = open_session_in_process(appliance, key, data)
        asyncio.run(put_in_process(appliance, s["parts"][0]["token"], chunk(data, 1)))
    r = client.put(server.url + PUT_PATH + s["parts"][1]["token"], content=chunk(data, 2))
    assert (r.status_code, error_of(r)) == (403, "token_expired")
    r = complete(client, key, s["upload_id"])
    assert (r.status_code, error_of(r)) == (403, "token_expired")
    collected = housekeeping.collect(server.appliance)
    assert collected.expired_sessions >= 1
    assert parts_kept(server, org.id, s["upload_id"]) == []
    r = client.get(f"/v1/uploads/multipart/{s['upload_id']}", headers={"X-API-Key": key})
    assert r.status_code == 404


def test_session_validation(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    h = {"X-API-Key": key}
    for body, field_name in (
        ({"filename": "a"}, "size"),
        ({"filename": "a", "size": 0}, "size"),
        ({"filename": "a", "size": 10, "part_size": MIB}, "part_size"),
        ({"filename": "a", "size": 10**11, "part_size": PART}, "part_size"),  # > 10,000 parts
    ):
        r = client.post("/v1/uploads/multipart", json=body, headers=h)
        assert (r.status_code, error_of(r)) == (400, "invalid_request"), body
        assert r.json()["message"].startswith(field_name), r.json()
    s = open_session(client, key, os.urandom(10))
    for numbers in ([0], [2], "1", [], [True]):
        r = client.post(
            f"/v1/uploads/multipart/{s['upload_id']}/parts",
            json={"part_numbers": numbers},
            headers=h,
        )
        assert (r.status_code, error_of(r)) == (400, "invalid_request"), numbers
    orgs.set_quota(server.appliance.db, org.id, 1000)
    r = client.post("/v1/uploads/multipart", json={"filename": "q", "size": 1001}, headers=h)
    assert (r.status_code, error_of(r)) == (507, "insufficient_storage")


def test_default_part_size_grows_for_huge_files() -> None:
    assert multipart.plan_parts(10 * MIB, None) == (16 * MIB, 1)
    part_size, count = multipart.plan_parts(10 * 1024**4 // 4, None)  # 2.5 TiB
    assert count <= multipart.MAX_PARTS and part_size % MIB == 0 and part_size > 16 * MIB
    with pytest.raises(Exception, match="part_size"):
        multipart.plan_parts(100 * MIB, 4 * MIB)


def test_resume_after_server_killed_mid_part(make_server: MakeServer) -> None:
    server: Server = make_server()
    org, key = server.new_org()
    data = os.urandom(3 * PART)
    with server.client() as client:
        s = open_session(client, key, data)
        assert client.put(s["parts"][0]["upload_url"], content=chunk(data, 1)).status_code == 200

    # Part 2 is partly written when the server dies.
    conn = start_partial_put(
        server, s["parts"][1]["upload_url"], PART, server.data_dir / "orgs" / org.id / "tmp"
    )
    assert server.stop(signal.SIGKILL) == -signal.SIGKILL
    conn.close()

    server.start()
    with server.client() as client:
        state = session_state(client, key, s["upload_id"])
        assert [p["part_number"] for p in state["parts_received"]] == [1]
        missing = [
            n
            for n in range(1, state["part_count"] + 1)
            if n not in {p["part_number"] for p in state["parts_received"]}
        ]
        # The interrupted URL was given back by the restart, and fresh ones work too.
        assert client.put(s["parts"][1]["upload_url"], content=chunk(data, 2)).status_code == 200
        fresh = client.post(
            f"/v1/uploads/multipart/{s['upload_id']}/parts",
            json={"part_numbers": missing[1:]},
            headers={"X-API-Key": key},
        ).json()["parts"]
        assert [p["part_number"] for p in fresh] == [3]
        assert client.put(fresh[0]["upload_url"], content=chunk(data, 3)).status_code == 200
        r = complete(client, key, s["upload_id"])
        assert r.status_code == 201 and r.json()["sha256"] == sha(data)
    assert housekeeping.collect(server.appliance, grace_seconds=0).temp_files == 1
    assert (server.data_dir / "orgs" / org.id / "files" / "scan.dcm").read_bytes() == data


def test_urls_come_a_thousand_at_a_time(server: Server, client: httpx.Client) -> None:
    """A 1,200-part session (made through the service: no 6 GB of disk is needed)."""
    org, key = server.new_org()
    session = multipart.create_session(
        server.appliance.db,
        org,
        filename="big.bin",
        size=1200 * PART,
        part_size=PART,
        sha256=None,
        content_type="application/octet-stream",
        expires_at="2999-01-01T00:00:00Z",
    )
    h = {"X-API-Key": key}
    url = f"/v1/uploads/multipart/{session.id}/parts"
    r = client.post(url, json={"part_numbers": list(range(1, 1002))}, headers=h)
    assert (r.status_code, error_of(r)) == (400, "invalid_request")
    r = client.post(url, json={"part_numbers": list(range(1001, 1201))}, headers=h)
    assert r.status_code == 200
    assert [p["part_number"] for p in r.json()["parts"]] == list(range(1001, 1201))


def test_crash_during_assembly_leaves_a_resumable_session(make_server: MakeServer) -> None:
    """What a crash mid-complete leaves behind: state 'assembling' and a half temp file."""
    server: Server = make_server()
    org, key = server.new_org()
    data = os.urandom(PART + 99)
    with server.client() as client:
        s = open_session(client, key, data, sha256=sha(data))
        for p in s["parts"]:
            assert (
                client.put(p["upload_url"], content=chunk(data, p["part_number"])).status_code
                == 200
            )
    assert server.stop(signal.SIGKILL) == -signal.SIGKILL
    server.appliance.db.conn.execute(
        "UPDATE uploads SET state = 'assembling' WHERE id = ?", (s["upload_id"],)
    )
    tmp = server.data_dir / "orgs" / org.id / "tmp"
    (tmp / "crashed-assembly.part").write_bytes(data[: PART // 2])
    server.start()
    with server.client() as client:
        assert session_state(client, key, s["upload_id"])["state"] == "pending"
        r = complete(client, key, s["upload_id"])
        assert r.status_code == 201 and r.json()["sha256"] == sha(data)
    files = server.data_dir / "orgs" / org.id / "files"
    assert os.listdir(files) == ["scan.dcm"] and (files / "scan.dcm").read_bytes() == data
    assert housekeeping.collect(server.appliance, grace_seconds=0).temp_files == 1
