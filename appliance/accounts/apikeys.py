"""API keys for partner systems: issued once, stored only as a hash, revocable.

A key reads ``hpk_<key id>_<secret>``. The prefix makes leaked keys easy to find
with secret scanners; the key id lets an operator revoke it without ever seeing the
secret again. The secret has 256 bits of entropy, so a plain SHA-256 (not a slow
password hash) is the right way to store it: nothing can be guessed from the hash,
and checking a key costs microseconds on every request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from appliance import audit
from appliance.accounts.orgs import SYSTEM, Org, find_org, org_names, require_active_org
from appliance.accounts.scopes import DEFAULT_SCOPES, SCOPES
from appliance.clock import iso, now_iso, utc_now
from appliance.db import DB, Connection
from appliance.errors import ApplianceError, ErrorType, invalid

KEY_PREFIX = "hpk"
MAX_KEY_DAYS = 36500
"""A key lives at most 100 years (or without an expiry): a date must stay representable."""
LAST_USED_RESOLUTION_S = 60
"""last_used_at is written at most this often per key, to keep requests read-only."""


@dataclass(frozen=True)
class IssuedKey:
    key_id: str
    api_key: str
    """The only time the secret exists outside the client: shown once, never stored."""
    org_id: str
    name: str
    scopes: list[str]
    expires_at: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "api_key": self.api_key,
            "org_id": self.org_id,
            "name": self.name,
            "scopes": self.scopes,
            "expires_at": self.expires_at,
        }


@dataclass(frozen=True)
class Principal:
    """Who is calling: the organization a credential speaks for and what it may do."""

    org: Org
    scopes: frozenset[str]
    key_id: str | None = None
    user_id: str | None = None

    @property
    def actor(self) -> str:
        """How the audit trail names this caller: ``key:<id>`` or ``user:<id>``."""
        return f"key:{self.key_id}" if self.key_id else f"user:{self.user_id}"

    def require(self, scope: str) -> None:
        if scope not in self.scopes:
            raise ApplianceError(ErrorType.forbidden, f"this credential lacks the {scope!r} scope")


def active_counts(db: DB) -> dict[str, int]:
    """Keys not revoked, per organization."""
    rows = db.rows(
        "SELECT org_id, COUNT(*) AS n FROM api_keys WHERE revoked_at IS NULL GROUP BY org_id"
    )
    return {r["org_id"]: int(r["n"]) for r in rows}


def count(conn: Connection) -> int:
    """How many API keys ``conn``'s database holds, revoked ones too (a backup's report)."""
    return int(next(iter(conn.query("SELECT COUNT(*) AS n FROM api_keys")))["n"])


def parse_scopes(text: str | list[str]) -> list[str]:
    items = text.split(",") if isinstance(text, str) else text
    scopes = sorted({s.strip() for s in items if s.strip()})
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise invalid("scopes", f"choose from {', '.join(SCOPES)}")
    return scopes


def issue_key(
    db: DB,
    org_ref: str,
    name: str = "default",
    scopes: list[str] | None = None,
    expires_in_days: int | None = None,
    actor: str = SYSTEM,
) -> IssuedKey:
    org = find_org(db, org_ref)
    scopes = parse_scopes(scopes or list(DEFAULT_SCOPES))
    if expires_in_days is not None and not 0 < expires_in_days <= MAX_KEY_DAYS:
        raise invalid("expires_in_days", f"must be from 1 to {MAX_KEY_DAYS} days")
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    expires_at = iso(utc_now() + timedelta(days=expires_in_days)) if expires_in_days else None
    with db.write() as conn:
        conn.table("api_keys").insert(
            {
                "id": key_id,
                "org_id": org.id,
                "name": name,
                "secret_hash": _hash(secret),
                "scopes": ",".join(scopes),
                "created_at": now_iso(),
                "expires_at": expires_at,
            }
        )
        audit.record(
            conn,
            actor,
            "key.issue",
            org_id=org.id,
            target=key_id,
            detail=f"{name}; scopes {','.join(scopes)}; expires {expires_at or 'never'}",
        )
    return IssuedKey(key_id, f"{KEY_PREFIX}_{key_id}_{secret}", org.id, name, scopes, expires_at)


def list_keys(db: DB, org_ref: str | None = None) -> list[dict[str, Any]]:
    """Key metadata for operators; the hash never leaves this module."""
    sql = (
        "SELECT id AS key_id, org_id, name, scopes, created_at, expires_at, revoked_at,"
        " last_used_at FROM api_keys"
    )
    params: tuple[str, ...] = ()
    if org_ref is not None:
        sql += " WHERE org_id = ?"
        params = (find_org(db, org_ref).id,)
    rows = db.rows(sql + " ORDER BY created_at, id", params)
    names = org_names(db)
    for r in rows:
        r["org_name"] = names.get(r["org_id"], "?")
        r["scopes"] = r["scopes"].split(",")
        r["prefix"] = f"{KEY_PREFIX}_{r['key_id']}_"
    return rows


def revoke_key(db: DB, key_id: str, actor: str = SYSTEM) -> None:
    key_id = key_id.removeprefix(f"{KEY_PREFIX}_").split("_", 1)[0]
    with db.write() as conn:
        cur = conn.execute(
            "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            (now_iso(), key_id),
        )
        if cur.rowcount == 0:
            exists = conn.execute("SELECT 1 FROM api_keys WHERE id = ?", (key_id,)).fetchone()
            if not exists:
                raise ApplianceError(ErrorType.not_found, f"no API key {key_id!r}")
            return  # already revoked: nothing changed, nothing to record
        org_id = conn.execute("SELECT org_id FROM api_keys WHERE id = ?", (key_id,)).fetchone()
        audit.record(conn, actor, "key.revoke", org_id=org_id[0], target=key_id)


def authenticate_key(db: DB, presented: str) -> Principal:
    """The principal for a presented key, or 401/403. Constant-time on the secret."""
    parts = presented.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        raise ApplianceError(ErrorType.unauthorized, "the API key is malformed")
    _prefix, key_id, secret = parts
    row = db.row("SELECT * FROM api_keys WHERE id = ?", (key_id,))
    # Compare against a dummy when the id is unknown, so timing does not tell ids apart.
    stored = row["secret_hash"] if row else _hash("")
    if not hmac.compare_digest(stored, _hash(secret)) or row is None:
        raise ApplianceError(ErrorType.unauthorized, "the API key is not valid")
    if row["revoked_at"] is not None:
        raise ApplianceError(ErrorType.unauthorized, "the API key has been revoked")
    stamp = now_iso()
    if row["expires_at"] is not None and row["expires_at"] <= stamp:
        raise ApplianceError(ErrorType.unauthorized, "the API key has expired")
    org = require_active_org(db, row["org_id"], missing=ErrorType.unauthorized)
    _touch(db, key_id, row["org_id"], row["last_used_at"])
    return Principal(org=org, scopes=frozenset(row["scopes"].split(",")), key_id=key_id)


def still_valid(db: DB, key_id: str) -> bool:
    """Not revoked and not expired: may what this key made (upload URLs) still be used?"""
    row = db.row("SELECT revoked_at, expires_at FROM api_keys WHERE id = ?", (key_id,))
    if row is None or row["revoked_at"] is not None:
        return False
    return row["expires_at"] is None or row["expires_at"] > now_iso()


def _touch(db: DB, key_id: str, org_id: str, last_used_at: str | None) -> None:
    """Note the key's use, at most once a minute (so also in the audit trail)."""
    moment = utc_now()
    threshold = iso(moment - timedelta(seconds=LAST_USED_RESOLUTION_S))
    if last_used_at is None or last_used_at < threshold:
        with db.write() as conn:  # queued with the other writers, not against them
            conn.execute("UPDATE api_keys SET last_used_at = ? WHERE id = ?", (iso(moment), key_id))
            audit.record(conn, f"key:{key_id}", "key.use", org_id=org_id, target=key_id)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
