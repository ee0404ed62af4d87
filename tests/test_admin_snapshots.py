"""Snapshots of the console's main screens at 80x24 and 120x40.

The data is made through the services with the appliance's clock standing still,
then its random ids are pinned with SQL, so that the pictures do not change from
run to run. Review a changed picture
with ``pytest --snapshot-report``; accept it with ``--snapshot-update``.

A picture is taken once the screen has settled, never after a pause of some length:
the keys are pressed, the expected screen is on top, its worker threads have filled it,
and its text fields' cursors stand still (a blinking cursor is drawn or not depending on
when the picture is taken: on a busy machine the picture of a dialog with a text field
came out without it).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from admin_tui.app import AdminApp
from admin_tui.screens.activity import ActivityScreen
from admin_tui.screens.audit import AuditScreen
from admin_tui.screens.keys import KeysScreen
from admin_tui.screens.orgs import OrgsScreen
from admin_tui.screens.users import UsersScreen
from admin_tui.widgets import ConfirmModal, FormModal, HelpModal, TypeNameModal
from appliance import clock
from appliance.accounts import apikeys, orgs, users
from appliance.clock import parse_iso
from appliance.config import Settings, load_settings
from appliance.context import Appliance, open_appliance

FIXED_TIME = "2026-11-02T09:30:00Z"
SETTLE_DEADLINE_S = 60.0
SIZES = [(80, 24), pytest.param((120, 40), marks=pytest.mark.e2e)]
"""Each picture at 80x24 in the quick loop, and at 120x40 too in the full run (``e2e``):
an app's start, layout and rendering are most of a second of CPU a picture."""


@pytest.fixture(autouse=True)
def stopped_clock() -> Iterator[None]:
    """Times made and times shown (a key's state, the audit trail) are FIXED_TIME."""
    with clock.frozen_at(parse_iso(FIXED_TIME).timestamp()):
        yield


@pytest.fixture(scope="module")
def still_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The pictures' data directory, made once for the module (the user's password hash
    alone takes a quarter of a second of CPU); each test opens a copy of its own."""
    folder = tmp_path_factory.mktemp("still") / "data"
    with clock.frozen_at(parse_iso(FIXED_TIME).timestamp()):
        appliance = open_appliance(Settings(data_dir=folder))  # no file, no environment
        made(appliance)
    appliance.db.close()  # its last connection: SQLite folds the log into the file
    return folder


@pytest.fixture
def still(still_data: Path, tmp_path: Path) -> Appliance:
    shutil.copytree(still_data, tmp_path / "data")
    return open_appliance(load_settings(data_dir=tmp_path / "data"))


def made(appliance: Appliance) -> None:
    """Three organizations, keys, a user, each with the same id in every run."""
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


def console(appliance: Appliance) -> AdminApp:
    app = AdminApp(appliance, actor="console:operator")
    app.sub_title = "/var/lib/healthproximate"  # not the test's temporary path
    return app


def settled(*keys: str, on: type[Screen[object]]) -> Callable[[Pilot[None]], Awaitable[None]]:
    """``snap_compare``'s ``run_before``: press ``keys``, then wait (bounded) until the
    screen ``on`` is on top and its worker threads are done; then stop its text fields'
    blinking, which leaves each cursor shown (as it is right after a key)."""

    async def run(pilot: Pilot[None]) -> None:
        app = pilot.app
        await pilot.pause()
        await pilot.press(*keys)
        deadline = time.monotonic() + SETTLE_DEADLINE_S
        while not isinstance(app.screen, on):
            assert time.monotonic() < deadline, f"{on.__name__} never came up: {app.screen!r}"
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()  # what the workers handed to the UI thread (call_from_thread)
        for field in app.screen.query(Input):
            field.cursor_blink = False

    return run


@pytest.mark.parametrize("size", SIZES)
def test_organizations(still: Appliance, snap_compare: object, size: tuple[int, int]) -> None:
    assert snap_compare(console(still), terminal_size=size, run_before=settled(on=OrgsScreen))


@pytest.mark.parametrize("size", SIZES)
def test_keys_of_an_organization(
    still: Appliance, snap_compare: object, size: tuple[int, int]
) -> None:
    # St Mary's sorts last: three rows down from the first.
    assert snap_compare(
        console(still), terminal_size=size, run_before=settled("down", "down", "k", on=KeysScreen)
    )


@pytest.mark.parametrize("size", SIZES)
def test_issue_key_form(still: Appliance, snap_compare: object, size: tuple[int, int]) -> None:
    assert snap_compare(
        console(still),
        terminal_size=size,
        run_before=settled("down", "down", "k", "n", on=FormModal),
    )


@pytest.mark.parametrize("size", SIZES)
def test_delete_confirmation(still: Appliance, snap_compare: object, size: tuple[int, int]) -> None:
    assert snap_compare(
        console(still), terminal_size=size, run_before=settled("d", on=TypeNameModal)
    )


@pytest.mark.parametrize("size", SIZES)
def test_audit_trail(still: Appliance, snap_compare: object, size: tuple[int, int]) -> None:
    assert snap_compare(console(still), terminal_size=size, run_before=settled("l", on=AuditScreen))


@pytest.mark.parametrize("size", SIZES)
def test_help_lists_the_keys(still: Appliance, snap_compare: object, size: tuple[int, int]) -> None:
    assert snap_compare(
        console(still), terminal_size=size, run_before=settled("question_mark", on=HelpModal)
    )


@pytest.mark.parametrize("size", SIZES)
def test_activity_columns(still: Appliance, snap_compare: object, size: tuple[int, int]) -> None:
    assert snap_compare(
        console(still), terminal_size=size, run_before=settled("a", on=ActivityScreen)
    )


@pytest.mark.parametrize("size", SIZES)
def test_suspend_question(still: Appliance, snap_compare: object, size: tuple[int, int]) -> None:
    # Northside Clinic (active) is the second row: its question is the longer one.
    assert snap_compare(
        console(still), terminal_size=size, run_before=settled("down", "s", on=ConfirmModal)
    )


@pytest.mark.parametrize("size", SIZES)
def test_users_of_an_organization(
    still: Appliance, snap_compare: object, size: tuple[int, int]
) -> None:
    assert snap_compare(
        console(still), terminal_size=size, run_before=settled("down", "down", "u", on=UsersScreen)
    )


@pytest.mark.parametrize("size", SIZES)
def test_new_user_form(still: Appliance, snap_compare: object, size: tuple[int, int]) -> None:
    # The checkbox unticked shows an empty box, and the hint says what that means.
    assert snap_compare(
        console(still),
        terminal_size=size,
        run_before=settled("down", "down", "u", "n", on=FormModal),
    )
