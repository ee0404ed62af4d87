"""What the appliance asks of a place that keeps organizations' bytes.

:class:`Store` is the whole surface the services use, narrow enough for an object
store to implement beside :class:`storage.local.LocalStore`, and one does
(:class:`storage.s3.S3Store`): no caller builds a path into the store. Names are the
stored names the store handed out from :meth:`Store.commit`; every call is scoped by
organization.

Bytes move in three steps: a writer receives a body into a *staged* object (durable
but invisible), :meth:`Store.commit` publishes it under a free name, and the caller
records it in the metadata database. A staged object that is not committed is
discarded; nothing partial is ever visible under a name.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from io import BufferedIOBase
from pathlib import Path
from typing import Any, Protocol


class Staged(Protocol):
    """Bytes received and made durable, not yet visible under any name."""

    @property
    def size(self) -> int: ...

    def discard(self) -> None:
        """Drop the bytes; synchronous, so that it also runs on cancellation."""


class Writer(Staged, Protocol):
    """Receives one body; after :meth:`finish` it is a :class:`Staged` object."""

    async def write(self, chunk: bytes) -> None: ...

    async def finish(self) -> str:
        """Make the bytes durable; returns their SHA-256 (hex)."""

    @property
    def hasher(self) -> Any:
        """The running SHA-256 (a hashlib object), to continue in a later writer."""


class Assembled(Staged, Protocol):
    """A multipart upload's parts joined in order, with the SHA-256 of the whole."""

    @property
    def sha256(self) -> str: ...


class Store(Protocol):
    reserve: int
    """Free bytes kept back so the metadata database can still commit on a full disk."""

    def prepare(self) -> None:
        """Make what the store needs before the first upload (a bucket); at server start."""

    # -- receiving and publishing ----------------------------------------------------
    def open_writer(self, org_id: str, expected_size: int | None = None) -> Writer: ...

    def commit(self, org_id: str, staged: Staged, filename: str) -> str:
        """Publish under the sanitized ``filename`` (numbered if taken); the stored name."""

    def commit_part(self, org_id: str, upload_id: str, part_number: int, staged: Staged) -> None:
        """Keep a received part, replacing an earlier copy of the same part."""

    def assemble(self, org_id: str, upload_id: str, part_count: int) -> Assembled:
        """Join parts 1..part_count; NotStored if one is missing. The parts stay."""

    def remove_parts(self, org_id: str, upload_id: str) -> None: ...

    def part_numbers(self, org_id: str, upload_id: str) -> list[int]:
        """The parts kept so far, in order (``hpx migrate`` copies them)."""

    def open_part(self, org_id: str, upload_id: str, part_number: int) -> BufferedIOBase:
        """A reader of one kept part; NotStored if it is not there."""

    # -- resumable uploads (tus) -------------------------------------------------------
    def open_resumable(
        self, org_id: str, upload_id: str, offset: int, hasher: Any | None = None
    ) -> Writer:
        """Append from ``offset`` (anything past it is cut off); ``hasher`` continues the
        SHA-256 of the bytes before it, else they are hashed again. NotStored if the
        upload's bytes are shorter than ``offset``."""

    def concatenate_resumable(self, org_id: str, upload_ids: list[str]) -> Assembled:
        """Join complete resumable uploads in order (tus concatenation); they stay."""

    def staged_resumable(self, org_id: str, upload_id: str) -> Staged:
        """The complete upload, ready for :meth:`commit`."""

    def remove_resumable(self, org_id: str, upload_id: str) -> None: ...

    def open_resumable_bytes(self, org_id: str, upload_id: str) -> BufferedIOBase:
        """A reader of a resumable upload's bytes so far, from the start."""

    def resumable_ids(self, org_id: str) -> set[str]: ...

    # -- reading ---------------------------------------------------------------------
    def open_file(self, org_id: str, stored_name: str) -> BufferedIOBase:
        """A seekable binary reader of a stored file; NotStored if it is gone."""

    def size_of(self, org_id: str, stored_name: str) -> int:
        """NotStored if it is gone."""

    def sha256(self, org_id: str, stored_name: str) -> str:
        """The stored bytes' SHA-256 (hex), read again from the store (``hpx verify
        --rehash``, ``hpx migrate``); NotStored if it is gone."""

    def local_copy(self, org_id: str, stored_name: str) -> AbstractContextManager[Path]:
        """A local path to the file's bytes for the duration of the block (tools such as
        DuckDB read paths); NotStored if it is gone."""

    # -- removing --------------------------------------------------------------------
    def delete(self, org_id: str, stored_name: str) -> None: ...

    def delete_org(self, org_id: str) -> None: ...

    # -- inventory, for housekeeping and ``hpx verify`` ------------------------------
    def org_ids(self) -> list[str]: ...

    def stored_names(self, org_id: str) -> set[str]: ...

    def multipart_ids(self, org_id: str) -> set[str]: ...

    def age_seconds(self, org_id: str, stored_name: str) -> float: ...

    def remove_stale_temp_files(self, older_than_seconds: float) -> int: ...

    # -- space and health ------------------------------------------------------------
    def ensure_space(self, size: int) -> None:
        """InsufficientStorage unless ``size`` more bytes fit beside the reserve."""

    def free_bytes(self) -> int: ...

    def probe_writable(self) -> None:
        """OSError if the store cannot take bytes right now."""

    # -- caches built from the files (always local: the analytics copies) -------------
    def derived_dir(self, org_id: str) -> Path: ...

    def clear_derived(self, org_id: str) -> None: ...
