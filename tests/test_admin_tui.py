"""The operator console, driven with Textual's Pilot against a real data directory
and a running server: what the operator does must take effect on the next request."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static
from textual.widgets._toast import Toast

from admin_tui.app import AdminApp
from admin_tui.screens.activity import ActivityScreen
from admin_tui.screens.keys import KeysScreen
from admin_tui.screens.orgs import OrgsScreen
from admin_tui.screens.users import UsersScreen
from admin_tui.widgets import ConfirmModal, HelpModal, SecretModal
from appliance import audit
from appliance.accounts import apikeys, orgs, users
from tests.servers import Server

ACTOR = "console:tester"


def drive(
    server: Server,
    steps: Callable[[AdminApp, Pilot[None]], Awaitable[Any]],
    size: tuple[int, int] = (80, 24),
    notifications: bool = False,
) -> Any:
    async def run() -> Any:
        app = AdminApp(server.appliance, actor=ACTOR)
        async with app.run_test(size=size, notifications=notifications) as pilot:
            await pilot.pause()
            return await steps(app, pilot)

    return asyncio.run(run())


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type like a person: one key per character (``@`` is the key ``commercial_at``)."""
    await pilot.press(*[_character_to_key(ch) for ch in text])


async def select_org(app: AdminApp, pilot: Pilot[None], org_id: str) -> None:
    screen = app.screen
    assert isinstance(screen, OrgsScreen)
    screen.action_refresh()
    table = screen.query_one("#table", DataTable)
    table.move_cursor(row=table.get_row_index(org_id))
    table.focus()
    await pilot.pause()


