"""The MCP tools: what each takes and returns, and the call that answers it.

Free of the MCP SDK (``mcp_endpoint`` adapts these to it), so the tools are plain
functions over the same code as ``/v1/datasets`` and ``/v1/queries``: the same
service calls in the same analytics pool, the same checks of a question or a plan,
the same refusals. Nothing here runs SQL or reads a file that those endpoints would
not. Each call is recorded in the audit trail (tool, caller, organization, the
dataset's file id) and logged without the question's text.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from appliance import audit
from appliance.accounts.apikeys import Principal
from appliance.analytics import service
from appliance.analytics.answer_schema import ANALYSIS, DATASET, DATASET_DETAIL, QUERY
from appliance.context import Appliance
from appliance.errors import ApplianceError, ErrorType, invalid
from appliance.http import analytics_views
from appliance.threads import in_thread

log = logging.getLogger("hpx.mcp")

S = dict[str, Any]
_QUERY: S = QUERY["properties"]


def _input(required: list[str], **props: S) -> S:
    return {
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class Tool:
    name: str
    title: str
    description: str
    input_schema: S
    output_schema: S


TOOLS: tuple[Tool, ...] = (
    Tool(
        "list_datasets",
        "List datasets",
        "The datasets of the caller's organization (one per uploaded CSV or TSV file): name,"
        " status (ready, importing, error), row_count and the columns with their types.",
        _input([]),
        _input(["datasets"], datasets={"type": "array", "items": DATASET}),
    ),
    Tool(
        "describe_dataset",
        "Describe a dataset",
        "One dataset's profile and data dictionary, per column: name, type, label, unit,"
        " synonyms, value_labels, nulls, distinct, min/max and the most frequent values."
        " Read it before building a plan.",
        _input(["dataset"], dataset=_QUERY["dataset"]),
        DATASET_DETAIL,
    ),
    Tool(
        "ask",
        "Ask a question",
        "Answer a question a person typed, in English, about one dataset; the answer object"
        " of POST /v1/queries (answer, summary, plan, interpretation, caveats,"
        " conversation_id). A question that cannot be mapped to the data is refused with"
        " what was not understood. An agent that can build the plan itself should call"
        " run_plan instead.",
        _input(
            ["question"],
            question=_QUERY["question"],
            dataset=_QUERY["dataset"],
            conversation_id=_QUERY["conversation_id"],
        ),
        ANALYSIS,
    ),
    Tool(
        "run_plan",
        "Run a plan",
        "Compute a plan (statistic, column, filters, group_by …; see the plan's schema) on"
        " the dataset it names; the answer object of POST /v1/queries. A plan that breaks a"
        " rule is refused naming the field (plan.filters[1].op: …).",
        _input(["plan"], plan=_QUERY["plan"], conversation_id=_QUERY["conversation_id"]),
        ANALYSIS,
    ),
)
BY_NAME = {t.name: t for t in TOOLS}


def _arguments(arguments: Any, tool: Tool) -> dict[str, Any]:
    if arguments is None:
        return {}
    if not isinstance(arguments, dict):
        raise invalid("arguments", "must be an object")
    unknown = set(arguments) - set(tool.input_schema["properties"])
    if unknown:
        raise invalid("arguments", f"unknown field(s): {', '.join(sorted(unknown))}")
    return arguments


async def call(
    appliance: Appliance, principal: Principal, name: str, arguments: Any
) -> dict[str, Any]:
    """The tool's structured answer; an :class:`ApplianceError` is the tool's error."""
    tool = BY_NAME.get(name)
    if tool is None:
        raise ApplianceError(ErrorType.not_found, f"no tool {name!r}")
    args = _arguments(arguments, tool)
    org_id = principal.org.id
    result: dict[str, Any]
    file_id: str | None = None
    audited: asyncio.Future[None] | None = None
    try:
        if name == "list_datasets":
            found = await analytics_views.after_imports(service.list_datasets, appliance, org_id)
            result = {"datasets": [d.summary() for d in found]}
        elif name == "describe_dataset":
            dataset = args.get("dataset")
            if not isinstance(dataset, str) or not dataset:
                raise invalid("dataset", "name the dataset")
            ds = await analytics_views.after_imports(
                service.get_dataset, appliance, org_id, dataset
            )
            file_id, result = ds.file_id, analytics_views.profile_for(principal, ds)
        else:
            if name == "ask" and "question" not in args:
                raise invalid("question", "is required")
            if name == "run_plan" and "plan" not in args:
                raise invalid("plan", "is required")
            query = analytics_views.read_query(args)
            prepared = await analytics_views.prepare_query(appliance, principal, query)
            file_id = prepared.dataset.file_id
            # Recorded while the plan runs, not after: the answer does not wait for it.
            audited = asyncio.ensure_future(_audit(appliance, principal, name, file_id))
            result = await analytics_views.run_query(appliance, principal, prepared)
    finally:
        await (audited or _audit(appliance, principal, name, file_id))
    return result


async def _audit(
    appliance: Appliance, principal: Principal, tool: str, file_id: str | None
) -> None:
    """``mcp.<tool>`` by the key or user, on the dataset's file id: never the question."""
    actor = analytics_views.owner_of(principal)
    log.info("mcp %s by %s of org %s", tool, actor, principal.org.id)
    await in_thread(
        audit.record_now, appliance.db, actor, f"mcp.{tool}", org_id=principal.org.id,
        target=file_id,
    )  # fmt: skip
