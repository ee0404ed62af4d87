"""What an operator looks at first: each organization with its keys, users and bytes.

Each count comes from the module that owns its table; this one only puts them side
by side (it sits above orgs, apikeys and users, which cannot import each other both
ways).
"""

from __future__ import annotations

from typing import Any

from appliance.accounts import apikeys, orgs, users
from appliance.db import DB
from appliance.files import records as files


def overview(db: DB) -> list[dict[str, Any]]:
    """One row per organization, by name: counts and bytes."""
    keys = apikeys.active_counts(db)
    people = users.active_counts(db)
    usage = files.usage_by_org(db)
    return [
        {
            "id": org.id,
            "name": org.name,
            "status": org.status,
            "quota_bytes": org.quota_bytes,
            "created_at": org.created_at,
            "keys": keys.get(org.id, 0),
            "users": people.get(org.id, 0),
            "files": usage.get(org.id, (0, 0))[0],
            "used_bytes": usage.get(org.id, (0, 0))[1],
        }
        for org in orgs.list_orgs(db)
    ]
