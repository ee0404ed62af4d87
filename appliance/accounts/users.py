"""Users: people and applications that sign in with an email and a password.

Passwords are stored only as argon2id hashes (argon2-cffi's defaults, which follow
RFC 9106's recommendations). A disabled user cannot sign in; their row stays for the
audit trail.

Each user has a token epoch, written into every sign-in token (access_tokens.py) and
raised when the password changes or the user is disabled: a token is valid only
while its epoch is the user's current one, so a password reset signs out every
holder of the old password, and enabling a user again does not revive their old
tokens.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from appliance import audit
from appliance.accounts.orgs import SYSTEM, Org, find_org, org_names, require_active_org
from appliance.accounts.scopes import ROWS
from appliance.clock import now_iso
from appliance.db import DB
from appliance.errors import ApplianceError, ErrorType, invalid
from appliance.ids import new_id

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verifying an unknown email against this keeps sign-in timing the same for both cases.

    Made on first use: an argon2id hash takes 64 MiB for a moment, which the server
    should not spend at start-up.
    """
    return _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class User:
    id: str
    org_id: str
    email: str
    status: str
    created_at: str
    password_changed_at: str
    token_epoch: int = 0
    rows_scope: int = 0
    """1 if an operator granted record-level access (the scope ``rows``,
    analytics/disclosure.py); carried in the user's sign-in tokens."""

    @property
    def scopes(self) -> frozenset[str]:
        """What the user's sign-in tokens may do."""
        return frozenset({"query", ROWS}) if self.rows_scope else frozenset({"query"})

    def to_dict(self) -> dict[str, Any]:
        shown = asdict(self)
        shown["rows"] = bool(shown.pop("rows_scope"))
        return shown


def generate_password() -> str:
    """A password for an operator to hand over once: 20 URL-safe characters."""
    return secrets.token_urlsafe(15)


def add_user(
    db: DB, org_ref: str, email: str, password: str, actor: str = SYSTEM, rows: bool = False
) -> User:
    """A new active user; ``rows`` grants record-level access (exact small counts,
    record-level statistics), which no user has unless an operator says so."""
    org = find_org(db, org_ref)
    email = _valid_email(email)
    digest = _hasher.hash(_valid_password(password))
    stamp = now_iso()
    user = User(new_id("usr"), org.id, email, "active", stamp, stamp, 0, int(rows))
    with db.write() as conn:
        if list(conn.query("SELECT 1 FROM users WHERE email = ?", (email,))):
            raise invalid("email", f"a user {email!r} already exists")
        conn.table("users").insert(
            {
                "id": user.id,
                "org_id": org.id,
                "email": email,
                "password_hash": digest,
                "status": user.status,
                "created_at": stamp,
                "password_changed_at": stamp,
                "rows_scope": int(rows),
            }
        )
        audit.record(
            conn, actor, "user.add", org_id=org.id, target=email, detail="rows" if rows else None
        )
    return user


def list_users(db: DB, org_ref: str | None = None) -> list[dict[str, Any]]:
    sql = "SELECT id, org_id, email, status, created_at, password_changed_at, rows_scope FROM users"
    params: tuple[str, ...] = ()
    if org_ref is not None:
        sql += " WHERE org_id = ?"
        params = (find_org(db, org_ref).id,)
    names = org_names(db)
    rows = [
        {k: v for k, v in r.items() if k != "rows_scope"}
        | {"rows": bool(r["rows_scope"]), "org_name": names.get(r["org_id"], "?")}
        for r in db.rows(sql, params)
    ]
    return sorted(rows, key=lambda r: (r["org_name"], r["email"]))


def set_rows(db: DB, org_ref: str, email: str, on: bool, actor: str = SYSTEM) -> User:
    """Grant or withdraw record-level access (the scope ``rows``). The user's token
    epoch goes up either way: a token says what its holder may do, so tokens issued
    before the change end with it (the user signs in again)."""
    org = find_org(db, org_ref)
    user = _get(db, email)
    if user.org_id != org.id:
        raise ApplianceError(ErrorType.not_found, f"no user {email!r} in {org.name}")
    with db.write() as conn:
        conn.execute(
            "UPDATE users SET rows_scope = ?, token_epoch = token_epoch + 1 WHERE id = ?",
            (int(on), user.id),
        )
        audit.record(
            conn, actor, "user.rows", org_id=org.id, target=user.email, detail="on" if on else "off"
        )
    return _get(db, email)


