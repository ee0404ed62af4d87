"""Filename sanitizing: nasty names in, one safe path component out."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage.names import MAX_NAME_BYTES, numbered, sanitize_filename

CASES = [
    ("report.csv", "report.csv"),
    ("../../etc/passwd", "etc_passwd"),
    ("..\\..\\windows\\system32\\cfg", "windows_system32_cfg"),
    ("/absolute/path.txt", "absolute_path.txt"),
    ("C:\\fakepath\\scan.dcm", "C__fakepath_scan.dcm"),
    (".bashrc", "bashrc"),
    ("...", "unnamed"),
    ("", "unnamed"),
    ("   ", "unnamed"),
    ("a\x00b.csv", "ab.csv"),
    ("line\nbreak\r.csv", "linebreak.csv"),
    ("invoice\u202egpj.exe", "invoicegpj.exe"),  # bidi override cannot flip the extension
    ("CON", "_CON"),
    ("con.txt", "_con.txt"),
    ("LPT1.csv", "_LPT1.csv"),
    ("COM10.csv", "COM10.csv"),
    ('what?<>:"|*.csv', "what_______.csv"),
    ("trailing dot. ", "trailing dot"),
    ("multi   space\t.csv", "multi space.csv"),  # tab is a control character
    ("e\u0301cole.csv", "\u00e9cole.csv"),  # NFD -> NFC
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_table_of_nasty_names(raw: str, expected: str) -> None:
    assert sanitize_filename(raw) == expected


def test_long_names_are_capped_keeping_the_extension() -> None:
    name = sanitize_filename("é" * 300 + ".csv")
    assert len(name.encode()) <= MAX_NAME_BYTES
    assert name.endswith(".csv")
    name.encode().decode("utf-8")  # cut on a character boundary


def test_numbered_alternatives() -> None:
    assert numbered("report.csv", 0) == "report.csv"
    assert numbered("report.csv", 2) == "report (2).csv"
    assert numbered("README", 1) == "README (1)"


@given(st.text(max_size=400))
def test_any_input_gives_one_safe_component(raw: str) -> None:
    name = sanitize_filename(raw)
    assert name
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".")
    assert name not in (".", "..")
    assert len(name.encode()) <= MAX_NAME_BYTES
    assert not any(unicodedata.category(c).startswith("C") for c in name)
    assert unicodedata.normalize("NFC", name) == name
    assert sanitize_filename(name) == name  # idempotent: a stored name is its own sanitization


@pytest.mark.parametrize("name", ["", ".", "..", ".hidden", "a/b", "a\\b", "a\x00b", "x" * 256])
def test_unsafe_components(name: str) -> None:
    from storage.names import is_safe_component

    assert not is_safe_component(name)


@given(st.text(max_size=400), st.integers(min_value=0, max_value=9999))
def test_sanitized_and_numbered_names_are_safe(raw: str, n: int) -> None:
    from storage.names import is_safe_component

    assert is_safe_component(numbered(sanitize_filename(raw), n))
