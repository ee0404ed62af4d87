"""The per-organization store on the local filesystem.

Layout under the store root, one tree per organization::

    <root>/<org_id>/files/<sanitized name>    finished files, never partially visible
    <root>/<org_id>/tmp/<random>.part         bodies being received
    <root>/<org_id>/multipart/<upload_id>/<n>.part   received parts of a multipart upload
    <root>/<org_id>/tus/<upload_id>.part       resumable (tus) uploads, as far as they got
    <root>/<org_id>/derived/                   caches built from the files (analytics tables)

Temporary files live in the organization's own tree (same filesystem as the final
name), so that finishing an upload is a hard link, which is atomic and never
overwrites, followed by an fsync of the directory.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BufferedIOBase
from pathlib import Path

from storage.assemble import assemble as assemble_parts
from storage.base import Staged
from storage.durable import fsync_path, sha256_file, write_private
from storage.errors import InsufficientStorage, NotStored
from storage.names import MAX_DUPLICATES, is_safe_component, numbered, sanitize_filename
from storage.names import safe_component as _safe
from storage.writer import Hasher, StreamWriter

READ_BYTES = 4 * 1024 * 1024

DISK_RESERVE_BYTES = 256 * 1024 * 1024
"""Free space kept back so that the metadata database can still commit when the disk fills."""


@dataclass
class AssembledFile:
    """The parts of a multipart upload joined into one temporary file."""

    path: Path
    size: int
    sha256: str

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


@dataclass
class ResumableFile:
    """A resumable upload's file once every byte has arrived."""

    path: Path
    size: int

    def discard(self) -> None:
        """Kept: the upload can still be completed again."""


