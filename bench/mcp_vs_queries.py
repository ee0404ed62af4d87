"""``run_plan`` over MCP against ``POST /v1/queries`` with the same plan, in one run.

    python bench/mcp_vs_queries.py [--rounds 200]

A server of our own (one process), the development set's births table uploaded, and
the same plans sent both ways, alternately, from one asyncio client each over a
kept-alive HTTPS connection: the MCP SDK's client (``tools/call run_plan``) and a plain
HTTP client (``POST /v1/queries``), both on httpx2. Prints the p50 of each and the ratio
(target ≤ 1.3x); beside them, the p50 of the same ``tools/call`` sent as one plain POST
without the SDK client: the server's part of the difference. Also the server process's
resident memory before its first ``/mcp`` request and after it: the MCP SDK is imported
then, not at start.
"""

from __future__ import annotations

import argparse
import asyncio
import ssl
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from bench.analytics import DATA, upload
from bench.common import BenchServer, bench_dir, start_server

PLANS = [
    {"dataset": "births", "statistic": "count"},
    {"dataset": "births", "statistic": "mean", "column": "weight",
     "filters": [{"column": "habit", "op": "=", "value": "smoker"}]},
    {"dataset": "births", "statistic": "median", "column": "weight", "group_by": ["habit"]},
]  # fmt: skip


RAW_HEADERS = {
    "Accept": "application/json, text/event-stream",
    "MCP-Protocol-Version": "2025-06-18",
}


def _rpc(i: int, plan: dict) -> dict:
    """``tools/call run_plan`` as a client without a session sends it."""
    call = {"name": "run_plan", "arguments": {"plan": plan}}
    return {"jsonrpc": "2.0", "id": i, "method": "tools/call", "params": call}


def rss_mb(server: BenchServer) -> float:
    """VmRSS now, summed over the server and its server processes."""
    total = 0
    for pid in server.pids():
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


async def run(server: BenchServer, rounds: int) -> None:
    ctx = ssl.create_default_context(cafile=str(server.cert))
    headers = {"X-API-Key": server.api_key}
    async with httpx2.AsyncClient(
        base_url=server.url, verify=ctx, headers=headers, timeout=60
    ) as http:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # the import of births, polled
            found = (await http.get("/v1/datasets")).json()["datasets"]
            if found and found[0]["status"] == "ready":
                break
            await asyncio.sleep(0.2)
        for plan in PLANS:  # warm: the engine's imports and DuckDB's first open
            for _ in range(5):
                assert (await http.post("/v1/queries", json={"plan": plan})).status_code == 200
        before = rss_mb(server)
        async with httpx2.AsyncClient(verify=ctx, headers=headers, timeout=60) as mcp_http:
            transport = streamable_http_client(server.url + "/mcp", http_client=mcp_http)
            async with Client(transport) as client:
                await client.call_tool("run_plan", {"plan": PLANS[0]})
                after = rss_mb(server)
                times: dict[str, list[float]] = {"queries": [], "mcp": [], "raw": []}
                for i in range(rounds):
                    plan = PLANS[i % len(PLANS)]
                    t0 = time.perf_counter()
                    r = await http.post("/v1/queries", json={"plan": plan})
                    times["queries"].append(time.perf_counter() - t0)
                    assert r.status_code == 200, r.text
                    t0 = time.perf_counter()
                    got = await client.call_tool("run_plan", {"plan": plan})
                    times["mcp"].append(time.perf_counter() - t0)
                    assert not got.is_error, got.content
                    assert got.structured_content["answer"] == r.json()["answer"]
                    t0 = time.perf_counter()
                    raw = await http.post("/mcp", json=_rpc(i, plan), headers=RAW_HEADERS)
                    times["raw"].append(time.perf_counter() - t0)
                    assert raw.json()["result"]["structuredContent"]["answer"] == r.json()["answer"]
    q50 = statistics.median(times["queries"]) * 1000
    m50 = statistics.median(times["mcp"]) * 1000
    print(f"server RSS before the first /mcp request: {before:.1f} MB, after: {after:.1f} MB"
          f" (+{after - before:.1f} MB)")  # fmt: skip
    print(f"POST /v1/queries p50 {q50:.2f} ms; MCP run_plan p50 {m50:.2f} ms"
          f" over {rounds} rounds of {len(PLANS)} plans")  # fmt: skip
    print(f"ratio MCP / queries: {m50 / q50:.2f}x (target <= 1.3x)")
    r50 = statistics.median(times["raw"]) * 1000
    print(f"the same tools/call as one plain POST /mcp (no SDK client): p50 {r50:.2f} ms,"
          f" {r50 / q50:.2f}x: the server's share of the difference")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    with bench_dir() as work:
        server = start_server(work)
        try:
            upload(server, DATA / "births.csv")
            asyncio.run(run(server, args.rounds))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