def disable_user(db: DB, email: str, actor: str = SYSTEM) -> User:
    return _set_status(db, email, "disabled", actor)


def enable_user(db: DB, email: str, actor: str = SYSTEM) -> User:
    return _set_status(db, email, "active", actor)


def reset_password(db: DB, email: str, password: str, actor: str = SYSTEM) -> User:
    user = _get(db, email)
    digest = _hasher.hash(_valid_password(password))
    with db.write() as conn:
        conn.execute(
            "UPDATE users SET password_hash = ?, password_changed_at = ?,"
            " token_epoch = token_epoch + 1 WHERE id = ?",
            (digest, now_iso(), user.id),
        )
        audit.record(conn, actor, "user.password", org_id=user.org_id, target=user.email)
    return _get(db, email)


def check_password(db: DB, email: str, password: str) -> tuple[User, Org]:
    """The user and their organization for a correct password of an active user, else 401."""
    row = db.row("SELECT * FROM users WHERE email = ?", (email.strip(),))
    stored = row["password_hash"] if row else _dummy_hash()
    try:
        _hasher.verify(stored, password)
        ok = row is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None:
        if row is not None:  # an unknown email has no organization to file it under
            audit.record_now(
                db,
                f"user:{row['id']}",
                "auth.signin_failed",
                org_id=row["org_id"],
                target=row["id"],
            )
        raise ApplianceError(ErrorType.unauthorized, "wrong email or password")
    if row["status"] != "active":
        raise ApplianceError(ErrorType.unauthorized, "this user is disabled")
    org = require_active_org(db, row["org_id"], missing=ErrorType.unauthorized)
    audit.record_now(db, f"user:{row['id']}", "auth.signin", org_id=org.id, target=row["id"])
    if _hasher.check_needs_rehash(stored):
        with db.write() as conn:
            conn.execute(
                "UPDATE users SET password_hash = ? WHERE id = ?",
                (_hasher.hash(password), row["id"]),
            )
    return _user(row), org


def active_counts(db: DB) -> dict[str, int]:
    """Active users, per organization."""
    rows = db.rows(
        "SELECT org_id, COUNT(*) AS n FROM users WHERE status = 'active' GROUP BY org_id"
    )
    return {r["org_id"]: int(r["n"]) for r in rows}


def token_standing(db: DB, user_id: str) -> tuple[str, int] | None:
    """The organization and current token epoch of an active user; None for a
    disabled or unknown one."""
    row = db.row("SELECT status, org_id, token_epoch FROM users WHERE id = ?", (user_id,))
    if row is None or row["status"] != "active":
        return None
    return str(row["org_id"]), int(row["token_epoch"])


def is_active(db: DB, user_id: str) -> bool:
    row = db.row("SELECT status FROM users WHERE id = ?", (user_id,))
    return row is not None and row["status"] == "active"


def _set_status(db: DB, email: str, status: str, actor: str) -> User:
    user = _get(db, email)
    # Disabling raises the epoch: enabling again must not bring back old tokens.
    raise_epoch = 1 if status == "disabled" else 0
    with db.write() as conn:
        conn.execute(
            "UPDATE users SET status = ?, token_epoch = token_epoch + ? WHERE id = ?",
            (status, raise_epoch, user.id),
        )
        action = "user.disable" if status == "disabled" else "user.enable"
        audit.record(conn, actor, action, org_id=user.org_id, target=user.email)
    return _get(db, email)


def _get(db: DB, email: str) -> User:
    row = db.row("SELECT * FROM users WHERE email = ?", (email.strip(),))
    if row is None:
        raise ApplianceError(ErrorType.not_found, f"no user {email!r}")
    return _user(row)


def _user(row: dict[str, Any]) -> User:
    return User(**{k: v for k, v in row.items() if k != "password_hash"})


def _valid_email(email: str) -> str:
    email = email.strip()
    if not _EMAIL.match(email) or len(email) > 254:
        raise invalid("email", "is not an email address")
    return email


def _valid_password(password: str) -> str:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise invalid("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")
    return password