class LocalStore:
    """Bytes of each organization in its own directory tree; metadata lives elsewhere.

    The first implementation of :class:`storage.base.Store`.
    """

    def __init__(self, root: Path, reserve: int = DISK_RESERVE_BYTES) -> None:
        self.root = root
        self.reserve = reserve
        root.mkdir(parents=True, exist_ok=True, mode=0o750)

    def prepare(self) -> None:
        """Nothing to make: the root exists from the start."""

    # -- writing ---------------------------------------------------------------

    def open_writer(self, org_id: str, expected_size: int | None = None) -> StreamWriter:
        """Start a temporary file for an upload; refuse up front if the disk cannot hold it."""
        tmp = self._dir(org_id, "tmp")
        if expected_size is not None:
            self.ensure_space(expected_size)
        fd, name = tempfile.mkstemp(dir=tmp, suffix=".part")
        return StreamWriter(Path(name), os.fdopen(fd, "wb"), reserve=self.reserve)

    def commit(self, org_id: str, staged: Staged, filename: str) -> str:
        """Publish a finished (already fsynced) temporary file under a free name.

        Returns the stored name: the sanitized filename, numbered if it was taken.
        """
        temp_path = _staged_path(staged)
        files = self._dir(org_id, "files")
        base = sanitize_filename(filename)
        for n in range(MAX_DUPLICATES):
            candidate = numbered(base, n)
            try:
                os.link(temp_path, files / candidate)
            except FileExistsError:
                continue
            temp_path.unlink()
            fsync_path(files)
            return candidate
        raise FileExistsError(f"more than {MAX_DUPLICATES} files share one name")

    # -- multipart ---------------------------------------------------------------

    def commit_part(self, org_id: str, upload_id: str, part_number: int, staged: Staged) -> None:
        """Put a received (fsynced) part in place, atomically replacing an earlier copy."""
        parts = self._dir(org_id, "multipart") / _safe(upload_id)
        parts.mkdir(exist_ok=True, mode=0o750)
        os.replace(_staged_path(staged), parts / f"{part_number:05d}.part")
        fsync_path(parts)

    def assemble(self, org_id: str, upload_id: str, part_count: int) -> AssembledFile:
        """Join parts 1..part_count into a temporary file, with its SHA-256.

        The result is published with :meth:`commit` like any finished upload; the
        parts stay until :meth:`remove_parts`, so a failed assembly can be retried.
        """
        parts_dir = self._tree(org_id) / "multipart" / _safe(upload_id)
        parts = [parts_dir / f"{n:05d}.part" for n in range(1, part_count + 1)]
        missing = [p.name for p in parts if not p.is_file()]
        if missing:
            raise NotStored(", ".join(missing))
        return self._join(org_id, parts)

    def _join(self, org_id: str, pieces: list[Path]) -> AssembledFile:
        """``pieces`` in order into a temporary file in the organization's tree."""
        fd, name = tempfile.mkstemp(dir=self._dir(org_id, "tmp"), suffix=".part")
        target = Path(name)
        try:
            digest = assemble_parts(pieces, fd)
            return AssembledFile(target, os.fstat(fd).st_size, digest)
        except OSError as exc:
            target.unlink(missing_ok=True)
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise InsufficientStorage("the disk is full") from exc
            raise
        except BaseException:
            target.unlink(missing_ok=True)
            raise
        finally:
            os.close(fd)

    # -- resumable uploads (tus) -------------------------------------------------

    def open_resumable(
        self, org_id: str, upload_id: str, offset: int, hasher: Hasher | None = None
    ) -> StreamWriter:
        """Append to a resumable upload's file from ``offset``: bytes past it (a PATCH
        that never finished) are cut off first. ``hasher`` continues the SHA-256 of
        the first ``offset`` bytes; without one they are read and hashed again."""
        path = self._resumable_path(org_id, upload_id)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(fd).st_size < offset:
                raise NotStored(upload_id)
            os.ftruncate(fd, offset)
            if hasher is None:
                hasher = hashlib.sha256()
                os.lseek(fd, 0, os.SEEK_SET)
                remaining = offset
                while remaining:
                    block = os.read(fd, min(READ_BYTES, remaining))
                    if not block:
                        raise NotStored(upload_id)
                    hasher.update(block)
                    remaining -= len(block)
            os.lseek(fd, offset, os.SEEK_SET)
        except BaseException:
            os.close(fd)
            raise
        file = os.fdopen(fd, "wb")
        return StreamWriter(path, file, reserve=self.reserve, hasher=hasher, keep=True)

    def concatenate_resumable(self, org_id: str, upload_ids: list[str]) -> AssembledFile:
        """Join complete resumable uploads, in order, into a temporary file with its
        SHA-256 (tus concatenation); the pieces stay until they are removed."""
        pieces = [self._resumable_path(org_id, upload_id) for upload_id in upload_ids]
        missing = [p.stem for p in pieces if not p.is_file()]
        if missing:
            raise NotStored(", ".join(missing))
        return self._join(org_id, pieces)

    def staged_resumable(self, org_id: str, upload_id: str) -> Staged:
        """A complete resumable upload's file, ready for :meth:`commit`."""
        path = self._resumable_path(org_id, upload_id)
        return ResumableFile(path, path.stat().st_size)

    def remove_resumable(self, org_id: str, upload_id: str) -> None:
        self._resumable_path(org_id, upload_id).unlink(missing_ok=True)

    def resumable_ids(self, org_id: str) -> set[str]:
        path = self._tree(org_id) / "tus"
        return {p.stem for p in path.glob("*.part")} if path.is_dir() else set()

    def _resumable_path(self, org_id: str, upload_id: str) -> Path:
        return self._dir(org_id, "tus") / f"{_safe(upload_id)}.part"

    def part_numbers(self, org_id: str, upload_id: str) -> list[int]:
        parts = self._tree(org_id) / "multipart" / _safe(upload_id)
        found = parts.glob("*.part") if parts.is_dir() else []
        return sorted(int(p.stem) for p in found if p.stem.isdigit())

    def open_part(self, org_id: str, upload_id: str, part_number: int) -> BufferedIOBase:
        path = self._tree(org_id) / "multipart" / _safe(upload_id) / f"{part_number:05d}.part"
        try:
            return open(path, "rb")
        except FileNotFoundError as exc:
            raise NotStored(path.name) from exc

    def open_resumable_bytes(self, org_id: str, upload_id: str) -> BufferedIOBase:
        try:
            return open(self._resumable_path(org_id, upload_id), "rb")
        except FileNotFoundError as exc:
            raise NotStored(upload_id) from exc

    def remove_parts(self, org_id: str, upload_id: str) -> None:
        shutil.rmtree(self._tree(org_id) / "multipart" / _safe(upload_id), ignore_errors=True)

    def multipart_ids(self, org_id: str) -> set[str]:
        path = self._tree(org_id) / "multipart"
        return {p.name for p in path.iterdir()} if path.is_dir() else set()

    def ensure_space(self, size: int) -> None:
        if size + self.reserve > self.free_bytes():
            raise InsufficientStorage("not enough free disk space for this upload")

    def free_bytes(self) -> int:
        return shutil.disk_usage(self.root).free

    def probe_writable(self) -> None:
        """Write, fsync and remove a small file: OSError if the store cannot take bytes."""
        probe = self.root / f".probe-{os.getpid()}"
        try:
            write_private(probe, b"ok")
        finally:
            probe.unlink(missing_ok=True)

    # -- reading and removing --------------------------------------------------

    def open_file(self, org_id: str, stored_name: str) -> BufferedIOBase:
        try:
            return open(self._file_path(org_id, stored_name), "rb")
        except FileNotFoundError as exc:
            raise NotStored(stored_name) from exc

    def size_of(self, org_id: str, stored_name: str) -> int:
        try:
            return self._file_path(org_id, stored_name).stat().st_size
        except FileNotFoundError as exc:
            raise NotStored(stored_name) from exc

    def sha256(self, org_id: str, stored_name: str) -> str:
        try:
            return sha256_file(self._file_path(org_id, stored_name))
        except FileNotFoundError as exc:
            raise NotStored(stored_name) from exc

    @contextmanager
    def local_copy(self, org_id: str, stored_name: str) -> Iterator[Path]:
        """The file itself: it is already local."""
        path = self._file_path(org_id, stored_name)
        if not path.is_file():
            raise NotStored(stored_name)
        yield path

    def delete(self, org_id: str, stored_name: str) -> None:
        files = self._tree(org_id) / "files"
        try:
            (files / stored_name).unlink()
        except FileNotFoundError:
            return
        fsync_path(files)

    def derived_dir(self, org_id: str) -> Path:
        """Where data built from the organization's files is kept; it goes with them."""
        return self._dir(org_id, "derived")

    def clear_derived(self, org_id: str) -> None:
        """Drop every cache built from the files, e.g. after a file was deleted."""
        shutil.rmtree(self._tree(org_id) / "derived", ignore_errors=True)

    def delete_org(self, org_id: str) -> None:
        shutil.rmtree(self._tree(org_id), ignore_errors=True)

    # -- housekeeping ----------------------------------------------------------

    def remove_stale_temp_files(self, older_than_seconds: float) -> int:
        """Remove temporary files left by a crash; returns how many were removed.

        Only files untouched for ``older_than_seconds`` are removed, so a slow upload
        that is still writing keeps its file.
        """
        cutoff = time.time() - older_than_seconds
        removed = 0
        for tmp in self.root.glob("*/tmp"):
            for path in tmp.iterdir():
                try:
                    if path.stat().st_mtime < cutoff:
                        path.unlink()
                        removed += 1
                except FileNotFoundError:
                    continue
        return removed

    def stored_names(self, org_id: str) -> set[str]:
        files = self._tree(org_id) / "files"
        return {p.name for p in files.iterdir()} if files.is_dir() else set()

    def org_ids(self) -> list[str]:
        return [p.name for p in self.root.iterdir() if p.is_dir()] if self.root.is_dir() else []

    def age_seconds(self, org_id: str, stored_name: str) -> float:
        return time.time() - (self._tree(org_id) / "files" / stored_name).stat().st_mtime

    # -- internals -------------------------------------------------------------

    def _file_path(self, org_id: str, stored_name: str) -> Path:
        if not is_safe_component(stored_name):
            raise NotStored(stored_name)
        return self._tree(org_id) / "files" / stored_name

    def _tree(self, org_id: str) -> Path:
        return self.root / _safe(org_id)

    def _dir(self, org_id: str, kind: str) -> Path:
        path = self._tree(org_id) / kind
        path.mkdir(parents=True, exist_ok=True, mode=0o750)
        return path


def _staged_path(staged: Staged) -> Path:
    """Where a local writer or assembly left its bytes (this store made them)."""
    path = getattr(staged, "path", None)
    if not isinstance(path, Path):
        raise TypeError("not staged by a LocalStore")
    return path
