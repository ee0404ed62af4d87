"""``/mcp``: the official MCP SDK client over real HTTPS against ``hpx serve --workers 2``.

The tools and their schemas, the same answers as ``/v1/queries`` on a sample of the
development question set, refusals and plan errors as tool errors, one organization
never reaching another's data, the credential checks of ``/v1/queries``, the
DNS-rebinding checks, and requests without a session answered by either process.
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
import httpx2
import pytest

from appliance.accounts import apikeys, orgs
from appliance.config import Settings
from appliance.http import mcp_guard
from tests.helpers import error_of, wait_until
from tests.processes import children
from tests.servers import MakeServer, Server, ServerWith
from tests.test_analytics import DATA, DEVSET, TABLES, close, imported, sign_in, upload

# The SDK is imported where it is used: it costs a second of CPU in every pytest process
# that collects this module, and one worker runs its tests.
if TYPE_CHECKING:
    from mcp import Client

pytestmark = pytest.mark.xdist_group("workers")

T = TypeVar("T")
RPC_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
SAMPLE = DEVSET["questions"][::12]
"""About thirty questions of every kind, follow-ups and refusals among them."""


@pytest.fixture(scope="module")
def two(server_with: ServerWith) -> Server:
    """The worker's two-process server (test_workers.py's too), with an organization of
    this module's own."""
    return server_with(workers="2")


@pytest.fixture(scope="module")
def analyst(two: Server) -> dict[str, Any]:
    """An organization with the development tables and their dictionaries, a signed-in user."""
    org, key = two.new_org()
    with two.client() as client:
        for table in TABLES:
            upload(client, key, f"{table}.csv", (DATA / f"{table}.csv").read_bytes())
        headers = sign_in(two, client, org.id, "agent")
        # A dictionary is refused while its table is being imported (in the background,
        # after the other imports of the server, which this module shares).
        imported(client, headers, TABLES)
        for table, dictionary in DEVSET["dictionaries"].items():
            r = client.put(f"/v1/datasets/{table}/dictionary", json=dictionary, headers=headers)
            assert r.status_code == 200, r.text
    return {"org": org, "key": key, "headers": headers}


def with_mcp(server: Server, headers: dict[str, str], work: Callable[[Client], Awaitable[T]]) -> T:
    """``work`` with an SDK client connected to the server's /mcp with these headers."""

    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    async def main() -> T:
        ctx = server.ssl_context()
        async with httpx2.AsyncClient(verify=ctx, headers=headers, timeout=120) as http:
            async with Client(streamable_http_client(server.url + "/mcp", http_client=http)) as c:
                return await work(c)

    return asyncio.run(main())


def call(server: Server, headers: dict[str, str], tool: str, args: dict[str, Any]) -> Any:
    async def work(c: Client) -> Any:
        return await c.call_tool(tool, args)

    return with_mcp(server, headers, work)


def rpc(method: str, params: dict[str, Any] | None = None, id_: int = 1) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": id_, "method": method, "params": params or {}}


