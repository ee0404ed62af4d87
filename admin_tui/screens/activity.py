"""Uploads as they happen: refreshed every two seconds off the UI thread."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.content import Content

from admin_tui.format import human_bytes, short_time
from admin_tui.screens.base import TableScreen
from appliance.uploads import service

REFRESH_SECONDS = 2.0

PROTOCOL_NAMES = {"put": "PUT", "multipart": "multipart", "tus": "tus", "drop_link": "drop link"}
"""How the console names service.PROTOCOLS."""


def progress(upload: dict[str, Any]) -> str:
    """How far an upload has got: parts of a multipart session, bytes of a tus upload."""
    if upload["part_count"]:
        return f"{upload['parts_received']}/{upload['part_count']} parts"
    if upload["received"] is not None and upload["state"] != "done":
        return human_bytes(upload["received"])
    return "-"


class ActivityScreen(TableScreen):
    COLUMNS = ("Started", "Organization", "File", "Size", "Protocol", "State", "Progress")

    def heading(self) -> Content:
        return Content("Recent uploads, live   (Esc: back)")

    def on_mount(self) -> None:
        # Textual runs TableScreen.on_mount too (handlers of every class in the MRO):
        # calling it here as well added every column twice.
        self.set_interval(REFRESH_SECONDS, self.action_refresh)

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        """Query in a worker thread, so a busy database never freezes the console."""
        rows = [
            (
                u["id"],
                (
                    short_time(u["created_at"]),
                    u["org_name"],
                    u["filename"],
                    human_bytes(u["size"]),
                    PROTOCOL_NAMES[u["protocol"]],
                    u["state"],
                    progress(u),
                ),
            )
            for u in service.recent_activity(self.appliance)
        ]
        self.app.call_from_thread(self.fill, rows)

    def rows(self) -> list[tuple[str, tuple[Any, ...]]]:
        return []  # filled by load()
