"""The home screen: every organization, with what an operator looks at first."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input

from admin_tui.format import human_bytes
from admin_tui.screens.base import TableScreen
from admin_tui.widgets import ConfirmModal, Field, FormModal, FormValues, TypeNameModal
from appliance.accounts import orgs
from appliance.accounts.overview import overview
from appliance.errors import ApplianceError
from appliance.sizes import parse_bytes


class OrgsScreen(TableScreen):
    # The footer shows these first, in this order: at 80 columns the last may not fit,
    # and ? lists them all.
    BINDINGS = [
        Binding("k", "keys", "Keys"),
        Binding("u", "users", "Users"),
        Binding("n", "new", "New"),
        Binding("s", "suspend", "Suspend"),
        Binding("r", "resume", "Resume"),
        Binding("d", "delete", "Delete"),
        Binding("t", "quota", "Quota"),
        Binding("e", "rename", "Rename"),
        Binding("/", "search", "Search"),
        Binding("c", "disclosure", "Min cell size"),
    ]
    COLUMNS = ("Name", "Status", "Keys", "Users", "Files", "Used", "Quota", "ID")

    def compose_top(self) -> ComposeResult:
        yield Input(placeholder="Search organizations (/)", id="search")

    def rows(self) -> list[tuple[str, tuple[Any, ...]]]:
        needle = self.query_one("#search", Input).value.strip().lower()
        return [
            (
                o["id"],
                (
                    o["name"],
                    o["status"],
                    o["keys"],
                    o["users"],
                    o["files"],
                    human_bytes(o["used_bytes"]),
                    human_bytes(o["quota_bytes"]),
                    o["id"],
                ),
            )
            for o in overview(self.appliance.db)
            if needle in o["name"].lower() or needle in o["id"]
        ]

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            self.action_refresh()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.table.focus()

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def current(self) -> orgs.Org | None:
        key = self.selected_key()
        if key is None:
            self.notify("No organization selected", severity="warning")
            return None
        return orgs.get_org(self.appliance.db, key)

    def action_new(self) -> None:
        def create(values: FormValues) -> orgs.Org:
            return orgs.create_org(self.appliance.db, str(values["name"]), actor=self.actor)

        def created(org: orgs.Org | None) -> None:
            if org is not None:
                self.notify(f"Created {org.name}")
                self.query_one("#search", Input).value = ""  # so that the new row is shown
                self.fill(self.rows())
                self.table.move_cursor(row=self.table.get_row_index(org.id))

        self.app.push_screen(
            FormModal("New organization", [Field("name", "Name")], create, "Create"), created
        )

    def action_rename(self) -> None:
        org = self.current()
        if org is None:
            return

        def rename(values: FormValues) -> orgs.Org:
            return orgs.rename_org(self.appliance.db, org.id, str(values["name"]), actor=self.actor)

        self.app.push_screen(
            FormModal(
                f"Rename {org.name}", [Field("name", "New name", org.name)], rename, "Rename"
            ),
            self._refresh_after,
        )

    def _refresh_after(self, done: object) -> None:
        """A dialog's callback: refresh the table when the dialog changed something."""
        if done:
            self.action_refresh()

    def action_quota(self) -> None:
        org = self.current()
        if org is None:
            return

        def set_quota(values: FormValues) -> orgs.Org:
            quota = parse_bytes(str(values["quota"]))
            return orgs.set_quota(self.appliance.db, org.id, quota, actor=self.actor)

        current = "none" if org.quota_bytes is None else str(org.quota_bytes)
        self.app.push_screen(
            FormModal(
                f"Storage quota of {org.name}",
                [Field("quota", "Bytes, or 500G, 2T, none", current)],
                set_quota,
                "Set",
            ),
            self._refresh_after,
        )

    def action_disclosure(self) -> None:
        """Disclosure control's k for the organization (analytics/disclosure.py)."""
        org = self.current()
        if org is None:
            return

        def set_k(values: FormValues) -> orgs.Org:
            text = str(values["k"]).strip()
            if not text.isdigit():
                raise ValueError("Min cell size: a whole number (0 turns it off).")
            return orgs.set_min_cell_size(self.appliance.db, org.id, int(text), actor=self.actor)

        self.app.push_screen(
            FormModal(
                f"Min cell size of {org.name}",
                [
                    Field(
                        "k", "No count from 1 to k-1 without rows (0: off)", str(org.min_cell_size)
                    )
                ],
                set_k,
                "Set",
            ),
            self._refresh_after,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer Suspend for an active organization and Resume for a suspended one."""
        if action not in ("suspend", "resume") or not self.is_mounted:
            return super().check_action(action, parameters)
        key = self.selected_key()
        org = orgs.get_org(self.appliance.db, key) if key else None
        if org is None:
            return None  # shown disabled
        return (action == "suspend") == org.active

    def on_data_table_row_highlighted(self) -> None:
        self.refresh_bindings()

    def on_screen_resume(self) -> None:
        """Back from keys or users: their counts may have changed."""
        if self.is_mounted:
            self.action_refresh()

    def action_suspend(self) -> None:
        self._set_status("suspended", "Suspend", "its keys, tokens and upload URLs are refused")

    def action_resume(self) -> None:
        self._set_status("active", "Resume", "its credentials work again")

    def _set_status(self, status: str, verb: str, effect: str) -> None:
        org = self.current()
        if org is None or org.status == status:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.attempt(
                    lambda: orgs.set_status(self.appliance.db, org.id, status, actor=self.actor),
                    f"{verb}d {org.name}" if verb.endswith("e") else f"{verb}ed {org.name}",
                )
                self.refresh_bindings()

        self.app.push_screen(ConfirmModal(f"{verb} {org.name}? ({effect})"), confirmed)

    def action_delete(self) -> None:
        org = self.current()
        if org is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.notify(f"Deleting {org.name}…")
                self.delete_in_background(org)

        self.app.push_screen(
            TypeNameModal(f"Delete {org.name} with all its keys, users and files?", org.name),
            confirmed,
        )

    @work(thread=True, exclusive=True, group="delete")
    def delete_in_background(self, org: orgs.Org) -> None:
        """A whole tree of files goes: never on the UI thread."""
        try:
            orgs.delete_org(self.appliance.db, self.appliance.store, org.id, actor=self.actor)
        except ApplianceError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error")
            return
        self.app.call_from_thread(self.notify, f"Deleted {org.name}")
        self.app.call_from_thread(self.action_refresh)

    def action_keys(self) -> None:
        from admin_tui.screens.keys import KeysScreen

        org = self.current()
        if org is not None:
            self.app.push_screen(KeysScreen(self.appliance, self.actor, org.id))

    def action_users(self) -> None:
        from admin_tui.screens.users import UsersScreen

        org = self.current()
        if org is not None:
            self.app.push_screen(UsersScreen(self.appliance, self.actor, org.id))
