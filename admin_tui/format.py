"""How the console shows values: short, aligned, readable at 80 columns."""

from __future__ import annotations


def human_bytes(n: int | None) -> str:
    if n is None:
        return "-"
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def parse_bytes(text: str) -> int | None:
    """``none`` (no quota), a number of bytes, or a number with K/M/G/T (powers of 1024)."""
    text = text.strip().upper().removesuffix("B").removesuffix("I")
    if text in ("", "NONE"):
        return None
    factor = 1
    for i, unit in enumerate("KMGT", start=1):
        if text.endswith(unit):
            text, factor = text[:-1], 1024**i
            break
    value = float(text)
    if value < 0:
        raise ValueError("negative")
    return int(value * factor)


def short_time(iso: str | None) -> str:
    """``2026-11-28 22:47`` from an ISO timestamp: minutes are enough on a console."""
    return "-" if not iso else iso.replace("T", " ")[:16]