INITIALIZE = rpc(
    "initialize",
    {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
)


def test_the_tools_and_their_schemas(two: Server, analyst: dict, snapshot: Any) -> None:
    async def work(c: Client) -> Any:
        return await c.list_tools()

    listed = with_mcp(two, {"X-API-Key": analyst["key"]}, work)
    tools = [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in listed.tools]
    assert [t["name"] for t in tools] == ["list_datasets", "describe_dataset", "ask", "run_plan"]
    assert all(t["annotations"]["readOnlyHint"] for t in tools)
    assert tools == snapshot


def test_list_and_describe_an_uploaded_csv(two: Server) -> None:
    _org, key = two.new_org()
    text = "patient,age,ward,smoker\np1,34,A,yes\np2,51,B,no\np3,47,A,no\np4,29,A,yes\n"
    with two.client() as client:
        upload(client, key, "clinic.csv", text.encode())
        imported(client, {"X-API-Key": key}, ["clinic"])  # after the server's others
        age = {"label": "age at visit", "unit": "years", "synonyms": ["years old"]}
        ward = {"value_labels": {"A": "acute", "B": "burns"}}
        dictionary = {"columns": {"age": age, "ward": ward}}
        r = client.put(
            "/v1/datasets/clinic/dictionary", json=dictionary, headers={"X-API-Key": key}
        )
        assert r.status_code == 200, r.text
    rows = list(csv.DictReader(io.StringIO(text)))
    headers = {"X-API-Key": key}

    listed = call(two, headers, "list_datasets", {})
    assert not listed.is_error
    [ds] = listed.structured_content["datasets"]
    assert (ds["name"], ds["status"], ds["row_count"]) == ("clinic", "ready", len(rows))
    assert [c["name"] for c in ds["columns"]] == list(rows[0])

    described = call(two, headers, "describe_dataset", {"dataset": "clinic"})
    assert not described.is_error, described.content
    columns = {c["name"]: c for c in described.structured_content["columns"]}
    assert columns["age"]["type"] == "integer"
    assert (columns["age"]["min"], columns["age"]["max"]) == (29, 51)
    assert columns["age"]["label"] == "age at visit" and columns["age"]["unit"] == "years"
    assert columns["age"]["synonyms"] == ["years old"]
    assert columns["ward"]["value_labels"] == {"A": "acute", "B": "burns"}
    wards = {v["value"]: v["count"] for v in columns["ward"]["values"]}
    assert wards == {"A": 3, "B": 1}

    missing = call(two, headers, "describe_dataset", {"dataset": "nothing"})
    assert missing.is_error and missing.structured_content["error"] == "not_found"


def _queries(client: httpx.Client, headers: dict[str, str], body: dict[str, Any]) -> Any:
    return client.post("/v1/queries", json=body, headers=headers)


@pytest.mark.long
def test_ask_and_run_plan_answer_as_v1_queries(two: Server, analyst: dict) -> None:
    """A sample of the development set: ask gives /v1/queries' answer (or its refusal) and
    the expected value; run_plan with the plan /v1/queries read gives /v1/queries' answer
    to that plan. Over the bearer token, so conversations are the user's."""
    headers = analyst["headers"]
    answered = refused = 0

    async def work(c: Client) -> None:
        nonlocal answered, refused
        async with httpx.AsyncClient(base_url=two.url, verify=two.ssl_context(), timeout=120) as h:
            for item in SAMPLE:
                base: dict[str, Any] = {"dataset": item["dataset"]}
                via_http, via_mcp = dict(base), dict(base)
                if "after" in item:
                    first = await h.post("/v1/queries", json={"question": item["after"]} | base,
                                         headers=headers)  # fmt: skip
                    assert first.status_code == 200, first.text
                    via_http["conversation_id"] = first.json()["conversation_id"]
                    first_mcp = await c.call_tool("ask", {"question": item["after"]} | base)
                    assert not first_mcp.is_error, (item, first_mcp.content)
                    via_mcp["conversation_id"] = first_mcp.structured_content["conversation_id"]
                r = await h.post("/v1/queries", json={"question": item["question"]} | via_http,
                                 headers=headers)  # fmt: skip
                got = await c.call_tool("ask", {"question": item["question"]} | via_mcp)
                if r.status_code == 422:
                    assert got.is_error, item
                    assert got.structured_content == r.json(), item
                    refused += 1
                    continue
                assert r.status_code == 200, r.text
                assert not got.is_error, (item, got.content)
                want = r.json()
                mine = got.structured_content
                assert close(mine["answer"], want["answer"]), item
                assert (mine["plan"], mine["summary"], mine["caveats"]) == (
                    want["plan"], want["summary"], want["caveats"]), item  # fmt: skip
                if not item.get("refuse"):
                    assert close(mine["answer"], item["expected"]), item
                planned = await h.post("/v1/queries", json={"plan": want["plan"]}, headers=headers)
                ran = await c.call_tool("run_plan", {"plan": want["plan"]})
                assert not ran.is_error, (item, ran.content)
                assert close(ran.structured_content["answer"], planned.json()["answer"]), item
                answered += 1

    with_mcp(two, headers, work)
    assert answered >= 20 and answered + refused == len(SAMPLE)


def test_a_refused_question_and_an_invalid_plan_are_tool_errors(two: Server, analyst: dict) -> None:
    headers = {"X-API-Key": analyst["key"]}
    refused = call(two, headers, "ask", {"question": "delete every row of births please"})
    assert refused.is_error
    assert refused.structured_content["error"] == "unanswerable_question"
    assert refused.structured_content["message"] in refused.content[0].text
    plan = {"dataset": "births", "statistic": "count",
            "filters": [{"column": "habit", "op": "=", "value": "smoker"},
                        {"column": "no_such_column", "op": "=", "value": 1}]}  # fmt: skip
    bad = call(two, headers, "run_plan", {"plan": plan})
    assert bad.is_error
    assert bad.structured_content["error"] == "invalid_request"
    assert bad.structured_content["message"].startswith("plan.filters[1].column: ")
    with two.client() as client:  # the same message as /v1/queries
        r = _queries(client, headers, {"plan": plan})
        assert r.status_code == 400 and r.json() == bad.structured_content
    # Outside the schema too (an operator not in its list): the appliance's message.
    plan["filters"][1] = {"column": "habit", "op": "~", "value": "x"}
    odd = call(two, headers, "run_plan", {"plan": plan})
    assert odd.is_error
    assert odd.structured_content["message"].startswith("plan.filters[1].op: '~' is not one of")
    # An unknown field is named where it is; so is a value the column does not hold (422).
    del plan["filters"][1]
    plan["colour"] = "red"
    odd = call(two, headers, "run_plan", {"plan": plan})
    assert odd.structured_content["message"] == "plan.colour: unknown field"
    del plan["colour"]
    plan["filters"][0]["value"] = "smokes"
    odd = call(two, headers, "run_plan", {"plan": plan})
    assert odd.structured_content["error"] == "unanswerable_question"
    assert odd.structured_content["message"].startswith(
        "plan.filters[0].value: habit holds no 'smokes'; it holds "
    )


def test_another_organizations_dataset_is_not_found(two: Server, analyst: dict) -> None:
    _other, key = two.new_org()
    headers = {"X-API-Key": key}
    assert call(two, headers, "list_datasets", {}).structured_content == {"datasets": []}
    count = {"dataset": "births", "statistic": "count"}
    for tool, args in [("describe_dataset", {"dataset": "births"}), ("run_plan", {"plan": count})]:
        got = call(two, headers, tool, args)
        assert got.is_error and got.structured_content["error"] == "not_found", got.content
    asked = call(two, headers, "ask", {"question": "How many births are there?"})
    assert asked.is_error and asked.structured_content["error"] == "unanswerable_question"


def test_each_call_is_audited_without_the_question(two: Server) -> None:
    org, key = two.new_org()
    with two.client() as client:
        file = upload(client, key, "visits.csv", b"ward,n\nA,3\nB,4\n")
        imported(client, {"X-API-Key": key}, ["visits"])  # after the server's others
    question = "what is the mean n in visits"
    got = call(two, {"X-API-Key": key}, "ask", {"question": question})
    assert not got.is_error and got.structured_content["answer"] == 3.5
    rows = list(two.appliance.db.conn.query(
        "SELECT actor, action, target, detail FROM audit_log WHERE org_id = ? AND action"
        " LIKE 'mcp.%'", [org.id]))  # fmt: skip
    [key_id] = [k["key_id"] for k in apikeys.list_keys(two.appliance.db, org.id)]
    assert rows == [
        {"actor": f"key:{key_id}", "action": "mcp.ask", "target": file["file_id"], "detail": None}
    ]
    assert question not in two.log()


def test_credentials_are_checked_as_for_v1_queries(two: Server) -> None:
    org, key = two.new_org()
    _o, upload_only = two.new_org(scopes=["upload"])
    issued = apikeys.issue_key(two.appliance.db, org.id, scopes=["query"])
    apikeys.revoke_key(two.appliance.db, issued.key_id)
    with two.client() as client:
        none = client.post("/mcp", json=INITIALIZE, headers=RPC_HEADERS)
        assert (none.status_code, error_of(none)) == (401, "unauthorized")
        challenge = none.headers["www-authenticate"]
        where = f"{two.url}/.well-known/oauth-protected-resource"
        assert challenge == f'Bearer resource_metadata="{where}"'
        document = client.get(where).json()
        assert document["resource"] == f"{two.url}/mcp"
        assert document["sign_in"]["endpoint"] == f"{two.url}/v1/auth/token"
        assert client.get(where + "/mcp").json() == document

        def status(api_key: str) -> tuple[int, str]:
            r = client.post("/mcp", json=INITIALIZE, headers=RPC_HEADERS | {"X-API-Key": api_key})
            return r.status_code, error_of(r) if r.status_code != 200 else "ok"

        assert status(key) == (200, "ok")
        assert status(issued.api_key) == (401, "unauthorized")
        assert status(upload_only) == (403, "forbidden")
        orgs.set_status(two.appliance.db, org.name, "suspended")
        try:
            assert status(key) == (403, "forbidden")
        finally:
            orgs.set_status(two.appliance.db, org.name, "active")

    with pytest.raises(BaseException) as refused:  # the SDK client is refused too
        call(two, {"X-API-Key": issued.api_key}, "list_datasets", {})
    # The SDK reports an HTTP refusal as an MCP error; the statuses are checked above.
    from mcp.shared.exceptions import MCPError

    assert [type(e) for e in leaves(refused.value)] == [MCPError]


def leaves(exc: BaseException) -> list[BaseException]:
    """The exceptions inside (nested) exception groups, as the SDK's task groups raise them."""
    if isinstance(exc, BaseExceptionGroup):
        return [leaf for inner in exc.exceptions for leaf in leaves(inner)]
    return [exc]


def test_foreign_origin_and_host_are_refused(two: Server) -> None:
    _org, key = two.new_org()
    headers = RPC_HEADERS | {"X-API-Key": key}
    with two.client() as client:
        r = client.post(
            "/mcp", json=INITIALIZE, headers=headers | {"Origin": "https://evil.example"}
        )
        assert (r.status_code, error_of(r)) == (403, "forbidden")
        r = client.post("/mcp", json=INITIALIZE, headers=headers | {"Host": "evil.example"})
        assert r.status_code == 421
        own = client.post("/mcp", json=INITIALIZE, headers=headers | {"Origin": two.url})
        assert own.status_code == 200
        local = f"localhost:{two.port}"
        assert client.post("/mcp", json=INITIALIZE, headers=headers | {"Host": local}).is_success


def test_requests_without_a_session_are_answered_by_either_process(two: Server) -> None:
    """Stateless: an old client's initialize gets no session id, and a tools/call with
    none, each on a new connection (the kernel spreads them), is answered by whichever
    process takes it. The SDK starts in a process at its first /mcp request, and the
    log says so with the process id: both processes have answered when two have."""
    _org, key = two.new_org()
    headers = RPC_HEADERS | {"X-API-Key": key}
    with two.client() as client:
        init = client.post("/mcp", json=INITIALIZE, headers=headers)
        assert init.status_code == 200 and "mcp-session-id" not in init.headers
        assert init.json()["result"]["serverInfo"]["name"] == "healthproximate-appliance"
        # The rest of an older client's handshake, with the version it was given.
        older = headers | {"MCP-Protocol-Version": init.json()["result"]["protocolVersion"]}
        done = {"jsonrpc": "2.0", "method": "notifications/initialized"}
        assert client.post("/mcp", json=done, headers=older).status_code == 202
        listed = client.post("/mcp", json=rpc("tools/list"), headers=older)
        assert len(listed.json()["result"]["tools"]) == 4

    def started() -> int:
        return len(set(re.findall(r"MCP SDK loaded by server process (\d+)", two.log())))

    sent = 0

    def one_more() -> bool:
        nonlocal sent
        sent += 1
        with two.client() as client:  # a new connection each time
            r = client.post("/mcp", json=rpc("tools/call", {"name": "list_datasets"}, sent),
                            headers=headers)  # fmt: skip
        assert r.status_code == 200, r.text
        assert r.json()["result"]["structuredContent"] == {"datasets": []}
        return started() >= 2 and sent >= 10

    wait_until(one_more, "both server processes answering /mcp", timeout=60, interval=0)
    assert started() == 2
    with two.client() as client:
        metrics = client.get("/metrics").text
    assert 'hpx_http_requests_total{handler="mcp",method="POST",status="200"}' in metrics


def test_the_sdk_is_loaded_by_the_first_mcp_request(make_server: MakeServer) -> None:
    """A server that never serves an agent never holds the MCP SDK (pydantic's compiled
    core among it: ~30 MB per process, docs/agents.md)."""
    server = make_server()
    _org, key = server.new_org()
    assert server.process is not None
    pids = [server.process.pid, *children(server.process.pid)]

    def loaded() -> bool:
        return any("pydantic_core" in Path(f"/proc/{pid}/maps").read_text() for pid in pids)

    with server.client() as client:
        assert client.get("/v1/datasets", headers={"X-API-Key": key}).status_code == 200
        assert not loaded()
        r = client.post("/mcp", json=INITIALIZE, headers=RPC_HEADERS | {"X-API-Key": key})
        assert r.status_code == 200
        assert loaded()


def test_hosts_and_origins_come_from_public_url_bind_and_cors_origins() -> None:
    """Behind a load balancer on a wildcard bind: its name, and loopback at the port."""
    settings = Settings(
        bind="0.0.0.0:8443",
        public_url="https://analytics.example.org",
        cors_origins="https://portal.example.org",
    )
    hosts = mcp_guard.allowed_hosts(settings)
    assert ("analytics.example.org", 443) in hosts and ("localhost", 8443) in hosts
    assert ("10.0.0.5", 8443) not in hosts and ("0.0.0.0", 8443) not in hosts
    origins, any_origin = mcp_guard.allowed_origins(settings)
    assert not any_origin
    assert {"https://analytics.example.org", "https://portal.example.org"} <= origins
    assert "https://evil.example" not in origins
    v6 = mcp_guard.allowed_hosts(Settings(bind="[::1]:9000"))
    assert v6 == {("::1", 9000), ("127.0.0.1", 9000), ("localhost", 9000)}


def test_an_unexpected_failure_is_a_generic_tool_error(two: Server) -> None:
    """As /v1/queries' 500: the error's type, never its message (a path, a value)."""
    org, key = two.new_org()
    with two.client() as client:
        file = upload(client, key, "ward.csv", b"ward,n\nA,3\nB,4\n")
        wait_until(
            lambda: (
                client.get("/v1/datasets", headers={"X-API-Key": key}).json()["datasets"][0][
                    "status"
                ]
                == "ready"
            ),
            "the dataset imported",
        )
        copy = (
            two.data_dir / "orgs" / org.id / "derived" / "analytics" / f"{file['file_id']}.parquet"
        )
        copy.write_bytes(b"not parquet")  # broken behind the server's back
        plan = {"dataset": "ward", "statistic": "count"}
        r = client.post("/v1/queries", json={"plan": plan}, headers={"X-API-Key": key})
        assert (r.status_code, error_of(r)) == (500, "internal_error")
    got = call(two, {"X-API-Key": key}, "run_plan", {"plan": plan})
    assert got.is_error and got.structured_content == r.json()
    assert "parquet" not in got.content[0].text
