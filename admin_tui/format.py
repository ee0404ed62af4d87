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


def short_time(iso: str | None) -> str:
    """``2026-11-28 22:47`` from an ISO timestamp: minutes are enough on a console."""
    return "-" if not iso else iso.replace("T", " ")[:16]
