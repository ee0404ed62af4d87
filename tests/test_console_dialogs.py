"""The console's dialogs as a person uses them (Textual's Pilot, a real data
directory): a copy is confirmed inside the secret's dialog, never in a toast over
its buttons, and Enter then closes it; a checkbox shows its state without colour and
the password form says what unticking means; Ctrl+P lists each action once and finds
the organizations' actions from any screen."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static
from textual.widgets._toast import Toast

from admin_tui.app import AdminApp
from admin_tui.screens.audit import AuditScreen
from admin_tui.screens.keys import KeysScreen
from admin_tui.screens.orgs import OrgsScreen
from admin_tui.screens.users import UsersScreen
from admin_tui.widgets import FormModal, SecretModal
from appliance.accounts import apikeys, orgs
from appliance.config import load_settings
from appliance.context import Appliance, open_appliance
from tests.test_console_fit import screen_rows


@pytest.fixture
def appliance(tmp_path: Path) -> Appliance:
    appliance = open_appliance(load_settings(data_dir=tmp_path))
    orgs.create_org(appliance.db, "Northside Clinic")
    return appliance


def drive(appliance: Appliance, steps: Callable[[AdminApp, Pilot[None]], Awaitable[Any]]) -> Any:
    async def go() -> Any:
        app = AdminApp(appliance, actor="console:tester")
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await pilot.pause()
            return await steps(app, pilot)

    return asyncio.run(go())


def test_a_copy_is_said_in_the_dialog_and_enter_then_closes_it(appliance: Appliance) -> None:
    org = orgs.find_org(appliance.db, "Northside Clinic")

    async def steps(app: AdminApp, pilot: Pilot[None]) -> None:
        await pilot.press("k", "n", "l", "a", "b", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SecretModal)
        secret = app.screen.secret
        await pilot.click("#copy")  # focus is now on Copy, as after pressing it
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == secret
        said = str(app.screen.query_one("#copied", Static).render())
        assert "OSC 52" in said and "by hand" in said
        assert not app.screen.query(Toast) and not app._notifications  # nothing over the buttons
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)

    drive(appliance, steps)
    assert [k["name"] for k in apikeys.list_keys(appliance.db, org.id)] == ["lab"]


def test_a_checkbox_shows_its_state_without_colour_and_the_form_says_what_to_do(
    appliance: Appliance,
) -> None:
    async def steps(app: AdminApp, pilot: Pilot[None]) -> None:
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        rows = "\n".join(screen_rows(app))
        assert "▐ ▌ Generate a password" in rows  # unticked: an empty box
        assert "unticked, type the password below" in rows
        app.screen.query_one("#field-email").value = "desk@example.org"  # type: ignore[attr-defined]
        await pilot.click("#submit")  # unticked, no password typed
        await pilot.pause()
        error = str(app.screen.query_one("#form-error", Static).render())
        assert "tick 'Generate a password'" in error and "at least 12 characters" in error
        await pilot.click("#field-generate")
        await pilot.pause()
        assert "▐X▌ Generate a password" in "\n".join(screen_rows(app))  # ticked: an X
        await pilot.click("#submit")
        await pilot.pause()
        assert isinstance(app.screen, SecretModal)

    drive(appliance, steps)


def titles(app: AdminApp) -> list[str]:
    return [c.title for c in app.get_system_commands(app.screen)]


def test_the_palette_lists_each_action_once_from_every_screen(appliance: Appliance) -> None:
    async def steps(app: AdminApp, pilot: Pilot[None]) -> None:
        for keys in ((), ("k",), ("escape", "u"), ("escape", "a"), ("l",)):
            await pilot.press(*keys)
            await app.workers.wait_for_complete()
            await pilot.pause()
            listed = titles(app)
            assert len(listed) == len(set(listed)), (type(app.screen).__name__, listed)
            assert {"Help", "Quota", "Suspend", "Audit", "Activity", "Quit"} <= set(listed)

    drive(appliance, steps)


def test_quota_in_the_palette_from_the_audit_screen(appliance: Appliance) -> None:
    async def steps(app: AdminApp, pilot: Pilot[None]) -> None:
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, AuditScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("q", "u", "o", "t", "a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FormModal)
        assert app.screen.title_text == "Storage quota of Northside Clinic"
        app.screen.query_one("#field-quota").value = "500G"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, OrgsScreen)

    drive(appliance, steps)
    assert orgs.find_org(appliance.db, "Northside Clinic").quota_bytes == 500 * 1024**3
