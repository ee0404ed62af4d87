"""A dataset's profile file (``<file id>.json`` beside its Parquet copy), parsed once for
each version of it.

Every question lists the organization's datasets, and each listing read and parsed every
profile again (a quarter of the development question set's time in the service). A
parsed profile is kept under its file's identity (inode, modification time in
nanoseconds, size), taken from the open file it is read from: a new import writes a new
file and renames it over the old one, so any server process sees a new identity and
parses the new file, and a deleted file is not found. What is kept is bounded by the
files' size (:data:`MAX_KEPT_BYTES`), the least recently used going first. Callers only
read what they are given: it is shared.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

MAX_KEPT_BYTES = 8 * 1024 * 1024
"""Profiles kept, as the size of their files: a profile lists at most 50 values of each
of at most 500 columns, so a few large files or many small ones."""

_kept: OrderedDict[Path, tuple[tuple[int, int, int], dict[str, Any]]] = OrderedDict()
_kept_bytes = 0
_guard = threading.Lock()


def read(path: Path) -> dict[str, Any]:
    """The profile at ``path``; FileNotFoundError if there is none, ValueError if it is
    not JSON (as reading and parsing it would raise)."""
    global _kept_bytes
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        identity = (st.st_ino, st.st_mtime_ns, st.st_size)
        with _guard:
            hit = _kept.get(path)
            if hit is not None and hit[0] == identity:
                _kept.move_to_end(path)
                return hit[1]
        profile: dict[str, Any] = json.loads(fh.read())
    with _guard:
        old = _kept.pop(path, None)
        if old is not None:
            _kept_bytes -= old[0][2]
        if st.st_size <= MAX_KEPT_BYTES:
            _kept[path] = (identity, profile)
            _kept_bytes += st.st_size
        while _kept_bytes > MAX_KEPT_BYTES:
            _path, ((_ino, _mtime, size), _profile) = _kept.popitem(last=False)
            _kept_bytes -= size
    return profile
