"""README.md's map, checked against the code: each table of the metadata database is
written and read by one module, its owner; every other module asks the owner.

The test reads the SQL of every module (each string literal, f-strings included, and
each sqlite-utils ``table("…")``), finds the tables it names, and fails on a table
named outside its owner. The import rules (layers, no circles, no HTTP below the
views) are import-linter's: ``lint-imports``, configured in pyproject.toml.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("appliance", "storage", "admin_tui")

OWNERS = {
    "orgs": "appliance/accounts/orgs.py",
    "api_keys": "appliance/accounts/apikeys.py",
    "users": "appliance/accounts/users.py",
    "uploads": "appliance/uploads/upload_records.py",
    "part_grants": "appliance/uploads/multipart.py",
    "upload_parts": "appliance/uploads/multipart.py",
    "tus_uploads": "appliance/uploads/tus_records.py",
    "drop_links": "appliance/uploads/links.py",
    "files": "appliance/files/records.py",
    "audit_log": "appliance/audit.py",
    "dataset_dictionaries": "appliance/analytics/dictionary.py",
    "conversations": "appliance/analytics/conversations.py",
    "disclosure_row_sets": "appliance/analytics/differencing.py",
}
"""Each table, and the one module whose SQL writes and reads it."""

EVERY_TABLE = {
    # The schema itself: every table's CREATE and ALTER, and PostgreSQL's translation
    # of them.
    "appliance/db/schema.py",
    "appliance/db/postgres.py",
    # ``hpx migrate``'s copy of every row to the new database, table by table, as rows
    # (the database layer's own copy, which knows no table's meaning).
    "appliance/db/__init__.py",
}
"""Modules of the database layer, which name every table without owning one."""

READ_ONLY_JOINS: dict[str, set[str]] = {
    # The trail, newest first, each record with its organization's name: one LEFT JOIN
    # (a deleted organization's records keep no name). Asking accounts/orgs.py instead
    # would import a layer above: the accounts write the trail.
    "appliance/audit.py": {"orgs"},
}
"""Module → tables it reads, never writes, though another module owns them."""

DUCKDB = "appliance/analytics/"
"""The analytics modules' SQL runs on DuckDB over an organization's datasets, whose
names are the datasets' (quoted by one module): not the metadata database's tables."""

RUNTIME_NAME = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+\{\}")
"""A table named only at run time (``f"UPDATE {table} …"``): its owner cannot be
checked, so only the database layer may do it."""

SQL = re.compile(
    r"\b(?:FROM|JOIN|INTO|UPDATE|TABLE|REFERENCES)\s+([a-z_]+)\b"
    r"|\bDELETE\s+FROM\s+([a-z_]+)\b",
)
"""A table's name where SQL names one (keywords in capitals, as every module writes
them; a ``FROM`` inside English prose is lower case)."""


def modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


def named_tables(path: Path) -> set[str]:
    """The tables a module's SQL names: in string literals (an f-string's literal
    parts, joined with a placeholder where the expressions were), and in sqlite-utils'
    ``table("name")``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        text = None
        if isinstance(node, ast.JoinedStr):
            text = "".join(
                v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "{}"
                for v in node.values
            )
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "table"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(str(node.args[0].value))
        if text:
            if RUNTIME_NAME.search(text):
                found.add("{}")
            for match in SQL.finditer(text):
                name = match.group(1) or match.group(2)
                if name in OWNERS:
                    found.add(name)
    return found


def test_the_owners_exist() -> None:
    for owner in {*OWNERS.values(), *EVERY_TABLE, *READ_ONLY_JOINS}:
        assert (ROOT / owner).is_file(), owner


def test_each_table_is_named_by_its_owner_only() -> None:
    strangers: list[str] = []
    for path in modules():
        module = path.relative_to(ROOT).as_posix()
        if module in EVERY_TABLE:
            continue
        allowed = READ_ONLY_JOINS.get(module, set())
        for table in sorted(named_tables(path)):
            if table == "{}":
                if not module.startswith(DUCKDB):
                    strangers.append(f"{module} names a table at run time")
            elif OWNERS[table] != module and table not in allowed:
                strangers.append(f"{module} names {table} (owner: {OWNERS[table]})")
    assert strangers == []


