"""Turning an untrusted client filename into one that is safe to create on disk.

The name a partner sends is attacker-controlled: it can try to climb out of the
organization's tree, hide itself, spoof an extension with bidi controls, or be a
name Windows refuses (customers copy exports to Windows shares). Every stored name
passes through :func:`sanitize_filename` first.
"""

from __future__ import annotations

import os
import re
import unicodedata

MAX_NAME_BYTES = 200
"""Leaves room below the usual 255-byte limit for a ``" (NNNN)"`` duplicate suffix."""

FALLBACK_NAME = "unnamed"

_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
_WHITESPACE = re.compile(r"\s+")
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)


def sanitize_filename(name: str) -> str:
    """Return a single path component that is safe on Linux and Windows.

    Directory parts are kept as words joined by ``_`` rather than dropped, so that
    ``site-a/export.csv`` and ``site-b/export.csv`` stay distinguishable.
    """
    name = unicodedata.normalize("NFC", name)
    # Control, format (bidi overrides), surrogate and unassigned characters.
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    parts = [p for p in re.split(r"[/\\]", name) if p.strip() not in ("", ".", "..")]
    name = "_".join(p.strip() for p in parts)
    name = _WINDOWS_FORBIDDEN.sub("_", name)
    name = _WHITESPACE.sub(" ", name)
    # Leading dots hide files; trailing dots and spaces are stripped by Windows.
    name = name.lstrip(". ").rstrip(". ")
    if name.split(".", 1)[0].upper().rstrip() in _WINDOWS_RESERVED:
        name = "_" + name
    name = _cap_length(name)
    return name or FALLBACK_NAME


def is_safe_component(name: str) -> bool:
    """True for a name that can only ever mean one entry inside one directory.

    Weaker than "is its own sanitization": stored names carry a duplicate suffix
    that may take them past the sanitizer's length cap.
    """
    return (
        bool(name)
        and name not in (".", "..")
        and not name.startswith(".")
        and not any(ch in name for ch in "/\\\x00")
        and len(name.encode()) <= 255
    )


def safe_component(component: str) -> str:
    """``component`` itself, if it is one safe path or key component; else ValueError."""
    if not is_safe_component(component):
        raise ValueError("invalid path component")
    return component


MAX_DUPLICATES = 10_000
"""How many files may share one name (``report (1).csv``…) before a commit gives up."""


def numbered(name: str, n: int) -> str:
    """The n-th alternative for a name that is already taken: ``report (2).csv``."""
    if n == 0:
        return name
    stem, ext = os.path.splitext(name)
    return f"{stem} ({n}){ext}"


def _cap_length(name: str) -> str:
    if len(name.encode()) <= MAX_NAME_BYTES:
        return name
    stem, ext = os.path.splitext(name)
    if len(ext.encode()) > 16:  # not a real extension; cut the whole name
        stem, ext = name, ""
    budget = MAX_NAME_BYTES - len(ext.encode())
    stem = stem.encode()[:budget].decode("utf-8", errors="ignore").rstrip(". ")
    return stem + ext
