"""Each uploaded CSV or TSV file of an organization becomes a dataset: a Parquet copy
of its rows and a profile of its columns, computed once.

Both live in the organization's ``derived/analytics`` directory, named by file id:
they belong to one organization only, are rebuilt whenever the files change, and can
be deleted at any time (deleting a file clears them). DuckDB reads the CSV (its
sniffer finds the delimiter, quoting and types) and streams it into Parquet within
a memory limit, so a 1 GB file never needs 1 GB of memory. A file that cannot be
read becomes a dataset with a recorded ``error`` instead of rows. Imports run on a
small pool of their own, so no organization's large file holds request threads, and
that pool is shared fairly: one organization imports one file at a time, and free
threads go round-robin between organizations, so six large files of one never hold
back another's two-row file.
"""

from __future__ import annotations

import fcntl
import json
import logging
import math
import os
import re
import secrets
import shutil
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from appliance import clock
from appliance.analytics import naming, profile_files, profiling, units
from appliance.analytics.import_connections import (
    ingest_connection,
    shared_guard,
    shared_loader,
)
from appliance.analytics.plan import ColumnInfo
from appliance.analytics.profiling import (
    EXACT_WHOLE,
    FLOATS,
    TOP_VALUES,
    WHOLE_TYPES,
    finite,
    is_wide,
)
from appliance.analytics.quoting import literal as _literal
from appliance.analytics.quoting import path_literal
from appliance.analytics.quoting import quote as _quote
from appliance.context import Appliance
from appliance.fair_pool import FairPool
from appliance.files import records as files
from storage import NotStored, Store

if TYPE_CHECKING:
    import duckdb

log = logging.getLogger("hpx.analytics")
PROFILE_VERSION = 4
"""2: infinite and NaN numbers counted apart (``non_finite``), never a profile's min/max.
3: whole numbers past 64 bits kept exactly (:data:`EXACT_WHOLE`), never as doubles.
4: whole numbers named as a patient's or subject's id (``pid``, ``subj``) are identifiers."""
MAX_COLUMNS = 500
NULL_STRINGS = ["", "NA", "N/A", "NULL", "null", "NaN", "nan"]
EXACT_DIGITS = r"[+-]?0*[0-9]{1,38}"
EXACT_FLOAT = 2**53
"""Past this, not every whole number is a double: a float stands for many whole numbers,
and a JSON reader into doubles rounds a whole number."""
MAX_DOUBLE_DIGITS = 309
"""Digits of the largest double (1.8e308)."""
IMPORT_ROOM_FACTOR = 2
"""Free bytes an import needs beyond the reserve, as a multiple of the file's size: the
Parquet copy (smaller than the CSV in practice) and DuckDB's spill files."""
RETRY_SECONDS = 60
"""How soon an import refused for want of disk space is tried again."""


@dataclass
class ColumnProfile:
    name: str
    type: str
    storage: str  # the DuckDB type of the Parquet column
    nulls: int = 0
    distinct: int = 0
    min: Any = None
    max: Any = None
    values: list[dict[str, Any]] = field(default_factory=list)
    """The most frequent values with their counts (categories, booleans, small integers)."""
    source: str = ""
    """The header as written in the file."""
    non_finite: int = 0
    """Values read as inf, -inf or NaN (``inf`` in the file): not numbers, so they are
    left out of the profile's numbers and treated as empty by every answer."""

    @property
    def wide(self) -> bool:
        """Whole numbers past 64 bits, kept exactly: only exact statistics answer from it."""
        return self.storage == EXACT_WHOLE

    @property
    def whole(self) -> bool:
        """Stored as whole numbers: DuckDB compares them with a float as two floats."""
        return self.storage in WHOLE_TYPES

    @property
    def info(self) -> ColumnInfo:
        textual = self.storage == "VARCHAR"
        return ColumnInfo(self.name, self.type, textual=textual, values=self.every_value)

    @property
    def every_value(self) -> tuple[Any, ...] | None:
        """Each value the column holds, when the profile lists them all: a category's
        or a yes/no column's, fewer than TOP_VALUES (so the list was not cut short)."""
        listed = [v["value"] for v in self.values]
        if self.type in ("category", "boolean") and 0 < len(listed) < TOP_VALUES:
            return tuple(listed)
        return None

    def to_dict(self) -> dict[str, Any]:
        out = {
            "name": self.name,
            "type": self.type,
            "nulls": self.nulls,
            "distinct": self.distinct,
            "min": self.min,
            "max": self.max,
        }
        if self.type in ("category", "boolean"):
            out["values"] = self.values
        if self.source != self.name:
            out["source_name"] = self.source
        if self.non_finite:
            out["non_finite"] = self.non_finite
        return out


