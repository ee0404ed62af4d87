"""Datasets and questions: ``GET /v1/datasets``, ``POST /v1/queries`` (JSON or SSE)."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from appliance.analytics import datasets, engine
from appliance.api import bodies
from appliance.api.auth import authenticate
from appliance.context import Appliance
from appliance.errors import ApiError, ErrorType
from appliance.ids import new_id

log = logging.getLogger("hpx.analytics")
MAX_QUESTION = 1000


async def list_datasets(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "query")
    found = await run_in_threadpool(datasets.sync, appliance, principal.org.id)
    return JSONResponse({"datasets": [d.to_dict() for d in found]})


async def ask(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "query")
    body = await bodies.read_json(request)
    question = bodies.text(body, "question", required=True, max_length=MAX_QUESTION)
    name = bodies.text(body, "dataset", max_length=200)
    assert question is not None
    org_id = principal.org.id
    found = await run_in_threadpool(datasets.sync, appliance, org_id)
    dataset = engine.choose_dataset(question, found, name)
    reading = engine.read(question, dataset)  # 422 here, before any stream opens
    head = {
        "query_id": new_id("qry"),
        "question": question,
        "dataset": dataset.name,
        "interpretation": reading.interpretation,
        "plan": engine.plan(reading),
    }
    log.info("query %s on a dataset of org %s", head["query_id"], org_id)

    def run() -> dict[str, Any]:
        conn = datasets.connect_read_only(appliance, org_id)
        try:
            return engine.execute(conn, reading)
        finally:
            conn.close()

    if "text/event-stream" not in request.headers.get("accept", ""):
        return JSONResponse(head | await run_in_threadpool(run))
    return StreamingResponse(
        _events(head, run),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _events(head: dict[str, Any], run: Any) -> AsyncIterator[str]:
    """accepted, plan, progress, result, then exactly one of done or error."""
    seq = 0

    def event(name: str, data: dict[str, Any]) -> str:
        nonlocal seq
        seq += 1
        return f"id: {seq}\nevent: {name}\ndata: {json.dumps(data)}\n\n"

    yield event("accepted", {k: head[k] for k in ("query_id", "question", "dataset")})
    yield event("plan", {"interpretation": head["interpretation"], "plan": head["plan"]})
    yield event("progress", {"stage": "running", "message": "running the query"})
    try:
        result = await run_in_threadpool(run)
    except Exception as exc:  # the stream is open: the error goes into it
        log.error("query %s failed: %s", head["query_id"], type(exc).__name__)
        error = exc if isinstance(exc, ApiError) else ApiError(ErrorType.internal_error)
        yield event("error", error.body())
        return
    yield event(
        "result", {k: result[k] for k in ("sql", "columns", "rows", "row_count", "truncated")}
    )
    yield event("done", head | result)
