"""Conversations: the last plan of a caller's questions, so a follow-up can build on it.

Owner of the ``conversations`` table. A conversation belongs to one caller (a user, or
an API key) of one organization; anyone else asking with its id gets "unknown", the
same answer as for an id that never existed. Conversations expire.
"""

from __future__ import annotations

import json
from typing import Any

from appliance.analytics.errors import UnknownConversation
from appliance.db import DB
from appliance.ids import iso_in, new_id, now_iso

TTL_SECONDS = 24 * 3600


def load(db: DB, org_id: str, owner: str, conversation_id: str) -> dict[str, Any]:
    """The last plan (JSON form) of the caller's conversation."""
    row = db.row(
        "SELECT plan FROM conversations WHERE id = ? AND org_id = ? AND owner = ?"
        " AND expires_at > ?",
        (conversation_id, org_id, owner, now_iso()),
    )
    if row is None:
        raise UnknownConversation(conversation_id)
    plan: dict[str, Any] = json.loads(row["plan"])
    return plan


def save(db: DB, org_id: str, owner: str, conversation_id: str | None, plan: dict[str, Any]) -> str:
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
