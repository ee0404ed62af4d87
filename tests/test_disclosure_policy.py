"""Disclosure control's settings (issue 28, items 1 and 2): each organization's
``min_cell_size`` and who has record-level access (the scope ``rows``), through the
command line an operator uses, the database migration, and the sign-in token."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import httpx
import jwt
import pytest

from appliance.accounts import orgs
from appliance.db import open_db
from appliance.db.schema import MIGRATIONS
from appliance.db.sqlite import _statements
from tests.cli_runner import Result, run_hpx
from tests.helpers import error_of
from tests.servers import Server

PASSWORD = "a sufficiently long passphrase"


def hpx(data_dir: Path, *args: str, stdin: str | None = None) -> Result:
    return run_hpx(*args, "--data-dir", str(data_dir), stdin=stdin)


def ok(data_dir: Path, *args: str, stdin: str | None = None) -> dict[str, object]:
    r = hpx(data_dir, *args, "--json", stdin=stdin)
    assert r.returncode == 0, r.stderr
    found: dict[str, object] = json.loads(r.stdout)
    return found


@pytest.fixture
def initialized(tmp_path: Path) -> Path:
    """A data directory made by `hpx init`, as an operator's."""
    assert ok(tmp_path, "init")["ready"] is True
    return tmp_path


@pytest.mark.usefixtures("initialized")
def test_min_cell_size_is_11_by_default_set_shown_and_audited(tmp_path: Path) -> None:
    created = ok(tmp_path, "org", "create", "St Mary's")
    assert created["min_cell_size"] == 11
    assert ok(tmp_path, "org", "show", "St Mary's")["min_cell_size"] == 11
    assert (
        ok(tmp_path, "org", "disclosure", "St Mary's", "--min-cell-size", "5")["min_cell_size"] == 5
    )
    shown = ok(tmp_path, "org", "show", str(created["id"]))
    assert (shown["name"], shown["min_cell_size"]) == ("St Mary's", 5)
    assert (
        ok(tmp_path, "org", "disclosure", "St Mary's", "--min-cell-size", "0")["min_cell_size"] == 0
    )
    plain = hpx(tmp_path, "org", "show", "St Mary's")
    assert plain.returncode == 0 and "min_cell_size" in plain.stdout
    trail = json.loads(hpx(tmp_path, "audit", "--json").stdout)
    details = [e["detail"] for e in trail if e["action"] == "org.disclosure"]
    assert sorted(details) == sorted(["min_cell_size 5 (was 11)", "min_cell_size 0 (was 5) - off"])


@pytest.mark.usefixtures("initialized")
@pytest.mark.parametrize("k", ["-1", "1000001"])
def test_a_bad_min_cell_size_is_refused_and_nothing_changes(tmp_path: Path, k: str) -> None:
    ok(tmp_path, "org", "create", "acme")
    r = hpx(tmp_path, "org", "disclosure", "acme", "--min-cell-size", k)
    assert r.returncode == 1 and "min_cell_size" in r.stderr
    assert ok(tmp_path, "org", "show", "acme")["min_cell_size"] == 11
    missing = hpx(tmp_path, "org", "disclosure", "nobody", "--min-cell-size", "3")
    assert missing.returncode == 1


def test_existing_organizations_get_11_through_the_migration(tmp_path: Path) -> None:
    """A database made before disclosure control (schema 9) with an organization in it:
    opening it migrates, and the organization answers under k = 11."""
    path = tmp_path / "appliance.db"
    raw = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:9]:
        for statement in _statements(script):
            raw.execute(statement)
    raw.execute("PRAGMA user_version=9")
    raw.execute(
        "INSERT INTO orgs (id, name, status, created_at) VALUES"
        " ('org_old', 'Old Clinic', 'active', '2024-01-01T00:00:00Z')"
    )
    raw.execute(
        "INSERT INTO users (id, org_id, email, password_hash, status, created_at,"
        " password_changed_at) VALUES ('usr_old', 'org_old', 'a@old.example', 'x', 'active',"
        " '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')"
    )
    raw.close()
    db = open_db(path)
    assert orgs.find_org(db, "Old Clinic").min_cell_size == 11
    (user,) = db.rows("SELECT rows_scope FROM users")
    assert user["rows_scope"] == 0  # nobody has record-level access until granted


