"""The query and its answer as typed models, beside the plan's (:mod:`plan_schema`).

``POST /v1/queries`` and the MCP tools ``ask`` and ``run_plan`` take a :class:`Query`
and give an :class:`Analysis`; ``GET /v1/datasets`` and the tools ``list_datasets`` and
``describe_dataset`` give :class:`DatasetSummary` and :class:`DatasetDetail`. The JSON
Schemas below are what ``GET /openapi.json`` and the MCP tools' input and output
schemas show: written once, here. (The answers are built by the service as plain
dicts; these models describe them, and ``tests/test_mcp.py`` checks the answers against
them through the MCP SDK's validation of structured output.)
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from appliance.analytics.plan_schema import Plan, json_schema

MAX_QUESTION = 1000
MAX_DATASET_NAME = 200
MAX_CONVERSATION_ID = 100
COLUMN_TYPES = ("integer", "number", "boolean", "category", "date", "text", "identifier")

S = dict[str, Any]
Count = Annotated[int, Meta(ge=0)]


Question = Annotated[str, Meta(min_length=1, max_length=MAX_QUESTION, pattern="\\S")]
DatasetName = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=MAX_DATASET_NAME,
        pattern="\\S",
        description="the dataset's name; without it, the one the question fits",
    ),
]
ConversationId = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=MAX_CONVERSATION_ID,
        pattern="\\S",
        description="conversation_id of an earlier answer: a follow-up builds on its plan",
    ),
]


class _Model(msgspec.Struct, omit_defaults=True, kw_only=True):
    pass


class Query(_Model):
    """A question in English, or a plan: exactly one of the two."""

    question: Question | UnsetType = UNSET
    plan: Plan | UnsetType = UNSET
    dataset: DatasetName | UnsetType = UNSET
    conversation_id: ConversationId | UnsetType = UNSET


Withheld = Annotated[
    Count | None,
    Meta(description="null when disclosure control withholds it (docs/privacy.md)"),
]


class Suppressed(_Model):
    """A value disclosure control withheld (null in ``answer`` and ``rows``)."""

    path: Annotated[str, Meta(description="a JSON Pointer into the answer")]
    reason: Annotated[str, Meta(description="small_count, few_rows, small_part or complementary")]


class Interpretation(_Model):
    phrase: str
    meaning: str


class Analysis(_Model):
    """The answer to a question or a plan (docs/analytics.md)."""

    query_id: str
    conversation_id: str
    question: str | None
    dataset: str
    interpretation: list[Interpretation]
    interpretation_sentence: Annotated[
        str,
        Meta(
            description="what was computed over which rows, and how many, in one sentence"
            " (the stream's plan event: without the counts)"
        ),
    ]
    plan: Plan
    sql: str
    columns: list[str]
    rows: list[Any]
    row_count: Count
    truncated: bool
    answer: Any
    summary: str
    chart: dict[str, Any] | None
    caveats: list[str]
    suppressed: list[Suppressed]


class Column(_Model):
    name: str
    type: str


class DatasetSummary(_Model):
    """A dataset: one per uploaded CSV or TSV file."""

    name: str
    file_id: str
    filename: str
    row_count: Count
    columns: list[Column]
    status: Literal["ready", "importing", "error"]
    error: str | None = None


class DictionaryEntry(_Model):
    """A column's entry in the data dictionary."""

    label: str | None = None
    description: str | None = None
    unit: str | None = None
    synonyms: list[str] | None = None
    value_labels: dict[str, str] | None = None
    role: Annotated[
        str | None,
        Meta(
            extra_json_schema={"enum": ["duration", "event", "none"]},
            description="time-to-event: a follow-up time, its event flag, or neither",
        ),
    ] = None
    event_value: Annotated[
        int | float | str | None, Meta(description="an event flag's value for the event")
    ] = None
    pair: Annotated[str | None, Meta(description="the name of its time-to-event pair")] = None


class SurvivalPair(_Model):
    """A follow-up time and its event flag (docs/analytics.md, "Survival")."""

    name: str
    duration: str
    unit: str | None
    event: str
    event_value: int | float | str
    source: Literal["dictionary", "profile"]


class Frequent(_Model):
    value: Any
    count: Withheld


class Profile(DictionaryEntry, kw_only=True):
    """A column's profile, with its dictionary entry."""

    name: str
    type: Annotated[str, Meta(extra_json_schema={"enum": list(COLUMN_TYPES)})]
    nulls: Withheld
    distinct: Count
    min: Any = None
    max: Any = None
    values: list[Frequent] | None = None
    source_name: str | None = None
    non_finite: Withheld = None


class DatasetDetail(DatasetSummary, kw_only=True):
    """A dataset with a profile (and dictionary entry) per column."""

    columns: list[Profile]  # type: ignore[assignment]
    survival_pairs: list[SurvivalPair] = []


QUERY: S = json_schema(Query)
ANALYSIS: S = json_schema(Analysis)
DATASET: S = json_schema(DatasetSummary)
DATASET_DETAIL: S = json_schema(DatasetDetail)
DICTIONARY_ENTRY: S = json_schema(DictionaryEntry)
