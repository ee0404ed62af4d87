"""Schemathesis against a live server over TLS, from its own /openapi.json, with every
check (each request also without its key): no 5xx, no answer outside the description,
nothing refused that it allows nor taken that it forbids, no traceback in the log.
tests/schemathesis.toml lists the refusals a description cannot express."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import error_of, presign
from tests.servers import MakeServer, Server

MIB = 1024 * 1024
ROOT = Path(__file__).resolve().parent.parent
needs_schemathesis = pytest.mark.skipif(
    shutil.which("schemathesis") is None
    and not (Path(__file__).resolve().parent.parent / ".venv" / "bin" / "schemathesis").exists(),
    reason="schemathesis is a test dependency (./install.sh --test installs it)",
)

CONFIG = Path(__file__).parent / "schemathesis.toml"


def schemathesis(
    server: Server, ca: Path, *headers: str, examples: int, log: Path
) -> subprocess.Popen[bytes]:
    """Start a run against the server; its report goes to ``log``."""
    exe = shutil.which("schemathesis") or str(
        Path(__file__).resolve().parent.parent / ".venv" / "bin" / "schemathesis"
    )
    args = [exe, "--config-file", str(CONFIG), "run", f"{server.url}/openapi.json",
            "--tls-verify", str(ca), "-n", str(examples), "--checks", "all",
            "--seed", "20261129"]  # fmt: skip
    for header in headers:
        args += ["-H", header]
    env = os.environ | {"SCHEMATHESIS_HOOKS": "tests.schemathesis_hooks", "PYTHONPATH": str(ROOT)}
    with open(log, "wb") as out:
        return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env)


@needs_schemathesis
@pytest.mark.long
def test_the_api_keeps_to_its_description(make_server: MakeServer, tmp_path: Path) -> None:
    server: Server = make_server()
    ca = tmp_path / "ca.pem"
    server.ca.cert_pem.write_to_path(str(ca))
    _org, key = server.new_org()
    with server.client() as client:  # something to list, download and ask about
        grant = presign(client, key, filename="admissions.csv")
        data = Path(__file__).parent / "data" / "analytics" / "admissions.csv"
        assert client.put(grant["upload_url"], content=data.read_bytes()).status_code == 201
    # One run with a key: schemathesis's ignored_auth check sends each request without
    # it as well. Ten examples an operation keep it within a minute of two cores (one
    # worker: two threads in one Python 3.11 process broke its parser, "AST constructor
    # recursion depth mismatch").
    log = tmp_path / "schemathesis.log"
    run = schemathesis(server, ca, f"X-API-Key: {key}", examples=10, log=log)
    try:
        code = run.wait(timeout=600)
    finally:
        run.kill()  # nothing, once it has ended
        run.wait()
    report = log.read_text()
    assert code == 0, report[report.find("FAILURES") :][:8000] or report[-6000:]
    assert "Traceback" not in server.log()


def body_schema(document: dict[str, Any], path: str) -> dict[str, Any]:
    schema: dict[str, Any] = document["paths"][path]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]
    return schema


def field(body: dict[str, Any], name: str) -> dict[str, Any]:
    """A field's schema; of an optional field that may be null, the non-null one."""
    declared: dict[str, Any] = body["properties"][name]
    options = [s for s in declared.get("anyOf", [declared]) if s.get("type") != "null"]
    return options[0]


def test_the_description_says_what_the_server_enforces(client: httpx.Client) -> None:
    """The minimums and forms the server holds requests to are in the description, and
    so is tus's 412 for a request without Tus-Resumable."""
    document = client.get("/openapi.json").json()
    for path in ("/v1/uploads", "/v1/uploads/multipart"):
        declared = field(body_schema(document, path), "content_type")
        assert declared["minLength"] >= 1 and declared["maxLength"] == 255
        assert re.search(declared["pattern"], "text/csv; charset=utf-8")
        for refused in ("", "text", "text/csv\r\nX-Evil: 1", "text/csv; é=1"):
            assert not re.search(declared["pattern"], refused), refused
    multipart = body_schema(document, "/v1/uploads/multipart")
    assert field(multipart, "size")["minimum"] == 1
    part_size = field(multipart, "part_size")
    assert (part_size["minimum"], part_size["maximum"]) == (
        5 * MIB,
        5 * 1024 * MIB,
    )
    conversation = body_schema(document, "/v1/queries")["properties"]["conversation_id"]
    assert conversation["minLength"] == 1
    for path, method in (("/v1/tus/", "post"), ("/v1/tus/{token}", "head"),
                         ("/v1/drop/{token}/tus/", "post")):  # fmt: skip
        assert "missing" in document["paths"][path][method]["responses"]["412"]["description"]


