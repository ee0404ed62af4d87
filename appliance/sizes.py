"""Sizes as operators write them: ``500G``, ``2T``, ``1048576``, ``none``.

One parser for the CLI (``hpx org quota``) and the console, so both accept the same.
"""

from __future__ import annotations


def parse_bytes(text: str) -> int | None:
    """``none`` (no limit), a number of bytes, or a number with K/M/G/T (powers of 1024).

    Raises ValueError for anything else, negative sizes included.
    """
    cleaned = text.strip().upper().removesuffix("B").removesuffix("I")
    if cleaned in ("", "NONE"):
        return None
    factor = 1
    for i, unit in enumerate("KMGT", start=1):
        if cleaned.endswith(unit):
            cleaned, factor = cleaned[:-1], 1024**i
            break
    value = float(cleaned)
    if value < 0:
        raise ValueError("negative")
    return int(value * factor)
