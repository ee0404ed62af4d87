"""The key bar at the bottom of every screen: all its keys, on as many lines as they need.

Textual's ``Footer`` is one line that cuts what does not fit (``e Ren▏`` at 80
columns, and "Audit" never shown even at 120): an operator learns the console from
its footer, so here every key the screen offers is shown, whole, wrapping between
keys onto a second line when the terminal is narrow. Like the footer, it follows the
screen's bindings as they change (Suspend or Resume, whichever applies to the row).
"""

from __future__ import annotations

from textual.content import Content
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Static

GAP = "  "
"""Between two keys."""

PALETTE = ("^p", "All actions")
"""The command palette: searched by name, it finds every action of every screen."""


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
        padding: 0 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._show()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def on_resize(self, _event: Resize) -> None:
        self._show()

    def _bindings_changed(self, _screen: Screen[object]) -> None:
        self._show()

    def keys(self) -> list[tuple[str, str]]:
        """(key as shown, what it does) of every key the screen offers now, once per
        action, in the order the footer would show them; the palette's last."""
        shown: list[tuple[str, str]] = []
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not (binding.show and enabled and binding.description):
                continue
            if binding.action in actions:
                continue
            actions.add(binding.action)
            shown.append((self.app.get_key_display(binding), binding.description))
        return [*shown, PALETTE]

    def lines(self, width: int) -> list[list[tuple[str, str]]]:
        """The keys packed into lines of at most ``width`` cells, never split."""
        lines: list[list[tuple[str, str]]] = [[]]
        used = 0
        for key, description in self.keys():
            size = len(key) + 1 + len(description)
            if lines[-1] and used + len(GAP) + size > width:
                lines.append([])
                used = 0
            used += size + (len(GAP) if lines[-1] else 0)
            lines[-1].append((key, description))
        return lines

    def _show(self) -> None:
        width = self.size.width or self.app.size.width - 2  # content width, inside padding
        rows = []
        for line in self.lines(width):
            parts: list[Content | tuple[str, str] | str] = []
            for key, description in line:
                if parts:
                    parts.append(GAP)
                parts += [(key, "bold $footer-key-foreground"), " ", description]
            rows.append(Content.assemble(*parts))
        self.update(Content("\n").join(rows))