def test_create_an_organization(server: Server) -> None:
    async def steps(app: AdminApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        await type_text(pilot, "Lakeside Hospital")
        await pilot.press("enter")
        await pilot.pause()
        table = app.screen.query_one("#table", DataTable)
        names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "Lakeside Hospital" in names

    drive(server, steps)
    org = orgs.find_org(server.appliance.db, "Lakeside Hospital")
    (entry,) = audit.recent(server.appliance.db, org_id=org.id)
    assert (entry["actor"], entry["action"]) == (ACTOR, "org.create")


def test_bad_input_keeps_the_form_open_with_the_reason(server: Server) -> None:
    existing, _ = server.new_org()

    async def steps(app: AdminApp, pilot: Pilot[None]) -> None:
        await pilot.press("n")
        await type_text(pilot, existing.name)
        await pilot.press("enter")
        await pilot.pause()
        assert "already exists" in str(app.screen.query_one("#form-error", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OrgsScreen)

    drive(server, steps)


def test_issue_use_and_revoke_a_key(server: Server, client: httpx.Client) -> None:
    org, _ = server.new_org()
    shown: dict[str, str] = {}

    async def issue(app: AdminApp, pilot: Pilot[None]) -> None:
        await select_org(app, pilot, org.id)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        await pilot.press("n")
        await type_text(pilot, "lab")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SecretModal)
        shown["key"] = app.screen.secret
        await pilot.press("c")  # copy: must not fail without a clipboard
        await pilot.press("enter")
        await pilot.pause()

    drive(server, issue)
    key = shown["key"]
    r = client.post("/v1/uploads", json={"filename": "a.csv"}, headers={"X-API-Key": key})
    assert r.status_code == 201

    async def revoke(app: AdminApp, pilot: Pilot[None]) -> None:
        await select_org(app, pilot, org.id)
        await pilot.press("k")
        await pilot.pause()
        table = app.screen.query_one("#table", DataTable)
        row = table.get_row_index(key.split("_")[1])
        table.move_cursor(row=row)
        await pilot.press("x")
        await pilot.press("y")
        await pilot.pause()
        assert str(table.get_row_at(row)[1]) == "revoked"

    drive(server, revoke)
    r = client.post("/v1/uploads", json={"filename": "a.csv"}, headers={"X-API-Key": key})
    assert r.status_code == 401


def test_suspend_refuses_the_next_request(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()

    async def suspend(app: AdminApp, pilot: Pilot[None]) -> None:
        await select_org(app, pilot, org.id)
        screen = app.screen
        assert screen.check_action("suspend", ()) is True
        assert screen.check_action("resume", ()) is False  # the footer offers Suspend only
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)  # asked first
        await pilot.press("n")
        await pilot.pause()
        assert orgs.get_org(server.appliance.db, org.id).active  # type: ignore[union-attr]
        await pilot.press("s", "y")
        await pilot.pause()
        assert screen.check_action("resume", ()) is True
        assert screen.check_action("suspend", ()) is False

    drive(server, suspend)
    r = client.get("/v1/files", headers={"X-API-Key": key})
    assert r.status_code == 403

    async def resume(app: AdminApp, pilot: Pilot[None]) -> None:
        await select_org(app, pilot, org.id)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()

    drive(server, resume)
    assert client.get("/v1/files", headers={"X-API-Key": key}).status_code == 200


def test_delete_needs_the_typed_name(server: Server, client: httpx.Client) -> None:
    org, key = server.new_org()
    grant = client.post(
        "/v1/uploads", json={"filename": "x.csv"}, headers={"X-API-Key": key}
    ).json()
    assert client.put(grant["upload_url"], content=b"data").status_code == 201
    tree = server.data_dir / "orgs" / org.id

    async def steps(app: AdminApp, pilot: Pilot[None]) -> None:
        await select_org(app, pilot, org.id)
        await pilot.press("d")
        await type_text(pilot, "wrong name")
        await pilot.press("enter")
        await pilot.pause()
        assert "does not match" in str(app.screen.query_one("#form-error", Static).render())
        assert orgs.get_org(server.appliance.db, org.id) is not None
        field = app.screen.query_one("#typed", Input)
        field.value = ""
        await type_text(pilot, org.name)
        await pilot.press("enter")
        await app.workers.wait_for_complete()  # the tree is removed in a worker
        await pilot.pause()

    drive(server, steps)
    assert orgs.get_org(server.appliance.db, org.id) is None
    assert not tree.exists()
    assert client.get("/v1/files", headers={"X-API-Key": key}).status_code == 401


def test_add_a_user_with_a_generated_password(server: Server) -> None:
    org, _ = server.new_org()
    shown: dict[str, str] = {}

    async def steps(app: AdminApp, pilot: Pilot[None]) -> None:
        await select_org(app, pilot, org.id)
        await pilot.press("u")
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "nurse@example.org")
        await pilot.press("tab", "space")  # tick "generate a password"
        await pilot.click("#submit")
        await pilot.pause()
        assert isinstance(app.screen, SecretModal)
        shown["password"] = app.screen.secret

    drive(server, steps)
    user, user_org = users.check_password(
        server.appliance.db, "nurse@example.org", shown["password"]
    )
    assert user_org.id == org.id and user.status == "active"


def test_activity_shows_uploads_live(server: Server, client: httpx.Client) -> None:
    _org, key = server.new_org()

    async def steps(app: AdminApp, pilot: Pilot[None]) -> None:
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        grant = client.post(
            "/v1/uploads", json={"filename": "live-upload.csv"}, headers={"X-API-Key": key}
        ).json()
        client.put(grant["upload_url"], content=b"x")
        app.screen.action_refresh()  # what the two-second timer does
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#table", DataTable)
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert any(str(r[2]) == "live-upload.csv" and str(r[5]) == "done" for r in rows)
        await pilot.press("l")
        await pilot.pause()
        assert app.screen.query_one("#table", DataTable).row_count > 0

    drive(server, steps)


def test_every_binding_is_in_the_command_palette(server: Server) -> None:
    async def steps(app: AdminApp, pilot: Pilot[None]) -> None:
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {
            "New",
            "Rename",
            "Quota",
            "Suspend",
            "Resume",
            "Delete",
            "Keys",
            "Users",
            "Activity",
            "Audit",
        } <= titles

    drive(server, steps)


