"""``hpx activity`` and the console's live view show every upload, whatever path it
came by, with its protocol: a presigned PUT, a multipart session, tus, a drop link.

Each upload is made through the API (in process), then read back through ``hpx
activity --json`` and the console's activity screen (Textual's Pilot)."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.widgets import DataTable

from admin_tui.app import AdminApp
from admin_tui.screens.activity import ActivityScreen
from tests.cli_runner import run_hpx
from tests.servers import InProcess, in_process

TUS = {"Tus-Resumable": "1.0.0"}
PATCH = TUS | {"Content-Type": "application/offset+octet-stream", "Upload-Offset": "0"}


@pytest.fixture
def app(tmp_path: Path) -> InProcess:
    return in_process(tmp_path)


def _meta(name: str) -> str:
    return "filename " + base64.b64encode(name.encode()).decode()


def _local(url: str, app: InProcess) -> str:
    return url.split(app.url, 1)[1] if url.startswith(app.url) else url


def upload_every_way(app: InProcess, client: httpx.Client, key: str) -> None:
    """One finished upload by each path, and one tus upload left half-way."""
    h = {"X-API-Key": key}
    grant = client.post("/v1/uploads", headers=h, json={"filename": "by-put.csv"}).json()
    assert client.put(_local(grant["upload_url"], app), content=b"a,b\n").status_code == 201

    session = client.post(
        "/v1/uploads/multipart", headers=h, json={"filename": "by-multipart.csv", "size": 3}
    ).json()
    (part,) = session["parts"]
    assert client.put(_local(part["upload_url"], app), content=b"x,y").status_code == 200
    done = client.post(f"/v1/uploads/multipart/{session['upload_id']}/complete", headers=h)
    assert done.status_code == 201, done.text

    r = client.post(
        "/v1/tus/", headers=TUS | h | {"Upload-Length": "3", "Upload-Metadata": _meta("by-tus.csv")}
    )
    assert (
        client.patch(_local(r.headers["location"], app), content=b"1,2", headers=PATCH).status_code
        == 204
    )

    r = client.post(
        "/v1/tus/", headers=TUS | h | {"Upload-Length": "10", "Upload-Metadata": _meta("half.csv")}
    )
    assert (
        client.patch(_local(r.headers["location"], app), content=b"1234", headers=PATCH).status_code
        == 204
    )

    link = _local(
        client.post("/v1/uploads", headers=h, json={"protocol": "link"}).json()["url"], app
    )
    assert client.post(link + "/open").status_code == 200
    r = client.post(
        link + "/tus/",
        headers=TUS | {"Upload-Length": "3", "Upload-Metadata": _meta("by-link.csv")},
    )
    assert r.status_code == 201, r.text
    assert (
        client.patch(_local(r.headers["location"], app), content=b"7,8", headers=PATCH).status_code
        == 204
    )


EXPECTED = {
    "by-put.csv": ("put", "done"),
    "by-multipart.csv": ("multipart", "done"),
    "by-tus.csv": ("tus", "done"),
    "half.csv": ("tus", "open"),
    "by-link.csv": ("drop_link", "done"),
}


def test_hpx_activity_lists_every_upload_path_with_its_protocol(app: InProcess) -> None:
    org, key = app.new_org()
    with app.client() as client:
        upload_every_way(app, client, key)
    result = run_hpx("activity", "--json", "--data-dir", str(app.data_dir))
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    seen = {r["filename"]: (r["protocol"], r["state"]) for r in rows}
    assert seen == EXPECTED
    assert {r["org_name"] for r in rows} == {org.name}
    half = next(r for r in rows if r["filename"] == "half.csv")
    assert (half["size"], half["received"]) == (10, 4)
    # newest first, the tus and drop-link rows among the others
    assert [r["created_at"] for r in rows] == sorted((r["created_at"] for r in rows), reverse=True)
    limited = json.loads(
        run_hpx("activity", "--json", "--limit", "2", "--data-dir", str(app.data_dir)).stdout
    )
    assert [r["id"] for r in limited] == [r["id"] for r in rows[:2]]


def test_the_console_shows_every_upload_path_with_its_protocol(app: InProcess) -> None:
    _org, key = app.new_org()
    with app.client() as client:
        upload_every_way(app, client, key)

    async def run() -> dict[str, tuple[str, str, str]]:
        console = AdminApp(app.appliance, actor="console:tester")
        async with console.run_test(size=(120, 40)) as pilot:
            await pilot.press("a")
            await console.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(console.screen, ActivityScreen)
            table = console.screen.query_one("#table", DataTable)
            cols = ActivityScreen.COLUMNS
            shown = {}
            for i in range(table.row_count):
                row = [str(c) for c in table.get_row_at(i)]
                shown[row[cols.index("File")]] = (
                    row[cols.index("Protocol")],
                    row[cols.index("State")],
                    row[cols.index("Progress")],
                )
            return shown

    shown = asyncio.run(run())
    assert shown == {
        "by-put.csv": ("PUT", "done", "-"),
        "by-multipart.csv": ("multipart", "done", "1/1 parts"),
        "by-tus.csv": ("tus", "done", "-"),
        "half.csv": ("tus", "open", "4 B"),
        "by-link.csv": ("drop link", "done", "-"),
    }
