"""Identifiers, in one format everywhere."""

from __future__ import annotations

import secrets


def new_id(prefix: str) -> str:
    """``org_…``, ``upl_…``, ``file_…``: the prefix tells a reader what an id names."""
    return f"{prefix}_{secrets.token_hex(8)}"