def test_creating_while_searching_shows_the_new_organization(server: Server) -> None:
    async def steps(app: AdminApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash")
        await type_text(pilot, "no such org")
        await pilot.press("enter", "n")
        await type_text(pilot, "Hillside Hospice")
        await pilot.press("enter")
        await pilot.pause()
        table = app.screen.query_one("#table", DataTable)
        assert app.screen.query_one("#search", Input).value == ""
        assert str(table.get_row_at(table.cursor_row)[0]) == "Hillside Hospice"

    drive(server, steps)


def test_a_bad_expiry_is_explained_in_the_form(server: Server) -> None:
    org, _ = server.new_org()

    async def steps(app: AdminApp, pilot: Pilot[None]) -> None:
        await select_org(app, pilot, org.id)
        await pilot.press("k", "n")
        await pilot.pause()
        app.screen.query_one("#field-days", Input).value = "soon"
        await pilot.click("#submit")
        await pilot.pause()
        assert "whole number" in str(app.screen.query_one("#form-error", Static).render())

    drive(server, steps)


def test_question_mark_and_f1_list_every_key(server: Server) -> None:
    async def steps(app: AdminApp, pilot: Pilot[None]) -> None:
        for key in ("question_mark", "f1"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HelpModal)
            listed = dict(app.screen.keys)
            assert listed["t"] == "Quota" and listed["s"] == "Suspend" and listed["r"] == "Resume"
            assert "tab" not in listed  # Textual's own focus keys are not the console's
            assert listed["? / f1"] == "Help"
            assert any(k.split(" / ")[0] == "q" and d == "Quit" for k, d in listed.items())
            assert "Refresh" in listed.values()
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, OrgsScreen)

    drive(server, steps)


def test_q_quits_from_any_screen_but_types_in_a_search(server: Server) -> None:
    org, _ = server.new_org()

    async def typing(app: AdminApp, pilot: Pilot[None]) -> None:
        await pilot.press("slash", "q")
        await pilot.pause()
        assert app.is_running and app.screen.query_one("#search", Input).value == "q"

    drive(server, typing)

    async def from_keys(app: AdminApp, pilot: Pilot[None]) -> bool:
        await select_org(app, pilot, org.id)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        await pilot.press("q")
        await pilot.pause()
        return app.is_running

    assert drive(server, from_keys) is False


def test_activity_shows_each_column_once(server: Server) -> None:
    async def steps(app: AdminApp, pilot: Pilot[None]) -> None:
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#table", DataTable)
        labels = [str(c.label) for c in table.ordered_columns]
        assert labels == list(ActivityScreen.COLUMNS)

    drive(server, steps)


def test_user_count_updates_and_enter_submits_the_form(server: Server) -> None:
    org, _ = server.new_org()

    async def steps(app: AdminApp, pilot: Pilot[None]) -> None:
        await select_org(app, pilot, org.id)
        table = app.screen.query_one("#table", DataTable)
        users_column = OrgsScreen.COLUMNS.index("Users")
        assert table.get_row(org.id)[users_column] == 0
        await pilot.press("u", "n")
        await pilot.pause()
        await type_text(pilot, "desk@example.org")
        await pilot.press("tab", "space", "enter")  # Enter on the checkbox submits
        await pilot.pause()
        assert isinstance(app.screen, SecretModal)
        await pilot.press("c")  # the copy is asked for, never claimed
        await pilot.pause()
        said = str(app.screen.query_one("#copied", Static).render())
        assert "Copied" not in said and "OSC 52" in said
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, OrgsScreen)
        assert table.get_row(org.id)[users_column] == 1

    drive(server, steps)


HOSTILE = "[reverse blink red]x[conceal]"
"""Markup that, read as such, blinks and then hides what follows it."""


