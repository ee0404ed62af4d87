"""A stored object read like a local file: seekable, streamed by ranged GETs.

Downloads seek to a ``Range`` and read forward; each seek to a new place opens one
GET from there to the end and reads it as far as the caller goes.
"""

from __future__ import annotations

import io
from typing import Any

from storage.errors import StoreUnavailable
from storage.s3_client import S3

BUFFER_BYTES = 1024 * 1024


class _RangedObject(io.RawIOBase):
    def __init__(self, s3: S3, key: str, size: int) -> None:
        super().__init__()
        self._s3 = s3
        self._key = key
        self._size = size
        self._pos = 0
        self._stream: Any = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        target = max(0, base + offset)
        if target != self._pos:
            self._drop_stream()
            self._pos = target
        return self._pos

    def readinto(self, buffer: Any) -> int:
        if self._pos >= self._size:
            return 0
        if self._stream is None:
            self._stream = self._s3.open_stream(self._key, self._pos)
        try:
            data = self._stream.read(len(buffer))
        except Exception as exc:  # urllib3 and botocore read errors alike
            self._drop_stream()
            raise StoreUnavailable(f"the object store broke off ({type(exc).__name__})") from None
        if not data:
            raise StoreUnavailable("the object store sent fewer bytes than the object has")
        n = len(data)
        memoryview(buffer)[:n] = data
        self._pos += n
        return n

    def close(self) -> None:
        self._drop_stream()
        super().close()

    def _drop_stream(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None


class _Objects(io.RawIOBase):
    """Several objects read one after another, from the start (not seekable)."""

    def __init__(self, s3: S3, objects: list[tuple[str, int]]) -> None:
        super().__init__()
        self._pending = [_RangedObject(s3, key, size) for key, size in objects]

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._pending:
            n = self._pending[0].readinto(buffer)
            if n:
                return n
            self._pending.pop(0).close()
        return 0

    def close(self) -> None:
        for part in self._pending:
            part.close()
        super().close()


def open_objects(s3: S3, objects: list[tuple[str, int]]) -> io.BufferedReader:
    return io.BufferedReader(_Objects(s3, objects), buffer_size=BUFFER_BYTES)


def open_object(s3: S3, key: str, size: int) -> io.BufferedReader:
    return io.BufferedReader(_RangedObject(s3, key, size), buffer_size=BUFFER_BYTES)
