"""A hostile or unlucky day: what an attacker or a broken configuration must not achieve."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from appliance import users
from tests.conftest import Server, free_port
from tests.helpers import error_of, presign


def test_concurrent_wrong_passwords_are_counted_before_they_are_checked(
    make_server: object,
) -> None:
    server: Server = make_server(auth_failures_per_minute="30")  # type: ignore[operator]
    org, _key = server.new_org()
    users.add_user(server.appliance.db, org.id, "target@example.org", "the right passphrase")

    async def flood() -> list[int]:
        async with server.async_client() as client:
            attempts = [
                client.post(
                    "/v1/auth/token",
                    json={"email": "target@example.org", "password": f"guess {i}"},
                )
                for i in range(60)
            ]
            return [r.status_code for r in await asyncio.gather(*attempts)]

    statuses = asyncio.run(flood())
    assert statuses.count(401) <= 30, statuses  # at most the limit was checked by argon2
    assert statuses.count(429) >= 30
    assert set(statuses) <= {401, 429}


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

    from appliance.tokens import ALGORITHM, AUDIENCE, ISSUER

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
    from appliance import apikeys

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


def test_readyz_says_what_is_not_ready(server: Server, make_server: object) -> None:
    with server.client() as client:
        r = client.get("/readyz")
    assert r.status_code == 200 and r.json()["status"] == "ready"
    assert all(c["ok"] for c in r.json()["checks"].values())
    assert set(r.json()["checks"]) == {"database", "store", "disk", "signing_secrets"}
    full: Server = make_server(disk_reserve=str(10**18))  # type: ignore[operator]
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
