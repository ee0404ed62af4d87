"""A secret the appliance makes for itself on first use: a file of its own, 0600.

The signing secrets (presigned URLs, sign-in tokens) and the audit key are each made
this way where no install made them first (a development data directory). Server
processes may start at once: the first to create the file wins and the others read it.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from storage.durable import write_private


def ensure(path: Path) -> None:
    """Create ``path`` (0600, in a 0700 folder) holding one fresh random secret, unless
    it exists. OSError if it cannot be written (a folder that is not ours)."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        write_private(path, (secrets.token_urlsafe(48) + "\n").encode(), exclusive=True)
    except FileExistsError:
        pass  # another process made it first: its secret is the one
