"""Datasets and questions: thin handlers over :mod:`appliance.analytics.service`.

Each handler parses, authorizes, calls the service in an analytics thread (never one of
the request threads: :mod:`appliance.analytics.threads`) and shapes the answer; the
analytics layer's refusals become the contract's errors here.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from appliance import json_values
from appliance.accounts.apikeys import Principal
from appliance.analytics import (
    answer_schema,
    datasets,
    disclosure,
    service,
    survival_plans,
    threads,
)
from appliance.analytics.errors import (
    AnalyticsError,
    PlanError,
    Unanswerable,
    UnknownConversation,
    UnknownDataset,
)
from appliance.context import Appliance
from appliance.errors import ApplianceError, ErrorType, invalid
from appliance.http import parsing
from appliance.http.credentials import authenticate

log = logging.getLogger("hpx.analytics")
MAX_QUESTION = answer_schema.MAX_QUESTION


def _translate(exc: AnalyticsError) -> ApplianceError:
    if isinstance(exc, PlanError):
        return invalid(exc.path, exc.why)
    if isinstance(exc, UnknownDataset):
        return ApplianceError(ErrorType.not_found, "no such dataset in this organization")
    if isinstance(exc, UnknownConversation):
        return ApplianceError(ErrorType.not_found, "no such conversation for this caller")
    if isinstance(exc, disclosure.RecordLevel):
        return ApplianceError(ErrorType.forbidden, str(exc))
    assert isinstance(exc, Unanswerable)
    details = {"not_understood": exc.not_understood, "suggestions": exc.suggestions}
    return ApplianceError(ErrorType.unanswerable_question, str(exc), details=details)


async def call(appliance: Appliance, org_id: str, fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` in the analytics pool, as one of the organization's calls."""
    try:
        return await threads.run(appliance.settings.analytics_threads, org_id, fn, *args)
    except AnalyticsError as exc:
        raise _translate(exc) from None


IMPORT_WAIT_S = 20.0
"""How long a request waits for its organization's imports before answering without them."""


async def after_imports(
    fn: Callable[..., Any], appliance: Appliance, org_id: str, *args: Any
) -> Any:
    """Call ``fn``; if the organization has imports running that it had to go without
    (a dataset "importing", or a refusal), wait for them — on the event loop, so a large
    import holds no request thread — and call it once more."""
    try:
        result = await call(appliance, org_id, fn, appliance, org_id, *args)
        if not _mentions_importing(result):
            return result
    except ApplianceError:
        if not datasets.pending(org_id):
            raise
    running = datasets.pending(org_id)
    if running:
        await asyncio.wait([asyncio.wrap_future(f) for f in running], timeout=IMPORT_WAIT_S)
    return await call(appliance, org_id, fn, appliance, org_id, *args)


def _mentions_importing(result: Any) -> bool:
    found = result if isinstance(result, list) else [result]
    return any(getattr(d, "status", None) == "importing" for d in found)


def policy_of(principal: Principal) -> disclosure.Policy:
    """The organization's k, and whether this credential has record-level access."""
    rows = disclosure.ROWS_SCOPE in principal.scopes
    return disclosure.Policy(principal.org.min_cell_size, rows)


def profile_for(principal: Principal, found: datasets.Dataset) -> dict[str, Any]:
    """A dataset's profile as this credential may see it (analytics/disclosure.py)."""
    return disclosure.profile(found.detail(), policy_of(principal))


def owner_of(principal: Principal) -> str:
    """Conversations belong to the user of a bearer token, or to the API key."""
    return f"user:{principal.user_id}" if principal.user_id else f"key:{principal.key_id}"


async def list_datasets(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "query")
    found = await after_imports(service.list_datasets, appliance, principal.org.id)
    return JSONResponse({"datasets": [d.summary() for d in found]})


async def get_dataset(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "query")
    name = request.path_params["name"]
    found = await after_imports(service.get_dataset, appliance, principal.org.id, name)
    return JSONResponse(profile_for(principal, found))


async def put_dictionary(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "query")
    body = await parsing.read_json(request)
    name = request.path_params["name"]
    found = await after_imports(service.set_dictionary, appliance, principal.org.id, name, body)
    return JSONResponse(profile_for(principal, found))


@dataclass(frozen=True)
class Query:
    """A question or a plan, as ``POST /v1/queries`` and the MCP tools receive it."""

    question: str | None
    plan: dict[str, Any] | None
    dataset: str | None
    conversation_id: str | None


