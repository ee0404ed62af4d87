"""Organizations: the unit of isolation. Every other record belongs to exactly one."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from appliance import audit
from appliance.clock import now_iso
from appliance.db import DB, Connection
from appliance.errors import ApplianceError, ErrorType, invalid
from appliance.ids import new_id
from storage import Store

MAX_NAME_LENGTH = 200
DEFAULT_MIN_CELL_SIZE = 11
"""The smallest count an answer shows to a principal without the scope ``rows``
(analytics/disclosure.py): CMS's cell-size rule shows no cell from 1 to 10."""
MAX_MIN_CELL_SIZE = 1_000_000
SYSTEM = "system"
"""The actor of changes no operator asked for (tests, scripts that pass none)."""


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    status: str
    quota_bytes: int | None
    created_at: str
    min_cell_size: int = DEFAULT_MIN_CELL_SIZE
    """Disclosure control's k; 0 turns it off (analytics/disclosure.py)."""

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
            "min_cell_size": self.min_cell_size,
        }


def create_org(db: DB, name: str, actor: str = SYSTEM) -> Org:
    name = _valid_name(name)
    with db.write() as conn:
        _require_free_name(conn, name)
        org = Org(new_id("org"), name, "active", None, now_iso())
        conn.table("orgs").insert(asdict(org))
        audit.record(conn, actor, "org.create", org_id=org.id, target=org.name)
    return org


def list_orgs(db: DB) -> list[Org]:
    return [Org(**r) for r in db.rows("SELECT * FROM orgs ORDER BY name")]


def org_names(db: DB) -> dict[str, str]:
    """Every organization's name by id."""
    return {r["id"]: r["name"] for r in db.rows("SELECT id, name FROM orgs")}


def count(conn: Connection) -> int:
    """How many organizations ``conn``'s database holds (a backup's report)."""
    return int(next(iter(conn.query("SELECT COUNT(*) AS n FROM orgs")))["n"])


def find_org(db: DB, ref: str) -> Org:
    """An organization by id or by name, as an operator types it."""
    row = db.row("SELECT * FROM orgs WHERE id = ? OR name = ?", (ref, ref))
    if row is None:
        raise ApplianceError(ErrorType.not_found, f"no organization {ref!r}")
    return Org(**row)


def get_org(db: DB, org_id: str) -> Org | None:
    row = db.row("SELECT * FROM orgs WHERE id = ?", (org_id,))
    return Org(**row) if row else None


ORG_GONE = "the organization no longer exists"


def require_active_org(db: DB, org_id: str, missing: ErrorType = ErrorType.not_found) -> Org:
    """The organization, if it exists and is not suspended: the one rule every credential
    and every presigned URL is held to. A missing one is ``missing`` (401 where a
    credential named it, 404 where a URL did); a suspended one is 403."""
    org = get_org(db, org_id)
    if org is None:
        raise ApplianceError(missing, ORG_GONE)
    if not org.active:
        raise ApplianceError(ErrorType.forbidden, "the organization is suspended")
    return org


def rename_org(db: DB, ref: str, new_name: str, actor: str = SYSTEM) -> Org:
    org = find_org(db, ref)
    new_name = _valid_name(new_name)
    with db.write() as conn:
        if new_name.lower() != org.name.lower():
            _require_free_name(conn, new_name)
        conn.execute("UPDATE orgs SET name = ? WHERE id = ?", (new_name, org.id))
        audit.record(
            conn, actor, "org.rename", org_id=org.id, target=new_name, detail=f"was {org.name}"
        )
    return find_org(db, org.id)


def set_status(db: DB, ref: str, status: str, actor: str = SYSTEM) -> Org:
    """Suspend or resume; a suspended organization's credentials are refused at once."""
    if status not in ("active", "suspended"):
        raise invalid("status", "must be active or suspended")
    org = find_org(db, ref)
    with db.write() as conn:
        conn.execute("UPDATE orgs SET status = ? WHERE id = ?", (status, org.id))
        action = "org.suspend" if status == "suspended" else "org.resume"
        audit.record(conn, actor, action, org_id=org.id, target=org.name)
    return find_org(db, org.id)


def set_quota(db: DB, ref: str, quota_bytes: int | None, actor: str = SYSTEM) -> Org:
    """Cap the bytes the organization may store; None lifts the cap."""
    if quota_bytes is not None and quota_bytes < 0:
        raise invalid("quota_bytes", "must not be negative")
    org = find_org(db, ref)
    with db.write() as conn:
        conn.execute("UPDATE orgs SET quota_bytes = ? WHERE id = ?", (quota_bytes, org.id))
        audit.record(
            conn,
            actor,
            "org.quota",
            org_id=org.id,
            target=org.name,
            detail="none" if quota_bytes is None else f"{quota_bytes} bytes",
        )
    return find_org(db, org.id)


def set_min_cell_size(db: DB, ref: str, k: int, actor: str = SYSTEM) -> Org:
    """Set disclosure control's k: no count from 1 to k-1, and no statistic of fewer
    than k rows, in answers to principals without the scope ``rows``; 0 turns it off."""
    if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k <= MAX_MIN_CELL_SIZE:
        raise invalid("min_cell_size", f"must be a whole number from 0 to {MAX_MIN_CELL_SIZE}")
    org = find_org(db, ref)
    with db.write() as conn:
        conn.execute("UPDATE orgs SET min_cell_size = ? WHERE id = ?", (k, org.id))
        audit.record(
            conn,
            actor,
            "org.disclosure",
            org_id=org.id,
            target=org.name,
            detail=f"min_cell_size {k} (was {org.min_cell_size})" + (" - off" if k == 0 else ""),
        )
    return find_org(db, org.id)


def delete_org(db: DB, store: Store, ref: str, actor: str = SYSTEM) -> Org:
    """Remove the organization, its keys, users, upload sessions, files and their bytes.

    The rows go first: once they are gone nothing can reach the bytes, and a crash
    before the tree is removed leaves only unreferenced bytes for ``hpx gc``. The audit
    entry outlives the organization.
    """
    org = find_org(db, ref)
    with db.write() as conn:
        conn.execute("DELETE FROM orgs WHERE id = ?", (org.id,))
        audit.record(conn, actor, "org.delete", org_id=org.id, target=org.name)
    store.delete_org(org.id)
    return org


def _valid_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise invalid("name", f"must be 1 to {MAX_NAME_LENGTH} characters")
    return name


def _require_free_name(conn: Any, name: str) -> None:
    if conn.execute("SELECT 1 FROM orgs WHERE name = ?", (name,)).fetchone():
        raise invalid("name", f"an organization named {name!r} already exists")
