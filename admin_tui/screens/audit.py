"""The audit trail: every administrative action, from the console or the CLI."""

from __future__ import annotations

from typing import Any

from textual.content import Content

from admin_tui.format import short_time
from admin_tui.screens.base import TableScreen
from appliance import audit


class AuditScreen(TableScreen):
    COLUMNS = ("When", "Who", "What", "Organization", "Target", "Detail")

    def heading(self) -> Content:
        return Content("Audit trail, newest first   (Esc: back)")

    def rows(self) -> list[tuple[str, tuple[Any, ...]]]:
        return [
            (
                str(e["seq"]),
                (
                    short_time(e["at"]),
                    e["actor"],
                    e["action"],
                    e["org_name"] or e["org_id"] or "-",
                    e["target"] or "-",
                    e["detail"] or "",
                ),
            )
            for e in audit.recent(self.appliance.db)
        ]