def read_query(body: dict[str, Any]) -> Query:
    """The fields of a query, each checked; ``invalid_request`` names the first bad one."""
    question = parsing.text(body, "question", max_length=MAX_QUESTION)
    plan = body.get("plan")
    if (question is None) == (plan is None):
        raise invalid("question", "send exactly one of question and plan")
    if question is not None and not question.strip():
        raise invalid("question", "is empty")
    if question is not None and not json_values.is_unicode(question):  # "\ud800"
        raise invalid("question", "is not Unicode text (a lone surrogate)")
    if plan is not None and not isinstance(plan, dict):
        raise invalid("plan", "must be an object")
    name = parsing.text(body, "dataset", max_length=answer_schema.MAX_DATASET_NAME)
    conversation_id = parsing.text(
        body, "conversation_id", max_length=answer_schema.MAX_CONVERSATION_ID
    )
    return Query(question, plan, name, conversation_id)


async def prepare_query(
    appliance: Appliance, principal: Principal, query: Query
) -> service.Prepared:
    """Everything that can refuse a query, in the analytics pool: the dataset, the
    reading of the question or the check of the plan, the conversation."""
    prepared: service.Prepared = await after_imports(
        service.prepare,
        appliance,
        principal.org.id,
        owner_of(principal),
        query.question,
        query.plan,
        query.dataset,
        query.conversation_id,
    )
    # What no suppression can make safe is refused here, before any stream opens.
    policy, org_id = policy_of(principal), principal.org.id
    await call(
        appliance, org_id, service.admit, appliance, org_id, owner_of(principal), prepared, policy
    )
    log.info("query %s on a dataset of org %s", prepared.query_id, principal.org.id)
    return prepared


async def run_query(
    appliance: Appliance, principal: Principal, prepared: service.Prepared
) -> dict[str, Any]:
    """The analysis of a prepared query (the ``/v1/queries`` answer object)."""
    org_id, owner = principal.org.id, owner_of(principal)
    policy = policy_of(principal)

    def run() -> dict[str, Any]:
        return service.execute(appliance, org_id, owner, prepared, policy=policy)

    result: dict[str, Any] = await call(appliance, org_id, run)
    return result


FORMATS = ("json", "svg")
PICTURE_HEADERS = {
    "Cache-Control": "no-store",
    # Opened on its own in a browser, the picture may run nothing and load nothing.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
}


def read_format(request: Request) -> str:
    """``?format=svg``: the answer's Kaplan-Meier picture instead of its JSON."""
    said = request.query_params.getlist("format")
    if len(said) > 1 or (said and said[0] not in FORMATS):
        raise invalid("format", "is json (the default) or svg")
    return said[0] if said else "json"


async def ask(request: Request) -> Response:
    appliance: Appliance = request.app.state.appliance
    principal = await authenticate(request, "query")
    form = read_format(request)
    body = await parsing.read_json(request)
    # every refusal happens here, before any stream opens
    prepared = await prepare_query(appliance, principal, read_query(body))
    if form == "svg":
        why = survival_plans.no_picture(prepared.plan)
        if why is not None and prepared.question is None:  # the plan's fault: 400
            raise invalid("format", why)
        policy = policy_of(principal)
        svg = await call(appliance, principal.org.id, service.plot, prepared, policy)
        headers = PICTURE_HEADERS | {"X-Query-Id": prepared.query_id}
        return Response(svg, media_type="image/svg+xml", headers=headers)
    if "text/event-stream" not in request.headers.get("accept", ""):
        return JSONResponse(await run_query(appliance, principal, prepared))
    return StreamingResponse(
        _events(prepared.head(), lambda: run_query(appliance, principal, prepared)),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _events(
    head: dict[str, Any], run: Callable[[], Awaitable[dict[str, Any]]]
) -> AsyncIterator[str]:
    """accepted, plan, progress, result, then exactly one of done or error."""
    seq = 0

    def event(name: str, data: dict[str, Any]) -> str:
        nonlocal seq
        seq += 1
        # No bare Infinity or NaN, which JSON parsers refuse: an error event instead.
        return f"id: {seq}\nevent: {name}\ndata: {json.dumps(data, allow_nan=False)}\n\n"

    yield event("accepted", {k: head[k] for k in ("query_id", "question", "dataset")})
    yield event("plan", {k: head[k] for k in ("interpretation", "interpretation_sentence", "plan")})
    yield event("progress", {"stage": "running", "message": "running the query"})
    try:
        result = await run()
        shown = {k: result[k] for k in ("sql", "columns", "rows", "row_count", "truncated")}
        last = [event("result", shown), event("done", result)]
    except Exception as exc:  # the stream is open: the error goes into it
        log.error("query %s failed: %s", head["query_id"], type(exc).__name__)
        error = exc if isinstance(exc, ApplianceError) else ApplianceError(ErrorType.internal_error)
        yield event("error", error.body())
        return
    for frame in last:
        yield frame
