"""The relative path a file had on the partner's side: ``tree/2024/labs.csv``.

``hpx upload DIR`` and a folder dropped on a drop link's page send many files whose
names repeat in different folders (``tree/2024/labs.csv``, ``tree/2025/labs.csv``).
The store keeps one flat directory per organization (its names made unique:
``labs.csv``, ``labs (1).csv``), and the path is *recorded* beside the file, shown by
``GET /v1/files`` and ``hpx files``, and used by ``hpx download`` to put the file
back where it was. Recording rather than making folders keeps the store's layout
(local or S3), its garbage collection, backups and the datasets' names as they are,
and no client-sent path ever reaches the filesystem.

Each folder is sanitized as a file name is (:func:`storage.sanitize_filename`): no
``..``, no absolute path, no hidden or Windows-reserved names; ``\\`` separates
folders as ``/`` does (a path written on Windows).
"""

from __future__ import annotations

import re

from appliance.errors import invalid
from storage import sanitize_filename

MAX_PATH_CHARS = 1000
MAX_DEPTH = 32
"""At most this many parts (folders and the file's name): a path is a label, not a
tree walk. With each part capped by the sanitizer, a recorded path stays small."""


def relative_path(text: str | None, field: str = "path") -> str | None:
    """``text`` as a safe relative path (``/``-separated, each part sanitized), or None
    for none given. ``..`` and ``.`` parts and empty ones are dropped, as the sanitizer
    drops them from a name; too long or too deep a path is refused naming ``field``."""
    if text is None:
        return None
    if len(text) > MAX_PATH_CHARS:
        raise invalid(field, f"must be at most {MAX_PATH_CHARS} characters")
    parts = [p for p in re.split(r"[/\\]", text) if p.strip() not in ("", ".", "..")]
    if not parts:
        return None
    if len(parts) > MAX_DEPTH:
        raise invalid(field, f"has {len(parts)} parts; at most {MAX_DEPTH} are allowed")
    return "/".join(sanitize_filename(p) for p in parts)
