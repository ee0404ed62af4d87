"""A file's relative path on the partner's side (``tree/2024/labs.csv``) is recorded
beside it, whatever path it came by — a presigned PUT, multipart, tus (with an API key
or a presigned creation URL) or a drop link — and listed by ``GET /v1/files``; a path
that climbs or hides is sanitized part by part, one too long or too deep is refused.
(A folder dropped in a browser: tests/test_drop_link.py.)"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import error_of
from tests.servers import InProcess, in_process

TUS = {"Tus-Resumable": "1.0.0"}
PATCH = TUS | {"Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"}


@pytest.fixture
def app(tmp_path: Path) -> InProcess:
    return in_process(tmp_path)


def _meta(**fields: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in fields.items())


def _local(app: InProcess, url: str) -> str:
    return url.split(app.url, 1)[1]


def _files(client: httpx.Client, key: str) -> dict[str, dict[str, Any]]:
    listed = client.get("/v1/files", headers={"X-API-Key": key}).json()["files"]
    return {f["path"]: f for f in listed}


def test_every_upload_path_records_the_relative_path(app: InProcess) -> None:
    _org, key = app.new_org()
    h = {"X-API-Key": key}
    with app.client() as client:
        grant = client.post(
            "/v1/uploads", headers=h, json={"filename": "labs.csv", "path": "put/2024/labs.csv"}
        ).json()
        assert client.put(_local(app, grant["upload_url"]), content=b"a").status_code == 201

        session = client.post(
            "/v1/uploads/multipart",
            headers=h,
            json={"filename": "labs.csv", "size": 1, "path": "multipart/2024/labs.csv"},
        ).json()
        client.put(_local(app, session["parts"][0]["upload_url"]), content=b"b")
        r = client.post(f"/v1/uploads/multipart/{session['upload_id']}/complete", headers=h)
        assert r.status_code == 201 and r.json()["path"] == "multipart/2024/labs.csv"

        r = client.post(
            "/v1/tus/",
            headers=TUS | h | {"Upload-Length": "1",
                               "Upload-Metadata": _meta(filename="a.csv", path="tus/a/labs.csv")},
        )  # fmt: skip
        assert (
            client.patch(
                _local(app, r.headers["location"]), content=b"c", headers=PATCH
            ).status_code
            == 204
        )

        grant = client.post(
            "/v1/uploads", headers=h, json={"protocol": "tus", "path": "presigned/2024/labs.csv"}
        ).json()
        r = client.post(
            _local(app, grant["upload_url"]),
            headers=TUS | {"Upload-Length": "1", "Upload-Metadata": _meta(filename="labs.csv")},
        )
        assert (
            client.patch(
                _local(app, r.headers["location"]), content=b"d", headers=PATCH
            ).status_code
            == 204
        )

        link = _local(
            app, client.post("/v1/uploads", headers=h, json={"protocol": "link"}).json()["url"]
        )
        client.post(link + "/open")
        r = client.post(
            link + "/tus/",
            headers=TUS | {"Upload-Length": "1",
                           "Upload-Metadata": _meta(filename="x.csv", relativePath="link/a/x.csv")},
        )  # fmt: skip
        assert (
            client.patch(
                _local(app, r.headers["location"]), content=b"e", headers=PATCH
            ).status_code
            == 204
        )
        files = _files(client, key)
        one = client.get(f"/v1/files/{files['put/2024/labs.csv']['file_id']}", headers=h).json()
    assert set(files) == {
        "put/2024/labs.csv",
        "multipart/2024/labs.csv",
        "tus/a/labs.csv",
        "presigned/2024/labs.csv",
        "link/a/x.csv",
    }
    assert one["path"] == "put/2024/labs.csv"
    # the store stays flat: unique names, the folders only recorded
    assert len({f["filename"] for f in files.values()}) == 5
    assert all("/" not in f["filename"] for f in files.values())


@pytest.mark.parametrize(
    ("sent", "recorded"),
    [
        ("../../etc/cron.d/labs.csv", "etc/cron.d/labs.csv"),
        ("/abs/./x//labs.csv", "abs/x/labs.csv"),
        ("C:\\exports\\2024\\labs.csv", "C_/exports/2024/labs.csv"),
        ("tree/.hidden/CON/labs.csv", "tree/hidden/_CON/labs.csv"),
        ("labs.csv", "labs.csv"),
    ],
)
def test_a_path_is_sanitized_part_by_part(app: InProcess, sent: str, recorded: str) -> None:
    _org, key = app.new_org()
    with app.client() as client:
        grant = client.post(
            "/v1/uploads", headers={"X-API-Key": key}, json={"filename": "labs.csv", "path": sent}
        ).json()
        stored = client.put(_local(app, grant["upload_url"]), content=b"x").json()
    assert stored["path"] == recorded


def test_a_path_too_deep_or_not_text_is_refused_naming_the_field(app: InProcess) -> None:
    _org, key = app.new_org()
    h = {"X-API-Key": key}
    with app.client() as client:
        deep = "/".join(["d"] * 40) + "/labs.csv"
        for body in ({"filename": "a", "path": deep}, {"filename": "a", "path": 7},
                     {"filename": "a", "path": ""}):  # fmt: skip
            r = client.post("/v1/uploads", headers=h, json=body)
            assert r.status_code == 400 and error_of(r) == "invalid_request"
            assert r.json()["message"].startswith("path:")
        r = client.post(
            "/v1/tus/",
            headers=TUS | h | {"Upload-Length": "1", "Upload-Metadata": _meta(path=deep)},
        )
        assert r.status_code == 400 and "Upload-Metadata path" in r.json()["message"]
        assert client.get("/v1/files", headers=h).json()["files"] == []


def test_a_file_sent_without_a_path_has_none(app: InProcess) -> None:
    _org, key = app.new_org()
    with app.client() as client:
        grant = client.post(
            "/v1/uploads", headers={"X-API-Key": key}, json={"filename": "labs.csv"}
        ).json()
        assert client.put(_local(app, grant["upload_url"]), content=b"x").json()["path"] is None
