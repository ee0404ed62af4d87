"""Sizes as operators write them: ``500G``, ``2T``, ``1048576``, ``none``.

One parser for the CLI (``hpx org quota``) and the console, so both accept the same.
"""

from __future__ import annotations

import math

MAX_BYTES = 2**63 - 1
"""The largest integer SQLite stores (8 EiB): no quota is larger."""

RULE = "a number with K/M/G/T (500G), up to 8 EiB, or 'none'"
"""What :func:`parse_bytes` takes, in the words its refusal uses (CLI and console)."""


def parse_bytes(text: str) -> int | None:
    """``none`` (no limit), a number of bytes, or a number with K/M/G/T (powers of 1024).

    Raises ValueError(``RULE``) for anything else, negative, infinite and over
    ``MAX_BYTES`` included.
    """
    cleaned = text.strip().upper().removesuffix("B").removesuffix("I")
    if cleaned in ("", "NONE"):
        return None
    factor = 1
    for i, unit in enumerate("KMGT", start=1):
        if cleaned.endswith(unit):
            cleaned, factor = cleaned[:-1], 1024**i
            break
    try:
        value = float(cleaned) * factor
    except ValueError:
        raise ValueError(RULE) from None
    if not math.isfinite(value) or not 0 <= value <= MAX_BYTES:
        raise ValueError(RULE)
    return int(value)


def human(n: int) -> str:
    """``1.5 GiB``: a size for a person (quota refusals, the console), powers of 1024."""
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover - the loop returns at TiB
