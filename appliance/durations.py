"""Durations as people write them: ``90`` (seconds), ``90s``, ``90m``, ``12h``, ``7d``.

One parser for the CLI's ``--expires-in`` options, so each takes the same.
"""

from __future__ import annotations

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RULE = "a whole number of seconds, or with s/m/h/d (90m, 12h, 7d)"
"""What :func:`parse_seconds` takes, in the words its refusal uses."""


def parse_seconds(text: str) -> int:
    """Seconds from ``text``; ValueError(``RULE``) for anything else (negatives included)."""
    cleaned = text.strip().lower()
    factor = UNITS.get(cleaned[-1:], 1) if cleaned else 1
    if cleaned[-1:] in UNITS:
        cleaned = cleaned[:-1]
    if not cleaned.isdigit() or not cleaned.isascii():
        raise ValueError(RULE)
    return int(cleaned) * factor
