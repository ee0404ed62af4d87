"""How the console shows values: short, aligned, readable at 80 columns, and literal.

Textual reads a plain string given to a table cell, a label or a notification as
markup: a partner's filename ``[reverse blink red]x[conceal]report.csv`` would show
blinking, or nothing at all, instead of its name. What partners, applications or
operators typed (filenames, organization and key names, emails, labels, audit
details, error messages that quote them) reaches the screen only as ``Text`` or
``Content`` objects, which are never parsed.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.content import Content

from appliance import sizes


def literal_cell(value: Any) -> Any:
    """A table cell: a string as the same characters, other values as they are."""
    return Text(value, end="") if isinstance(value, str) else value


def with_name(before: str, name: str, after: str = "") -> Content:
    """``before`` + ``name`` in bold + ``after``: a variable of Textual's markup is
    inserted as it is, never read as markup itself."""
    return Content.from_markup(f"{before}[b]$name[/b]{after}", name=name)


def human_bytes(n: int | None) -> str:
    return "-" if n is None else sizes.human(n)


def short_time(iso: str | None) -> str:
    """``2026-11-28 22:47`` from an ISO timestamp: minutes are enough on a console."""
    return "-" if not iso else iso.replace("T", " ")[:16]
