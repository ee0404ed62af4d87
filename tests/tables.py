"""Small tables loaded once per test process: the same CSV bytes under the same name
are imported the first time only.

The reader's tests make a small table in each test (``table`` in
tests/test_analytics_reader.py), and many make the same one (the ages and flags of a
dozen modules): about a third of the quick loop's loads were repeats, each 40 to 60 ms of
CPU (DuckDB reading the CSV, writing Parquet, profiling it). An import is a function of
the file's bytes and names alone (``datasets.load_file``), so a repeat gets what a
load would give: the first load's Parquet copy and profile, copied into the test's own
folder (written under a temporary name, then renamed, as an import writes them), and a
fresh :class:`~appliance.analytics.datasets.Dataset` of its own (deep-copied: a test
that sets a dictionary or pairs on its dataset changes no other test's). The first load
of each table still goes through the import, and the import itself is tested on its own
(tests/test_profiling.py, tests/test_analytics_engine.py).
"""

from __future__ import annotations

import atexit
import copy
import dataclasses
import os
import shutil
import tempfile
from pathlib import Path

from appliance.analytics import datasets

KEPT = 2000
"""At most this many tables are kept (a few hundred small files in the quick loop)."""

_kept: dict[tuple[str, str, bytes], datasets.Dataset] = {}
_store: Path | None = None


def load(source: Path, folder: Path, name: str) -> datasets.Dataset:
    """``datasets.load_file(source, folder, name)``, the import made once per process
    for each name and content."""
    global _store
    key = (name, source.name, source.read_bytes())
    kept = _kept.get(key)
    if kept is None:
        ds = datasets.load_file(source, folder, name)
        if len(_kept) < KEPT:
            if _store is None:
                _store = Path(tempfile.mkdtemp(prefix="hpx-test-tables-"))
                atexit.register(shutil.rmtree, _store, ignore_errors=True)
            # Kept apart from the test's folder, which the test may change.
            own = _store / str(len(_kept))
            own.mkdir()
            for made in _files(folder, name):
                if made.exists():
                    shutil.copy(made, own / made.name)
            _kept[key] = dataclasses.replace(copy.deepcopy(ds), path=own / ds.path.name)
        return ds
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for made in _files(kept.path.parent, name):
        if made.exists():
            temp = folder / f".{made.name}.copy.tmp"
            shutil.copy(made, temp)  # its mode too: private, as the import's
            os.replace(temp, folder / made.name)
    return dataclasses.replace(copy.deepcopy(kept), path=folder / kept.path.name)


def _files(folder: Path, name: str) -> list[Path]:
    """What an import of ``name`` writes: its Parquet copy and its profile."""
    return [folder / f"{name}.parquet", folder / f"{name}.json"]
