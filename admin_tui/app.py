"""``hpx admin``: the operator's console.

Screens live in ``admin_tui/screens``, dialogs in ``widgets.py``, styles in
``admin.tcss``. Everything it changes goes through the same services as the CLI,
with the actor ``console:<unix user>`` in the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.notifications import SeverityLevel
from textual.screen import Screen

from admin_tui.screens.activity import ActivityScreen
from admin_tui.screens.audit import AuditScreen
from admin_tui.screens.orgs import OrgsScreen
from admin_tui.widgets import HelpModal
from appliance import audit
from appliance.context import Appliance


class AdminApp(App[None]):
    CSS_PATH = "admin.tcss"
    TITLE = "Healthproximate appliance"
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", show=False),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        Binding("o", "home", "Orgs"),
        Binding("a", "activity", "Activity"),
        Binding("l", "audit", "Audit"),
    ]

    def __init__(self, appliance: Appliance, actor: str | None = None) -> None:
        super().__init__()
        self.appliance = appliance
        self.actor = actor or audit.actor_for("console")
        self.sub_title = str(appliance.settings.data_dir)

    def on_mount(self) -> None:
        self.push_screen(OrgsScreen(self.appliance, self.actor))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification as plain text, whatever the caller asked: they quote
        names and service messages, which must show as typed (admin_tui/format.py)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def action_home(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_activity(self) -> None:
        if not isinstance(self.screen, ActivityScreen):
            self.push_screen(ActivityScreen(self.appliance, self.actor))

    def action_audit(self) -> None:
        if not isinstance(self.screen, AuditScreen):
            self.push_screen(AuditScreen(self.appliance, self.actor))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpModal):
            self.push_screen(HelpModal(self.keys_of(self.screen)))

    def keys_of(self, screen: Screen[object]) -> list[tuple[str, str]]:
        """(keys, what they do) for the screen and the app; one line per action.

        From the declared bindings rather than the footer's: the footer hides the
        ones that do not apply to the selected row (Resume on an active organization).
        """
        declared: list[BindingType] = []
        for cls in type(screen).__mro__:
            if cls.__module__.startswith("admin_tui"):  # not Textual's own focus keys
                declared += cls.__dict__.get("BINDINGS", [])
        declared += self.BINDINGS
        actions: dict[str, tuple[list[str], str]] = {}
        for binding in Binding.make_bindings(declared):
            if not binding.description:
                continue
            action = binding.action.removeprefix("app.")
            keys, _ = actions.setdefault(action, ([], binding.description))
            display = self.get_key_display(binding)
            if display not in keys:
                keys.append(display)
        return [(" / ".join(keys), description) for keys, description in actions.values()]

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Every action, each once: the current screen's keys, the console's, and the
        organizations' (Quota, Suspend, …) from any screen, which go back to the
        organizations and act on the one selected there. Textual's own commands
        follow, but for one whose name is taken here (its "Keys" panel is `?` here)."""
        commands: dict[str, SystemCommand] = {}
        home = self.screen_stack[1] if len(self.screen_stack) > 1 else None
        owners: list[tuple[DOMNode, Callable[[str], object]]] = [
            (screen, screen.run_action),
            (self, self.run_action),
        ]
        if isinstance(home, OrgsScreen) and screen is not home:
            owners.append((home, partial(self._on_home, home)))
        for owner, run in owners:
            for binding in type(owner).BINDINGS:
                if not isinstance(binding, Binding) or not binding.description:
                    continue
                if binding.description in commands:
                    continue
                action = binding.action.removeprefix("app.")
                target = self.run_action if binding.action.startswith("app.") else run
                commands[binding.description] = SystemCommand(
                    binding.description,
                    f"key: {self.get_key_display(binding)}"
                    + ("" if owner is not home or screen is home else " (organizations)"),
                    partial(target, action),
                )
        yield from commands.values()
        for command in super().get_system_commands(screen):
            if command.title not in commands:
                yield command

    async def _on_home(self, home: OrgsScreen, action: str) -> None:
        """Back to the organizations, then ``action`` on the one selected there."""
        self.action_home()
        await home.run_action(action)
