"""Snapshots of the console's main screens at 80x24 and 120x40.

The data is made through the services with the appliance's clock standing still,
then its random ids are pinned with SQL, so that the pictures do not change from
run to run. Review a changed picture
with ``pytest --snapshot-report``; accept it with ``--snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from admin_tui.app import AdminApp
from appliance import clock
from appliance.accounts import apikeys, orgs, users
from appliance.clock import parse_iso
from appliance.config import load_settings
from appliance.context import Appliance, open_appliance

FIXED_TIME = "2026-11-02T09:30:00Z"


@pytest.fixture(autouse=True)
def stopped_clock() -> Iterator[None]:
    """Times made and times shown (a key's state, the audit trail) are FIXED_TIME."""
    with clock.frozen_at(parse_iso(FIXED_TIME).timestamp()):
        yield


@pytest.fixture
def still(tmp_path: Path) -> Appliance:
    appliance = open_appliance(load_settings(data_dir=tmp_path))
    db = appliance.db
    mary = orgs.create_org(db, "St Mary's Hospital")
    north = orgs.create_org(db, "Northside Clinic")
    lake = orgs.create_org(db, "Lakeside Imaging")
    orgs.set_quota(db, north.id, 500 * 1024**3)
    orgs.set_status(db, lake.id, "suspended")
    apikeys.issue_key(db, mary.id, "lab-export", ["upload"])
    apikeys.issue_key(db, mary.id, "analytics", ["query"], expires_in_days=90)
    old = apikeys.issue_key(db, mary.id, "old-export", ["upload"])
    apikeys.revoke_key(db, old.key_id)
    users.add_user(db, mary.id, "ward7@stmarys.example", "a long enough password")
    conn = db.conn
    conn.execute("PRAGMA foreign_keys=OFF")
    # Pinning ids rewrites audit records, which the triggers refuse: this
    # picture's database is made, not proven.
    conn.execute("DROP TRIGGER audit_log_no_update")
    for n, org in enumerate((mary, north, lake), start=1):
        fixed = f"org_{n:016d}"
        for table, column in (
            ("orgs", "id"),
            ("api_keys", "org_id"),
            ("users", "org_id"),
            ("audit_log", "org_id"),
        ):
            conn.execute(
                f"UPDATE {table} SET {column} = ? WHERE {column} = ?",
                (fixed, org.id),
            )
    for n, row in enumerate(db.rows("SELECT id FROM api_keys ORDER BY rowid"), start=1):
        conn.execute("UPDATE api_keys SET id = ? WHERE id = ?", (f"{n:012x}", row["id"]))
        conn.execute("UPDATE audit_log SET target = ? WHERE target = ?", (f"{n:012x}", row["id"]))
    conn.execute("PRAGMA foreign_keys=ON")
    return appliance


def console(appliance: Appliance) -> AdminApp:
    app = AdminApp(appliance, actor="console:operator")
    app.sub_title = "/var/lib/healthproximate"  # not the test's temporary path
    return app


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_organizations(still: Appliance, snap_compare: object, size: tuple[int, int]) -> None:
    assert snap_compare(console(still), terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_keys_of_an_organization(
    still: Appliance, snap_compare: object, size: tuple[int, int]
) -> None:
    # St Mary's sorts last: three rows down from the first.
    assert snap_compare(
        console(still),
        terminal_size=size,
        press=["down", "down", "k"],
    )


def test_issue_key_form(still: Appliance, snap_compare: object) -> None:
    assert snap_compare(console(still), press=["down", "down", "k", "n"])


def test_delete_confirmation(still: Appliance, snap_compare: object) -> None:
    assert snap_compare(console(still), press=["d"])


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_audit_trail(still: Appliance, snap_compare: object, size: tuple[int, int]) -> None:
    assert snap_compare(console(still), terminal_size=size, press=["l"])


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_help_lists_the_keys(still: Appliance, snap_compare: object, size: tuple[int, int]) -> None:
    assert snap_compare(console(still), terminal_size=size, press=["question_mark"])


def test_activity_columns(still: Appliance, snap_compare: object) -> None:
    assert snap_compare(console(still), press=["a"])
