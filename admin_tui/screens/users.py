"""Users of one organization: add (typed twice, or generated and shown once), disable,
reset password."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.content import Content

from admin_tui.format import short_time, with_name
from admin_tui.screens.base import TableScreen
from admin_tui.widgets import Field, FormModal, FormValues, SecretModal
from appliance.accounts import orgs, users
from appliance.context import Appliance

PASSWORD_FIELDS = [
    Field("generate", "Generate a password (shown once)", checkbox=True),
    Field("password", "Password (at least 12 characters)", password=True),
    Field("repeat", "Password again", password=True),
]


def chosen_password(values: FormValues) -> tuple[str, bool]:
    """(password, generated?) from a form with PASSWORD_FIELDS."""
    if values["generate"]:
        return users.generate_password(), True
    if values["password"] != values["repeat"]:
        raise ValueError("The two passwords differ.")
    return str(values["password"]), False


class UsersScreen(TableScreen):
    BINDINGS = [
        Binding("n", "add", "Add"),
        Binding("d", "toggle_disable", "Disable/enable"),
        Binding("p", "password", "Reset password"),
        Binding("w", "toggle_rows", "Rows on/off"),
    ]
    COLUMNS = ("Email", "Status", "Rows", "Created", "Password set")

    def __init__(self, appliance: Appliance, actor: str, org_id: str) -> None:
        super().__init__(appliance, actor)
        self.org = orgs.find_org(appliance.db, org_id)

    def heading(self) -> Content:
        return with_name("Users of ", self.org.name, "   (Esc: back)")

    def rows(self) -> list[tuple[str, tuple[Any, ...]]]:
        return [
            (
                u["email"],
                (
                    u["email"],
                    u["status"],
                    "rows" if u["rows"] else "-",
                    short_time(u["created_at"]),
                    short_time(u["password_changed_at"]),
                ),
            )
            for u in users.list_users(self.appliance.db, self.org.id)
        ]

    def show_generated(self, result: tuple[str, str | None] | None) -> None:
        if result is None:
            return
        email, generated = result
        self.action_refresh()
        if generated:
            self.app.push_screen(
                SecretModal(
                    f"Password for {email}", generated, "Hand it over now; only its hash is stored."
                )
            )
        else:
            self.notify(f"Saved {email}")

    def action_add(self) -> None:
        def add(values: FormValues) -> tuple[str, str | None]:
            password, generated = chosen_password(values)
            user = users.add_user(
                self.appliance.db, self.org.id, str(values["email"]), password, actor=self.actor
            )
            return user.email, password if generated else None

        self.app.push_screen(
            FormModal(
                f"New user for {self.org.name}",
                [Field("email", "Email"), *PASSWORD_FIELDS],
                add,
                "Add",
            ),
            self.show_generated,
        )

    def action_password(self) -> None:
        email = self.selected_key()
        if email is None:
            return

        def reset(values: FormValues) -> tuple[str, str | None]:
            password, generated = chosen_password(values)
            users.reset_password(self.appliance.db, email, password, actor=self.actor)
            return email, password if generated else None

        self.app.push_screen(
            FormModal(f"New password for {email}", PASSWORD_FIELDS, reset, "Set"),
            self.show_generated,
        )

    def action_toggle_disable(self) -> None:
        email = self.selected_key()
        if email is None:
            return
        row = next(
            u for u in users.list_users(self.appliance.db, self.org.id) if u["email"] == email
        )
        if row["status"] == "active":
            self.attempt(
                lambda: users.disable_user(self.appliance.db, email, actor=self.actor),
                f"Disabled {email}",
            )
        else:
            self.attempt(
                lambda: users.enable_user(self.appliance.db, email, actor=self.actor),
                f"Enabled {email}",
            )

    def action_toggle_rows(self) -> None:
        """Grant or withdraw record-level access (the scope ``rows``): exact small
        counts and record-level answers. The user's tokens end with the change."""
        email = self.selected_key()
        if email is None:
            return
        user = [u for u in users.list_users(self.appliance.db, self.org.id) if u["email"] == email]
        on = not (user and user[0]["rows"])
        self.attempt(
            lambda: users.set_rows(self.appliance.db, self.org.id, email, on, actor=self.actor),
            f"{'Granted' if on else 'Withdrew'} rows for {email}; they sign in again",
        )