@dataclass
class Dataset:
    name: str
    file_id: str
    filename: str
    row_count: int
    columns: list[ColumnProfile]
    path: Path
    error: str | None = None
    dictionary: dict[str, dict[str, Any]] = field(default_factory=dict)
    status: str = "ready"
    """ready, importing (its file is being read in), or error (see ``error``)."""
    survival_pairs: list[dict[str, Any]] = field(default_factory=list)
    """Its time-to-event pairs (time_to_event.py), found once its dictionary is known."""

    def column(self, name: str) -> ColumnProfile | None:
        return next((c for c in self.columns if c.name == name), None)

    def unit(self, name: str) -> str | None:
        """The unit a column is recorded in (its dictionary entry, header or name)."""
        col = self.column(name)
        entry = self.dictionary.get(name, {})
        return None if col is None else units.of_column(col.name, col.source, entry)

    @property
    def infos(self) -> list[ColumnInfo]:
        """The columns as the plan is checked against them, with their value labels and
        units."""
        out = []
        for c in self.columns:
            labels = self.dictionary.get(c.name, {}).get("value_labels") or {}
            named = tuple((str(k), str(v)) for k, v in labels.items())
            out.append(replace(c.info, labels=named, unit=self.unit(c.name)))
        return out

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "file_id": self.file_id,
            "filename": self.filename,
            "row_count": self.row_count,
            "columns": [{"name": c.name, "type": c.type} for c in self.columns],
            "status": self.status,
        }
        if self.error:
            out["error"] = self.error
        return out

    def detail(self) -> dict[str, Any]:
        out = self.summary()
        cols = []
        for c in self.columns:
            d = c.to_dict()
            d.update(self.dictionary.get(c.name, {}))
            cols.append(d)
        out["columns"] = cols
        out["survival_pairs"] = self.survival_pairs
        return out


IMPORT_THREADS = 2
"""Imports of every organization share these threads: a large file from one never takes
the request threads the others need."""
IMPORT_SHARE = 1
"""Imports one organization may run at once: the other thread stays free for the others.
One import runs on one DuckDB thread (``ingest_connection``: a server process's memory),
so one organization alone imports on one core while the other stays for the others."""

_imports = FairPool(IMPORT_THREADS, IMPORT_SHARE, "hpx-import", nice=10)
_pending: dict[tuple[str, str], Future[None]] = {}
_pending_guard = threading.Lock()


def analytics_dir(appliance: Appliance, org_id: str) -> Path:
    return appliance.store.derived_dir(org_id) / "analytics"


def sync(appliance: Appliance, org_id: str) -> list[Dataset]:
    """The organization's datasets as they are now; new or changed files start importing.

    It never waits: a file still being imported is a dataset with ``status``
    "importing". :func:`pending` gives the imports to wait for, off any thread.
    """
    folder = analytics_dir(appliance, org_id)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    records = files.tabular_files(appliance.db, org_id)
    wanted = {r.file_id for r in records}
    for meta in folder.glob("*.json"):
        if meta.stem not in wanted:  # the file was deleted: its copy goes too
            meta.unlink(missing_ok=True)
            (folder / f"{meta.stem}.parquet").unlink(missing_ok=True)
            (folder / f".{meta.stem}.import-lock").unlink(missing_ok=True)
    out: list[Dataset] = []
    taken: set[str] = set()
    stored = appliance.store.stored_names(org_id)
    for record in records:
        name = naming.dataset_name(record.filename, taken)
        taken.add(name)
        profile = _load_profile(folder, record.file_id, record.sha256)
        if profile is None:
            if record.filename not in stored:
                continue
            _start_import(appliance.store, org_id, folder, record, appliance.settings.disk_reserve)
            out.append(_importing(name, record, folder))
            continue
        out.append(_dataset(name, record, folder, profile))
    return out


def imports_running() -> int:
    with _pending_guard:
        return sum(1 for f in _pending.values() if not f.done())


