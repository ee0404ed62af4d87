"""Browsers: cross-origin calls are refused unless the origin is configured, and then
preflights pass and the headers a tus client or a download needs can be read."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.helpers import presign
from tests.servers import MakeServer, in_process

PORTAL = "https://portal.example.org"


def preflight(client: httpx.Client, path: str, origin: str, method: str = "PUT") -> httpx.Response:
    return client.options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type,upload-offset,tus-resumable",
        },
    )


def test_cross_origin_is_off_by_default(tmp_path: Path) -> None:
    app = in_process(tmp_path)
    _org, key = app.new_org()
    with app.client() as client:
        grant = presign(client, key, filename="a.csv")
        path = grant["upload_url"].split(app.url, 1)[1]
        r = preflight(client, path, PORTAL)
        assert "access-control-allow-origin" not in r.headers
        r = client.put(path, content=b"x", headers={"Origin": PORTAL})
        assert r.status_code == 201 and "access-control-allow-origin" not in r.headers


def test_a_configured_origin_may_upload_and_read_the_answer(tmp_path: Path) -> None:
    app = in_process(tmp_path, cors_origins=f"{PORTAL}, https://other.example.org")
    _org, key = app.new_org()
    with app.client() as client:
        grant = presign(client, key, filename="a.csv")
        path = grant["upload_url"].split(app.url, 1)[1]
        r = preflight(client, path, PORTAL)
        assert r.status_code == 200
        assert r.headers["access-control-allow-origin"] == PORTAL
        assert "PUT" in r.headers["access-control-allow-methods"]
        r = client.put(path, content=b"x", headers={"Origin": PORTAL})
        assert r.status_code == 201 and r.headers["access-control-allow-origin"] == PORTAL
        r = client.post("/v1/tus/", headers={"Origin": PORTAL, "Tus-Resumable": "1.0.0",
                                             "X-API-Key": key, "Upload-Length": "3"})  # fmt: skip
        exposed = r.headers["access-control-expose-headers"].lower()
        assert "location" in exposed and "upload-offset" in exposed
        r = preflight(client, "/v1/tus/", "https://evil.example.net", "POST")
        assert r.status_code == 403
        assert r.json()["error"] == "forbidden"
        assert "access-control-allow-origin" not in r.headers


def test_a_refused_preflight_is_a_whole_answer_over_tls(make_server: MakeServer) -> None:
    """Over a real connection: the refusal's body matches its Content-Length, the
    connection stays usable, and the server logs no traceback."""
    server = make_server(cors_origins=PORTAL)
    with server.client() as client:
        for _ in range(2):  # the second on the same connection
            r = preflight(client, "/v1/tus/", "https://evil.example.net", "POST")
            assert r.status_code == 403
            assert int(r.headers["content-length"]) == len(r.content)
            assert r.headers["content-type"] == "application/json"
            assert r.json()["error"] == "forbidden"
        assert client.get("/healthz").status_code == 200
    assert "Traceback" not in server.log()