def screen_text(app: AdminApp) -> str:
    """The characters on the screen, as the terminal gets them (through the screen's
    compositor: Textual has no public call for this)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def test_names_show_as_typed_never_as_markup(server: Server, client: httpx.Client) -> None:
    """Partner filenames, organization and key names, emails, labels and audit entries
    appear on every screen character for character, tags included."""
    org, key = server.new_org()
    org_name = f"{HOSTILE}Ward 7 {org.id}"
    orgs.rename_org(server.appliance.db, org.id, org_name)
    filename = f"{HOSTILE}report-{org.id}.csv"
    grant = client.post("/v1/uploads", json={"filename": filename}, headers={"X-API-Key": key})
    assert grant.json()["filename"] == filename  # kept by the sanitizer, so it must show
    assert client.put(grant.json()["upload_url"], content=b"a,b\n1,2\n").status_code == 201
    key_name = f"{HOSTILE}lab"
    apikeys.issue_key(server.appliance.db, org.id, key_name)
    email = f"[blink]x[conceal]nurse-{org.id}@example.org"  # an email has no spaces
    users.add_user(server.appliance.db, org.id, email, "a sufficiently long passphrase")

    async def steps(app: AdminApp, pilot: Pilot[None]) -> None:
        await select_org(app, pilot, org.id)
        assert org_name in screen_text(app)
        await pilot.press("s")  # the question names the organization
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal) and org_name in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, KeysScreen)
        text = screen_text(app)
        assert f"API keys of {org_name}" in text and key_name in text
        await pilot.press("escape", "u")
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen)
        text = screen_text(app)
        assert f"Users of {org_name}" in text and email in text
        await pilot.press("n")  # the same email again: the refusal quotes it
        await pilot.pause()
        app.screen.query_one("#field-email", Input).value = email
        await pilot.press("tab", "space")
        await pilot.click("#submit")
        await pilot.pause()
        shown = str(app.screen.query_one("#form-error", Static).render())
        assert f"a user {email!r} already exists" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen)
        await pilot.press("d")  # disable: a notification names the user
        await pilot.pause()
        for _ in range(50):  # the rack mounts its toasts in a later message; bounded
            toasts = [str(toast.render()) for toast in app.screen.query(Toast)]
            if toasts:
                break
            await pilot.pause()
        assert f"Disabled {email}" in toasts
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert filename in text and org_name in text
        await pilot.press("l")
        await pilot.pause()
        assert email in screen_text(app)  # the audit trail's target of user.add

    drive(server, steps, size=(220, 50), notifications=True)


def test_min_cell_size_and_rows_are_set_in_the_console(server: Server) -> None:
    """Disclosure control from the console (issue 28): an organization's k with `c`, a
    user's record-level access with `w`, shown in the users' Rows column; audited."""
    org, _ = server.new_org()
    users.add_user(
        server.appliance.db, org.id, "rows@example.org", "a sufficiently long passphrase"
    )

    async def steps(app: AdminApp, pilot: Pilot[None]) -> None:
        await select_org(app, pilot, org.id)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("end", "backspace", "backspace")  # the field shows 11
        await type_text(pilot, "5")
        await pilot.click("#submit")
        await pilot.pause()
        assert isinstance(app.screen, OrgsScreen)
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, UsersScreen)
        table = app.screen.query_one("#table", DataTable)
        rows_column = UsersScreen.COLUMNS.index("Rows")
        assert str(table.get_row("rows@example.org")[rows_column]) == "-"
        table.focus()
        await pilot.press("w")
        await pilot.pause()
        assert str(table.get_row("rows@example.org")[rows_column]) == "rows"

    drive(server, steps)
    assert orgs.get_org(server.appliance.db, org.id).min_cell_size == 5  # type: ignore[union-attr]
    (user,) = [u for u in users.list_users(server.appliance.db, org.id)]
    assert user["rows"] is True
    trail = audit.recent(server.appliance.db, 20)
    mine = {(e["actor"], e["action"]) for e in trail if e["org_id"] == org.id}
    assert {(ACTOR, "org.disclosure"), (ACTOR, "user.rows")} <= mine
