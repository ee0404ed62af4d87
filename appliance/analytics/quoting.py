"""SQL text made from names and values that are not ours: a dataset's column names, a
path of the data directory. The one place that quotes them, so that a fix to quoting
is made once (values the user gives are bound parameters, never quoted here)."""

from __future__ import annotations

import re
from pathlib import Path


def quote(identifier: str) -> str:
    """``identifier`` as a DuckDB identifier, whatever it holds (``"a""b"``)."""
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    """``text`` as a SQL string literal (``'it''s'``)."""
    return "'" + text.replace("'", "''") + "'"


_PATTERN = re.compile(r"([*?\[])")


def path_literal(path: Path) -> str:
    """``path`` as a SQL string that DuckDB reads as that one file, never as a pattern.

    DuckDB expands ``*``, ``?`` and ``[...]`` in every path it reads from. Each is
    written here as a class holding only itself (``[[]``, ``[*]``), which matches only
    that character. The names the appliance gives its files have none; this is for a
    data directory whose own path has one.
    """
    return literal(_PATTERN.sub(r"[\1]", str(path)))
