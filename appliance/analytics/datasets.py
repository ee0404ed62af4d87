"""Each uploaded CSV file of an organization becomes a table of its analytics database.

The database (``analytics.db`` in the organization's ``derived`` directory, removed
with the organization and cleared when one of its files is deleted) belongs to one organization
only, so a query can never reach another organization's rows, whatever SQL the
engine writes. It is derived data: it is brought in step with the organization's
files before each use, and can be deleted at any time.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlite_utils.utils import TypeTracker

from appliance.context import Appliance
from storage import NotStored

META = "_datasets"
BATCH_ROWS = 5_000
MAX_COLUMNS = 500


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # integer, float or text

    @property
    def numeric(self) -> bool:
        return self.type in ("integer", "float")


@dataclass(frozen=True)
class Dataset:
    name: str
    file_id: str
    filename: str
    row_count: int
    columns: list[Column]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "file_id": self.file_id,
            "filename": self.filename,
            "row_count": self.row_count,
            "columns": [{"name": c.name, "type": c.type} for c in self.columns],
        }

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


_sync_locks: dict[str, threading.Lock] = {}
_sync_locks_guard = threading.Lock()


def db_path(appliance: Appliance, org_id: str) -> Path:
    return appliance.store.derived_dir(org_id) / "analytics.db"


def sync(appliance: Appliance, org_id: str) -> list[Dataset]:
    """Bring the organization's tables in step with its CSV files; return the datasets.

    One sync at a time per organization: a large import must not make a second
    request wait on SQLite's lock until it times out.
    """
    with _sync_locks_guard:
        lock = _sync_locks.setdefault(org_id, threading.Lock())
    with lock:
        return _sync(appliance, org_id)


def _sync(appliance: Appliance, org_id: str) -> list[Dataset]:
    path = db_path(appliance, org_id)
    files = appliance.db.rows(
        "SELECT id, filename, sha256 FROM files WHERE org_id = ? AND lower(filename) LIKE"
        " '%.csv' ORDER BY seq",
        (org_id,),
    )
    db = sqlite_utils.Database(path)
    try:
        meta = db[META]
        if not meta.exists():
            db.execute(
                f"CREATE TABLE {META} (name TEXT PRIMARY KEY, file_id TEXT UNIQUE,"
                " filename TEXT, sha256 TEXT, row_count INTEGER, columns TEXT)"
            )
        known = {r["file_id"]: r for r in db.query(f"SELECT * FROM {META}")}
        wanted = {f["id"] for f in files}
        for file_id, row in known.items():
            if file_id not in wanted:
                _drop(db, row["name"])
        taken = {r["name"] for r in known.values() if r["file_id"] in wanted}
        for f in files:
            row = known.get(f["id"])
            if row is not None and row["sha256"] == f["sha256"]:
                continue
            if row is not None:
                _drop(db, row["name"])
                taken.discard(row["name"])
            name = _table_name(f["filename"], taken)
            try:
                source = appliance.store.path_of(org_id, f["filename"])
            except NotStored:
                continue
            _import(db, name, f, source)
            taken.add(name)
        return [_dataset(r) for r in db.query(f"SELECT * FROM {META} ORDER BY name")]
    finally:
        db.close()


def connect_read_only(appliance: Appliance, org_id: str) -> sqlite3.Connection:
    """A connection that can only read: the engine's SQL runs on this."""
    uri = f"file:{db_path(appliance, org_id)}?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    conn.execute("PRAGMA query_only = ON")
    return conn


def _import(db: sqlite_utils.Database, name: str, file: dict[str, Any], source: Path) -> None:
    tracker = TypeTracker()
    with open(source, newline="", encoding="utf-8-sig", errors="replace") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if not header:
            return
        columns = _column_names(header)
        rows = _rows(reader, columns)
        with db.atomic():
            table = db[name]
            table.insert_all(tracker.wrap(rows), batch_size=BATCH_ROWS)  # type: ignore[union-attr]
            if not table.exists():
                table.create({c: str for c in columns})  # type: ignore[union-attr]
            else:
                table.transform(types=tracker.types)  # type: ignore[union-attr]
            count = db.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]
            types = tracker.types
            cols = [{"name": c, "type": types.get(c, "text")} for c in columns]
            db[META].insert(
                {
                    "name": name,
                    "file_id": file["id"],
                    "filename": file["filename"],
                    "sha256": file["sha256"],
                    "row_count": count,
                    "columns": json.dumps(cols),
                },
                replace=True,
            )


def _rows(reader: Iterator[list[str]], columns: list[str]) -> Iterator[dict[str, Any]]:
    width = len(columns)
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        cells = (record + [""] * width)[:width]
        yield {c: (v.strip() or None) for c, v in zip(columns, cells, strict=True)}


def _column_names(header: list[str]) -> list[str]:
    names: list[str] = []
    for i, raw in enumerate(header[:MAX_COLUMNS]):
        name = re.sub(r"[^0-9a-z]+", "_", raw.strip().lower()).strip("_") or f"column_{i + 1}"
        base, n = name, 2
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return names


def _table_name(filename: str, taken: set[str]) -> str:
    stem = Path(filename).stem
    name = re.sub(r"[^0-9a-z]+", "_", stem.lower()).strip("_") or "dataset"
    if name[0].isdigit() or name.startswith("sqlite") or name == META:
        name = f"t_{name}"
    base, n = name, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def _drop(db: sqlite_utils.Database, name: str) -> None:
    db.execute(f'DROP TABLE IF EXISTS "{name}"')
    db.execute(f"DELETE FROM {META} WHERE name = ?", [name])


def _dataset(row: dict[str, Any]) -> Dataset:
    return Dataset(
        name=row["name"],
        file_id=row["file_id"],
        filename=row["filename"],
        row_count=row["row_count"],
        columns=[Column(c["name"], c["type"]) for c in json.loads(row["columns"])],
    )
