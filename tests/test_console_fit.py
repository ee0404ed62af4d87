"""The console at 80x24: every key of every screen is on screen, whole (Audit too),
and a dialog's question is never cut. Read from what the terminal shows (the rows of
characters Textual composes), after Pilot has waited for the screen to settle."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.pilot import Pilot

from admin_tui.app import AdminApp
from admin_tui.screens.activity import ActivityScreen
from admin_tui.screens.audit import AuditScreen
from admin_tui.screens.keys import KeysScreen
from admin_tui.screens.orgs import OrgsScreen
from admin_tui.screens.users import UsersScreen
from appliance.accounts import orgs
from appliance.config import load_settings
from appliance.context import Appliance, open_appliance

LONG_NAME = "St Mary's Hospital and Community Health Trust"


@pytest.fixture
def appliance(tmp_path: Path) -> Appliance:
    appliance = open_appliance(load_settings(data_dir=tmp_path))
    orgs.create_org(appliance.db, LONG_NAME)
    return appliance


def screen_rows(app: AdminApp) -> list[str]:
    """The characters on the terminal, row by row, as the operator sees them."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def run(
    appliance: Appliance,
    steps: Callable[[AdminApp, Pilot[None]], Awaitable[list[str]]],
    size: tuple[int, int] = (80, 24),
) -> list[str]:
    async def go() -> list[str]:
        app = AdminApp(appliance, actor="console:tester")
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            return await steps(app, pilot)

    return asyncio.run(go())


def shown_keys(screen_class: type, app_bindings: list[Binding]) -> list[str]:
    """``key description`` of every binding the screen and the app show: the
    declared ones, as an operator should find them at the bottom."""
    declared: list[Binding] = []
    for cls in screen_class.__mro__:
        declared += [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]
    declared += app_bindings
    display = {"question_mark": "?", "escape": "esc", "slash": "/"}
    return [
        f"{b.key_display or display.get(b.key, b.key)} {b.description}"
        for b in declared
        if b.show and b.description
    ]


SCREENS: list[tuple[str, tuple[str, ...], type]] = [
    ("organizations", (), OrgsScreen),
    ("keys", ("k",), KeysScreen),
    ("users", ("u",), UsersScreen),
    ("activity", ("a",), ActivityScreen),
    ("audit", ("l",), AuditScreen),
]


@pytest.mark.parametrize(("name", "keys", "screen_class"), SCREENS)
# 80x24 in the quick loop, where a key is likeliest cut; 120x40 too in the full run.
@pytest.mark.parametrize("size", [(80, 24), pytest.param((120, 40), marks=pytest.mark.e2e)])
def test_every_key_of_every_screen_is_shown_whole(
    appliance: Appliance,
    name: str,
    keys: tuple[str, ...],
    screen_class: type,
    size: tuple[int, int],
) -> None:
    async def steps(app: AdminApp, pilot: Pilot[None]) -> list[str]:
        await pilot.press(*keys)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, screen_class)
        return screen_rows(app)

    rows = run(appliance, steps, size)
    assert all(len(r) == size[0] for r in rows)
    bottom = " ".join(r.strip() for r in rows[-3:])
    expected = shown_keys(screen_class, AdminApp.BINDINGS)
    if screen_class is OrgsScreen:
        expected.remove("r Resume")  # offered for a suspended organization only
        expected.remove("esc Back")  # offered from every screen but the first
    missing = [k for k in expected if k not in bottom]
    assert not missing, (missing, rows[-3:])
    assert "l Audit" in bottom and "^p All actions" in bottom


def test_nothing_essential_is_only_in_the_palette() -> None:
    """The bindings hidden from the key bar: F5 (every screen refreshes itself) and the
    second key of Quit and Help (their first is shown); nothing else."""
    hidden = {
        (b.key, b.description)
        for cls in (OrgsScreen, KeysScreen, UsersScreen, ActivityScreen, AuditScreen, AdminApp)
        for klass in cls.__mro__
        if klass.__module__.startswith("admin_tui")  # not Textual's own focus keys
        for b in klass.__dict__.get("BINDINGS", [])
        if isinstance(b, Binding) and not b.show
    }
    assert hidden == {
        ("f5", "Refresh"),
        ("ctrl+q", "Quit"),
        ("question_mark,f1", "Help"),
    }


def test_the_suspend_question_is_shown_whole_at_80_columns(appliance: Appliance) -> None:
    async def steps(app: AdminApp, pilot: Pilot[None]) -> list[str]:
        await pilot.press("s")
        await pilot.pause()
        return screen_rows(app)

    rows = run(appliance, steps)
    dialog = " ".join(r.strip(" █") for r in rows if "█" in r)
    said = " ".join(dialog.split())
    assert f"Suspend {LONG_NAME}? (its keys, tokens and upload URLs are refused)" in said, rows
    assert "Yes (y)" in said and "No (n)" in said
