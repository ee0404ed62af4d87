"""Profiles parsed once for each version of their file (appliance/analytics/
profile_files.py): a replaced file is read afresh, a deleted one is gone, and what is kept
stays within its bound."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from appliance.analytics import profile_files


def _write(path: Path, profile: dict[str, object]) -> None:
    """As an import writes it: a temporary file renamed over the old one."""
    temp = path.with_suffix(".tmp")
    temp.write_text(json.dumps(profile))
    os.replace(temp, path)


def test_a_profile_replaced_by_a_new_import_is_read_afresh(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    _write(path, {"row_count": 1})
    first = profile_files.read(path)
    assert first == {"row_count": 1}
    assert profile_files.read(path) is first  # the same version: parsed once
    _write(path, {"row_count": 2})  # same size, new file
    assert profile_files.read(path) == {"row_count": 2}
    path.unlink()
    with pytest.raises(FileNotFoundError):
        profile_files.read(path)
    path.write_text("{not json")
    with pytest.raises(ValueError):
        profile_files.read(path)


def test_what_is_kept_stays_within_its_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(profile_files, "MAX_KEPT_BYTES", 1000)
    for n in range(40):
        path = tmp_path / f"{n}.json"
        _write(path, {"n": n, "pad": "x" * 80})
        assert profile_files.read(path)["n"] == n
        kept = profile_files._kept
        assert profile_files._kept_bytes == sum(i[2] for i, _p in kept.values()) <= 1000
    assert tmp_path / "39.json" in profile_files._kept  # the most recent stays
    assert tmp_path / "0.json" not in profile_files._kept
    big = tmp_path / "big.json"
    _write(big, {"pad": "x" * 2000})  # larger than the bound: read, never kept
    assert profile_files.read(big) == {"pad": "x" * 2000}
    assert big not in profile_files._kept
