"""The plan's JSON Schema: one description of what :func:`plan.from_json` accepts.

``GET /openapi.json`` shows it for ``POST /v1/queries``, and ``/mcp`` gives it to
agents as the input of ``run_plan``, so that an agent can build a plan without reading
the documentation. The schema says the shape (fields, kinds, the closed lists of
statistics and operators); the rules between fields and the dataset's columns are
:func:`plan.from_json`'s, which names the field of the first fault
(``plan.filters[1].op: …``).
"""

from __future__ import annotations

from typing import Any

from appliance.analytics.plan import (
    BINS,
    CORRELATION_METHODS,
    COX_OUTPUTS,
    DIFFERENCE_OF,
    LINEAR_OUTPUTS,
    LOGISTIC_OUTPUTS,
    MAX_LIMIT,
    MAX_PREDICTORS,
    OPERATORS,
    PARTS,
    STATISTICS,
)

S = dict[str, Any]

_STR: S = {"type": "string"}
_VALUE: S = {"type": ["string", "number"]}

FILTER: S = {
    "type": "object",
    "description": "A condition on one column: value for one operand, values for in/between,"
    " neither for is_null/not_null; part compares the year or month of a date.",
    "properties": {
        "column": _STR,
        "op": {"type": "string", "enum": list(OPERATORS)},
        "value": _VALUE,
        "values": {"type": "array", "items": _VALUE},
        "part": {"type": "string", "enum": list(PARTS)},
    },
    "required": ["column", "op"],
    "additionalProperties": False,
}
FILTERS: S = {"type": "array", "items": FILTER}
_GROUP_BY_ITEM: S = {
    "anyOf": [
        _STR,
        {
            "type": "object",
            "properties": {"column": _STR, "bin": {"type": "string", "enum": list(BINS)}},
            "required": ["column"],
            "additionalProperties": False,
        },
    ]
}
_PREDICTOR: S = {
    "anyOf": [
        _STR,
        {
            "type": "object",
            "properties": {"column": _STR},
            "required": ["column"],
            "additionalProperties": False,
        },
        FILTER,
    ]
}

PLAN: S = {
    "type": "object",
    "description": "What to compute on one dataset (docs/analytics.md, 'Plans').",
    "properties": {
        "dataset": {"type": "string", "minLength": 1, "pattern": "\\S"},
        "statistic": {"type": "string", "enum": list(STATISTICS)},
        "column": _STR,
        "x": _STR,
        "filters": FILTERS,
        "condition": FILTERS,
        "groups": {"type": "array", "items": FILTERS, "minItems": 2, "maxItems": 2},
        "of": {"type": "string", "enum": list(DIFFERENCE_OF)},
        "group_by": {"type": "array", "maxItems": 2, "items": _GROUP_BY_ITEM},
        "percentile": {"type": "number", "minimum": 0, "maximum": 100},
        "method": {"type": "string", "enum": list(CORRELATION_METHODS)},
        "output": {"type": "string", "enum": [*LINEAR_OUTPUTS, *LOGISTIC_OUTPUTS, *COX_OUTPUTS]},
        "predictors": {"type": "array", "maxItems": MAX_PREDICTORS, "items": _PREDICTOR},
        "at": {"type": "object", "additionalProperties": {"type": "number"}},
        "order": {"type": "string", "enum": ["asc", "desc"]},
        "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
        "label": _STR,
        "time": {"type": "number", "minimum": 0},
    },
    "required": ["statistic"],
    "additionalProperties": False,
}
