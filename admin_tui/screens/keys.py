"""API keys of one organization: issue (the secret shown once), list, revoke."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.content import Content

from admin_tui.format import short_time, with_name
from admin_tui.screens.base import TableScreen
from admin_tui.widgets import ConfirmModal, Field, FormModal, FormValues, SecretModal
from appliance.accounts import apikeys, orgs
from appliance.accounts.scopes import DEFAULT_SCOPES, SCOPES
from appliance.clock import now_iso
from appliance.context import Appliance


def key_state(key: dict[str, Any]) -> str:
    if key["revoked_at"]:
        return "revoked"
    if key["expires_at"] and key["expires_at"] <= now_iso():
        return "expired"
    return "active"


class KeysScreen(TableScreen):
    BINDINGS = [Binding("n", "issue", "Issue"), Binding("x", "revoke", "Revoke")]
    # State second: at 80 columns the last columns are cut, and revoked must show.
    COLUMNS = ("Key", "State", "Name", "Scopes", "Expires", "Last used", "Created")

    def __init__(self, appliance: Appliance, actor: str, org_id: str) -> None:
        super().__init__(appliance, actor)
        self.org = orgs.find_org(appliance.db, org_id)

    def heading(self) -> Content:
        return with_name("API keys of ", self.org.name, "   (Esc: back)")

    def rows(self) -> list[tuple[str, tuple[Any, ...]]]:
        return [
            (
                k["key_id"],
                (
                    k["prefix"] + "…",
                    key_state(k),
                    k["name"],
                    ",".join(k["scopes"]),
                    short_time(k["expires_at"]) if k["expires_at"] else "never",
                    short_time(k["last_used_at"]),
                    short_time(k["created_at"]),
                ),
            )
            for k in apikeys.list_keys(self.appliance.db, self.org.id)
        ]

    def action_issue(self) -> None:
        actor = self.actor

        def issue(values: FormValues) -> apikeys.IssuedKey:
            scopes = [s for s in SCOPES if values[f"scope_{s}"]]
            days_text = str(values["days"]).strip()
            if days_text and not days_text.isdigit():
                raise ValueError("Expires in days: a whole number, or empty for never.")
            days = int(days_text) if days_text else None
            return apikeys.issue_key(
                self.appliance.db,
                self.org.id,
                str(values["name"]) or "default",
                scopes,
                days,
                actor=actor,
            )

        def issued(key: apikeys.IssuedKey | None) -> None:
            if key is None:
                return
            self.action_refresh()
            self.app.push_screen(
                SecretModal(
                    f"API key {key.key_id} for {self.org.name}",
                    key.api_key,
                    "Only its hash is stored: copy it into the partner system now.",
                )
            )

        fields = [Field("name", "Name", placeholder="e.g. lab-export")]
        fields += [
            Field(f"scope_{s}", f"scope: {s}", checkbox=True, checked=s in DEFAULT_SCOPES)
            for s in SCOPES
        ]
        fields.append(Field("days", "Expires in days (empty: never)"))
        self.app.push_screen(
            FormModal(f"New API key for {self.org.name}", fields, issue, "Issue"), issued
        )

    def action_revoke(self) -> None:
        key_id = self.selected_key()
        if key_id is None:
            return
        actor = self.actor

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.attempt(
                    lambda: apikeys.revoke_key(self.appliance.db, key_id, actor=actor),
                    f"Revoked {key_id}; refused from the next request on",
                )

        self.app.push_screen(ConfirmModal(f"Revoke key {key_id}?"), confirmed)
