"""The names a dataset and its columns are asked by: a file's name and headers made
into plain lowercase words joined by ``_``, unique within the organization or file."""

from __future__ import annotations

import re
from pathlib import Path


def column_names(headers: list[str]) -> list[str]:
    """SQL-friendly names for a file's headers (``Serum sodium (mmol/L)`` →
    ``serum_sodium_mmol_l``), each distinct; the header as written stays the source."""
    names: list[str] = []
    for i, raw in enumerate(headers):
        name = re.sub(r"[^0-9a-z]+", "_", raw.strip().lower()).strip("_") or f"column_{i + 1}"
        if name[0].isdigit():
            name = f"c_{name}"
        base, n = name, 2
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return names


def dataset_name(filename: str, taken: set[str]) -> str:
    """A dataset's name from its file's (``Cohort 2024.csv`` → ``cohort_2024``), distinct
    from the names ``taken``."""
    stem = Path(filename).stem
    name = re.sub(r"[^0-9a-z]+", "_", stem.lower()).strip("_") or "dataset"
    if name[0].isdigit():
        name = f"t_{name}"
    base, n = name, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name
