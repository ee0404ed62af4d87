"""What every table screen of the console shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from admin_tui.format import literal_cell
from admin_tui.keybar import KeyBar
from appliance.context import Appliance
from appliance.errors import ApplianceError


class TableScreen(Screen[None]):
    """A header line, one DataTable and the key bar with every key (keybar.py)."""

    # "?" first: it lists every key with what it does.
    BINDINGS = [
        Binding("question_mark", "app.help", "Help", key_display="?"),
        Binding("escape", "back", "Back"),
        Binding("f5", "refresh", "Refresh", show=False),
    ]
    COLUMNS: tuple[str, ...] = ()

    def __init__(self, appliance: Appliance, actor: str) -> None:
        super().__init__()
        self.appliance = appliance
        self.actor = actor
        """How the audit trail names the operator at this console."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_top()
        yield DataTable(cursor_type="row", zebra_stripes=True, id="table")
        yield KeyBar()

    def compose_top(self) -> ComposeResult:
        yield Static(self.heading(), id="heading")

    def heading(self) -> Content:
        return Content("")

    def on_mount(self) -> None:
        self.table.add_columns(*self.COLUMNS)
        self.action_refresh()
        self.table.focus()

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#table", DataTable)

    def rows(self) -> list[tuple[str, tuple[Any, ...]]]:
        """(row key, cells) for every row; screens implement it with service calls."""
        return []

    def action_refresh(self) -> None:
        self.fill(self.rows())

    def fill(self, rows: list[tuple[str, tuple[Any, ...]]]) -> None:
        table = self.table
        selected = self.selected_key()
        table.clear()
        for key, cells in rows:
            table.add_row(*map(literal_cell, cells), key=key)
        if selected is not None and selected in {k for k, _ in rows}:
            table.move_cursor(row=table.get_row_index(selected))

    def selected_key(self) -> str | None:
        table = self.table
        if table.row_count == 0:
            return None
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(row_key.value) if row_key.value is not None else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No Back on the first screen: there is nothing to go back to."""
        if action == "back":
            return len(self.app.screen_stack) > 2
        return True

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def attempt(self, what: Callable[[], Any], done: str | None = None) -> Any:
        """Run a service call; show its refusal as a notification instead of crashing."""
        try:
            result = what()
        except ApplianceError as exc:
            self.notify(exc.message, severity="error")
            return None
        if done:
            self.notify(done)
        self.action_refresh()
        return result
