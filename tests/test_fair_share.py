"""One organization's heavy analytics or large imports never hold back another's work.

Asserted by the order in which things finish, never by how long they took: another
organization's file list, presign, question and health check are answered while the
first organization's heavy queries are still running; another organization's small
CSV is imported before the first organization's queue of large ones.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import threading
from pathlib import Path

import httpx
import pytest

from appliance.analytics import datasets
from tests.helpers import presign, wait_until
from tests.servers import MakeServer, Server

HEAVY_QUERIES = 10
"""More than the 8 request threads: on a shared pool they fill it and queue."""


def _upload(server: Server, key: str, source: Path) -> str:
    with server.client() as client:
        grant = presign(client, key, filename=source.name, size=source.stat().st_size)
        with open(source, "rb") as fh:
            r = client.put(grant["upload_url"], content=fh)
        assert r.status_code == 201, r.text
        file_id: str = r.json()["file_id"]
        return file_id


def _ready(server: Server, key: str) -> dict[str, str]:
    """Every dataset of the organization imported: name -> status."""
    with server.client() as client:
        r = client.get("/v1/datasets", headers={"X-API-Key": key})
        assert r.status_code == 200, r.text
        return {d["name"]: d["status"] for d in r.json()["datasets"]}


def _pairs_csv(path: Path, rows: int, seed: int) -> None:
    """Two numeric columns of ``rows`` rows: a Spearman correlation over them ranks every
    row twice, seconds of DuckDB's time."""
    rng = random.Random(seed)
    values = [f"{rng.random() * 100:.6f}" for _ in range(4099)]  # a prime count: no short cycle
    with open(path, "w") as fh:
        fh.write("x,y\n")
        fh.writelines(
            f"{values[i % 4099]}{i % 7},{values[i * 7 % 4099]}{i % 10}\n" for i in range(rows)
        )


@pytest.mark.serial  # runs heavy queries: alone, not beside other tests
@pytest.mark.long
def test_one_organizations_heavy_queries_leave_the_others_answered(
    make_server: MakeServer, tmp_path: Path
) -> None:
    server = make_server()  # its own: default analytics threads, nothing else running
    _heavy_org, heavy_key = server.new_org()
    _light_org, light_key = server.new_org()
    _asker_org, asker_key = server.new_org()
    big = tmp_path / "pairs.csv"
    _pairs_csv(big, 1_000_000, seed=29)
    small = tmp_path / "ward.csv"
    small.write_text("patient,age\nP1,40\nP2,50\nP3,61\n")
    _upload(server, heavy_key, big)
    _upload(server, asker_key, small)
    assert _ready(server, heavy_key) == {"pairs": "ready"}
    assert _ready(server, asker_key) == {"ward": "ready"}
    spearman = {"dataset": "pairs", "statistic": "correlation", "column": "y", "x": "x",
                "method": "spearman"}  # fmt: skip

    async def day() -> tuple[list[str], list[str]]:
        finished: list[str] = []
        heavy_outcomes: list[str] = []
        running = 0
        two_running = asyncio.Event()

        async def heavy(client: httpx.AsyncClient) -> None:
            nonlocal running
            headers = {"X-API-Key": heavy_key, "Accept": "text/event-stream"}
            outcome = "no end event"
            async with client.stream(
                "POST", "/v1/queries", json={"plan": spearman}, headers=headers
            ) as r:
                if r.status_code != 200:  # waited past its organization's share
                    body = json.loads(await r.aread())
                    outcome = f"{r.status_code} {body['error']} after {r.headers['Retry-After']} s"
                else:
                    event = ""
                    async for line in r.aiter_lines():
                        if line.startswith("event: "):
                            event = line.removeprefix("event: ")
                            if event == "progress":
                                running += 1
                                if running >= 2:
                                    two_running.set()
                        elif line.startswith("data: ") and event in ("done", "error"):
                            data = json.loads(line.removeprefix("data: "))
                            outcome = "done" if event == "done" else f"error {data['error']}"
            finished.append("heavy")
            heavy_outcomes.append(outcome)

        async with server.async_client() as client:
            heavies = [asyncio.create_task(heavy(client)) for _ in range(HEAVY_QUERIES)]
            await asyncio.wait_for(two_running.wait(), 120)
            assert "heavy" not in finished, "a heavy query ended before the test could start"
            for _ in range(5):
                r = await client.get("/v1/files", headers={"X-API-Key": light_key})
                assert r.status_code == 200, r.text
                finished.append("files")
                r = await client.post(
                    "/v1/uploads", json={"filename": "a.csv"}, headers={"X-API-Key": light_key}
                )
                assert r.status_code == 201, r.text
                finished.append("presign")
            r = await client.get("/healthz")
            assert r.status_code == 200
            finished.append("healthz")
            r = await client.post(
                "/v1/queries",
                json={"plan": {"dataset": "ward", "statistic": "mean", "column": "age"}},
                headers={"X-API-Key": asker_key},
            )
            assert (r.status_code, r.json()["answer"]) == (200, (40 + 50 + 61) / 3), r.text
            finished.append("another organization's query")
            await asyncio.gather(*heavies)
        return finished, heavy_outcomes

    finished, outcomes = asyncio.run(day())
    light = 12
    assert finished[:light] == ["files", "presign"] * 5 + [
        "healthz",
        "another organization's query",
    ], finished  # every one of them while all the heavy queries were still running
    assert finished[light:] == ["heavy"] * HEAVY_QUERIES
    assert outcomes.count("done") >= 2, outcomes  # the heavy organization got its share
    # The others waited past the bound and were told to come back.
    assert set(outcomes) <= {"done", "429 rate_limited after 5 s", "error rate_limited"}, outcomes


@pytest.mark.serial  # imports large files: alone, not beside other tests
def test_imports_take_turns_between_organizations(make_server: MakeServer, tmp_path: Path) -> None:
    server = make_server()  # its own: no other import in its queue
    big_org, big_key = server.new_org()
    small_org, small_key = server.new_org()
    big_ids = []
    for n in range(4):  # twice the import threads: a first-in-first-out queue holds them all
        source = tmp_path / f"visits_{n}.csv"
        _pairs_csv(source, 400_000, seed=n)
        big_ids.append(_upload(server, big_key, source))
    small = tmp_path / "two_rows.csv"
    small.write_text("patient,age\nP1,40\nP2,50\n")
    small_id = _upload(server, small_key, small)

    # The large organization's datasets are asked for first; its four imports are queued.
    statuses: dict[str, str] = {}
    first = threading.Thread(target=lambda: statuses.update(_ready(server, big_key)))
    first.start()

    def imports_queued() -> bool:
        with server.client() as client:
            text = client.get("/metrics").text
        found = re.search(r"^hpx_dataset_imports_running(?:\{[^}]*\})? (\S+)$", text, re.M)
        return found is not None and float(found.group(1)) >= 4

    wait_until(imports_queued, "the four imports were never queued", timeout=60)
    assert _ready(server, small_key) == {"two_rows": "ready"}  # its first question can go on
    first.join(timeout=120)
    assert statuses == {f"visits_{n}": "ready" for n in range(4)}

    def done_at(org_id: str, file_id: str) -> int:
        folder = datasets.analytics_dir(server.appliance, org_id)
        return (folder / f"{file_id}.json").stat().st_mtime_ns  # written last, when done

    small_done = done_at(small_org.id, small_id)
    before = [i for i in big_ids if done_at(big_org.id, i) < small_done]
    # First in, first out, three of the four large files would have been imported first.
    assert len(before) <= 1, f"{len(before)} large imports finished before the small one"