def test_the_server_takes_what_the_description_allows_and_no_more(
    server: Server, client: httpx.Client
) -> None:
    """Whole numbers written as ``2216.0`` are integers (as JSON Schema says); an empty
    cursor, a sha256 sent with protocol tus and a malformed field of another protocol
    are refused, as the description says."""
    _org, key = server.new_org()
    h = {"X-API-Key": key}
    r = client.post("/v1/uploads/multipart", headers=h,
                    json={"filename": "a.csv", "size": 12 * MIB * 1.0,
                          "part_size": 5 * MIB * 1.0})  # fmt: skip
    assert r.status_code == 201, r.text
    session = r.json()
    assert (session["size"], session["part_size"], session["part_count"]) == (12 * MIB, 5 * MIB, 3)
    r = client.post(f"/v1/uploads/multipart/{session['upload_id']}/parts", headers=h,
                    json={"part_numbers": [1.0, 3]})  # fmt: skip
    assert r.status_code == 200, r.text
    assert [p["part_number"] for p in r.json()["parts"]] == [1, 3]
    r = client.post("/v1/uploads", headers=h, json={"filename": "b.csv", "expires_in": 60.0})
    assert r.status_code == 201, r.text
    for fraction in ({"size": 10.5}, {"expires_in": 1.5}):
        r = client.post("/v1/uploads", headers=h, json={"filename": "b.csv", **fraction})
        assert (r.status_code, error_of(r)) == (400, "invalid_request"), fraction
    nulls = {"filename": "b.csv", "expires_in": None, "content_type": None}
    r = client.post("/v1/uploads", headers=h, json=nulls)
    assert r.status_code == 201, r.text  # null is a field left out, as described
    for other in ({"label": ""}, {"max_files": 0}, {"protocol": "link", "sha256": "x"}):
        r = client.post("/v1/uploads", headers=h, json={"filename": "b.csv", **other})
        assert (r.status_code, error_of(r)) == (400, "invalid_request"), other
    r = client.get("/v1/files", params={"cursor": ""}, headers=h)
    assert (r.status_code, error_of(r)) == (400, "invalid_request")
    assert r.json()["message"].startswith("cursor")
    for sha256 in ("", "0" * 64):
        body = {"protocol": "tus", "filename": "c.csv", "sha256": sha256}
        r = client.post("/v1/uploads", headers=h, json=body)
        assert (r.status_code, error_of(r)) == (400, "invalid_request"), sha256
        assert r.json()["message"].startswith("sha256")


def test_a_plan_takes_whole_numbers_written_with_a_point(tmp_path: Path) -> None:
    """``limit`` (an integer) and a year compared with ``2016.0`` (a number) are taken
    and answered as the description says; ``2016.5`` is still no year."""
    from appliance.analytics import datasets, engine, plan
    from appliance.analytics.plan import PlanError

    csv = tmp_path / "y.csv"
    csv.write_text("admitted,n\n2016-03-01,1\n2016-05-02,2\n2017-01-01,3\n")
    ds = datasets.load_file(csv, tmp_path / "d", "y")
    assert ds.error is None

    def ask(**p: Any) -> Any:
        return engine.run(plan.from_json({"statistic": "count"} | p, ds.infos), ds).answer

    assert ask(statistic="top", column="n", limit=2.0) == [3, 2]
    year = {"column": "admitted", "op": "=", "part": "year", "value": 2016.0}
    assert ask(filters=[year]) == 2
    with pytest.raises(PlanError):
        ask(filters=[year | {"value": 2016.5}])
