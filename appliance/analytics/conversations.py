"""Conversations: the last plan of a caller's questions, so a follow-up can build on it.

Owner of the ``conversations`` table. A conversation belongs to one caller (a user, or
an API key) of one organization; anyone else asking with its id gets "unknown", the
same answer as for an id that never existed. Conversations expire.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from appliance.analytics import units
from appliance.analytics.errors import UnknownConversation
from appliance.clock import iso_in, now_iso
from appliance.db import DB
from appliance.ids import new_id

TTL_SECONDS = 24 * 3600


# Kept beside the plan when the conversation's latest question was refused: its "those"
# would point at nothing (the plan stays, for follow-ups that name what they change).
_UNANSWERED = "_unanswered"
# Kept beside the plan, before plans had a unit, when its answer was converted to the unit
# asked ("in months"): (factor, unit). Read as the plan's unit.
_UNIT = "_unit"


@dataclass(frozen=True)
class Last:
    plan: dict[str, Any]
    """The last answered plan (JSON form)."""
    answered: bool
    """Whether the latest question was answered (False: it was refused since)."""


def load(db: DB, org_id: str, owner: str, conversation_id: str) -> Last:
    """The last answered plan of the caller's conversation, and whether a refusal followed."""
    row = db.row(
        "SELECT plan FROM conversations WHERE id = ? AND org_id = ? AND owner = ?"
        " AND expires_at > ?",
        (conversation_id, org_id, owner, now_iso()),
    )
    if row is None:
        raise UnknownConversation(conversation_id)
    plan: dict[str, Any] = json.loads(row["plan"])
    unanswered = bool(plan.pop(_UNANSWERED, False))
    unit = plan.pop(_UNIT, None)
    if unit and "unit" not in plan:
        plan["unit"] = units.canonical(str(unit[1]))
    return Last(plan, not unanswered)


def mark_unanswered(db: DB, org_id: str, owner: str, conversation_id: str) -> None:
    """The caller's latest question in the conversation was refused."""
    with db.write() as conn:
        rows = list(
            conn.query(
                "SELECT plan FROM conversations WHERE id = ? AND org_id = ? AND owner = ?",
                (conversation_id, org_id, owner),
            )
        )
        if not rows:
            return
        plan = json.loads(rows[0]["plan"]) | {_UNANSWERED: True}
        conn.execute(
            "UPDATE conversations SET plan = ? WHERE id = ? AND org_id = ? AND owner = ?",
            (json.dumps(plan), conversation_id, org_id, owner),
        )


def save(
    db: DB,
    org_id: str,
    owner: str,
    conversation_id: str | None,
    plan: dict[str, Any],
) -> str:
    """Record ``plan`` as the conversation's latest; a new conversation without an id."""
    text = json.dumps(plan)
    with db.write() as conn:
        if conversation_id is not None:
            updated = conn.execute(
                "UPDATE conversations SET plan = ?, expires_at = ?"
                " WHERE id = ? AND org_id = ? AND owner = ?",
                (text, iso_in(TTL_SECONDS), conversation_id, org_id, owner),
            ).rowcount
            if updated:
                return conversation_id
        new = new_id("cnv")
        conn.table("conversations").insert(
            {
                "id": new,
                "org_id": org_id,
                "owner": owner,
                "plan": text,
                "created_at": now_iso(),
                "expires_at": iso_in(TTL_SECONDS),
            }
        )
        return new


def remove_expired(db: DB) -> int:
    with db.write() as conn:
        return conn.execute(
            "DELETE FROM conversations WHERE expires_at <= ?", (now_iso(),)
        ).rowcount