def pending(org_id: str) -> list[Future[None]]:
    """The organization's imports still running."""
    with _pending_guard:
        return [f for (org, _file), f in _pending.items() if org == org_id and not f.done()]


def _start_import(
    store: Store, org_id: str, folder: Path, record: files.FileRecord, reserve: int
) -> None:
    key = (org_id, record.file_id)
    with _pending_guard:
        running = _pending.get(key)
        if running is not None and not running.done():
            return
        future = _imports.submit(org_id, _ingest_quietly, store, org_id, folder, record, reserve)
        _pending[key] = future
    future.add_done_callback(lambda _f: _forget(key, future))


def _forget(key: tuple[str, str], future: Future[None]) -> None:
    with _pending_guard:
        if _pending.get(key) is future:
            del _pending[key]


def _ingest_quietly(
    store: Store, org_id: str, folder: Path, record: files.FileRecord, reserve: int
) -> None:
    """An import whose file or folder vanished (the file or organization was deleted)
    just ends."""
    try:
        with _import_lock(folder, record.file_id):
            if _load_profile(folder, record.file_id, record.sha256) is not None:
                return  # another server process imported it while this one waited
            with store.local_copy(org_id, record.filename) as source:
                _ingest(source, folder, record.file_id, record.sha256, reserve)
    except (OSError, NotStored):
        log.info("an import ended early: its file or folder is gone")


