"""Modal dialogs shared by the console's screens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from admin_tui.format import with_name
from appliance.errors import ApplianceError


@dataclass(frozen=True)
class Field:
    """One line of a form: an Input, or a Checkbox when ``checkbox`` is set."""

    name: str
    label: str
    value: str = ""
    password: bool = False
    checkbox: bool = False
    checked: bool = False
    placeholder: str = ""
    hint: str = ""
    """A line under the field, for what its label cannot say (what unticking means)."""


class TickBox(Checkbox):
    """A checkbox whose state shows without colour: ``[X]`` ticked, ``[ ]`` not
    (Textual's draws an X either way, coloured or dim, which some terminals, themes
    and eyes cannot tell apart)."""

    @property
    def _button(self) -> Content:
        # Read at every render, so it follows the value however it was changed.
        self.BUTTON_INNER = "X" if self.value else " "
        return super()._button


FormValues = dict[str, str | bool]


class FormModal(ModalScreen[Any]):
    """A small form whose ``action`` runs on submit.

    If the action raises (a service refusing bad input), its message is shown and
    the form stays open with what was typed; otherwise the form closes with the
    action's result. Cancel closes it with None.
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # Priority: on a checkbox, Enter would toggle it instead of submitting the form.
        Binding("enter", "submit", "Submit", priority=True),
    ]

    def __init__(
        self,
        title: str,
        fields: list[Field],
        action: Callable[[FormValues], Any],
        submit: str = "OK",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.action = action
        self.submit_label = submit

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            for f in self.fields:
                if f.checkbox:
                    yield TickBox(Content(f.label), f.checked, id=f"field-{f.name}")
                else:
                    yield Label(f.label, markup=False)
                    yield Input(
                        f.value,
                        placeholder=f.placeholder,
                        password=f.password,
                        id=f"field-{f.name}",
                    )
                if f.hint:
                    yield Label(f.hint, classes="hint", markup=False)
            yield Static("", id="form-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.submit_label, variant="primary", id="submit")
                yield Button("Cancel", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "submit":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        focused = self.focused
        if isinstance(focused, Button) and focused.id == "cancel":
            self.dismiss(None)
        else:
            self._submit()

    def _submit(self) -> None:
        values: FormValues = {}
        for f in self.fields:
            selector = f"#field-{f.name}"
            if f.checkbox:
                values[f.name] = self.query_one(selector, Checkbox).value
            else:
                values[f.name] = self.query_one(selector, Input).value
        try:
            result = self.action(values)
        except (ApplianceError, ValueError) as exc:
            message = exc.message if isinstance(exc, ApplianceError) else str(exc)
            self.query_one("#form-error", Static).update(message)
            return
        self.dismiss(result)


class ConfirmModal(ModalScreen[bool]):
    """Yes or no; ``y`` and ``n`` answer from the keyboard."""

    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.question, classes="dialog-title", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", variant="error", id="yes")
                yield Button("No (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class TypeNameModal(ModalScreen[bool]):
    """For what cannot be undone: the operator types the name to go ahead."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, warning: str, name: str) -> None:
        super().__init__()
        self.warning = warning
        self.expected = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog danger"):
            yield Label(self.warning, classes="dialog-title", markup=False)
            yield Label(with_name("Type ", self.expected, " to confirm:"))
            yield Input(id="typed")
            yield Static("", id="form-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Delete", variant="error", id="confirm")
                yield Button("Cancel", id="cancel")

    def on_input_submitted(self) -> None:
        self._confirm()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "confirm":
            self._confirm()
        else:
            self.dismiss(False)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def _confirm(self) -> None:
        if self.query_one("#typed", Input).value.strip() == self.expected:
            self.dismiss(True)
        else:
            self.query_one("#form-error", Static).update("The name does not match.")


class SecretModal(ModalScreen[None]):
    """A secret shown exactly once, with a way to copy it (OSC 52, over SSH too)."""

    BINDINGS = [
        Binding("c", "copy", "Copy"),
        # Priority: after `c` (or a click) focus is on Copy, whose Enter would copy again.
        Binding("escape,enter", "close", "Done", priority=True),
    ]

    def __init__(self, title: str, secret: str, note: str) -> None:
        super().__init__()
        self.title_text = title
        self.secret = secret
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog secret"):
            yield Label(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.secret, id="secret-value", markup=False)
            note = Content.from_markup("[b]Shown once.[/b] $note", note=self.note)
            yield Label(note, classes="warning")
            yield Static("", id="copied", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Copy (c)", id="copy")
                yield Button("I have stored it", variant="primary", id="done")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "copy":
            self.action_copy()
        else:
            self.dismiss(None)

    def action_copy(self) -> None:
        # OSC 52 asks the terminal to copy; no terminal answers whether it did. So say
        # what was done, and keep the secret on screen for a manual copy.
        # Said in the dialog, not in a toast: a toast sat on the buttons for seconds.
        self.app.copy_to_clipboard(self.secret)
        self.query_one("#copied", Static).update(
            "Sent to your terminal's clipboard (OSC 52). If it does not paste,"
            " select the text above and copy it by hand. Enter closes."
        )

    def action_close(self) -> None:
        self.dismiss(None)


class HelpModal(ModalScreen[None]):
    """Every key of the screen underneath, and the console's own, in one list."""

    BINDINGS = [Binding("escape,question_mark,f1,enter", "close", "Close")]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Keys of this screen", classes="dialog-title")
            grid = Table.grid(padding=(0, 2))
            grid.add_column(style="bold")
            grid.add_column()
            for keys, description in self.keys:
                grid.add_row(keys, description)
            yield Static(grid)
            yield Label("Ctrl+P searches every action.  Esc closes this.", classes="warning")

    def action_close(self) -> None:
        self.dismiss(None)