@pytest.mark.usefixtures("initialized")
def test_keys_get_rows_only_when_named(tmp_path: Path) -> None:
    ok(tmp_path, "org", "create", "acme")
    assert ok(tmp_path, "key", "issue", "acme")["scopes"] == ["query", "upload"]
    assert ok(tmp_path, "key", "issue", "acme", "--scopes", "query,rows")["scopes"] == [
        "query",
        "rows",
    ]
    bad = hpx(tmp_path, "key", "issue", "acme", "--scopes", "query,records")
    assert bad.returncode == 1 and "rows" in bad.stderr  # the message lists the scopes


@pytest.mark.usefixtures("initialized")
def test_users_get_rows_only_when_granted(tmp_path: Path) -> None:
    ok(tmp_path, "org", "create", "acme")
    ok(tmp_path, "org", "create", "other")
    plain = ok(tmp_path, "user", "add", "acme", "a@acme.example", "--password-stdin",
               stdin=PASSWORD + "\n")  # fmt: skip
    trusted = ok(tmp_path, "user", "add", "acme", "b@acme.example", "--password-stdin",
                 "--rows", stdin=PASSWORD + "\n")  # fmt: skip
    assert (plain["rows"], trusted["rows"]) == (False, True)
    listed = {u["email"]: u["rows"] for u in json.loads(hpx(tmp_path, "user", "list",
                                                              "--json").stdout)}  # fmt: skip
    assert listed == {"a@acme.example": False, "b@acme.example": True}
    assert ok(tmp_path, "user", "rows", "acme", "a@acme.example", "on")["rows"] is True
    assert ok(tmp_path, "user", "rows", "acme", "b@acme.example", "off")["rows"] is False
    elsewhere = hpx(tmp_path, "user", "rows", "other", "a@acme.example", "off")
    assert elsewhere.returncode == 1  # a user of another organization is not found there
    bad = hpx(tmp_path, "user", "rows", "acme", "a@acme.example", "maybe")
    assert bad.returncode != 0
    trail = json.loads(hpx(tmp_path, "audit", "--json").stdout)
    assert [(e["target"], e["detail"]) for e in trail if e["action"] == "user.rows"] == [
        ("b@acme.example", "off"),
        ("a@acme.example", "on"),
    ]


def _sign_in(client: httpx.Client, email: str) -> str:
    r = client.post("/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    token: str = r.json()["access_token"]
    return token


def _scope(token: str) -> set[str]:
    claims = jwt.decode(token, options={"verify_signature": False})
    return set(str(claims["scope"]).split())


def test_the_token_carries_rows_and_a_change_ends_older_tokens(
    server: Server, client: httpx.Client
) -> None:
    from appliance.accounts import users

    org, _key = server.new_org()
    email = f"rows-{org.id}@example.org"
    users.add_user(server.appliance.db, org.id, email, PASSWORD)
    first = _sign_in(client, email)
    assert _scope(first) == {"query"}
    users.set_rows(server.appliance.db, org.id, email, True)
    # The grant ends the token issued without it: the next one carries it.
    r = client.get("/v1/datasets", headers={"Authorization": f"Bearer {first}"})
    assert (r.status_code, error_of(r)) == (401, "unauthorized")
    second = _sign_in(client, email)
    assert _scope(second) == {"query", "rows"}
    ok_now = client.get("/v1/datasets", headers={"Authorization": f"Bearer {second}"})
    assert ok_now.status_code == 200
    users.set_rows(server.appliance.db, org.id, email, False)
    # Withdrawn: the token that carried it is refused at once.
    r = client.get("/v1/datasets", headers={"Authorization": f"Bearer {second}"})
    assert (r.status_code, error_of(r)) == (401, "unauthorized")
    assert _scope(_sign_in(client, email)) == {"query"}
