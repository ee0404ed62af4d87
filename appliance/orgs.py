"""Organizations: the unit of isolation. Every other record belongs to exactly one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from appliance.db import DB
from appliance.errors import ApiError, ErrorType, invalid
from appliance.ids import new_id, now_iso
from storage import LocalStore

MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    status: str
    quota_bytes: int | None
    created_at: str

    @property
    def active(self) -> bool:
        return self.status == "active"

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "quota_bytes": self.quota_bytes,
            "created_at": self.created_at,
        }


def create_org(db: DB, name: str) -> Org:
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise invalid("name", f"must be 1 to {MAX_NAME_LENGTH} characters")
    with db.write() as conn:
        if conn.execute("SELECT 1 FROM orgs WHERE name = ?", (name,)).fetchone():
            raise invalid("name", f"an organization named {name!r} already exists")
        org = Org(new_id("org"), name, "active", None, now_iso())
        conn.execute(
            "INSERT INTO orgs (id, name, status, quota_bytes, created_at) VALUES (?, ?, ?, ?, ?)",
            (org.id, org.name, org.status, org.quota_bytes, org.created_at),
        )
    return org


def list_orgs(db: DB) -> list[Org]:
    return [Org(**r) for r in db.rows("SELECT * FROM orgs ORDER BY name")]


def find_org(db: DB, ref: str) -> Org:
    """An organization by id or by name, as an operator types it."""
    row = db.row("SELECT * FROM orgs WHERE id = ? OR name = ?", (ref, ref))
    if row is None:
        raise ApiError(ErrorType.not_found, f"no organization {ref!r}")
    return Org(**row)


def get_org(db: DB, org_id: str) -> Org | None:
    row = db.row("SELECT * FROM orgs WHERE id = ?", (org_id,))
    return Org(**row) if row else None


def set_status(db: DB, ref: str, status: str) -> Org:
    """Suspend or resume; a suspended organization's credentials are refused at once."""
    org = find_org(db, ref)
    with db.write() as conn:
        conn.execute("UPDATE orgs SET status = ? WHERE id = ?", (status, org.id))
    return find_org(db, org.id)


def set_quota(db: DB, ref: str, quota_bytes: int | None) -> Org:
    """Cap the bytes the organization may store; None lifts the cap."""
    if quota_bytes is not None and quota_bytes < 0:
        raise invalid("quota_bytes", "must not be negative")
    org = find_org(db, ref)
    with db.write() as conn:
        conn.execute("UPDATE orgs SET quota_bytes = ? WHERE id = ?", (quota_bytes, org.id))
    return find_org(db, org.id)


def delete_org(db: DB, store: LocalStore, ref: str) -> Org:
    """Remove the organization, its keys, its upload sessions, its files and their bytes.

    The rows go first: once they are gone nothing can reach the bytes, and a crash
    before the tree is removed leaves only unreferenced bytes for ``hpx gc``.
    """
    org = find_org(db, ref)
    with db.write() as conn:
        conn.execute("DELETE FROM orgs WHERE id = ?", (org.id,))
    store.delete_org(org.id)
    return org
