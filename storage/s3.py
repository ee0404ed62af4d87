"""The per-organization store in an S3-compatible object store (Ceph RGW, AWS S3…).

Layout in the bucket, one key prefix per organization::

    <org_id>/files/<sanitized name>          finished files
    <org_id>/tmp/<random>                    bodies received, not yet published
    <org_id>/multipart/<upload_id>/<n>.part  received parts of a multipart upload
    <org_id>/tus/<upload_id>/<offset>        a resumable upload, one object per PATCH

Publishing a name is a conditional PUT (``If-None-Match: *``) of the name's key, which
only one of several appliance nodes can win, followed by a server-side copy of the
staged object onto it (in Ceph RGW a copy shares the data: 0.09 s for 512 MiB), so an
object appears under a name only whole. Until the metadata database records it, no
client can reach it; housekeeping removes names left unrecorded by a crash, as it does
on the local store.

Caches built from the files (the analytics tables, files handed to DuckDB) stay on
the node's local disk under ``cache_root``: each node builds its own.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from io import BufferedIOBase
from pathlib import Path
from typing import Any

from storage.base import Staged
from storage.errors import NotStored, StoreUnavailable
from storage.names import MAX_DUPLICATES, is_safe_component, numbered, sanitize_filename
from storage.names import safe_component as _safe
from storage.s3_client import MIN_PART_BYTES, S3, S3Config, Taken
from storage.s3_reader import open_object, open_objects
from storage.s3_writer import S3Staged, S3Writer, part_bytes

READ_BYTES = 8 * 1024 * 1024


class S3Store:
    """Organizations' bytes under their own key prefix in one bucket; see the module."""

    reserve = 0
    """The object store's space is its own; only quotas (in the database) apply."""

    def __init__(self, config: S3Config, cache_root: Path) -> None:
        self.s3 = S3(config)
        self.cache_root = cache_root
        cache_root.mkdir(parents=True, exist_ok=True, mode=0o750)

    def prepare(self) -> None:
        """Create the bucket on a new object store (at server start)."""
        self.s3.ensure_bucket()

    # -- receiving and publishing ------------------------------------------------------

    def open_writer(self, org_id: str, expected_size: int | None = None) -> S3Writer:
        return S3Writer(self.s3, self._tmp_key(org_id))

    def commit(self, org_id: str, staged: Staged, filename: str) -> str:
        source = _staged(staged)
        base = sanitize_filename(filename)
        for n in range(MAX_DUPLICATES):
            candidate = numbered(base, n)
            target = self._key(org_id, "files", candidate)
            try:
                self.s3.put(target, b"", only_new=True)  # the name is ours, on any node
            except Taken:
                continue
            try:
                self.s3.copy(source.key, target, source.size)
            except BaseException:
                _try(self.s3.delete, [target])
                raise
            self.s3.delete([source.key])
            return candidate
        raise FileExistsError(f"more than {MAX_DUPLICATES} files share one name")

    def commit_part(self, org_id: str, upload_id: str, part_number: int, staged: Staged) -> None:
        source = _staged(staged)
        target = self._key(org_id, "multipart", _safe(upload_id), f"{part_number:05d}.part")
        self.s3.copy(source.key, target, source.size)
        self.s3.delete([source.key])

    def assemble(self, org_id: str, upload_id: str, part_count: int) -> S3Staged:
        prefix = self._key(org_id, "multipart", _safe(upload_id)) + "/"
        found = {item.key[len(prefix) :]: item for item in self.s3.objects(prefix)}
        names = [f"{n:05d}.part" for n in range(1, part_count + 1)]
        missing = [name for name in names if name not in found]
        if missing:
            raise NotStored(", ".join(missing))
        return self._join(org_id, [(found[n].key, found[n].size) for n in names], hashed=True)

    def part_numbers(self, org_id: str, upload_id: str) -> list[int]:
        prefix = self._key(org_id, "multipart", _safe(upload_id)) + "/"
        names = [item.key[len(prefix) :].removesuffix(".part") for item in self.s3.objects(prefix)]
        return sorted(int(n) for n in names if n.isdigit())

    def open_part(self, org_id: str, upload_id: str, part_number: int) -> BufferedIOBase:
        key = self._key(org_id, "multipart", _safe(upload_id), f"{part_number:05d}.part")
        return open_object(self.s3, key, self.s3.head(key)[0])

    def open_resumable_bytes(self, org_id: str, upload_id: str) -> BufferedIOBase:
        return open_objects(self.s3, self._segments(org_id, upload_id))

    def remove_parts(self, org_id: str, upload_id: str) -> None:
        self.s3.delete_prefix(self._key(org_id, "multipart", _safe(upload_id)) + "/")

    # -- resumable uploads (tus) ---------------------------------------------------------

    def open_resumable(
        self, org_id: str, upload_id: str, offset: int, hasher: Any | None = None
    ) -> S3Writer:
        """A writer of the next PATCH's object; what lies past ``offset`` is dropped
        first (a PATCH that was cut short after its bytes were kept, before its offset
        was recorded), and the bytes before it hashed again if no ``hasher`` is given."""
        kept = self._segments(org_id, upload_id, upto=offset)
        if hasher is None:
            hasher = hashlib.sha256()
            for key, size in kept:
                self._read_into(key, size, hasher.update)
        key = self._key(org_id, "tus", _safe(upload_id), f"{offset:016d}")
        return S3Writer(self.s3, key, hasher=hasher)

    def concatenate_resumable(self, org_id: str, upload_ids: list[str]) -> S3Staged:
        sources: list[tuple[str, int]] = []
        for upload_id in upload_ids:
            segments = self._segments(org_id, upload_id)
            if not segments:
                raise NotStored(upload_id)
            sources += segments
        return self._join(org_id, sources, hashed=True)

    def staged_resumable(self, org_id: str, upload_id: str) -> S3Staged:
        return self._join(org_id, self._segments(org_id, upload_id), hashed=False)

    def remove_resumable(self, org_id: str, upload_id: str) -> None:
        self.s3.delete_prefix(self._key(org_id, "tus", _safe(upload_id)) + "/")

    def resumable_ids(self, org_id: str) -> set[str]:
        return self.s3.children(self._key(org_id, "tus") + "/")

    def _segments(
        self, org_id: str, upload_id: str, upto: int | None = None
    ) -> list[tuple[str, int]]:
        """The PATCH objects that make the upload's bytes, in order (up to ``upto``,
        dropping and cutting back what lies past it); NotStored if there is a gap."""
        prefix = self._key(org_id, "tus", _safe(upload_id)) + "/"
        objects = sorted(
            (int(item.key[len(prefix) :]), item.key, item.size)
            for item in self.s3.objects(prefix)
            if item.key[len(prefix) :].isdigit()
        )
        kept: list[tuple[str, int]] = []
        dropped: list[str] = []
        position = 0
        for start, key, size in objects:
            if start != position or (upto is not None and position >= upto):
                dropped.append(key)
                continue
            if upto is not None and start + size > upto:
                size = upto - start
                self._cut(key, size)
            kept.append((key, size))
            position = start + size
        if upto is not None and position < upto:
            raise NotStored(upload_id)
        if dropped:
            self.s3.delete(dropped)
        return kept

    def _cut(self, key: str, size: int) -> None:
        """Keep only the first ``size`` bytes of the object (copied in the store)."""
        upload_id = self.s3.call("create_multipart_upload", Key=key)["UploadId"]
        try:
            self.s3.complete(key, upload_id, self.s3.copy_parts(key, size, key, upload_id, first=1))
        except BaseException:
            self.s3.abort(key, upload_id)
            raise

    # -- joining objects -----------------------------------------------------------------

    def _join(self, org_id: str, sources: list[tuple[str, int]], *, hashed: bool) -> S3Staged:
        """``sources`` in order as one new temporary object, with its SHA-256 if
        ``hashed``. Sources of at least the minimum part size are copied in the store;
        smaller ones pass through here. The hash reads every source once, at the same
        time, in another thread."""
        target = self._tmp_key(org_id)
        total = sum(size for _, size in sources)
        digest = hashlib.sha256()
        failure: list[BaseException] = []

        def hash_sources() -> None:
            try:
                for key, size in sources:
                    self._read_into(key, size, digest.update)
            except BaseException as exc:  # reported by the joining thread
                failure.append(exc)

        hasher = threading.Thread(target=hash_sources, name="hpx-s3-hash")
        if hashed:
            hasher.start()
        try:
            self._build(target, [(k, s) for k, s in sources if s > 0], total)
        finally:
            if hashed:
                hasher.join()
        if failure:
            _try(self.s3.delete, [target])
            raise failure[0]
        return S3Staged(self.s3, target, total, digest.hexdigest() if hashed else "")

    def _build(self, target: str, sources: list[tuple[str, int]], total: int) -> None:
        if not sources:
            self.s3.put(target, b"")
            return
        if len(sources) == 1:
            self.s3.copy(sources[0][0], target, sources[0][1])
            return
        upload_id = self.s3.call("create_multipart_upload", Key=target)["UploadId"]
        parts: list[dict[str, Any]] = []
        pending = bytearray()

        def flush() -> None:
            nonlocal pending
            number = len(parts) + 1
            answer = self.s3.call(
                "upload_part", Key=target, UploadId=upload_id, PartNumber=number, Body=pending
            )
            parts.append({"PartNumber": number, "ETag": answer["ETag"]})
            pending = bytearray()

        def gather(block: bytes) -> None:
            pending.extend(block)
            if len(pending) >= part_bytes(len(parts) + 1):
                flush()

        try:
            for i, (key, size) in enumerate(sources):
                last = i == len(sources) - 1
                if not pending and (size >= MIN_PART_BYTES or last):
                    parts += self.s3.copy_parts(key, size, target, upload_id, first=len(parts) + 1)
                else:
                    self._read_into(key, size, gather)
            if pending:
                flush()
            self.s3.complete(target, upload_id, parts)
        except BaseException:
            self.s3.abort(target, upload_id)
            raise

    def _read_into(self, key: str, size: int, sink: Any) -> None:
        """Stream the first ``size`` bytes of an object into ``sink``, block by block."""
        if size == 0:
            return
        stream = self.s3.open_stream(key, 0, size - 1)
        try:
            remaining = size
            while remaining:
                try:
                    block = stream.read(min(READ_BYTES, remaining))
                except Exception as exc:
                    raise StoreUnavailable(
                        f"the object store broke off ({type(exc).__name__})"
                    ) from None
                if not block:
                    raise StoreUnavailable("the object store sent fewer bytes than asked")
                sink(block)
                remaining -= len(block)
        finally:
            stream.close()

    # -- reading -------------------------------------------------------------------------

    def open_file(self, org_id: str, stored_name: str) -> BufferedIOBase:
        key = self._file_key(org_id, stored_name)
        size, _ = self.s3.head(key)
        return open_object(self.s3, key, size)

    def size_of(self, org_id: str, stored_name: str) -> int:
        return self.s3.head(self._file_key(org_id, stored_name))[0]

    def sha256(self, org_id: str, stored_name: str) -> str:
        """Streamed from the gateway block by block: nothing is kept on the node."""
        key = self._file_key(org_id, stored_name)
        size, _ = self.s3.head(key)
        digest = hashlib.sha256()
        self._read_into(key, size, digest.update)
        return digest.hexdigest()

    @contextmanager
    def local_copy(self, org_id: str, stored_name: str) -> Iterator[Path]:
        """The object downloaded into the node's cache for the block, then removed."""
        key = self._file_key(org_id, stored_name)
        size, _ = self.s3.head(key)
        fd, name = tempfile.mkstemp(dir=self._cache(org_id, "tmp"), suffix=".copy")
        path = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                self._read_into(key, size, out.write)
            yield path
        finally:
            path.unlink(missing_ok=True)

    # -- removing ------------------------------------------------------------------------

    def delete(self, org_id: str, stored_name: str) -> None:
        self.s3.delete([self._file_key(org_id, stored_name)])

    def delete_org(self, org_id: str) -> None:
        self.s3.delete_prefix(_safe(org_id) + "/")
        shutil.rmtree(self.cache_root / _safe(org_id), ignore_errors=True)

    # -- inventory -----------------------------------------------------------------------

    def org_ids(self) -> list[str]:
        return sorted(name for name in self.s3.children("") if is_safe_component(name))

    def stored_names(self, org_id: str) -> set[str]:
        prefix = self._key(org_id, "files") + "/"
        return {item.key[len(prefix) :] for item in self.s3.objects(prefix)}

    def multipart_ids(self, org_id: str) -> set[str]:
        return self.s3.children(self._key(org_id, "multipart") + "/")

    def age_seconds(self, org_id: str, stored_name: str) -> float:
        _, modified = self.s3.head(self._file_key(org_id, stored_name))
        return (datetime.now(UTC) - modified).total_seconds()

    def remove_stale_temp_files(self, older_than_seconds: float) -> int:
        """Temporary objects and unfinished multipart uploads that a crash or a lost
        connection left behind, untouched for ``older_than_seconds``."""
        now = datetime.now(UTC)
        removed = 0
        for org_id in self.org_ids():
            stale = [
                item.key
                for item in self.s3.objects(self._key(org_id, "tmp") + "/")
                if (now - item.modified).total_seconds() >= older_than_seconds
            ]
            self.s3.delete(stale)
            removed += len(stale)
            for key, upload_id, started in self.s3.multipart_uploads(_safe(org_id) + "/"):
                if (now - started).total_seconds() >= older_than_seconds:
                    self.s3.abort(key, upload_id)
                    removed += 1
        return removed

    # -- space and health ----------------------------------------------------------------

    def ensure_space(self, size: int) -> None:
        """The object store says itself when it is full (507 on its refusal)."""

    def free_bytes(self) -> int:
        """Free bytes on this node's disk, where its database and caches are."""
        return shutil.disk_usage(self.cache_root).free

    def probe_writable(self) -> None:
        key = f"_probe-{socket.gethostname()}-{os.getpid()}"
        self.s3.put(key, b"ok")
        self.s3.delete([key])

    # -- caches, on this node ------------------------------------------------------------

    def derived_dir(self, org_id: str) -> Path:
        return self._cache(org_id, "derived")

    def clear_derived(self, org_id: str) -> None:
        shutil.rmtree(self.cache_root / _safe(org_id) / "derived", ignore_errors=True)

    # -- keys ----------------------------------------------------------------------------

    def _key(self, org_id: str, kind: str, *rest: str) -> str:
        return "/".join([_safe(org_id), kind, *rest])

    def _tmp_key(self, org_id: str) -> str:
        return self._key(org_id, "tmp", uuid.uuid4().hex)

    def _file_key(self, org_id: str, stored_name: str) -> str:
        if not is_safe_component(stored_name):
            raise NotStored(stored_name)
        return self._key(org_id, "files", stored_name)

    def _cache(self, org_id: str, kind: str) -> Path:
        path = self.cache_root / _safe(org_id) / kind
        path.mkdir(parents=True, exist_ok=True, mode=0o750)
        return path


def _staged(staged: Staged) -> S3Staged | S3Writer:
    if not isinstance(staged, S3Staged | S3Writer):
        raise TypeError("not staged by an S3Store")
    return staged


def _try(function: Any, *args: Any) -> None:
    try:
        function(*args)
    except Exception:  # noqa: S110 - cleaning up after a failure already being raised
        pass