@contextmanager
def _import_lock(folder: Path, file_id: str) -> Iterator[None]:
    """One import of a file at a time, across server processes (``workers``)."""
    fd = os.open(folder / f".{file_id}.import-lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _importing(name: str, record: files.FileRecord, folder: Path) -> Dataset:
    return Dataset(
        name=name,
        file_id=record.file_id,
        filename=record.filename,
        row_count=0,
        columns=[],
        path=folder / f"{record.file_id}.parquet",
        status="importing",
    )


def find(datasets: list[Dataset], name: str) -> Dataset | None:
    return next((d for d in datasets if d.name == name), None)


def stale_copies(appliance: Appliance, org_id: str) -> list[str]:
    """File ids whose analytics copy no longer matches the file (it would be rebuilt)."""
    folder = analytics_dir(appliance, org_id)
    if not folder.is_dir():
        return []
    current = {r.file_id: r.sha256 for r in files.tabular_files(appliance.db, org_id)}
    stale = []
    for meta in folder.glob("*.json"):
        if meta.stem not in current or _load_profile(folder, meta.stem, current[meta.stem]) is None:
            stale.append(meta.stem)
    return stale


def load_file(source: Path, folder: Path, name: str) -> Dataset:
    """One CSV file as a dataset outside any organization (benchmarks, tests), in this
    thread, on the instance such loads share (import_connections.py)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    record = files.FileRecord(name, None, source.name, source.stat().st_size, name, None, "")
    with shared_guard:
        profile = _ingest(source, folder, name, name, connect=shared_loader)
    return _dataset(name, record, folder, profile)


def _load_profile(folder: Path, file_id: str, sha256: str) -> dict[str, Any] | None:
    try:
        profile = profile_files.read(folder / f"{file_id}.json")  # shared: only read it
    except (FileNotFoundError, ValueError):
        return None
    if profile.get("sha256") != sha256 or profile.get("version") != PROFILE_VERSION:
        return None
    if clock.now() >= profile.get("retry_at", float("inf")):
        return None  # refused for want of space a while ago: try again
    return profile


def _dataset(name: str, record: files.FileRecord, folder: Path, p: dict[str, Any]) -> Dataset:
    return Dataset(
        name=name,
        file_id=record.file_id,
        filename=record.filename,
        row_count=p["row_count"],
        columns=[ColumnProfile(**c) for c in p["columns"]],
        path=folder / f"{record.file_id}.parquet",
        error=p.get("error"),
        status="error" if p.get("error") else "ready",
    )


# -- ingestion -------------------------------------------------------------------------


def _ingest(
    source: Path,
    folder: Path,
    file_id: str,
    sha256: str,
    reserve: int = 0,
    connect: Callable[[Path], duckdb.DuckDBPyConnection] = ingest_connection,
) -> dict[str, Any]:
    """CSV → Parquet (written under a temporary name, then renamed) and its profile.

    An import that could eat into the disk reserve is not started: the reserve is what
    lets uploads be refused cleanly and files be deleted on a full disk. It is recorded
    as an error that is retried after :data:`RETRY_SECONDS`.
    """
    target = folder / f"{file_id}.parquet"
    unique = secrets.token_hex(4)  # two servers on one file never write one temporary
    temp = folder / f".{file_id}.{unique}.parquet.tmp"
    profile: dict[str, Any] = {"version": PROFILE_VERSION, "sha256": sha256}
    short = IMPORT_ROOM_FACTOR * source.stat().st_size - (shutil.disk_usage(folder).free - reserve)
    if short > 0:
        profile |= {
            "row_count": 0,
            "columns": [],
            "error": f"not enough free disk space to import it ({_megabytes(short)} more needed);"
            " it is tried again once space is freed",
            "retry_at": clock.now() + RETRY_SECONDS,
        }
        _write_profile(folder, file_id, unique, profile)
        return profile
    import duckdb  # here, not at the top: a server that only receives files never needs it

    spill = folder / f".spill-{unique}"
    spill.mkdir(mode=0o700)
    conn = connect(spill)
    try:
        if source.stat().st_size == 0:
            raise ValueError("the file is empty")
        # The file under a name of ours: DuckDB reads a path with * ? [ as a pattern, so
        # "[x].csv" would read x.csv. The link goes with the spill folder.
        plain = spill / "source.csv"
        plain.symlink_to(source.resolve())
        try:
            columns = _copy_to_parquet(conn, plain, temp)
        except duckdb.Error as first:
            # The sniffer samples the start of the file; a later value may not fit the
            # type it chose. A second pass sniffs the whole file.
            try:
                columns = _copy_to_parquet(conn, plain, temp, whole_file=True)
            except duckdb.Error:
                raise first from None
        os.chmod(temp, 0o600)  # a copy of patient data: as private as the upload itself
        os.replace(temp, target)
        profile |= profiling.profile(conn, target, columns)
    except (duckdb.Error, ValueError) as exc:
        temp.unlink(missing_ok=True)
        error = NOT_TEXT if _looks_binary(source) else _ingest_error(exc)
        profile |= {"row_count": 0, "columns": [], "error": error}
    finally:
        conn.close()
        shutil.rmtree(spill, ignore_errors=True)
    _write_profile(folder, file_id, unique, profile)
    return profile


def _write_profile(folder: Path, file_id: str, unique: str, profile: dict[str, Any]) -> None:
    meta_temp = folder / f".{file_id}.{unique}.json.tmp"
    meta_temp.write_text(json.dumps(profile))
    os.chmod(meta_temp, 0o600)  # the profile holds the most frequent values
    os.replace(meta_temp, folder / f"{file_id}.json")


def _megabytes(n: int) -> str:
    return f"{max(1, round(n / 1_000_000))} MB"


def _copy_to_parquet(
    conn: duckdb.DuckDBPyConnection, source: Path, target: Path, whole_file: bool = False
) -> list[tuple[str, str, str]]:
    """(name, header, type) of each column, after writing the rows to ``target``."""
    options = (
        f"header = true, null_padding = true, nullstr = {NULL_STRINGS!r},"
        f" sample_size = {-1 if whole_file else 20480}"
    )

    def reading(as_text: list[str]) -> str:
        """The file, with the ``as_text`` columns as written (VARCHAR)."""
        if not as_text:
            return f"read_csv({path_literal(source)}, {options})"
        types = "{" + ", ".join(f"{_literal(f)}: 'VARCHAR'" for f in dict.fromkeys(as_text)) + "}"
        return f"read_csv({path_literal(source)}, {options}, types = {types})"

    reader = reading([])
    described = conn.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
    flags = [str(row[0]) for row in described if str(row[1]) == "BOOLEAN"]
    if flags:
        # Keep "Yes"/"No" as written: answers and groups show the file's own words.
        reader = reading(flags)
        described = conn.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
    if len(described) > MAX_COLUMNS:
        raise ValueError(f"the file has {len(described)} columns; at most {MAX_COLUMNS}")
    headers = [str(row[0]) for row in described]
    stored = {str(row[0]): str(row[1]) for row in described}
    wide = [h for h in headers if is_wide(stored[h])]
    if wide:
        # Read as written, then kept exactly: as DECIMAL(38,0) where every value has at
        # most 38 digits, else as text (DuckDB's own types would become doubles).
        reader = reading(flags + wide)
        checks = ", ".join(
            f"coalesce(bool_and(regexp_full_match(trim({_quote(w)}), {_literal(EXACT_DIGITS)})),"
            " true)"
            for w in wide
        )
        fits = conn.execute(f"SELECT {checks} FROM {reader}").fetchone() or ()
        for w, ok in zip(wide, fits, strict=True):
            stored[w] = EXACT_WHOLE if ok else "VARCHAR"
    names = naming.column_names(headers)
    _write_parquet(conn, reader, headers, names, stored, target)
    # A float column (fractions beside them) may hold whole numbers a double rounds:
    # 123456789012345678901234567890 would be 1.2345678901234568e29. Only a column whose
    # copy reaches 2^53 can, so ordinary files are not read twice.
    suspects = _past_doubles(conn, target, headers, names, stored)
    if suspects:
        as_written = reading(flags + wide + suspects)
        rounded = [h for h in suspects if _rounds_whole_numbers(conn, as_written, h)]
        if rounded:
            for h in rounded:
                stored[h] = "VARCHAR"  # kept as written: text, never a rounded number
            reader = reading(flags + wide + rounded)
            _write_parquet(conn, reader, headers, names, stored, target)
    return [(name, h, stored[h]) for h, name in zip(headers, names, strict=True)]


def _write_parquet(
    conn: duckdb.DuckDBPyConnection,
    reader: str,
    headers: list[str],
    names: list[str],
    stored: dict[str, str],
    target: Path,
) -> None:
    def as_stored(header: str) -> str:
        if stored[header] == EXACT_WHOLE:
            return f"CAST(trim({_quote(header)}) AS {EXACT_WHOLE})"
        return _quote(header)

    select = ", ".join(
        f"{as_stored(h)} AS {_quote(name)}" for h, name in zip(headers, names, strict=True)
    )
    conn.execute(
        f"COPY (SELECT {select} FROM {reader}) TO {_literal(str(target))} (FORMAT parquet)"
    )


def _past_doubles(
    conn: duckdb.DuckDBPyConnection,
    target: Path,
    headers: list[str],
    names: list[str],
    stored: dict[str, str],
) -> list[str]:
    """Headers of the float columns whose copy holds a value of 2^53 or more."""
    floats = [(h, n) for h, n in zip(headers, names, strict=True) if stored[h] in FLOATS]
    if not floats:
        return []
    checks = ", ".join(
        f"coalesce(max(abs({finite(n, 'DOUBLE')})) >= {float(EXACT_FLOAT)!r}, false)"
        for _h, n in floats
    )
    found = conn.execute(f"SELECT {checks} FROM read_parquet({path_literal(target)})").fetchone()
    return [h for (h, _n), past in zip(floats, found or (), strict=True) if past]


def _rounds_whole_numbers(conn: duckdb.DuckDBPyConnection, reader: str, header: str) -> bool:
    """Whether a value of the column, as written, is a whole number no double holds.

    Only whole numbers of 16 digits or more are looked at (2^53 has 16): ``1e300`` or
    ``2.5`` was written as a float, and is read as one.
    """
    q = f"trim({_quote(header)})"
    cursor = conn.execute(
        f"SELECT {q} FROM {reader} WHERE regexp_full_match({q}, '[+-]?[0-9]{{16,}}')"
    )
    while batch := cursor.fetchmany(10_000):
        for (text,) in batch:
            if len(text.lstrip("+-").lstrip("0")) > MAX_DOUBLE_DIGITS:
                return True  # past the largest double (and Python's int() limit)
            as_float = float(text)
            if not math.isfinite(as_float) or int(as_float) != int(text):
                return True
    return False


NOT_TEXT = "not a CSV or TSV text file (its bytes are binary: compressed, an image, a spreadsheet?)"
"""The error of a binary file named ``.csv``, instead of DuckDB's sniffer message."""


def _looks_binary(source: Path) -> bool:
    """A NUL byte, or many control characters, in the first 64 KiB: no CSV has them
    (a Latin-1 CSV has neither, so it still gets DuckDB's own message)."""
    try:
        with open(source, "rb") as fh:
            head = fh.read(64 * 1024)
    except OSError:
        return False
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return b"\0" in head or controls > len(head) // 10


def _ingest_error(exc: Exception) -> str:
    """One line for the dataset list, without paths."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return re.sub(r"(/[^\s'\"]+)+", "<file>", text)[:300]
