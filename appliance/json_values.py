"""Values as JSON hands them over, read one way by every layer that takes them.

JSON has one number type: a client whose serializer holds numbers as doubles
(JavaScript's) writes ``2216`` as ``2216.0``, and JSON Schema calls both an integer.
And a JSON string may carry a lone surrogate (``"\\ud800"``), which is no Unicode text:
no UTF-8 answer can quote it and DuckDB cannot bind it. The HTTP layer's body parsing
and the analytics plan both read values with these, so that a body the API takes is a
plan the engine takes.
"""

from __future__ import annotations


def whole_number(value: object) -> int | None:
    """``value`` as an int if it is a whole number (``5`` or ``5.0``), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def is_unicode(text: str) -> bool:
    """Whether ``text`` is Unicode text: no lone surrogate, so it encodes as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
