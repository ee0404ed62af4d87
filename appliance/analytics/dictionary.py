"""Data dictionaries: per column a label, description, unit, synonyms and value labels.

Real extracts have cryptic column names (``ph_ecog``, ``sex`` coded 1/2); a dictionary
lets the question reader and a person read them. It is the customer's own data, so it
lives in the metadata database (owner of ``dataset_dictionaries``), keyed by the file
it describes, and goes when the file's organization goes.
"""

from __future__ import annotations

import json
from typing import Any

from appliance.analytics.errors import PlanError
from appliance.clock import now_iso
from appliance.db import DB

FIELDS = ("label", "description", "unit", "synonyms", "value_labels", "role", "event_value", "pair")
ROLES = ("duration", "event", "none")
"""Time-to-event roles (time_to_event.py): a follow-up time, the flag of its event, or
neither (kept out of the guessing)."""
MAX_TEXT = 500
MAX_ITEMS = 200


def load(db: DB, org_id: str, file_id: str) -> dict[str, dict[str, Any]]:
    row = db.row(
        "SELECT columns FROM dataset_dictionaries WHERE org_id = ? AND file_id = ?",
        (org_id, file_id),
    )
    return json.loads(row["columns"]) if row else {}


def load_all(db: DB, org_id: str) -> dict[str, dict[str, dict[str, Any]]]:
    """Every dictionary of the organization, by file id: one query for a listing of its
    datasets, not one for each."""
    return {
        r["file_id"]: json.loads(r["columns"])
        for r in db.rows(
            "SELECT file_id, columns FROM dataset_dictionaries WHERE org_id = ?", (org_id,)
        )
    }


def save(
    db: DB, org_id: str, file_id: str, raw: Any, column_names: list[str]
) -> dict[str, dict[str, Any]]:
    """Check and merge ``raw`` (``{column: {field: value}}``) into the stored dictionary.

    A field given as null is removed; columns not in the dataset are refused.
    """
    entries = _checked(raw, column_names)
    with db.write() as conn:
        row = conn.execute(
            "SELECT columns FROM dataset_dictionaries WHERE org_id = ? AND file_id = ?",
            (org_id, file_id),
        ).fetchone()
        merged: dict[str, dict[str, Any]] = json.loads(row[0]) if row else {}
        for column, fields in entries.items():
            current = merged.setdefault(column, {})
            for name, value in fields.items():
                if value is None:
                    current.pop(name, None)
                else:
                    current[name] = value
            if not current:
                del merged[column]
            _check_roles(column, merged.get(column, {}))
        conn.table("dataset_dictionaries").upsert(
            {
                "org_id": org_id,
                "file_id": file_id,
                "columns": json.dumps(merged),
                "updated_at": now_iso(),
            },
            pk=("org_id", "file_id"),
        )
    return merged


def forget(db: DB, org_id: str, file_id: str) -> None:
    with db.write() as conn:
        conn.execute(
            "DELETE FROM dataset_dictionaries WHERE org_id = ? AND file_id = ?", (org_id, file_id)
        )


def _checked(raw: Any, column_names: list[str]) -> dict[str, dict[str, Any]]:
    if not isinstance(raw, dict) or not isinstance(raw.get("columns"), dict):
        raise PlanError("columns", 'the body is {"columns": {COLUMN: {label, ...}}}')
    out: dict[str, dict[str, Any]] = {}
    for column, fields in raw["columns"].items():
        if column not in column_names:
            raise PlanError(
                f"columns.{column}", f"no such column; the columns are {', '.join(column_names)}"
            )
        if not isinstance(fields, dict) or set(fields) - set(FIELDS):
            raise PlanError(f"columns.{column}", f"an object with any of {', '.join(FIELDS)}")
        entry: dict[str, Any] = {}
        for name, value in fields.items():
            where = f"columns.{column}.{name}"
            if value is None:
                entry[name] = None
            elif name in ("label", "description", "unit", "pair"):
                entry[name] = _text(value, where)
            elif name == "role":
                if value not in ROLES:
                    raise PlanError(where, f"one of {', '.join(ROLES)}")
                entry[name] = value
            elif name == "event_value":
                if isinstance(value, bool) or not isinstance(value, str | int | float):
                    raise PlanError(where, "the value (text or number) that means the event")
                entry[name] = _text(value, where) if isinstance(value, str) else value
            elif name == "synonyms":
                if not isinstance(value, list) or len(value) > MAX_ITEMS:
                    raise PlanError(where, f"a list of at most {MAX_ITEMS} strings")
                entry[name] = [_text(v, where) for v in value]
            else:
                if not isinstance(value, dict) or len(value) > MAX_ITEMS:
                    raise PlanError(where, "an object {VALUE: LABEL}")
                entry[name] = {_text(k, where): _text(v, where) for k, v in value.items()}
        out[column] = entry
    return out


def _check_roles(column: str, entry: dict[str, Any]) -> None:
    """An event flag is useless without the value that means the event, and that value
    means nothing on a column that is not an event flag."""
    if entry.get("role") == "event" and "event_value" not in entry:
        raise PlanError(f"columns.{column}.event_value", "an event column needs its event_value")
    if "event_value" in entry and entry.get("role") != "event":
        raise PlanError(f"columns.{column}.role", 'event_value goes with "role": "event"')


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
        raise PlanError(where, f"a non-empty string of at most {MAX_TEXT} characters")
    return value.strip()
