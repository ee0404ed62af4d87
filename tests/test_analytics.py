"""Datasets and questions, end to end: a CSV uploaded over HTTPS, a user signed in,
questions answered as JSON and as Server-Sent Events, and nothing across orgs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from appliance import orgs, users
from tests.conftest import Server
from tests.helpers import error_of, presign

PASSWORD = "analytics passphrase 1"
COHORT = (
    "patient_id,age,sex,BMI,site\n"
    + "\n".join(
        f"P{i:03d},{20 + i % 50},{'F' if i % 2 else 'M'},{'' if i % 10 == 0 else 18 + i % 20},"
        f"{('north', 'south', 'east')[i % 3]}"
        for i in range(1, 101)
    )
    + "\n"
)


@pytest.fixture(scope="module")
def analyst(server: Server) -> dict[str, Any]:
    """An organization with cohort.csv uploaded, and a bearer token of one of its users."""
    org, key = server.new_org()
    with server.client() as client:
        grant = presign(client, key, filename="cohort.csv", content_type="text/csv")
        assert client.put(grant["upload_url"], content=COHORT.encode()).status_code == 201
        users.add_user(server.appliance.db, org.id, f"analyst@{org.id}.example", PASSWORD)
        token = client.post(
            "/v1/auth/token", json={"email": f"analyst@{org.id}.example", "password": PASSWORD}
        ).json()["access_token"]
    return {"org": org, "key": key, "headers": {"Authorization": f"Bearer {token}"}, "token": token}


def ask(client: httpx.Client, analyst: dict[str, Any], question: str, **extra: Any) -> Any:
    return client.post(
        "/v1/queries", json={"question": question} | extra, headers=analyst["headers"]
    )


def test_datasets_list_the_csv_as_a_typed_table(client: httpx.Client, analyst: dict) -> None:
    r = client.get("/v1/datasets", headers=analyst["headers"])
    assert r.status_code == 200
    (dataset,) = r.json()["datasets"]
    assert (dataset["name"], dataset["row_count"]) == ("cohort", 100)
    assert dataset["columns"] == [
        {"name": "patient_id", "type": "text"},
        {"name": "age", "type": "integer"},
        {"name": "sex", "type": "text"},
        {"name": "bmi", "type": "integer"},
        {"name": "site", "type": "text"},
    ]


def test_a_count_is_a_number(client: httpx.Client, analyst: dict) -> None:
    r = ask(client, analyst, "How many patients are there?")
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == {
        "query_id",
        "question",
        "dataset",
        "interpretation",
        "plan",
        "sql",
        "columns",
        "rows",
        "row_count",
        "truncated",
        "answer",
        "summary",
        "chart",
        "caveats",
    }
    assert body["answer"] == 100 and body["dataset"] == "cohort"
    assert body["interpretation"] == [{"phrase": "how many", "meaning": "count of rows"}]


def test_a_grouped_average_is_an_object_with_caveats(client: httpx.Client, analyst: dict) -> None:
    body = ask(client, analyst, "What is the average BMI by site?").json()
    rows = [r for r in csv_rows() if r["bmi"]]
    expected = {}
    for site in ("east", "north", "south"):
        values = [int(r["bmi"]) for r in rows if r["site"] == site]
        expected[site] = round(sum(values) / len(values), 2)
    assert body["answer"] == expected
    assert "10 rows with an empty bmi were skipped" in body["caveats"]
    assert body["chart"] == {"type": "bar", "x": "site", "y": "value"}
    assert 'GROUP BY "site"' in body["sql"]


def test_filters_and_top_n(client: httpx.Client, analyst: dict) -> None:
    body = ask(client, analyst, "how many patients with sex F and age over 50").json()
    assert body["answer"] == sum(1 for r in csv_rows() if r["sex"] == "F" and int(r["age"]) > 50)
    body = ask(client, analyst, "top 3 patient_id by bmi").json()
    ranked = sorted((r for r in csv_rows() if r["bmi"]), key=lambda r: -int(r["bmi"]))
    assert len(body["answer"]) == 3
    assert {int(r["bmi"]) for r in ranked if r["patient_id"] in body["answer"]} == {
        int(ranked[0]["bmi"])
    }


def test_unanswerable_is_422_json(client: httpx.Client, analyst: dict) -> None:
    r = ask(client, analyst, "what will the weather be tomorrow")
    assert (r.status_code, error_of(r)) == (422, "unanswerable_question")
    assert "patient_id" in r.json()["message"]  # it says which columns it knows
    r = client.post(
        "/v1/queries",
        json={"question": "how many"},
        headers={**analyst["headers"], "Accept": "text/event-stream"},
    )
    assert r.status_code == 200  # answerable: streamed
    r = client.post(
        "/v1/queries", json={}, headers={**analyst["headers"], "Accept": "text/event-stream"}
    )
    assert (r.status_code, error_of(r)) == (400, "invalid_request")  # JSON, no stream


def test_sse_stream_has_every_stage_in_order(client: httpx.Client, analyst: dict) -> None:
    events = []
    with client.stream(
        "POST",
        "/v1/queries",
        json={"question": "maximum age per sex"},
        headers={**analyst["headers"], "Accept": "text/event-stream"},
    ) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        block: dict[str, str] = {}
        for line in r.iter_lines():
            if not line:
                events.append(block)
                block = {}
                continue
            field, _, value = line.partition(": ")
            block[field] = value
    assert [e["event"] for e in events] == ["accepted", "plan", "progress", "result", "done"]
    assert [e["id"] for e in events] == ["1", "2", "3", "4", "5"]
    done = json.loads(events[-1]["data"])
    assert done["answer"] == {
        "F": max(int(r["age"]) for r in csv_rows() if r["sex"] == "F"),
        "M": max(int(r["age"]) for r in csv_rows() if r["sex"] == "M"),
    }


def test_other_organizations_see_nothing(
    server: Server, client: httpx.Client, analyst: dict
) -> None:
    other, key = server.new_org(scopes=["query"])
    h = {"X-API-Key": key}
    assert client.get("/v1/datasets", headers=h).json() == {"datasets": []}
    r = client.post("/v1/queries", json={"question": "how many", "dataset": "cohort"}, headers=h)
    assert (r.status_code, error_of(r)) == (404, "not_found")
    r = client.post("/v1/queries", json={"question": "how many"}, headers=h)
    assert (r.status_code, error_of(r)) == (422, "unanswerable_question")
    # An upload-only key may not ask.
    _o, upload_key = server.new_org(scopes=["upload"])
    r = client.get("/v1/datasets", headers={"X-API-Key": upload_key})
    assert (r.status_code, error_of(r)) == (403, "forbidden")
    assert orgs.get_org(server.appliance.db, other.id) is not None


def test_hpx_ask_streams_to_the_terminal(server: Server, analyst: dict, tmp_path: Path) -> None:
    ca = tmp_path / "ca.pem"
    server.ca.cert_pem.write_to_path(str(ca))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HPX_")}
    env["HPX_TOKEN"] = analyst["token"]
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "appliance",
            "ask",
            "average age by site",
            "--url",
            server.url,
            "--cacert",
            str(ca),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert "read 'by site' as one result per site" in r.stdout
    assert "answer: {" in r.stdout and '"north"' in r.stdout


def csv_rows() -> list[dict[str, str]]:
    import csv
    import io

    return [{k.lower(): v for k, v in row.items()} for row in csv.DictReader(io.StringIO(COHORT))]


def test_deleting_the_file_drops_its_rows_from_analytics(
    server: Server, client: httpx.Client
) -> None:
    org, key = server.new_org()
    grant = presign(client, key, filename="visits.csv")
    file = client.put(grant["upload_url"], content=b"ward,n\nA,3\nB,4\n").json()
    h = {"X-API-Key": key}
    assert [d["name"] for d in client.get("/v1/datasets", headers=h).json()["datasets"]] == [
        "visits"
    ]
    cache = server.data_dir / "orgs" / org.id / "derived" / "analytics.db"
    assert cache.exists()
    assert client.delete(f"/v1/files/{file['file_id']}", headers=h).status_code == 204
    assert not cache.exists()
    assert client.get("/v1/datasets", headers=h).json() == {"datasets": []}