def test_read_only_joins_only_read() -> None:
    """A module allowed to read another's table never writes it."""
    for module, tables in READ_ONLY_JOINS.items():
        text = (ROOT / module).read_text()
        for table in tables:
            written = rf"\b(?:INTO|UPDATE|DELETE\s+FROM)\s+{table}\b|table\(\"{table}\"\)"
            assert not re.search(written, text), (module, table)


def test_each_owner_names_its_table() -> None:
    """The owners above are real: each module's SQL does name its table (a table moved
    to another module fails here, not silently)."""
    for table, owner in OWNERS.items():
        assert table in named_tables(ROOT / owner), (table, owner)


def test_the_http_layer_holds_no_sql() -> None:
    """Views parse, authorize, call a service and shape the answer: no statement of
    any kind is written there."""
    statement = re.compile(r"\b(?:SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b")
    for path in sorted((ROOT / "appliance/http").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not statement.search(node.value), (path.name, node.value[:60])


def test_table_modules_leave_the_store_to_their_services() -> None:
    """A table's module records; deleting bytes or caches is its service's work (a
    module that did both hid a second job behind the table's name)."""
    store_calls = {"clear_derived", "open_file", "delete_org", "remove_resumable", "commit"}
    still_both = {
        # Drop links: the table and the service of a link (a small one) in one module.
        "appliance/uploads/links.py",
        # Deleting an organization removes its row and then its whole tree.
        "appliance/accounts/orgs.py",
    }
    for module in set(OWNERS.values()) - still_both:
        tree = ast.parse((ROOT / module).read_text())
        calls = {
            node.func.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
        }
        assert not calls & store_calls, module


def test_one_module_quotes_sql() -> None:
    """Identifiers and literals are escaped in appliance/analytics/quoting.py only: a
    second copy is a second place for a quoting bug to hide."""
    escapes = ("""replace('"', '""')""", """replace("'", "''")""")
    found = [
        path.relative_to(ROOT).as_posix()
        for path in modules()
        if any(escape in path.read_text() for escape in escapes)
    ]
    assert found == ["appliance/analytics/quoting.py"]


LONG_ALLOWED = ("appliance/analytics/lexicon.py",)
"""The question reader's word tables: data, not code (every phrase it knows, one table
per kind)."""


def test_no_module_is_over_600_lines() -> None:
    long = [
        f"{module}: {lines}"
        for path in modules()
        if not (module := path.relative_to(ROOT).as_posix()).startswith(LONG_ALLOWED)
        and (lines := len(path.read_text().splitlines())) > 600
    ]
    assert long == []


def test_no_module_name_is_both_http_and_elsewhere() -> None:
    """A name read in a traceback or a review says which layer it is in."""
    http = {p.name for p in (ROOT / "appliance/http").glob("*.py")} - {"__init__.py"}
    elsewhere = {p.name for p in modules() if "appliance/http/" not in p.as_posix()}
    assert http & elsewhere == set()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('conn.execute("UPDATE uploads SET state = ?", [s])', {"uploads"}),
        ('db.rows(f"SELECT id FROM orgs WHERE {where}")', {"orgs"}),
        ('conn.table("drop_links").insert(row)', {"drop_links"}),
        ('q = "SELECT f.id FROM files f JOIN orgs o ON o.id = f.org_id"', {"files", "orgs"}),
        ('"""deleted from the files table, or from files nobody reads"""', set()),
        ('conn.execute(f"UPDATE {table} SET state = ?", [s])', {"{}"}),
    ],
)
def test_the_reader_of_sql(tmp_path: Path, source: str, expected: set[str]) -> None:
    path = tmp_path / "module.py"
    path.write_text(source + "\n")
    assert named_tables(path) == expected
